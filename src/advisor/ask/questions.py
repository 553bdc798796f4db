"""What a question's words say about its shape, before any document is looked at: chat shorthand spelled out,
the form of answer it wants (yes/no, how much, how many, which), whether it compares roles, and the words that
carry its point. Plain functions over text."""

from __future__ import annotations

import re

from ..text.lexical import ABBREVIATIONS, STOPWORDS, stem, words
from .facts import aspect_words
from .intent import naming_words

# Chat shorthand people type for everyday words (role abbreviations are the role resolver's business).
SHORTHAND = {
    "xp": "experience",
    "exp": "experience",
    "yrs": "years",
    "yr": "year",
    "reqs": "requirements",
    "req": "requirement",
    "quals": "qualifications",
    "certs": "certifications",
    "cert": "certification",
    "langs": "languages",
    "lang": "language",
    "sal": "salary",
    "comp": "compensation",
    "figs": "figures",
    "hrly": "hourly",
    "wfh": "work from home",
    "edu": "education",
    "phd": "Ph.D.",
    "bachelors": "bachelor's",
    "masters": "master's",
    "mgmt": "management",
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "wat": "what",
    "wut": "what",
    "kinda": "kind of",
    "sorta": "sort of",
    # Contractions typed without their apostrophe: no typos for "wheats", "hoes" or "donut".
    **{bare.replace("'", ""): bare for bare in "what's how's who's where's that's don't doesn't didn't isn't".split()},
}
_SHORTHAND = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, SHORTHAND)) + r")(?![\w'])", re.I)

_YES_NO = re.compile(
    r"^\s*(do|does|did|is|are|was|were|can|could|will|would|should|shall|has|have|had|must|need|may|am|any)\b",
    re.I,
)
_HOW_MUCH = re.compile(r"\bhow (much|big|high|fast)\b|\bsix figures\b|\bwhat (is|are|'s) the (salary|pay)\b", re.I)
_HOW_MANY = re.compile(r"\bhow (many|long)\b|\bhow much (experience|time)\b|\byears?\b", re.I)
_WHICH = re.compile(r"^\s*(which|what|who)\b", re.I)
# A yes/no opening that goes on to ask for alternatives or a list ("is it only X, or where else...?", "could I
# move on later, like what?") wants the list, not a "Yes."
_OPEN_AFTER_YES_NO = re.compile(
    r"\bor (where|what|which|who|how|is|are|does|do|can|would)\b|\blike what\b|\b(what|where|who) else\b|"
    r"\bwhat (kinds?|sorts?|types?)\b",
    re.I,
)
_COMPARE = re.compile(
    r"\b(vs\.?|versus|compare[ds]?|comparison|compared|difference|differ|differences|better|worse|more|less|"
    r"most|least|best|highest|lowest|higher|lower|bigger|longer|fewer|shorter)\b",
    re.I,
)
_COMMON = re.compile(r"\b(in common|share|shared|sharing|same|similar|similarities|overlap|alike)\b", re.I)
_ACROSS = re.compile(
    r"\b(which|what|who)\b[^?]*\b(roles?|jobs?|positions?|careers?|ones?|of (them|these|those|the \w+))\b|"
    r"^\s*who (earns|makes|gets|pays|needs|has)\b|\b(roles|jobs|positions) (that|which|where)\b",
    re.I,
)
# Words that say what kind of thing is asked or how, not what it is about.
_FILLER_WORDS = """need needs needed require required requirement requirements have has get gets got make makes
    made do does doing done work works working job jobs role roles position career careers typical typically
    usual usually actually really kind sort stuff things thing lot much many long good best more most less
    least better worse become becoming be being want wanna like know tell say says said mention mentions mentioned
    give show describe explain
    mean meaning help anything something someone somebody everyone day days time ok okay hi hello thanks
    please yes no also just still even ever any some all each every both two one ones other others same
    compare compared comparison versus vs differ difference differences between common share shared similar
    overlap main key core primary general overall usual normal regular daily basis look looks looking seem seems
    actually basically honestly exactly probably maybe tho though rn lol btw idk kinda sorta gonna
    whole entire""".split()
FILLER = frozenset(stem(w) for w in _FILLER_WORDS)
_QUESTION_WORDS = frozenset("what which who whom whose when where why how".split())
# The words that only say which topic is asked (the intent); a question made of them asks for the topic as a
# whole ("what does it pay?"), not for a point within it.
_INTENT_WORDS = """pay paid paying salary salaries earn earns earning earnings compensation wage wages income money
    requirement requirements qualification qualifications qualified skill skills education schooling experience
    background prerequisite prerequisites growth grow career path advance advancement progression prospects
    opportunity opportunities future outlook responsibility responsibilities duty duties task tasks day daily
    involve involves""".split()
