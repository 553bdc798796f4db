from __future__ import annotations

from advisor import Advisor
from advisor.quality.evaluation import DEFAULT_QUESTIONS, METRICS, evaluate, load_cases

from ..conftest import ROOT


def test_question_set_is_broad_enough() -> None:
    suite = load_cases(ROOT / DEFAULT_QUESTIONS)
    assert len(suite.cases) >= 40
    assert sum(c.abstain for c in suite.cases) >= 8
    assert sum(bool(c.history) for c in suite.cases) >= 4
    roles = {c.role for c in suite.cases}
    assert {
        "ML Performance Architect",
        "Senior Cloud Engineer",
        "Senior Credit Risk Analyst",
        "Senior Computer Vision Engineer",
        "Senior Communications Systems Engineer",
    } <= roles
    assert all(suite.thresholds.get(m, 0) >= 0.8 for m in METRICS)


def test_eval_meets_its_thresholds(advisor: Advisor) -> None:
    suite = load_cases(ROOT / DEFAULT_QUESTIONS)
    result = evaluate(advisor, suite)
    assert result.passed, result.format()
