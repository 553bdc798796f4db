"""What answers say, on hand-made role documents indexed with the fake embedder (word overlap stands in for
meaning): the figure asked leads, the rule before its exception, a list question gets its list, a point a
document never names is said to be missing (and who does name it), a missing number is said to be missing,
and lines about the document itself or summing it up are never the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import Advisor
from advisor.indexing.build import build

from ..conftest import make_settings
from ..fakes import FakeEmbedder

PILOT = """---
role: Harbor Pilot
---
# Harbor Pilot

## Overview

Harbor pilots guide large ships through busy harbors and narrow channels.

## Responsibilities

- Guide ships safely through harbors and channels
- Manage budgets of $5 million for the port authority
- Train junior pilots on local waters

## Requirements

### Experience

- Typically 8+ years of experience as a ship master
- Some ports may consider candidates with 5+ years of sea time

### Education and Licenses

- A bachelor's degree in marine transportation
- A pilot license issued by the port authority is required

## Salary

- Median Salary: $150,000
- Salary Range: $110,000 - $210,000
- Top End: Up to $260,000 at the busiest ports

These estimates are based on port authority surveys.

## Common Challenges

Harbor pilots face several challenges at work. Here are the main ones:

### Weather

- Storms and fog make boarding a ship dangerous

### Fatigue

- Long night shifts wear pilots down

By meeting these challenges, pilots keep the harbor safe.

## Source and License

Adapted from a public occupation page. Used under the CC BY 4.0 license.
"""

KEEPER = """---
role: Lighthouse Keeper
---
# Lighthouse Keeper

## Duties

- Keep the lamp lit through every night
- Log passing ships and the weather in the station book
- Use Python scripts to record the weather readings

## Requirements

