"""A question plus its chat history made self-contained: the role (and a bare follow-up's topic) carried over."""

from __future__ import annotations

import re

import pytest

from advisor.ask.conversation import is_bare_follow_up, make_query, user_turns
from advisor.ask.roles import RoleResolver
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
