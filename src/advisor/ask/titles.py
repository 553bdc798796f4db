"""Title words as role resolution compares them: one spelling for a word's singular and plural ("nannies",
"coaches", "RNs"), and the shorthands the titles themselves pair with full words ("Diesel Tech (Diesel
Technician)" says tech is short for technician), so a title typed either way finds the same key."""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from ..text.lexical import role_tokens

# A shorthand is learnt from this many titles that give both forms: one odd pair is no convention.
MIN_PAIRS = 2
# Keys made from one title by writing its words short: enough for "vet tech", few enough to stay small.
MAX_SHORT_FORMS = 8
_SPELLED_TWICE = re.compile(r"(.*?)\s*\(([^)]*)\)\s*$")


def base_form(token: str) -> str:
    """The one spelling of a singular and its plural: role_tokens leaves "nannie" for "nannies" and "coache"
    for "coaches"; both sides of a comparison go through here, so only consistency matters."""
    if len(token) > 4 and token.endswith("ie"):
        return token[:-2] + "y"
    if token.endswith(("che", "she", "xe", "sse", "zze")):
        return token[:-1]
    return token


def title_words(text: str) -> tuple[str, ...]:
    """Normalized words of a title or question, for matching titles."""
    return tuple(base_form(t) for t in role_tokens(text))


def spelled_forms(name: str) -> list[str]:
    """A title and the other form it gives in brackets ("Diesel Technician (Diesel Tech)"), both titles."""
    found = _SPELLED_TWICE.fullmatch(name.strip())
    if found is None:
        return [name]
    return [found.group(1), found.group(2)]


def learn_shorthands(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Full word -> the shorter words titles write for it, learnt from titles given in two forms that differ in
    one word: "Diesel Mechanic Tech (Diesel Mechanic Technician)" pairs tech with technician."""
    pairs: Counter[tuple[str, str]] = Counter()
    for name in names:
        forms = spelled_forms(name)
        if len(forms) != 2:
            continue
        one, other = title_words(forms[0]), title_words(forms[1])
        if len(one) != len(other):
            continue
        differ = [(a, b) for a, b in zip(one, other, strict=True) if a != b]
        if len(differ) == 1:
            short, full = sorted(differ[0], key=len)
            if 2 <= len(short) < len(full):
                pairs[(short, full)] += 1
    out: dict[str, list[str]] = defaultdict(list)
    for (short, full), seen in pairs.items():
        if seen >= MIN_PAIRS:
            out[full].append(short)
    return {full: tuple(sorted(shorts)) for full, shorts in out.items()}


def both_ways(shorthands: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Each word -> the other ways titles write it: the shorthands of a full word, the full words of a shorthand
    (O*NET lists "HVAC Tech" but people also type "HVAC technician")."""
    out: dict[str, list[str]] = defaultdict(list)
    for full, shorts in shorthands.items():
        out[full].extend(shorts)
        for short in shorts:
            out[short].append(full)
    return {word: tuple(sorted(set(others))) for word, others in out.items()}


def short_forms(key: tuple[str, ...], spellings: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The key written with the other spellings of some of its words ("veterinary technician" -> "vet tech",
    "vet technician", "veterinary tech"; "hvac tech" -> "hvac technician"), the key itself excluded."""
    choices = [(word, *spellings.get(word, ())) for word in key]
    if all(len(c) == 1 for c in choices):
        return []
    forms = itertools.islice(itertools.product(*choices), 1, MAX_SHORT_FORMS + 1)
    return [form for form in forms if form != key]
