"""Turning a question plus chat history into a self-contained Query: follow-ups take the role, and when
they name no topic of their own, the topic, from earlier turns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..errors import BadQuestionError
from ..records import Query
from ..text.lexical import content_stems, role_tokens, stem
from ..text.units import NOT_UNICODE, has_lone_surrogate
from .intent import question_intent
from .roles import RoleMatch, RoleResolver, without_role

_FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|same for|and for|for|what of|ok,? and)\b", re.I)
_BARE_WORDS = frozenset(stem(w) for w in "and what about how same also then again ok okay".split())


def user_turns(history: Sequence[Any] | None) -> list[str]:
    """The user messages of a chat history in the usual {"role", "content"} format, oldest first."""
    if history is None:
        return []
    if not isinstance(history, (list, tuple)):
        raise BadQuestionError('history must be a list of {"role": ..., "content": ...} messages.')
    turns = []
    for i, message in enumerate(history):
        if not isinstance(message, dict) or "role" not in message or "content" not in message:
            raise BadQuestionError(f'history[{i}] must be an object with "role" ("user" or "assistant") and "content".')
        if isinstance(message["content"], str) and has_lone_surrogate(message["content"]):
            raise BadQuestionError(NOT_UNICODE.format(what=f"history[{i}]"))
        if message["role"] == "user" and isinstance(message["content"], str):
            turns.append(message["content"])
    return turns


def make_query(
    question: str, history: Sequence[Any] | None, resolver: RoleResolver, role: str | None = None
) -> tuple[Query, RoleMatch]:
    """role, when given (a role picker), applies to questions that name no role of their own."""
    match = resolver.resolve(question)
    # Role names say nothing about the topic ("machine learning" is not a wish to learn).
    intent = question_intent(without_role(question, match.role or match.asked or ""))
    if role is not None and match.role is None and match.asked is None:
        if role not in resolver.roles:
            raise BadQuestionError(f"Unknown role {role!r}; the roles are: {', '.join(resolver.roles)}.")
        match = RoleMatch(role=role)
    role_from_history = False
    earlier = list(reversed(user_turns(history)))
    if match.role is None and match.asked is None:
        for turn in earlier:
            previous = resolver.resolve(turn)
            if previous.role is not None or previous.asked is not None:
                match, role_from_history = previous, True
                break
    if intent == "other" and earlier and is_bare_follow_up(question, match):
        for turn in earlier:
            previous_intent = question_intent(turn)
            if previous_intent != "other":
                intent = previous_intent
                break
    query = Query(
        text=question,
        role=match.role,
        intent=intent,
        asked_role=match.asked if match.role is None else None,
        role_from_history=role_from_history,
    )
    return query, match


def is_bare_follow_up(question: str, match: RoleMatch) -> bool:
    """'And a Senior Cloud Engineer?' names a role but no topic: it continues the previous one."""
    named = match.role or match.asked or ""
    topic = content_stems(question, exclude=frozenset(stem(t) for t in role_tokens(named))) - _BARE_WORDS
    return not topic and (bool(_FOLLOW_UP.match(question)) or len(question.split()) <= 5)
