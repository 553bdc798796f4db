"""Word-level helpers shared by role resolution, intent detection and sentence selection."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

# Letters and digits of any script ("Медсестра", "Krankenpfleger"), with C++/C#-style suffixes and "'s".
_WORD = re.compile(r"[^\W_]+(?:[+#]+|(?:'[^\W_]+))?")

# Abbreviations people use for role words, expanded the same way in questions and titles.
ABBREVIATIONS = {
    "ml": "machine learning",
    "ai": "artificial intelligence",
    "perf": "performance",
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "cv": "computer vision",
    "comms": "communications",
    "comm": "communications",
    "eng": "engineer",
    "engr": "engineer",
    "arch": "architect",
    "sys": "systems",
    "infra": "infrastructure",
    "mgr": "manager",
    "dev": "developer",
    "info": "information",
}

STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be been being before below between both but by
    can could did do does doing done down during each few for from further get gets getting give had has have
    having he her here hers him his how i if in into is it its itself just let me more most my no nor not now of
    off on once only or other our out over own please same she should so some such tell than that the their them
    then there these they this those through to too under until up us very was we were what when where which
    while who whom why will with would you your yours role roles job jobs position positions
    know want like thing things one ones kind type someone person people really""".split()
)

_stemmer = Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def expand(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        out.extend(ABBREVIATIONS.get(token, token).split())
    return out


def singular(token: str) -> str:
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    # "garbage men", "firemen", "chairwomen": the person nouns with an irregular plural.
    if token.endswith("men") and token not in _NOT_PLURAL_MEN:
        return token[:-3] + "man"
    return token


# Words ending in "men" that are no plural of "man".
_NOT_PLURAL_MEN = frozenset(
    "amen omen abdomen acumen albumen bitumen hymen lumen regimen rumen semen specimen stamen".split()
)


def role_tokens(text: str) -> list[str]:
    """Normalized tokens for matching role titles: lower case, abbreviations expanded, singular."""
    return list(_role_tokens(text))


# Headings and passages are matched against every question: their tokens are worth keeping (pure functions).
@lru_cache(maxsize=65536)
def _role_tokens(text: str) -> tuple[str, ...]:
    return tuple(singular(t) for t in expand([w.split("'")[0] for w in words(text)]))


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    return _stemmer.stemWord(token)


def content_stems(text: str, exclude: frozenset[str] = frozenset()) -> set[str]:
    """Stems of the words that carry meaning: no stop words, nothing in exclude (compared as stems)."""
    return set(_content_stems(text) - exclude)


@lru_cache(maxsize=65536)
def _content_stems(text: str) -> frozenset[str]:
    tokens = expand([w.split("'")[0] for w in words(text)])
    return frozenset(stem(t) for t in tokens if t not in STOPWORDS and len(t) >= 2)