INTENT_WORDS = frozenset(stem(w) for w in _INTENT_WORDS)
# Words of questions that are no typos, whatever the documents say: never "mended" into a document's word.
EVERYDAY_WORDS = frozenset(
    [
        *_FILLER_WORDS,
        *_INTENT_WORDS,
        *STOPWORDS,
        *_QUESTION_WORDS,
        *SHORTHAND,
        *(w for v in SHORTHAND.values() for w in v.split()),
        *ABBREVIATIONS,  # "infra", "comms": expanded later, never mended into another word
    ]
)


_MONEY_SIGNS = re.compile(r"(?<![\w$])\${1,3}(?![\w$]|\s*\d)")  # "$$?", never "$ 100k"


def spelled_out(text: str) -> str:
    """The question with chat shorthand written in full ("cloud eng xp?" -> "cloud eng experience?"; a bare
    "$$" -> "pay")."""
    return _SHORTHAND.sub(lambda m: SHORTHAND[m.group(1).lower()], _MONEY_SIGNS.sub("pay", text))


_INSTANCES = re.compile(
    r"\b(kinds?|sorts?|types?) of\b|^\s*where\b|\bwhere (else|could|can|do|does|would)\b|"
    r"\b(what|which) (?!does\b|is\b|was\b|has\b|this\b|pays\b)[a-z]{3,}s\b",
    re.I,
)


_FIGURE = re.compile(r"\$?\d[\d,.]*[km]?", re.I)  # "250k", "$150,000": a figure, never a term to look for
_AMOUNT = re.compile(
    r"\b(?P<figures>six|seven|6|7)[- ]fig(?:ure)?s?\b|\$\s?(?P<dollars>\d[\d,]*(?:\.\d+)?)\s?(?P<unit>[km])?\b|"
    r"\b(?P<bare>\d[\d,]*(?:\.\d+)?)\s?(?P<bare_unit>k|grand)\b",
    re.I,
)


def asked_amount(text: str) -> float | None:
    """The pay figure a question names, in dollars ("six figures" or "6 figs" 100,000; "$150k"; "200k"; "100
    grand"), or None."""
    found = _AMOUNT.search(text)
    if found is None:
        return None
    if found.group("figures"):
        return 100_000.0 if found.group("figures").lower() in ("six", "6") else 1_000_000.0
    number = found.group("dollars") or found.group("bare")
    unit = (found.group("unit") or found.group("bare_unit") or "").lower()
    return float(number.replace(",", "")) * {"k": 1_000, "grand": 1_000, "m": 1_000_000}.get(unit, 1)


def asks_for_instances(text: str) -> bool:
    """ "What kind of employers...?", "where could I work?": the question names a category and wants its
    members, which a document lists without naming the category ("banks, investment houses")."""
    return bool(_INSTANCES.search(text))


_CLASS = re.compile(
    r"\b(?:what|which|wat|wich)\s+(?:(?:kinds?|sorts?|types?)\s+of\s+)?(?:other\s+)?([a-z]{3,}?s)\b"
    r"|\b(?:kinds?|sorts?|types?)\s+of\s+([a-z]{3,}?s)\b",
    re.I,
)


# "what programming languages": a word that qualifies the plural noun asked for.
_QUALIFIED_CLASS = re.compile(r"\b(?:what|which|wat|wich)\s+([a-z]+)\s+([a-z]{3,}?s)\b", re.I)


def asked_class(text: str) -> str | None:
    """The plural noun whose members the question asks for ("which industries are hiring?": industries; "what
    kind of employers": employers; "what programming languages": languages); None when it asks for none."""
    found = _CLASS.search(text)
    noun = (found.group(1) or found.group(2)).lower() if found else None
    if noun is not None and noun not in _NOT_A_CLASS:
        return noun
    qualified = _QUALIFIED_CLASS.search(text)
    if qualified is not None and not {w.lower() for w in qualified.groups()} & (_NOT_A_CLASS | _NOT_A_QUALIFIER):
        return qualified.group(2).lower()
    # Shorthand naming only the class: "programming languages for this role?", "this role tools?".
    bare = _BARE_CLASS.fullmatch(text.strip())
    if bare is not None and bare.group(1).lower() not in _NOT_A_CLASS and not bare.group(1).lower().endswith("ss"):
        return bare.group(1).lower()
    return None


_BARE_CLASS = re.compile(
    r"(?:this role\W+)?(?:(?:any|the|main|key|usual|common|typical)\s+)?(?:[a-z+#/-]+\s+)?([a-z]{3,}s)"
    r"(?:(?:\s+(?:for|of|in|at|used by|needed for|needed by|to know for)\s+(?:an?\s+|the\s+)?|\W+)this role"
    r"(?:\W+(?:vs\.?|versus|or|and|compared (?:to|with))(?:\W+this role)?)*)?\W*",
    re.I,
)


# "what does", "what is": verbs and function words, not a class of things.
_NOT_A_CLASS = frozenset("does is was has this pays goes happens comes makes takes needs means uses gets".split())
# "what do", "which of", "what kinda": no word that qualifies a class.
_NOT_A_QUALIFIER = frozenset(
    "do did are were am is can could should would will of kind kinda sort type the a an".split()
)


