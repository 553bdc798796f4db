"""Typed facts a role document states, read off its answer units with their figures: pay (median, range, top
end, average, percentiles, growth), years of experience, degree levels, certifications, named tools and
languages, demand figures. Each fact keeps the unit it comes from, so an answer quotes and cites the document.

What makes a fact is the unit's context (its headings and lead-in) and a figure or a degree name in its
words: "$5 million budgets" under Responsibilities is not pay, "5-10 years" under Salary Growth is not
experience.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..records import Fact, Unit
from ..text.lexical import role_tokens

_PAY_CONTEXT = re.compile(r"salar|compensation|\bpay\b|wage|earning|income|benefit|perk|bonus", re.I)
_DEMAND_CONTEXT = re.compile(r"demand|outlook|market|growth|trend|hiring", re.I)
_EXPERIENCE_CONTEXT = re.compile(r"experience|qualification|requirement|background|skills", re.I)
_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)(\s?[kKmM]\b)?")
# "$23.33 an hour", "hourly wage", "hrly", "$30/hr": a figure per hour, not per year.
HOURLY = re.compile(r"\bhourly\b|\bhrly\b|\b(?:an|per|a|each) (?:hour|hr)\b|/\s?(?:hour|hr)\b", re.I)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?%")
_YEARS = re.compile(
    r"(?:(?P<word>minimum of|at least|up to|over)\s+)?(?P<low>\d{1,2})\s*(?P<plus>\+)?\s*"
    r"(?:(?:-|–|to)\s*(?P<high>\d{1,2})\s*)?(?:\+\s*)?(?:years?|yrs?)\b",
    re.I,
)
_DEGREES = (
    ("doctorate", re.compile(r"\bph\.?\s?d\b|\bdoctor(?:al|ate)\b", re.I)),
    ("master", re.compile(r"\bmaster'?s\b|\bmsc\b|\bm\.s\.", re.I)),
    ("bachelor", re.compile(r"\bbachelor'?s\b|\bfour-year (?:college )?degree\b|\bb\.s\.", re.I)),
    ("associate", re.compile(r"\bassociate'?s degree\b", re.I)),
    ("certificate", re.compile(r"\bpost-secondary certificate\b", re.I)),
    ("high school", re.compile(r"\bhigh school\b", re.I)),
)
_PREFERRED = re.compile(
    r"\bpreferred\b|\bplus\b|\bmay be acceptable\b|\bin some cases\b|\bsometimes\b|\boptional\b", re.I
)
_REQUIRED = re.compile(r"\brequire[sd]?\b|\brequirement|\bmust\b|\bneeded\b|\bmost positions\b", re.I)
_CERTIFICATION = re.compile(r"\bcertifications?\b|\blicen[cs]e[sd]?\b", re.I)
_REQUIREMENT_CONTEXT = re.compile(r"require|qualif|skill|educat|career|certif|background|expertise", re.I)
# "languages such as Bash, PowerShell, and Python", "frameworks like TensorFlow or PyTorch", "(e.g., AWS, Azure)"
_NAMED_LIST = re.compile(r"\b(?:such as|like|e\.g\.,?|including|in)\s+((?:[^.;:()]|\([^)]*\))+)", re.I)
_NAME = re.compile(r"^(?:[A-Z][\w.+#/-]*|[a-z]+[A-Z][\w.+#/-]*|[\w.+#/-]*[+#][\w.+#/-]*)(?:\s[A-Z][\w.+#/-]*){0,2}$")
_SKILL_WORDS = re.compile(
    r"\b(proficien\w*|command of|knowledge of|familiar\w*|expertise|experience (with|in))\b", re.I
)
_NOT_NAMES = frozenset(
    """Computer Science Engineering Bachelor Master Ph.D. The This These Strong Proficiency Senior Junior Lead
    Principal Staff Chief""".split()
)


DEGREE_RANK = {level: rank for rank, (level, _pattern) in enumerate(reversed(_DEGREES))}  # high school 0 .. doctorate 5


def degree_levels(text: str) -> set[str]:
    """The degree levels a text names ("doctorate", "master", "bachelor", ...)."""
    return {level for level, pattern in _DEGREES if pattern.search(text)}


def unit_facts(units: Iterable[Unit]) -> list[Fact]:
    """The facts the units state, in unit order."""
    return [fact for unit in units for fact in _facts(unit)]


def _facts(unit: Unit) -> Iterator[Fact]:
    context = " ".join((*unit.section, unit.label))
    full = f"{unit.label}: {unit.text}" if unit.label else unit.text
    money = [_amount(m) for m in _MONEY.finditer(unit.text)]
    if money and (_PAY_CONTEXT.search(context) or _PAY_CONTEXT.search(unit.text)):
        yield _fact(unit, _pay_kind(full, len(money)), min(money), max(money))
        return
    if _PERCENT.search(unit.text):
        percents = [float(m.group(1)) for m in _PERCENT.finditer(unit.text)]
        if _PAY_CONTEXT.search(context) and re.search(r"increase|raise|growth|jump", full, re.I):
            yield _fact(unit, "pay.growth", min(percents), max(percents))
        elif _DEMAND_CONTEXT.search(context) and re.search(r"growth|demand|increase", full, re.I):
            yield _fact(unit, "demand.growth", min(percents), max(percents))
    if not _PAY_CONTEXT.search(context):
        years = _YEARS.search(unit.text)
        about_experience = re.search(r"experience|years in|years of", full, re.I) or (
            _EXPERIENCE_CONTEXT.search(context) and re.search(r"experience", context, re.I)
        )
        if years and about_experience:
            low = float(years.group("low"))
            high = float(years.group("high")) if years.group("high") else None
            if years.group("word") and years.group("word").lower() == "up to":
                low, high = 0.0, low
            yield _fact(unit, "experience.years", low, high)
    degrees = False
    for level, pattern in _DEGREES:
        found = pattern.search(unit.text)
        # "Advanced degrees (Ph.D.) can lead to higher starting salaries" says what pays, not what is required.
        if found and not _PAY_CONTEXT.search(context):
            degrees = True
            yield _fact(unit, f"education.{level}", qualifier=_qualifier(_clause(unit, found.start())))
    certification = _CERTIFICATION.search(full)
    if certification and not money and (_REQUIREMENT_CONTEXT.search(context) or "certification" in full.lower()):
        yield _fact(unit, "certification", qualifier=_qualifier(full))
    if _PAY_CONTEXT.search(context):
        return  # places and sectors that pay more are not skills
    skills = bool(_REQUIREMENT_CONTEXT.search(context) or _SKILL_WORDS.search(unit.text))
    title = set(role_tokens(unit.role))
    for name in _named_items(unit.text, anywhere=skills):
        if set(role_tokens(name)) <= title or not re.search(r"[A-Za-z]", name):
            continue  # the role's own title, or a figure ("5+")
        if any(pattern.search(name) for _level, pattern in _DEGREES):
            continue
        # In a sentence about degrees, the names are fields of study ("in Computer Science, Robotics").
        yield Fact(unit.id, unit.role, "education.field" if degrees else "named", name)


def _fact(unit: Unit, kind: str, low: float | None = None, high: float | None = None, qualifier: str = "") -> Fact:
    value = f"{unit.label}: {unit.text}" if unit.label and len(unit.label.split()) <= 5 else unit.text
    return Fact(unit.id, unit.role, kind, value, low, high, qualifier)


def _pay_kind(text: str, figures: int) -> str:
    """pay.median, pay.p90, pay.range, ...; pay.hourly.median, ... for hourly figures, which are never compared
    with yearly ones."""
    kind = _pay_measure(text.lower(), figures)
    return f"pay.hourly.{kind[4:]}" if HOURLY.search(text) else kind


def _pay_measure(lowered: str, figures: int) -> str:
    if figures > 1 and re.search(r"\brange\b", lowered):
        return "pay.range"  # "Wage range: $52,780 (10th percentile) to $141,420 (90th percentile)"
    percentile = re.search(r"(\d+)(?:st|nd|rd|th) percentile", lowered)
    if percentile:
        return f"pay.p{percentile.group(1)}"
    for word, kind in (
        ("median", "pay.median"),
        ("top", "pay.top"),
        ("up to", "pay.top"),
        ("average", "pay.average"),
        ("mean", "pay.average"),
        ("range", "pay.range"),
        ("ranging", "pay.range"),
    ):
        if word in lowered:
            return kind
    return "pay.range" if figures > 1 else "pay.other"


def amounts(text: str) -> list[float]:
    """The dollar figures a text states ("$150k" 150,000)."""
    return [_amount(m) for m in _MONEY.finditer(text)]


def _amount(match: re.Match[str]) -> float:
    value = float(match.group(1).replace(",", ""))
    suffix = (match.group(2) or "").strip().lower()
    return value * (1_000 if suffix == "k" else 1_000_000 if suffix == "m" else 1)


def _clause(unit: Unit, position: int) -> str:
    """The words that qualify a mention: its parenthesis when it stands in one, else the text outside any
    parenthesis, with the lead-in ("Most positions require: a bachelor's degree (master's often preferred)")."""
    text = unit.text
    opened = text.rfind("(", 0, position)
    if opened != -1 and text.find(")", opened) > position:
        return text[opened : text.find(")", opened) + 1]
    outside = re.sub(r"\([^)]*\)", "", text)
    return f"{unit.label}: {outside}" if unit.label else outside


def _qualifier(text: str) -> str:
    if _PREFERRED.search(text):
        return "preferred"
    return "required" if _REQUIRED.search(text) else ""


def _named_items(text: str, anywhere: bool = False) -> Iterator[str]:
    """Tools, languages and platforms a sentence names in a list ("such as Bash, PowerShell, and Python"), and,
    where the sentence is about skills (anywhere), any name it uses ("a strong command of C++ and Python")."""
    seen: set[str] = set()
    spans = [m.group(1) for m in _NAMED_LIST.finditer(text)]
    if anywhere:
        # Every word but the first: a capital there only starts the sentence.
        spans.append(text.split(" ", 1)[1] if " " in text else "")
    for span in spans:
        for item in re.split(r",\s*|\s+(?:and|or|with|in|of|for|to|using)\s+|\(|\)|;|:", span):
            for name in _names_in(item.strip().removeprefix("and ").removeprefix("or ").strip(" .")):
                if name not in seen:
                    seen.add(name)
                    yield name


def _names_in(item: str) -> Iterator[str]:
    """The item itself when it is a name, else the names inside it ("deep learning frameworks TensorFlow")."""
    if not item:
        return
    if item.split()[0] not in _NOT_NAMES and _NAME.match(item):
        yield item
        return
    for word in re.findall(r"[\w.+#/-]+", item):
        word = word.strip(".")
        if word and word not in _NOT_NAMES and _NAME.match(word) and not word.isdigit() and len(word) > 1:
            yield word