- Experience with small boats and radio work
- A high school diploma
"""


@pytest.fixture(scope="module")
def advisor(tmp_path_factory: pytest.TempPathFactory) -> Advisor:
    corpus = tmp_path_factory.mktemp("roles")
    (corpus / "harbor-pilot.md").write_text(PILOT, encoding="utf-8")
    (corpus / "lighthouse-keeper.md").write_text(KEEPER, encoding="utf-8")
    fake = FakeEmbedder()
    settings = make_settings(Path(corpus), tmp_path_factory.mktemp("index"))
    build(settings, embedder=fake)
    return Advisor.load(settings=settings, embedder=fake)


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_a_pay_question_leads_with_the_median_and_cites_it(advisor: Advisor) -> None:
    answer = advisor.ask("How much does a harbor pilot make?")
    first = _lines(answer.text)[0]
    assert "Median Salary: $150,000 [1]" in first
    assert answer.citations[0].section == "Salary"
    assert answer.citations[0].text[slice(*answer.citations[0].sentences[0])] == "$150,000"  # the span quoted


def test_the_top_end_is_what_a_question_about_the_most_gets(advisor: Advisor) -> None:
    answer = advisor.ask("what's the most a harbor pilot can make")
    assert "Top End: Up to $260,000" in _lines(answer.text)[0]


def test_a_figure_outside_the_pay_section_is_never_pay(advisor: Advisor) -> None:
    answer = advisor.ask("How much does a lighthouse keeper earn?")
    assert answer.abstained and "$" not in answer.text
    assert "no information on pay" in answer.text
    pilot = advisor.ask("How much does a harbor pilot earn?")
    assert "$5 million" not in pilot.text


def test_the_rule_comes_before_its_exception(advisor: Advisor) -> None:
    answer = advisor.ask("how many yrs of xp does a harbor pilot need")
    lines = _lines(answer.text)
    assert "Typically 8+ years" in lines[0]
    assert any("5+ years" in line for line in lines[1:])


def test_a_number_the_document_does_not_give_is_said_to_be_missing(advisor: Advisor) -> None:
    answer = advisor.ask("How many years of experience does a lighthouse keeper need?")
    assert answer.text.startswith("The Lighthouse Keeper document does not say how many years of experience")
    assert "small boats and radio work [1]" in answer.text
    assert answer.missing == ("how many years of experience it takes",) and not answer.abstained


def test_a_point_no_line_names_is_said_to_be_missing_with_who_names_it(advisor: Advisor) -> None:
    answer = advisor.ask("Does a harbor pilot need to know Python?")
    assert answer.text.startswith("The Harbor Pilot document does not mention Python.")
    assert "It is mentioned in the Lighthouse Keeper document [1]" in answer.text
    assert answer.citations[0].role == "Lighthouse Keeper"
    assert answer.missing == ("Python",)


def test_a_point_nobody_names_gets_what_the_document_says_on_the_topic(advisor: Advisor) -> None:
    answer = advisor.ask("Does a harbor pilot need a visa?")
    assert answer.text.startswith("The Harbor Pilot document does not mention visa.")
    assert "Lighthouse Keeper" not in answer.text


def test_a_topic_question_gets_the_whole_list_and_nothing_else(advisor: Advisor) -> None:
    answer = advisor.ask("What does a harbor pilot do?")
    lines = _lines(answer.text)
    assert "Guide ships safely through harbors and channels" in lines[0]
    assert len(lines) == 3 and all(line.endswith("[1]") for line in lines)
    assert {c.section for c in answer.citations} == {"Responsibilities"}


def test_a_section_of_subsections_is_answered_by_its_opening_and_each_subsection(advisor: Advisor) -> None:
    answer = advisor.ask("What challenges do harbor pilots face?")
    lines = _lines(answer.text)
    assert "face several challenges at work" in lines[0]
    assert lines[1].startswith("- Weather: Storms and fog") and lines[2].startswith("- Fatigue: Long night shifts")
    assert "By meeting these challenges" not in answer.text  # a line summing up the list is not an answer


def test_a_yes_no_question_gets_a_verdict_from_the_document_words(advisor: Advisor) -> None:
    answer = advisor.ask("Is a license required to be a harbor pilot?")
    assert answer.text.startswith("Yes. According to the Harbor Pilot document: A pilot license")


def test_lines_about_the_document_itself_never_answer(advisor: Advisor) -> None:
    answer = advisor.ask("What license does a harbor pilot need?")
    assert "CC BY" not in answer.text and "Source and License" not in {c.section for c in answer.citations}


def test_an_abstention_says_why_and_what_is_covered(advisor: Advisor) -> None:
    answer = advisor.ask("What is the salary of a lighthouse keeper?")
    assert answer.abstained and not answer.citations and answer.role == "Lighthouse Keeper"
    assert answer.text.endswith("They cover: for Lighthouse Keeper: Duties, Requirements.")


def test_role_facts_are_typed_and_quote_their_passage(advisor: Advisor) -> None:
    facts = {(f.kind, f.value) for f in advisor.role_facts("Harbor Pilot")}
    assert ("pay.median", "Median Salary: $150,000") in facts
    assert ("pay.top", "Top End: Up to $260,000 at the busiest ports") in facts
    assert ("experience.years", "Typically 8+ years of experience as a ship master") in facts
    assert not any("$5 million" in value for _kind, value in facts)
    median = next(f for f in advisor.role_facts("Harbor Pilot") if f.kind == "pay.median")
    assert (median.section, median.source, median.low) == ("Salary", "harbor-pilot.md", 150_000.0)


DOCKER = """---
role: Dock Worker
---
# Dock Worker

## Duties

- Load cargo onto ships with cranes
- Unload containers at the berth
- Secure cargo with lashing gear
- Check the manifest against the cargo
- Drive forklifts around the yard
- Report damaged containers to the foreman
- Keep the quay clear of debris
- Share cleaning duties on weekend duties rotas
- Take on extra duties and holiday duties when asked
"""


def test_a_topic_asked_as_a_whole_gets_the_first_items_of_its_list_not_those_sharing_its_words(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "roles"
    corpus.mkdir()
    (corpus / "dock-worker.md").write_text(DOCKER, encoding="utf-8")
    fake = FakeEmbedder()
    settings = make_settings(corpus, tmp_path / "index")
    build(settings, embedder=fake)
    answer = Advisor.load(settings=settings, embedder=fake).ask("What are the duties of a dock worker?")
    assert "Load cargo onto ships with cranes" in answer.text.splitlines()[0], answer.text
    assert "Report damaged containers" in answer.text and "holiday duties" not in answer.text, answer.text