def answer_form(text: str) -> str:
    """ "yes-no", "how-much", "how-many", "which" or "open": the kind of answer the question wants first."""
    if _YES_NO.match(text):
        return "which" if _OPEN_AFTER_YES_NO.search(text) else "yes-no"
    if _HOW_MANY.search(text) and re.search(r"\bhow (many|long)\b|\bhow much (experience|time)\b", text, re.I):
        return "how-many"
    if _HOW_MUCH.search(text):
        return "how-much"
    return "which" if _WHICH.match(text) else "open"


def compares(text: str) -> bool:
    """Whether a question sets two things against each other in so many words ("vs", "compared with", "more
    than"); "the lowest and highest" of one thing does not."""
    return bool(_SET_AGAINST.search(text))


_SET_AGAINST = re.compile(r"\b(vs\.?|versus|compare[ds]?|comparison|compared|difference|differ|than)\b", re.I)


def comparison(text: str, named: int) -> str | None:
    """ "compare" (two or more roles on one point), "common" (what they share), "across" (which of all the roles
    ...), or None for a question about one role."""
    if named >= 2:
        # "Do X and Y both ...?" asks what they share; "compare both" compares, as does "what degree do both
        # require?", which asks each one's.
        asks_each = re.match(r"\W*(what|which|how|where|who|when|why)\b", text, re.I)
        both = re.search(r"\bboth\b", text, re.I) and not _COMPARE.search(text) and not asks_each
        return "common" if _COMMON.search(text) or both else "compare"
    if named == 0 and _ACROSS.search(text) and (_COMPARE.search(text) or re.search(r"\bwhich|who\b", text, re.I)):
        return "across"
    return None


def key_terms(topic: str) -> list[str]:
    """The words that carry the question's point: content words that are neither question words nor the kind
    of words every question has ("need", "job", "typically")."""
    out = []
    naming = naming_words(topic) | aspect_words(topic)
    # "six figures", "$150k": the amount asked is compared with the figures, never looked for as words.
    for found in _AMOUNT.finditer(topic):
        naming |= {w.lower() for w in re.findall(r"[\w']+", found.group(0))}
        # The word that takes the amount ("hit 100k", "crack six figures") says only that it is reached.
        naming |= {w.lower() for w in re.findall(r"([A-Za-z]+)\s*$", topic[: found.start()])}
    for word in words(topic):
        base = word.split("'")[0]
        skip = (
            word in naming
            or base in STOPWORDS
            or base in _QUESTION_WORDS
            or stem(base) in FILLER
            or stem(base) in INTENT_WORDS
        )
        if len(base) < 2 or skip or base.isdigit() or _FIGURE.fullmatch(base):
            continue
        out.append(base)
    return list(dict.fromkeys(out))


_AMOUNTS = frozenset("lot lots bit amount amounts deal plenty number numbers ton tons loads".split())


def phrase_around(topic: str, term: str) -> str:
    """The words of the question around a term, as it can be quoted back ("work from home", "visa sponsorship")."""
    tokens = re.findall(r"[\w'+#./-]+", topic)
    lowered = [t.lower().strip(".?!,") for t in tokens]
    if term not in lowered:
        # A part of a hyphened word is quoted as the whole word ("on-call" for "call").
        return next((tokens[j].strip(".?!,") for j, t in enumerate(lowered) if term in t.split("-")), term)
    i = lowered.index(term)
    connectors = {"from", "of", "in", "on", "for", "to", "with", "at", "and", "or"}

    def inside(j: int) -> bool:
        word = lowered[j]
        has_word = re.search(r"\w", word) is not None  # not a dash between parts of the question
        return has_word and word not in _QUESTION_WORDS and (word not in STOPWORDS or word in connectors)

    start, end = i, i
    while start > 0 and inside(start - 1):
        start -= 1
    while end + 1 < len(tokens) and inside(end + 1):
        end += 1

    # Not the question's own verbs and topic words at either end ("need sql" -> "sql", "come with visa
    # sponsorship" -> "visa sponsorship"), unless joined to the term by a connector ("work from home").
    def loose(j: int, step: int) -> bool:
        word = lowered[j]
        joined = lowered[j + step] in connectors if 0 <= j + step < len(lowered) else False
        # "a lot of travel": an amount of the thing is not the thing.
        return word in connectors or word in _LIGHT_VERBS or word in _AMOUNTS or (_generic(word) and not joined)

    while start < i and loose(start, 1):
        start += 1
    while end > i and loose(end, -1):
        end -= 1
    return " ".join(t.strip(".?!,") for t in tokens[start : end + 1])


_LIGHT_VERBS = frozenset("come comes coming go goes get gets give gives offer offers provide provides".split())


def _generic(word: str) -> bool:
    base = stem(word.split("'")[0])
    return base in FILLER or base in INTENT_WORDS
