"""Finding which role a question is about: a document's role (by its title or a recognisable variant),
a role that is only named inside the documents (a salary row for a related role), or an unknown role."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .lexical import STOPWORDS, role_tokens

SENIORITY = frozenset(
    {"senior", "junior", "lead", "principal", "staff", "chief", "head", "associate", "entry", "level"}
)

# Nouns that end a job title: a phrase ending in one of these is a role the person is asking about.
ROLE_NOUNS = frozenset(
    """engineer architect analyst scientist developer manager designer nurse teacher doctor consultant
    administrator technician specialist accountant lawyer attorney officer director researcher programmer
    hygienist chef cook pilot electrician plumber mechanic assistant representative coordinator therapist
    pharmacist physician surgeon dentist writer editor agent clerk operator driver worker auditor economist
    statistician strategist planner recruiter lecturer professor tester administrator executive cashier
    carpenter welder paralegal psychologist veterinarian""".split()
)

_FILLER = STOPWORDS | {
    "become",
    "becoming",
    "earn",
    "make",
    "salary",
    "pay",
    "need",
    "much",
    "good",
    "new",
    "average",
    "typical",
    "working",
    "work",
    "as",
    "being",
}


@dataclass(frozen=True)
class RoleMatch:
    role: str | None  # a document's role
    asked: str | None = None  # the phrase the person used, when it is no document's role
    mentioned_in: tuple[str, ...] = ()  # headings that name the asked role inside other documents

    @property
    def unknown(self) -> bool:
        return self.role is None and self.asked is not None and not self.mentioned_in


@dataclass(frozen=True)
class _Title:
    name: str
    core: tuple[str, ...]  # normalized tokens without seniority words


class RoleResolver:
    def __init__(self, roles: Iterable[str], headings: Iterable[str] = ()) -> None:
        self.roles = tuple(sorted(set(roles)))
        self._titles = [_Title(r, _core(r)) for r in self.roles]
        self._headings = [h for h in sorted(set(headings)) if _names_a_role(h)]

    def resolve(self, question: str) -> RoleMatch:
        tokens = role_tokens(question)
        best: tuple[float, int, str] | None = None
        for title in self._titles:
            matched = _suffix_match(title.core, tokens)
            if matched == 0:
                continue
            score = (matched / len(title.core), matched, title.name)
            if best is None or score[:2] > best[:2]:
                best = score
        if best is not None:
            return RoleMatch(role=best[2])
        asked = asked_role_phrase(question)
        if asked is None:
            return RoleMatch(role=None)
        # A document's own title always wins; otherwise look for headings that name the asked role.
        mentioned = tuple(h for h in self._headings if _core(h) == _core(asked))
        return RoleMatch(role=None, asked=asked, mentioned_in=mentioned)

    def subject_of(self, doc_role: str, section_path: str) -> str:
        """Whom a section is about: a heading naming another role makes that role its subject."""
        for heading in reversed(section_path.split(" > ")):
            if not _names_a_role(heading):
                continue
            if _suffix_match(_core(doc_role), role_tokens(heading)) == len(_core(doc_role)):
                return doc_role
            return _strip_note(heading)
        return doc_role


def asked_role_phrase(question: str) -> str | None:
    """'How much does a registered nurse earn?' -> 'registered nurse'."""
    raw = re.findall(r"[A-Za-z][A-Za-z0-9+#'/-]*", question)
    for i, word in enumerate(raw):
        if _singular_lower(word) not in ROLE_NOUNS:
            continue
        start = i
        while start > 0 and raw[start - 1].lower() not in _FILLER and len(raw[start - 1]) > 1 and i - start < 3:
            start -= 1
        return " ".join(raw[start : i + 1])
    return None


def _singular_lower(word: str) -> str:
    w = word.lower()
    return w[:-1] if w.endswith("s") and w[:-1] in ROLE_NOUNS else w


def _core(title: str) -> tuple[str, ...]:
    tokens = [t for t in role_tokens(_strip_note(title)) if t not in SENIORITY]
    return tuple(tokens) or tuple(role_tokens(title))


def _strip_note(heading: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", heading).strip()


def _names_a_role(heading: str) -> bool:
    tokens = role_tokens(_strip_note(heading))
    return bool(tokens) and tokens[-1] in ROLE_NOUNS


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    # Typos in longer words ("enginer", "analsyt") still name the role.
    return min(len(a), len(b)) >= 5 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def _suffix_match(core: tuple[str, ...], tokens: list[str]) -> int:
    """Length of the longest run in tokens equal to a suffix of core that ends with core's head noun.

    A run must hold the head noun and, when core has more than one token, at least two tokens:
    "cloud engineer" names the Senior Cloud Engineer; "engineer" alone names no role.
    """
    best = 0
    n = len(core)
    for end, token in enumerate(tokens):
        if not _similar(token, core[-1]):
            continue
        length = 1
        while length < n and end - length >= 0 and _similar(tokens[end - length], core[n - 1 - length]):
            length += 1
        if length >= min(2, n):
            best = max(best, length)
    return best


def without_role(question: str, role: str) -> str:
    """The question minus the words naming the role: once retrieval is restricted to the role, they only
    add noise (every passage of the role shares them)."""
    names = set(role_tokens(role))
    if not names:
        return question
    kept = [w for w in re.findall(r"\S+", question) if not set(role_tokens(w)) or not set(role_tokens(w)) <= names]
    return " ".join(kept) or question


def names_role(section_path: str, role: str) -> bool:
    """Whether a heading of the path names the role itself ("ML Performance Architect (Estimated)")."""
    wanted = set(role_tokens(role))
    return any(wanted <= set(role_tokens(heading)) for heading in section_path.split(" > "))
