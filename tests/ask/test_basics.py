"""Conversation basics: greetings, thanks, goodbyes, help and the role catalogue, told apart from questions
about roles, and answered from the index without claiming anything about a role."""

from __future__ import annotations

import pytest

from advisor import Advisor
from advisor.ask.basics import read_act
from advisor.ask.catalogue import PAGE, Catalogue, describe


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("hi", "greeting"),
        ("Hello there :)", "greeting"),
        ("hiii", "greeting"),
        ("good morning!", "greeting"),
        ("hey, how are you?", "greeting"),
        ("thanks!", "thanks"),
        ("thank you so much, that helped", "thanks"),
        ("thnaks", "thanks"),
        ("ok great", "thanks"),
        ("ok bye", "goodbye"),
        ("thanks, that's all 👋", "goodbye"),
        ("see you", "goodbye"),
        ("what can you do?", "help"),
        ("Hi! How does this work?", "help"),
        ("help", "help"),
        ("what kind of questions can I ask?", "help"),
        ("what are you for exactly?", "help"),
        ("Which roles do you know about?", "catalogue"),
        ("what jobs are there", "catalogue"),
        ("list all roles please", "catalogue"),
        ("how many careers do you cover?", "catalogue"),
        ("any roles in healthcare?", "catalogue"),
    ],
)
def test_basics_are_told_by_their_shape(message: str, kind: str) -> None:
    act = read_act(message)
    assert act is not None and act.kind == kind


@pytest.mark.parametrize(
    "message",
    [
        "hi, what does a cloud engineer earn?",
        "what does a credit risk analyst do?",
        "which roles pay the most?",
        "which roles need a PhD?",
        "roles with the best pay",
        "jobs for someone like me",
        "what can a cloud engineer do?",
        "more",  # with nothing to continue
        "yes",
        "thanks, and what about the pay?",
    ],
)
def test_questions_about_roles_are_not_basics(message: str) -> None:
    assert read_act(message) is None


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        ("show me banking jobs", "banking"),
        ("any nursing roles?", "nursing"),
        ("what jobs do you have for networking people", "networking"),
        ("list everything you've got", ""),
        ("any telecom jobs on your list", "telecom"),
        # "list" asks for the roles; the plural names them, with the field before it.
        ("list engineering roles", "engineering"),
        ("list the jobs you cover", ""),
        ("what jobs do you cover? can u list them all", ""),
    ],
)
def test_the_field_of_a_catalogue_request_is_read_before_or_after_the_word_for_roles(
    message: str, subject: str
) -> None:
    act = read_act(message)
    assert act is not None and (act.kind, act.subject) == ("catalogue", subject)


def test_a_field_before_the_word_for_roles_is_a_catalogue_request_only_when_some_role_is_about_it(
    advisor: Advisor,
) -> None:
    assert advisor.ask("show me banking jobs").act == "catalogue"
    # "summer" is no field: the message is answered (here: not covered), not listed as "roles about summer";
    # nor is a kind of job in any field, though some document mentions remote work.
    summer = advisor.ask("any good summer jobs?")
    assert summer.act == "answer" and summer.abstained
    assert advisor.ask("show me remote jobs").act == "answer"
    assert advisor.ask("more", [{"role": "user", "content": "any good summer jobs?"}]).act != "catalogue"
    assert advisor.catalogue.names_a_field("robotics") and not advisor.catalogue.names_a_field("part time")


@pytest.mark.parametrize("message", ["which positions have on-call", "best paying jobs", "banking jobs in london"])
def test_a_question_about_what_roles_have_is_not_a_catalogue_request(message: str) -> None:
    # "on-call" holds no "on <field>"; a pay word or a field with a place asks more than a list.
    assert read_act(message) is None


def test_roles_about_a_subject_and_more_continues_the_list() -> None:
    act = read_act("roles about nursing")
    assert act is not None and (act.kind, act.subject, act.page) == ("catalogue", "nursing", 0)
    more = read_act("more", ["hi", "roles about nursing", "more"])
    assert more is not None and (more.kind, more.subject, more.page) == ("catalogue", "nursing", 2)


def test_roles_with_a_word_in_the_title_and_more_keeps_to_the_titles() -> None:
    act = read_act("Which of your roles have 'Engineer' in the title?")
    assert act is not None and (act.kind, act.subject, act.in_title) == ("catalogue", "engineer", True)
    more = read_act("more", ["any jobs with nurse in the name?"])
    assert more is not None and (more.subject, more.page, more.in_title) == ("nurse", 1, True)


def test_a_greeting_says_what_the_advisor_does_with_an_example_that_works(advisor: Advisor) -> None:
    answer = advisor.ask("hello!")
    assert answer.act == "greeting" and not answer.abstained and not answer.citations
    assert "5 job roles" in answer.text
    example = answer.text.split("“")[1].split("”")[0]
    tried = advisor.ask(example)
    assert tried.act == "answer" and not tried.abstained and tried.citations


