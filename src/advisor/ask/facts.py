"""Which typed facts a question asks for: a figure question wants the units that state one ("how much" wants
the median salary first, "how fast does pay grow" the raises, "how many years" the experience asked)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..ingest.facts import HOURLY
from ..records import Query
from .intent import question_facets

PAY_ORDER = ("pay.median", "pay.average", "pay.range", "pay.top", "pay.other")
# Percentiles low to high (the median is the 50th): the first that reaches an amount asked says who makes it.
PERCENTILES = ("pay.p10", "pay.p25", "pay.median", "pay.p75", "pay.p90")
_TOP = re.compile(r"\b(top|most|max(imum)?|highest|high end|how high|ceiling|up to|90th|best[- ]paid)\b", re.I)
_GROWTH = re.compile(r"\b(raises?|increases?|grow(s|th)?|rises?|jumps?|go(es)? up|fast)\b", re.I)
_RANGE = re.compile(r"\b(range|band|bracket|between|low(est)?|min(imum)?|entry|starting|start)\b", re.I)
EXPERIENCE = re.compile(r"\b(experience|years?|how long|senior(ity)?)\b", re.I)
DEGREE = re.compile(
    r"\b(degrees?|ph\.?\s?d|doctor(ate|al)|master'?s|bachelor'?s|education|schooling|study|college|university)\b", re.I
)
CERTIFICATION = re.compile(r"\bcertif\w*|\blicen[cs]e", re.I)
# A kind of item within the requirements ("which frameworks?"): a point of the topic, not the topic as a whole.
TOOLING = re.compile(r"\b(tools?|languages?|frameworks?|librar(y|ies)|software|platforms?|stack)\b", re.I)


def aspect_words(text: str) -> set[str]:
    """The words of a question that say which figure or fact it asks ("max", "range", "years", "degree"): part
    of what it asks, not a point a document must name."""
    out: set[str] = set()
    for pattern in (_TOP, _GROWTH, _RANGE, EXPERIENCE, DEGREE, CERTIFICATION, TOOLING):
        for found in pattern.finditer(text):
            out.update(w.lower() for w in re.findall(r"[\w']+", found.group(0)))
    return out


def asks_range(query: Query) -> bool:
    return bool(_RANGE.search(query.topic or query.text))


def wanted(query: Query) -> dict[str, float]:
    """Fact kinds the question asks for, with the bonus a unit stating one gets when units are ranked."""
    text = query.topic or query.text
    out: dict[str, float] = {}
    if query.intent == "pay":
        if _GROWTH.search(text):
            out["pay.growth"] = 0.25
        if _TOP.search(text):
            out.update({"pay.top": 0.25, "pay.p90": 0.22, "pay.range": 0.15})
        if _RANGE.search(text):
            out.update({"pay.range": 0.25, "pay.p10": 0.18})
        if not out and question_facets(text) & {"benefits"}:
            return out  # "do they get equity?": no salary figure answers it
        if not out and query.form == "yes-no":
            # "Can I make six figures?": the range says whether a figure is in reach.
            out = {"pay.range": 0.25, "pay.median": 0.22, "pay.average": 0.2, "pay.top": 0.16, "pay.other": 0.1}
        if not out:
            # "How much does it pay?": the median first, then the average, the range and the top end.
            out = {"pay.median": 0.25, "pay.average": 0.22, "pay.range": 0.2, "pay.top": 0.16, "pay.other": 0.1}
        if asks_hourly(query):
            # "How much an hour?": the same figures per hour; a yearly figure does not answer it.
            out = {hourly(k): v for k, v in out.items()}
    if EXPERIENCE.search(text) and query.intent in ("requirements", "other"):
        out["experience.years"] = 0.2
    if DEGREE.search(text):
        out.update({k: 0.15 for k in ("education.doctorate", "education.master", "education.bachelor")})
    if CERTIFICATION.search(text):
        out["certification"] = 0.15
    return out


def figure_asked(query: Query) -> tuple[str, tuple[str, ...]] | None:
    """The figure a question asks for, in words, and the fact kinds that state it, best first: "how many years
    of experience" wants an experience.years fact; "how much does it pay" or "what does it pay" a pay figure
    (the median first); "how fast does pay grow" the raises."""
    topic = query.topic or query.text
    direct = query.form in ("how-much", "how-many") or not query.terms
    if query.intent == "pay" and direct and not question_facets(topic) & {"benefits"}:
        bonuses = wanted(query)
        kinds = tuple(sorted((k for k in bonuses if k.startswith("pay.")), key=lambda k: -bonuses[k]))
        if "pay.growth" in kinds:
            return "how much pay grows", kinds
        if asks_hourly(query):
            return "an hourly wage", kinds
        # Where only hourly figures are published (actors), they are what the document gives, after any yearly one.
        return "a salary figure", kinds + tuple(hourly(k) for k in kinds if k != "pay.other")
    if EXPERIENCE.search(topic) and query.intent in ("requirements", "other") and direct:
        return "how many years of experience it takes", ("experience.years",)
    return None


def asks_hourly(query: Query) -> bool:
    """ "How much an hour?", "hourly rate": the question wants figures per hour."""
    return bool(HOURLY.search(query.topic or query.text) or HOURLY.search(query.text))


def hourly(kind: str) -> str:
    """A pay kind's hourly counterpart: "pay.median" -> "pay.hourly.median"."""
    return kind if kind.startswith("pay.hourly.") else f"pay.hourly.{kind[4:]}"


def crossing(amount: float, figures: Mapping[str, float], per_hour: bool) -> str | None:
    """The percentile kind whose figure first reaches the amount asked ("can I make six figures?": the 75th
    percentile, $107,000), else the highest there is (the top earners fall short); None without percentiles."""
    kinds = [hourly(k) if per_hour else k for k in PERCENTILES]
    stated = [k for k in kinds if k in figures]
    reached = [k for k in stated if figures[k] >= amount]
    return reached[0] if reached else (stated[-1] if stated else None)


_LABELS = {
    "pay.median": "Median pay",
    "pay.average": "Average pay",
    "pay.range": "Pay range",
    "pay.top": "Top pay",
    "pay.growth": "Pay growth",
    "pay.other": "Pay",
    "demand.growth": "Demand",
    "experience.years": "Years of experience",
    "education.field": "Field of study",
    "certification": "Certifications and licenses",
    "named": "Skills and tools",
}


def kind_label(kind: str) -> str:
    """A fact kind in words: "pay.p90" -> "90th percentile pay", "education.master" -> "Degree: master's"."""
    if kind in _LABELS:
        return _LABELS[kind]
    if kind.startswith("pay.hourly."):
        return "Hourly " + kind_label("pay." + kind[len("pay.hourly.") :]).lower()
    if kind.startswith("pay.p"):
        return f"{kind[5:]}th percentile pay"
    if kind.startswith("education."):
        level = kind.split(".", 1)[1]
        return "Degree: " + {"doctorate": "doctorate (Ph.D.)", "high school": "high school diploma"}.get(
            level, f"{level}'s" if level in ("master", "bachelor", "associate") else level
        )
    return kind
