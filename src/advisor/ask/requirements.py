"""Requirement points: what a role's document asks (as typed facts, each with the unit that states it) against
what a person said. A point is "matches" (their background meets it: a higher degree meets a lower one),
"missing" (it does not: a lower degree, fewer years) or "not known" (the document asks it and they did not say);
pure functions over facts and a profile, no model."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..records import Fact, Unit
from ..text.lexical import content_stems
from .evidence import Evidence
from .profile import LEVEL_WORDS, LEVELS, Profile

MATCHES, MISSING, NOT_KNOWN = "matches", "missing", "not known"
MAX_NAMED = 5  # tools a document names that the person did not mention, listed at most
UNSAID = "you did not mention "
# Words any field of study has: "engineering" alone does not make electrical and civil engineering alike.
# Names in a degree line that are kinds of schooling, not fields ("Post-Doctoral Training", "Some College Courses").
_LEVELISH = re.compile(
    r"\b(?:degree|training|certificate|diploma|school|college|courses?|doctoral|master|bachelor)", re.I
)
GENERIC = frozenset(content_stems("degree field related science studies engineering major technical relevant"))


@dataclass(frozen=True)
class Point:
    status: str  # matches | missing | not known
    aspect: str  # degree | preferred degree | field of study | experience | skills | certification | title | work
    position: int  # the unit that states the requirement
    note: str = ""  # how the person's background compares ("you said 3"), "" when the quote says it all
    weight: float = 1.0  # how much of its aspect's bonus it earns (a title several roles have: a share)


def _level(kind: str) -> str:
    return kind.split(".", 1)[1]


def degree_points(profile: Profile, facts: Sequence[tuple[int, Fact]]) -> list[Point]:
    """The degree the document asks first (the lowest level it names there: "Bachelor's or Master's" asks a
    bachelor's), and a higher one it prefers; compared with the person's highest degree."""
    stated = [(i, f) for i, f in facts if f.kind.startswith("education.") and f.kind != "education.field"]
    if not stated:
        return []
    firm = [(i, f) for i, f in stated if f.qualifier != "preferred"]
    principal_unit = (firm or stated)[0][0]
    asked = min((_level(f.kind) for i, f in (firm or stated) if i == principal_unit), key=LEVELS.index)
    # A unit that prefers "a master's or Ph.D." prefers a master's: the lowest level it names.
    lowest: dict[int, str] = {}
    for i, f in stated:
        if f.qualifier == "preferred":
            lowest[i] = min(lowest.get(i, "doctorate"), _level(f.kind), key=LEVELS.index)
    preferred = [(i, level) for i, level in lowest.items() if LEVELS.index(level) > LEVELS.index(asked)]
    have = profile.level
    out = []
    for aspect, position, level in [
        ("degree", principal_unit, asked),
        *([("preferred degree", *max(preferred, key=lambda item: LEVELS.index(item[1])))] if preferred else []),
    ]:
        if have is None:
            out.append(Point(NOT_KNOWN, aspect, position, "you did not say your degree"))
        elif LEVELS.index(have) >= LEVELS.index(level):
            said = LEVEL_WORDS[have] if profile.level_said else "a degree"
            out.append(Point(MATCHES, aspect, position, f"you have {said}"))
        elif not profile.level_said:
            out.append(Point(NOT_KNOWN, aspect, position, "you did not say which degree you have"))
        else:
            asks = "prefers" if aspect == "preferred degree" else "asks for"
            out.append(Point(MISSING, aspect, position, f"{asks} {LEVEL_WORDS[level]}; you have {LEVEL_WORDS[have]}"))
    return out


def field_points(profile: Profile, facts: Sequence[tuple[int, Fact]], evidence: Evidence) -> list[Point]:
    """A field the person studied that the document's degree lines name; a field they name that the person's
    is not is not known to count (documents say "or a related field")."""
    fields = profile.fields
    degree_units = list(dict.fromkeys(i for i, f in facts if f.kind.startswith("education.")))
    if not fields or not degree_units:
        return []
    for field_ in fields:
        wanted = content_stems(field_) - GENERIC or content_stems(field_)
        for i in degree_units:
            if wanted and wanted <= evidence.stems[i]:
                return [Point(MATCHES, "field of study", i, f"you studied {field_}")]
    named = [
        i
        for i in degree_units
        if any(f.kind == "education.field" and not _LEVELISH.search(f.value) for j, f in facts if j == i)
    ]
    if named:
        said = " or ".join(fields)
        return [Point(NOT_KNOWN, "field of study", named[0], f"the document does not say whether {said} counts")]
    return []


def experience_points(profile: Profile, facts: Sequence[tuple[int, Fact]], evidence: Evidence) -> list[Point]:
    years = [(i, f) for i, f in facts if f.kind == "experience.years" and f.low is not None]
    if not years:
        return []
    i, fact = years[0]
    asked = fact.low or 0.0
    if profile.years is None:
        return [Point(NOT_KNOWN, "experience", i, "you did not say how many years")]
    if profile.years >= asked:
        return [Point(MATCHES, "experience", i, f"you said {profile.years:g} years")]
    return [Point(MISSING, "experience", i, f"{asked:g}+ years asked; you said {profile.years:g}")]


def skill_points(
    profile: Profile, facts: Sequence[tuple[int, Fact]], evidence: Evidence, positions: np.ndarray
) -> list[Point]:
    """The person's skills the document names (a named tool, or the words of the skill in a line about the
    work), and the tools it names that they did not mention."""
    named = [(i, f) for i, f in facts if f.kind == "named"]
    said = {s.lower(): s for s in profile.skills}
    matched: dict[int, list[str]] = {}
    found: set[str] = set()
    for i, fact in named:
        if fact.value.lower() in said and fact.value.lower() not in found:
            matched.setdefault(i, []).append(said[fact.value.lower()])
            found.add(fact.value.lower())
    for skill in profile.skills:
        if skill.lower() in found:
            continue
        stems = content_stems(skill)
        if not stems:
            continue
        where = next((i for i in positions.tolist() if stems <= evidence.stems[i]), None)
        if where is not None and _says_word(evidence.units[where], skill):
            matched.setdefault(where, []).append(skill)
            found.add(skill.lower())
    out = [Point(MATCHES, "skills", i, "you named " + ", ".join(dict.fromkeys(names))) for i, names in matched.items()]
    unsaid: dict[int, list[str]] = {}
    # "an AWS certification" mentions AWS: it is not a tool they did not mention.
    held = " ".join(profile.certifications).lower()
    for i, fact in named:
        if re.search(rf"(?<!\w){re.escape(fact.value.lower())}(?!\w)", held):
            continue
        if fact.value.lower() not in found and sum(len(v) for v in unsaid.values()) < MAX_NAMED:
            unsaid.setdefault(i, []).append(fact.value)
    for i, names in unsaid.items():
        out.append(Point(NOT_KNOWN, "skills", i, UNSAID + ", ".join(dict.fromkeys(names))))
    return out


def _says_word(unit: Unit, skill: str) -> bool:
    """The skill's words in the unit as words ("R" is not the r in "for")."""
    if len(skill) > 3:
        return True
    return bool(re.search(rf"(?<![\w+#]){re.escape(skill)}(?![\w+#])", unit.text, re.I))


def certification_points(profile: Profile, facts: Sequence[tuple[int, Fact]], evidence: Evidence) -> list[Point]:
    stated = [(i, f) for i, f in facts if f.kind == "certification"]
    if not stated:
        return []
    for cert in profile.certifications:
        stems = content_stems(cert)
        for i, _f in stated:
            if stems and stems <= evidence.stems[i]:
                return [Point(MATCHES, "certification", i, f"you hold {cert}")]
    i = stated[0][0]
    said = f"you named {', '.join(profile.certifications)}" if profile.certifications else "you did not mention any"
    return [Point(NOT_KNOWN, "certification", i, said)]
