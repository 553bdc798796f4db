"""Typed facts read off answer units: what makes a pay figure, a number of years, a degree, a certification or a
named tool is the unit's context as well as its words."""

from __future__ import annotations

from advisor.ingest.facts import unit_facts
from advisor.records import Fact, Unit


def _unit(text: str, section: tuple[str, ...] = ("Requirements",), label: str = "") -> Unit:
    return Unit(
        id=text[:20],
        doc_id="d",
        role="Harbor Pilot",
        source="pilot.md",
        section=section,
        label=label,
        text=text,
        start=0,
        end=len(text),
        chunk_id="c",
        kind="item",
    )


def _facts(*units: Unit) -> list[Fact]:
    return unit_facts(units)


def test_pay_figures_by_kind_and_only_in_a_pay_context() -> None:
    facts = _facts(
        _unit("$150,000", ("Salary",), "Median Salary"),
        _unit("$110,000 - $210,000", ("Salary",), "Salary Range"),
        _unit("Up to $260,000 at the busiest ports", ("Salary",), "Top End"),
        _unit("Annual increases typically range from 3% to 5%", ("Salary", "Salary Growth")),
        _unit("Manage budgets of $5 million for the port", ("Responsibilities",)),
    )
    kinds = [(f.kind, f.low, f.high) for f in facts]
    assert ("pay.median", 150_000.0, 150_000.0) in kinds
    assert ("pay.range", 110_000.0, 210_000.0) in kinds
    assert ("pay.top", 260_000.0, 260_000.0) in kinds
    assert ("pay.growth", 3.0, 5.0) in kinds
    assert not any(f.value.startswith("Manage budgets") for f in facts)


def test_years_of_experience_not_years_of_pay_growth() -> None:
    facts = _facts(
        _unit("Typically 8+ years of experience as a ship master"),
        _unit("Rapid salary growth in the first 5-10 years of career", ("Salary", "Salary Growth")),
    )
    years = [(f.low, f.high) for f in facts if f.kind == "experience.years"]
    assert years == [(8.0, None)]


def test_degrees_with_how_firmly_they_are_asked_for() -> None:
    facts = _facts(
        _unit("A bachelor's degree in marine transportation is required"),
        _unit("Master's degree often preferred"),
        _unit("Advanced degrees (Ph.D.) can lead to higher starting salaries", ("Salary", "Factors"), "Education"),
    )
    degrees = {(f.kind, f.qualifier) for f in facts if f.kind.startswith("education.") and f.kind != "education.field"}
    assert degrees == {("education.bachelor", "required"), ("education.master", "preferred")}


def test_names_of_tools_and_languages_wherever_a_skill_line_says_them() -> None:
    facts = _facts(
        _unit("Strong command of C++ and Python, with experience in frameworks like TensorFlow or PyTorch"),
        _unit("Typically 10+ years as a Harbor Pilot in Senior roles"),
    )
    names = {f.value for f in facts if f.kind == "named"}
    assert names == {"C++", "Python", "TensorFlow", "PyTorch"}  # not "10+", "Senior" or the role's own title


def test_certifications_and_licenses() -> None:
    facts = _facts(_unit("A pilot license issued by the port authority is required"))
    assert [(f.kind, f.qualifier) for f in facts] == [("certification", "required")]
