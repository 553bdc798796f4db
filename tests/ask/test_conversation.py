"""A question plus its chat history made self-contained: the role (and a bare follow-up's topic) carried over."""

from __future__ import annotations

import re

import pytest

from advisor.ask.conversation import Choice, is_bare_follow_up, make_query, pending_choice, read_choice, user_turns
from advisor.ask.roles import RoleMatch, RoleResolver
from advisor.errors import BadQuestionError

ROLES = ["Senior Cloud Engineer", "ML Performance Architect", "Senior Credit Risk Analyst"]


@pytest.fixture(scope="module")
def resolver() -> RoleResolver:
    return RoleResolver(ROLES, [])


def test_user_turns_are_the_users_messages_in_order() -> None:
    history = [
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "reply"},
        {"role": "user", "content": "second"},
    ]
    assert user_turns(history) == ["first", "second"]
    assert user_turns(None) == []


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ("not a list", "must be a list"),
        ([{"role": "user"}], "history[0]"),
        ([{"role": "user", "content": "ok"}, "text"], "history[1]"),
        ([{"role": "user", "content": "bad \udc00"}], "not valid Unicode"),
    ],
)
def test_malformed_history_is_refused_with_where(history: object, message: str) -> None:
    with pytest.raises(BadQuestionError, match=re.escape(message)):
        user_turns(history)  # type: ignore[arg-type]


def test_a_follow_up_takes_the_role_from_the_latest_turn_that_named_one(resolver: RoleResolver) -> None:
    history = [
        {"role": "user", "content": "Tell me about the Senior Cloud Engineer role."},
        {"role": "user", "content": "And the ML Performance Architect?"},
    ]
    query, _match = make_query("Which tools should I know?", history, resolver)
    assert query.role == "ML Performance Architect" and query.role_from_history
    assert query.intent == "requirements"


def test_a_bare_follow_up_keeps_the_topic_and_switches_the_role(resolver: RoleResolver) -> None:
    history = [{"role": "user", "content": "How much does a Senior Cloud Engineer make?"}]
    query, _match = make_query("And a Senior Credit Risk Analyst?", history, resolver)
    assert (query.role, query.intent) == ("Senior Credit Risk Analyst", "pay")
    assert not query.role_from_history
    # A follow-up with a topic of its own keeps its own.
    own, _match = make_query("What does a Senior Credit Risk Analyst do all day?", history, resolver)
    assert own.intent == "responsibilities"


def test_a_word_saying_which_figure_is_asked_is_no_word_of_a_title_naming_it() -> None:
    resolver = RoleResolver(["Range Managers", "Chiropractors"], [])
    ranged, _match = make_query("happines ninja salary range?", None, resolver)
    assert ranged.role is None
    # After a pay question "and the range?" asks the figure, for the same role.
    ranged, _match = make_query("and the range?", [{"role": "user", "content": "chiropractors pay?"}], resolver)
    assert ranged.role == "Chiropractors"


def test_the_role_picker_applies_only_when_the_question_names_no_role(resolver: RoleResolver) -> None:
    picked, _match = make_query("What degree do I need?", None, resolver, role="Senior Cloud Engineer")
    assert picked.role == "Senior Cloud Engineer"
    named, _match = make_query("What degree does an ML Performance Architect need?", None, resolver, role=ROLES[0])
    assert named.role == "ML Performance Architect"
    with pytest.raises(BadQuestionError, match="Unknown role"):
        make_query("What degree do I need?", None, resolver, role="Astronaut")


def test_bare_follow_ups(resolver: RoleResolver) -> None:
    named = resolver.resolve("And a Senior Cloud Engineer?")
    assert is_bare_follow_up("And a Senior Cloud Engineer?", named)
    assert not is_bare_follow_up("Which certifications does a Senior Cloud Engineer need for AWS work?", named)
    # The words asked name the role as much as its title's do ("vet tech" for Veterinary Technologists).
    vet = RoleMatch(role="Veterinary Technologists and Technicians", asked="vet tech")
    assert is_bare_follow_up("vet tech", vet) and not is_bare_follow_up("vet tech hours", vet)


CHOICES = ("Heavy and Tractor-Trailer Truck Drivers", "Light Truck Drivers", "Bus Drivers, School")
ASKED = "how much do truck drivers make?"
NUMBERED = (
    "“truck drivers” fits several roles:\n1. Heavy and Tractor-Trailer Truck Drivers\n2. Light Truck Drivers\n"
    "3. Bus Drivers, School\nWhich one do you mean? Reply with its number or part of its name."
)


def _asked_back(text: str) -> list[dict[str, str]]:
    return [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "Hello!"},
        {"role": "user", "content": ASKED},
        {"role": "assistant", "content": text},
    ]


