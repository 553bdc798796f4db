"""Reading a background from what a person says, and telling fit questions from questions about a role."""

from __future__ import annotations

import pytest

from advisor.ask.profile import asks_for_fit, describes_self, read_profile


def test_degree_level_field_years_skills_and_title() -> None:
    p = read_profile(
        ["I have a master's degree in electrical engineering and 7 years as an RF engineer. I know MATLAB and Python."]
    )
    assert [(d.level, d.field) for d in p.degrees] == [("master", "electrical engineering")]
    assert p.years == 7 and p.titles == ("RF engineer",)
    assert {"MATLAB", "Python"} <= set(p.skills)


def test_a_background_across_turns_adds_up_and_the_later_figure_of_years_counts() -> None:
    p = read_profile(
        ["I have a PhD in physics", "I've worked 2 years in a lab", "now 4 years in total", "I also know SQL"]
    )
    assert p.level == "doctorate" and p.fields == ("physics",)
    assert p.years == 4 and "SQL" in p.skills


def test_no_degree_is_a_level_below_any_degree() -> None:
    assert read_profile(["I don't have a degree but I've been a welder for 6 years"]).level == "none"


def test_a_question_about_roles_tells_nothing_about_the_person() -> None:
    assert read_profile(["How much does a Senior Cloud Engineer make?"]).empty


@pytest.mark.parametrize(
    "text",
    [
        "I have a PhD in physics, which role suits me?",
        "What should I apply for with my background?",
        "which of the roles fits me",
        "What jobs would be good for someone with a physics degree?",
        "Where do I fit?",
        "Which roles should I consider given my experience?",
        "I'm a welder. What else could I do?",
        "What am I qualified for?",
    ],
)
def test_fit_questions(text: str) -> None:
    assert asks_for_fit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Which role pays the most?",
        "Which roles require a PhD?",
        "Which other roles can an ML Performance Architect move into later in their career?",
        "What degree does a Senior Cloud Engineer need?",
        "What can you do?",
        # A question about a role, then "which ones?": the person says nothing of themselves.
        "do i need certs to land a senior cloud engineer role? which ones?",
        "can I get hired as a senior cloud engineer without a degree? which ones accept that?",
    ],
)
def test_questions_about_roles_are_not_fit_questions(text: str) -> None:
    assert not asks_for_fit(text)


def test_more_background_is_told_from_a_question() -> None:
    assert describes_self("I also know SQL")
    assert not describes_self("What about the pay?")


def test_what_someone_says_they_lack_is_not_a_skill() -> None:
    p = read_profile(["I don't know Python, but I use SQL every day"], known={"python", "sql"})
    assert [s.lower() for s in p.skills] == ["sql"]


def test_a_degree_without_its_level_is_a_degree_whose_level_is_not_known() -> None:
    law = read_profile(["I have a law degree and passed the bar"])
    assert law.fields == ("law",) and law.level == "bachelor" and not law.level_said
    studied = read_profile(["I studied civil engineering and have 4 years designing bridges"])
    assert studied.fields == ("civil engineering",) and studied.level is None
    assert read_profile(["I have an MBA"]).certifications == ()


def test_degree_letters_are_degrees_and_typed_markers_are_not_read() -> None:
    profile = read_profile(["I have a BA in history and a JD, and I know Python [2] **well**"])
    assert profile.certifications == ()
    assert [d.level for d in profile.degrees] == ["bachelor"]
    assert "[2]" not in profile.summary() and "*" not in profile.summary()


def test_a_degree_with_its_fields_initials_joined_is_that_degree_in_that_field() -> None:
    profile = read_profile(["telecom eng, 8 yrs, network projects for govt agencies, BSEE. best fit?"], told=True)
    assert [(d.level, d.field) for d in profile.degrees] == [("bachelor", "Electrical Engineering")]
    assert "BSEE" not in profile.skills


def test_statements_before_a_fit_request_are_the_persons_and_questions_are_not() -> None:
    known = {"terraform", "python"}
    turns = ["IT guy for about 9 years", "these days mostly terraform on google cloud", "ok match me to a role pls"]
    assert "terraform" in read_profile(turns, known, told=True).skills
    asked = ["what does a python developer do?", "ok match me to a role pls"]
    assert "python" not in read_profile(asked, known, told=True).skills
