"""Which pay figures a question asks for: per hour or per year, the top, the range, an amount and the percentile
that reaches it; and how the importer's pay lines are typed."""

from __future__ import annotations

import pytest

from advisor.ask.facts import crossing, hourly, kind_label
from advisor.ask.intent import question_intent
from advisor.ask.questions import asked_amount, spelled_out
from advisor.ingest.facts import _pay_kind

FIGURES = {"pay.p25": 64_660.0, "pay.median": 81_680.0, "pay.p75": 106_450.0, "pay.p90": 141_420.0}


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Annual median wage: $81,680 a year", "pay.median"),
        ("Annual mean wage: $93,520 a year", "pay.average"),
        ("Annual wage range: $52,780 (10th percentile) to $141,420 (90th percentile) a year", "pay.range"),
        ("90th percentile annual wage: $141,420 a year", "pay.p90"),
        ("Hourly median wage: $39.27 an hour", "pay.hourly.median"),
        ("Hourly wage range: $25.38 (10th percentile) to $67.99 (90th percentile) an hour", "pay.hourly.range"),
        ("Salary Range: $150,000 - $230,000", "pay.range"),
    ],
)
def test_pay_lines_are_typed_by_measure_and_period(line: str, kind: str) -> None:
    assert _pay_kind(line, line.count("$")) == kind


def test_the_percentile_that_first_reaches_the_amount() -> None:
    assert crossing(100_000, FIGURES, per_hour=False) == "pay.p75"
    assert crossing(50_000, FIGURES, per_hour=False) == "pay.p25"
    assert crossing(200_000, FIGURES, per_hour=False) == "pay.p90"  # none does: the top earners' figure
    assert crossing(30, {"pay.hourly.median": 39.27}, per_hour=True) == "pay.hourly.median"
    assert crossing(30, FIGURES, per_hour=True) is None  # yearly figures say nothing about an hourly amount


@pytest.mark.parametrize(
    ("question", "amount"),
    [
        ("can I make six figures as a nurse?", 100_000),
        ("can physician assistants make 6 figures", 100_000),
        ("could a head chef make over 100 grand", 100_000),
        ("computer systems analyst 100k possible?", 100_000),
        ("can I make $30 an hour as a nurse?", 30),
    ],
)
def test_amounts_asked_make_pay_questions(question: str, amount: float) -> None:
    assert asked_amount(question) == amount and question_intent(question) == "pay"


def test_hourly_kinds_and_their_labels() -> None:
    assert hourly("pay.p90") == "pay.hourly.p90" and hourly("pay.hourly.p90") == "pay.hourly.p90"
    assert kind_label("pay.hourly.median") == "Hourly median pay"
    assert spelled_out("security guards hrly pay") == "security guards hourly pay"
    assert question_intent("what do segmental pavers make?") == "pay"
