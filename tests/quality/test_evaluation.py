from __future__ import annotations

from collections import Counter

import pytest

from advisor import Advisor
from advisor.quality.evaluation import METRICS, PARTS, Case, evaluate, format_parts, load_cases
from advisor.quality.evaluation import _judge as judge
from advisor.records import Answer, Citation

from ..conftest import ROOT

ROLES = {
    "ML Performance Architect",
    "Senior Cloud Engineer",
    "Senior Credit Risk Analyst",
    "Senior Computer Vision Engineer",
    "Senior Communications Systems Engineer",
}
KINDS = {"pay", "requirements", "responsibilities", "growth", "gap", "comparison", "common", "follow-up"}


@pytest.mark.parametrize("part", sorted(PARTS))
def test_each_part_is_broad_enough(part: str) -> None:
    suite = load_cases(ROOT / PARTS[part])
    kinds = Counter(c.kind for c in suite.cases)
    assert len(suite.cases) >= 100
    assert all(kinds[k] >= 4 for k in KINDS), kinds
    assert sum(c.abstain for c in suite.cases) >= 8 and sum(bool(c.history) for c in suite.cases) >= 15
    assert {c.role for c in suite.cases} >= ROLES
    assert {"typo", "shorthand", "casual"} <= {c.style for c in suite.cases}
    assert all(suite.thresholds.get(m, 0) > 0 for m in METRICS)


def test_the_parts_ask_different_questions() -> None:
    dev, test = ({c.question.lower() for c in load_cases(ROOT / PARTS[p]).cases} for p in ("dev", "test"))
    assert len(dev) + len(test) >= 200 and not dev & test


def test_eval_meets_its_thresholds(advisor: Advisor) -> None:
    results = {part: evaluate(advisor, load_cases(ROOT / path)) for part, path in PARTS.items()}
    assert all(r.passed for r in results.values()), format_parts(results)


def _answer(text: str, section: str = "Pay", passage: str = "- **Median**: $10") -> Answer:
    citation = Citation(1, "c1", "Role", section, "role.md", passage, 1.0)
    return Answer(text, (citation,), "Role", "pay", False)


def _judge(case: Case, answer: Answer) -> list[str]:
    return list(judge(case, answer, 1, 5).problems)


def test_a_fact_may_be_stated_in_any_of_its_wordings_and_the_passage_without_emphasis() -> None:
    case = Case("c", "q", facts=(("5+ years", "minimum of 5 years"),), cites=(("Pay", "Median: $10"),))
    assert _judge(case, _answer("Typically, a minimum of 5 years [1]")) == []
    assert _judge(case, _answer("Some say 4 years [1]")) == ["missing facts: ['5+ years']"]


def test_saying_a_point_is_not_mentioned_does_not_count_as_stating_it() -> None:
    case = Case("g", "q", gap=True, forbidden=("Python",))
    assert _judge(case, _answer("The Role document does not mention Python. It covers: Pay.")) == []
    assert _judge(case, _answer("Yes, Python [1]"))[-1] == "states what it must not: ['Python']"


def test_a_cited_section_is_read_under_its_role_as_the_reader_sees_it() -> None:
    # A document with no headings of its own is cited as "Role > Introduction": its title names the section.
    case = Case("s", "q", cites=(("Role", "Median: $10"),))
    assert _judge(case, _answer("It is $10 [1]", section="Introduction")) == []
    elsewhere = Case("s", "q", cites=(("Benefits", "Median: $10"),))
    assert "does not cite" in _judge(elsewhere, _answer("It is $10 [1]", section="Introduction"))[-1]
