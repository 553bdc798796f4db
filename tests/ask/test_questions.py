"""What a question's words say before any document is read: shorthand, the form of answer, comparisons, and
the words that carry its point."""

from __future__ import annotations

import pytest

from advisor.ask.questions import (
    answer_form,
    asked_class,
    asks_for_instances,
    comparison,
    key_terms,
    phrase_around,
    spelled_out,
)


def test_chat_shorthand_is_spelled_out() -> None:
    assert spelled_out("sr cloud eng xp reqs? certs?") == "sr cloud eng experience requirements? certifications?"
    assert spelled_out("can i wfh") == "can i work from home"
    assert spelled_out("$$?") == "pay?" and spelled_out("is $150,000 a lot") == "is $150,000 a lot"
    assert spelled_out("over $ 100k?") == "over $ 100k?"
    assert spelled_out("what kinda stuff, sorta new?") == "what kind of stuff, sort of new?"


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("Does a pilot need a license?", "yes-no"),
        ("how many years of experience for this role", "how-many"),
        ("How much does this role make?", "how-much"),
        ("Which certifications help?", "which"),
        ("tell me about the pay", "open"),
        # A yes/no opening that goes on to ask for the alternatives wants them, not "Yes."
        ("is it only a self driving car thing or where else could i work", "which"),
        ("could i move into other jobs later on, like what", "which"),
        ("is it remote or hybrid", "yes-no"),
    ],
)
def test_the_form_of_answer_a_question_wants(question: str, form: str) -> None:
    assert answer_form(question) == form


def test_comparisons_by_what_they_ask() -> None:
    assert comparison("cloud vs credit pay", 2) == "compare"
    assert comparison("compare both", 2) == "compare"
    assert comparison("do cloud and cv engineers both use python?", 2) == "common"
    assert comparison("cv and comms engineers both run projects start to finish right?", 2) == "common"
    # Asking what each one needs is a comparison, "both" or not.
    assert comparison("What degree do both of them require?", 2) == "compare"
    assert comparison("what do the two have in common", 2) == "common"
    assert comparison("which role pays the most?", 0) == "across"
    assert comparison("what does this role do", 1) is None


def test_key_terms_leave_out_the_words_every_question_has_and_the_topic_words() -> None:
    assert key_terms("do this role need to know python") == ["python"]
    assert key_terms("what would my day to day look like as this role") == []
    assert key_terms("what is the pay band for this role") == []  # "band": which pay figure, not a point
    assert key_terms("does this role come with visa sponsorship?") == ["come", "visa", "sponsorship"]
    # The word that takes an amount says it is reached, and is no point a document must name.
    assert key_terms("do this role hit 100k") == [] and key_terms("can this role crack six figures") == []
    assert key_terms("can this role make $150k in seattle") == ["seattle"]


def test_the_words_around_a_term_are_quoted_without_the_questions_own_verbs() -> None:
    assert phrase_around("Does this role come with visa sponsorship?", "visa") == "visa sponsorship"
    assert phrase_around("do i need sql or excel for this role", "sql") == "sql or excel"
    assert phrase_around("which of those two mentions on-call work?", "call") == "on-call"
    assert phrase_around("remote work - cv eng vs ml arch", "remote") == "remote"
    assert phrase_around("Can this role work from home?", "home") == "work from home"


def test_questions_that_name_a_category_and_want_its_members() -> None:
    # The documents list members ("banks, investment houses") without the category's word.
    assert asks_for_instances("What kinds of companies hire this role?")
    assert asks_for_instances("where do they end up working")
    assert asks_for_instances("what industries hire this role")
    assert not asks_for_instances("does this role come with visa sponsorship?")
    assert not asks_for_instances("what does this role do")
    assert not asks_for_instances("what is the dress code")


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("ml perf arch - which industries are hiring", "industries"),
        ("what kind of employers hire comms engineers", "employers"),
        ("types of projects a cv engineer works on?", "projects"),
        ("what does a cloud engineer do", None),
        ("what is the pay", None),
        ("what programming languages does each use", "languages"),
        ("what do this role and that one have in common", None),
        ("which of the roles pays most", None),
        # Shorthand that only names the class, about one role or several.
        ("programming languages for this role?", "languages"),
        ("this role tools?", "tools"),
        ("programming languages: this role vs", "languages"),
        ("salary for this role?", None),
        ("is this role remote?", None),
        ("this role stress", None),
    ],
)
def test_the_class_whose_members_a_question_asks_for(question: str, noun: str | None) -> None:
    assert asked_class(question) == noun


def test_an_amount_of_the_thing_asked_is_not_quoted_as_the_thing() -> None:
    assert phrase_around("is there a lot of travel in this role", "travel") == "travel"
    assert phrase_around("do they do tons of overtime", "overtime") == "overtime"