def test_a_numbered_question_back_is_pending_with_the_question_before_it() -> None:
    pending = pending_choice(_asked_back(NUMBERED), [*CHOICES, "Actors"])
    assert pending is not None
    assert pending.question == ASKED and pending.choices == CHOICES
    assert [m["content"] for m in pending.history] == ["hi", "Hello!"]


@pytest.mark.parametrize(
    ("reply", "role"),
    [
        ("2", "Light Truck Drivers"),
        ("#3", "Bus Drivers, School"),
        ("the second one", "Light Truck Drivers"),
        ("the last one", "Bus Drivers, School"),
        ("the heavy truck one", "Heavy and Tractor-Trailer Truck Drivers"),
        ("school", "Bus Drivers, School"),
        ("Light Truck Drivers", "Light Truck Drivers"),
    ],
)
def test_a_reply_picks_a_choice(reply: str, role: str) -> None:
    pending = pending_choice(_asked_back(NUMBERED), CHOICES)
    assert pending is not None
    assert read_choice(reply, pending, RoleResolver(CHOICES)) == Choice(role)


def test_a_figure_is_no_choice_by_number() -> None:
    pending = pending_choice(_asked_back(NUMBERED), CHOICES)
    assert pending is not None
    assert read_choice("2.5", pending, RoleResolver(CHOICES)) is None


def test_yes_takes_the_one_role_offered_and_no_declines_it() -> None:
    text = "No role document is titled “pharmacy techs”. The closest role is Light Truck Drivers: is that the one?"
    pending = pending_choice(_asked_back(text), CHOICES)
    assert pending is not None and pending.choices == ("Light Truck Drivers",)
    resolver = RoleResolver(CHOICES)
    assert read_choice("yes", pending, resolver) == Choice("Light Truck Drivers")
    assert read_choice("yep, that one", pending, resolver) == Choice("Light Truck Drivers")
    assert read_choice("no", pending, resolver) == Choice(declined=True)


def test_other_messages_are_no_reply_to_the_question_back() -> None:
    pending = pending_choice(_asked_back(NUMBERED), CHOICES)
    assert pending is not None
    resolver = RoleResolver([*CHOICES, "Actors"])
    assert read_choice("what do actors earn?", pending, resolver) is None
    assert read_choice("yes", pending, resolver) == Choice(unsure=True)  # yes to several: which is still open
    # An answer that asks nothing back leaves nothing pending.
    assert pending_choice(_asked_back("According to the Actors document: ..."), CHOICES) is None


def test_a_reply_that_rules_one_out_picks_the_offered_one_it_names() -> None:
    offered = ("Elementary School Teachers, Except Special Education", "Middle School Teachers")
    text = "“teachers” fits several roles:\n1. " + offered[0] + "\n2. " + offered[1] + "\nWhich one do you mean?"
    pending = pending_choice(_asked_back(text), offered)
    assert pending is not None and pending.choices == offered
    # "elementary school" alone names Special Education Teachers, Elementary School best, which was not offered.
    resolver = RoleResolver([*offered, "Special Education Teachers, Elementary School"])
    assert read_choice("elementary school, not special ed", pending, resolver) == Choice(offered[0])
    assert read_choice("elementary school", pending, resolver) == Choice(offered[0])


def _asked(*turns: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": t} for t in turns]


def test_the_first_one_and_the_other_one_are_roles_of_the_conversation_in_order(resolver: RoleResolver) -> None:
    history = _asked("tell me about the senior cloud engineer", "and the credit risk analyst?")
    first, _ = make_query("ok back to the first one - what tools do they use?", history, resolver)
    assert first.role == "Senior Cloud Engineer" and not first.role_from_history
    other, _ = make_query("what about the other one's requirements?", history, resolver)
    assert other.role == "Senior Cloud Engineer"
    last, _ = make_query("and the last one, what does it pay?", history, resolver)
    assert last.role == "Senior Credit Risk Analyst"
    # With one role so far there is no order to pick by: the role carries over as usual.
    alone, _ = make_query("the first one's pay?", _asked("what does an ml performance architect do?"), resolver)
    assert alone.role == "ML Performance Architect"


def test_a_reply_in_shorthand_picks_the_choice_it_abbreviates() -> None:
    choices = ["Information Security Analysts", "Security Guards", "Budget Analysts"]
    asked = (
        "“security” fits several roles:\n1. Information Security Analysts\n2. Security Guards\n3. Budget Analysts\n"
        "Which one do you mean? Reply with its number or part of its name."
    )
    pending = pending_choice(_asked_back(asked), choices)
    assert pending is not None
    assert read_choice("info security", pending, RoleResolver(choices)) == Choice("Information Security Analysts")