def test_help_gives_three_examples_on_the_indexed_roles_each_answered(advisor: Advisor) -> None:
    answer = advisor.ask("what can you do?")
    assert answer.act == "help" and not answer.abstained
    examples = [line[2:] for line in answer.text.splitlines() if line.startswith("- ")]
    assert len(examples) == 3
    assert len({role for role in advisor.roles for e in examples if role in e}) >= 2  # not all on one role
    for example in examples:
        reply = advisor.ask(example)
        assert not reply.abstained and reply.citations, example


def test_a_request_for_help_with_a_three_letter_typo_is_still_help(advisor: Advisor) -> None:
    assert advisor.ask("what should i aks?").act == "help"


def test_thanks_and_goodbye_are_brief_and_not_refusals(advisor: Advisor) -> None:
    thanks, bye = advisor.ask("thanks!!"), advisor.ask("ok bye")
    assert (thanks.act, bye.act) == ("thanks", "goodbye")
    for answer in (thanks, bye):
        assert not answer.abstained and "do not cover" not in answer.text and len(answer.text) < 80


def test_the_catalogue_lists_every_role_and_filters_by_subject(advisor: Advisor) -> None:
    everything = advisor.ask("which roles do you know about?")
    assert everything.act == "catalogue" and all(role in everything.text for role in advisor.roles)
    finance = advisor.ask("any roles in finance?")
    assert "Senior Credit Risk Analyst" in finance.text and "Senior Cloud Engineer" not in finance.text
    cloud = advisor.ask("roles about cloud")
    assert "Senior Cloud Engineer" in cloud.text and "Credit" not in cloud.text
    nothing = advisor.ask("roles about nursing")
    assert nothing.act == "catalogue" and "None of the 5 roles" in nothing.text
    assert not any(role in nothing.text for role in advisor.roles)


def test_roles_with_a_word_in_the_title_are_those_whose_titles_say_it(advisor: Advisor) -> None:
    engineers = advisor.ask("which of your roles have 'engineer' in the title?")
    assert engineers.act == "catalogue" and engineers.text.startswith("3 roles with “engineer” in the title:")
    assert "ML Performance Architect" not in engineers.text and "Senior Credit Risk Analyst" not in engineers.text
    nurses = advisor.ask("any jobs with nurse in the name?")
    assert nurses.text == "None of the 5 roles I know has “nurse” in its title."


def test_a_catalogue_request_in_chat_shorthand_lists_the_roles(advisor: Advisor) -> None:
    listing = advisor.ask("wat roles r covered")
    assert listing.act == "catalogue" and all(role in listing.text for role in advisor.roles), listing.text
    telecom = advisor.ask("any telecom jobs on ur list")
    assert telecom.act == "catalogue" and "Senior Communications Systems Engineer" in telecom.text, telecom.text


def test_a_greeting_in_the_history_does_not_change_a_follow_up(advisor: Advisor) -> None:
    history = [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": advisor.ask("hi").text},
        {"role": "user", "content": "How much does an ML Performance Architect make?"},
    ]
    answer = advisor.ask("thanks! and what degree do they need?", history)
    assert answer.act == "answer" and answer.role == "ML Performance Architect" and answer.intent == "requirements"


def test_a_long_catalogue_is_paged_and_filtered_by_title(advisor: Advisor) -> None:
    roles = [f"Role {i:02}" for i in range(30)] + [f"Nurse Type {i:02}" for i in range(25)]
    catalogue = Catalogue(
        sorted(roles), {}, advisor.evidence, advisor.embedder.embed_documents, advisor.embedder.embed_query
    )
    first = describe(catalogue.listing(), len(roles))
    assert first.startswith(f"I know 55 roles; 1-{PAGE}:") and "Say “more” for the next 20" in first
    last = describe(catalogue.listing(page=2), len(roles))
    assert "41-55" in last and "more" not in last.split(":", 1)[1]
    nurses = catalogue.listing("nursing")
    assert nurses.total == 25 and all(r.startswith("Nurse") for r in nurses.roles) and nurses.found_by == "title"


@pytest.mark.parametrize(
    ("message", "act"),
    [
        ("what is this chatbot able to do", "help"),
        ("hey folks, anybody home?", "greeting"),
        ("wat can u help me with", "help"),  # shorthand written out before it is read
        ("tell me a joke", "answer"),
        # Less close to any example, but far closer to leave-taking than to anything else.
        ("signing off, later!", "goodbye"),
        ("peace out", "goodbye"),
        # Thanks are not read so loosely: the model puts this near "that was helpful".
        ("this is useless", "answer"),
    ],
)
def test_wordings_the_patterns_miss_are_read_by_meaning(advisor: Advisor, message: str, act: str) -> None:
    assert read_act(message) is None
    assert advisor.ask(message).act == act


def test_a_catalogue_of_several_fields_lists_the_roles_of_each(advisor: Advisor) -> None:
    answer = advisor.ask("got anything about telecoms or finance?")
    assert answer.act == "catalogue"
    assert "Senior Communications Systems Engineer" in answer.text and "Senior Credit Risk Analyst" in answer.text
    assert "Senior Cloud Engineer" not in answer.text
