"""Turning a question plus chat history into a self-contained Query: which role(s) it is about (named, partly
named, "they", "both", or the role of the earlier turns) and what it asks (its own topic, or an earlier turn's
when it only switches the role: "and for cloud engineers?")."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import BadQuestionError
from ..records import Query
from ..text.lexical import STOPWORDS, content_stems, role_tokens, stem
from ..text.units import NOT_UNICODE, has_lone_surrogate
from .facts import aspect_words
from .intent import naming_words, question_intent
from .questions import answer_form, comparison, key_terms, spelled_out
from .roles import RoleMatch, RoleResolver, with_placeholder
from .titles import title_words

_FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|same for|and for|for|what of|ok,? and|now)\b", re.I)
_BARE_WORDS = frozenset(stem(w) for w in "and what about how same also then again ok okay now".split())
_BOTH = re.compile(r"\b(both|the two|these two|those two|the pair|each of them|them both|either)\b", re.I)
# "the vision one", "the credit guy", "the finance role": a role named by a word of its title or its field.
_REFERENCE = re.compile(
    r"\bthe ([a-z][\w&/+-]*(?:\s+[a-z][\w&/+-]*){0,2}?)\s+(one|ones|role|job|position|guy|gal|person|people|folks|"
    r"career|path|track)\b",
    re.I,
)

Refer = Callable[[str], str | None]
Normalize = Callable[[str], str]


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


@dataclass(frozen=True)
class _Turn:
    roles: tuple[str, ...]
    topic: str
    intent: str
    has_topic: bool


def make_query(
    question: str,
    history: Sequence[Any] | None,
    resolver: RoleResolver,
    role: str | None = None,
    refer: Refer | None = None,
    normalize: Normalize = spelled_out,
) -> tuple[Query, RoleMatch]:
    """role, when given (a role picker), applies to questions that name no role of their own; refer names the
    role a partial or field name stands for ("the finance one"), when the titles alone do not; normalize mends
    a question's wording (shorthand, typos) before anything reads it."""
    text = normalize(question)
    match = resolver.resolve(text)
    named = resolver.named_roles(text)
    if role is not None and not named and match.asked is None:
        if role not in resolver.roles:
            raise BadQuestionError(f"Unknown role {role!r}; the roles are: {', '.join(resolver.roles)}.")
        named = [role]
        match = RoleMatch(role=role)
    earlier = [_turn(normalize(t), resolver, refer=refer) for t in reversed(user_turns(history))]  # newest first
    if not named and match.asked is None:
        referred = _by_order(text, earlier) or _referred(text, resolver, refer)
        if referred is not None:
            named, match = [referred], RoleMatch(role=referred)
    roles, role_from_history = list(named), False
    if _BOTH.search(text) and len(roles) < 2:
        roles = _last_two(earlier)
    if not roles and match.asked is None and not match.candidates:
        previous = next((t for t in earlier if t.roles), None)
        if previous is not None:
            roles, role_from_history = list(previous.roles), True
            match = RoleMatch(role=roles[0]) if len(roles) == 1 else match
    own = _turn(text, resolver, named, match.asked)
    topic, intent, form = own.topic, own.intent, answer_form(text)
    if not own.has_topic and earlier and (is_bare_follow_up(text, match) or _BOTH.search(text)):
        carried = next((t for t in earlier if t.has_topic), None)
        if carried is not None:
            topic, intent, form = carried.topic, carried.intent, answer_form(carried.topic)
    mode = comparison(text, len(roles)) or ("compare" if len(roles) >= 2 else "single")
    if mode == "single" and len(roles) > 1:
        roles = roles[:1]
    query = Query(
        text=text,
        role=roles[0] if len(roles) == 1 else None,
        intent=intent,
        asked_role=match.asked if match.role is None else None,
        role_from_history=role_from_history,
        topic=topic,
        terms=tuple(key_terms(topic)),
        form=form,
        roles=tuple(roles),
        mode=mode,
    )
    return query, match


def is_bare_follow_up(question: str, match: RoleMatch) -> bool:
    """'And a Senior Cloud Engineer?' names a role but no topic: it continues the previous one."""
    # The words that named it, whether the title's own or the ones asked ("vet tech" for Veterinary Technologists).
    named = " ".join(filter(None, (match.role, match.asked)))
    topic = content_stems(question, exclude=frozenset(stem(t) for t in role_tokens(named))) - _BARE_WORDS
    return not topic and (bool(_FOLLOW_UP.match(question)) or len(question.split()) <= 5)


def _turn(
    text: str,
    resolver: RoleResolver,
    named: Sequence[str] | None = None,
    asked: str | None = None,
    refer: Refer | None = None,
) -> _Turn:
    if named is None:
        named = resolver.named_roles(text)
        asked = resolver.resolve(text).asked
        if not named and asked is None:
            referred = _referred(text, resolver, refer)  # "and the cloud one?"
            named = [referred] if referred else []
    topic = with_placeholder(text, [*named, asked or ""], single=len(named) <= 1)
    intent = question_intent(topic)
    references = {stem(t) for t in role_tokens(" ".join(m.group(1) for m in _REFERENCE.finditer(text)))}
    words = content_stems(topic) - _BARE_WORDS - references - {stem("role"), stem("this")}
    has_topic = intent != "other" or bool(key_terms(topic) and words and not _only_reference(text))
    return _Turn(tuple(named), topic, intent, has_topic)


def _only_reference(text: str) -> bool:
    """'what about the credit one?', 'and the vision one': a reference and nothing else."""
    rest = _REFERENCE.sub(" ", text)
    return not (content_stems(rest) - _BARE_WORDS)


def _referred(text: str, resolver: RoleResolver, refer: Refer | None) -> str | None:
    for found in _REFERENCE.finditer(text):
        phrase = found.group(1)
        role = resolver.partial(phrase) or (refer(phrase) if refer else None)
        if role is not None:
            return role
    if len(text.split()) <= 6:
        # A short follow-up may name a role by one word of its title alone ("and credit?"); not by a word that
        # says which figure or topic is asked ("salary range?" names no Range Managers).
        asked = aspect_words(text) | naming_words(text)
        for word in re.findall(r"[A-Za-z][\w+#-]*", text):
            if word.lower() in asked:
                continue
            role = resolver.partial(word)
            if role is not None:
                return role
    # "is computer vision a field with a future?": a title's field words name it.
    return resolver.field(text)


def refers_by_order(text: str) -> bool:
    """Whether a message names a role by its place in the conversation ("the first one", "the other one")."""
    return _ORDER_REFERENCE.search(text) is not None


def _by_order(text: str, earlier: Sequence[_Turn]) -> str | None:
    """The role "the first one", "the second one", "the last one" or "the other one" stands for, among the
    roles the conversation has been about, in the order they came up; "the other one" is the one before the
    latest."""
    found = _ORDER_REFERENCE.search(text)
    if found is None:
        return None
    mentioned: list[str] = []
    for turn in reversed(earlier):  # oldest first
        mentioned += [r for r in turn.roles if r not in mentioned]
    if len(mentioned) < 2:
        return None
    word = found.group(1).lower()
    if word in ("other", "previous", "earlier"):
        latest = next(t.roles for t in earlier if t.roles)
        return next((r for r in reversed(mentioned) if r not in latest), None)
    index = _ORDINALS[word]
    return mentioned[index] if index < len(mentioned) else None


def _last_two(earlier: Sequence[_Turn]) -> list[str]:
    """The two most recent distinct roles of the earlier turns, in the order they were asked about."""
    seen: list[str] = []
    for turn in earlier:
        for role in turn.roles:
            if role not in seen:
                seen.append(role)
        if len(seen) >= 2:
            break
    return list(reversed(seen[:2]))


# The advisor's own ways of asking which role a question is about (see Advisor._plan_unresolved): a reply to
# one of these may only answer it ("yes", "2", "the heavy truck one").
_ASKED_BACK = re.compile(
    r"is that the one\?|which one do you mean\?|which role do you mean\?|did you mean\b|fits \d+ roles; for each", re.I
)
_CONFIRM = re.compile(r"The closest role is (.+?): is that the one\?")
# An answer for the role the advisor took a title to mean (see taken_to_mean): a yes confirms it, a no asks which
# role was meant.
_TAKEN_TO_MEAN = re.compile(r"^According to the (.+?) document \(you asked about: ")


def taken_to_mean(role: str, asked: str) -> str:
    """How an answer opens for the role a title was taken to mean, as pending_choice reads it back."""
    return f"According to the {role} document (you asked about: {asked}): "


_NUMBERED = re.compile(r"^\s*(\d{1,2})\.\s+(.+?)\s*$", re.M)
_YES = re.compile(
    r"^(yes|yeah|yea|yep|yup|ya|y|sure|correct|right|exactly|ok|okay|that one|that's (it|the one|right)|"
    r"it is|that is it|affirmative)\b",
    re.I,
)
_NO = re.compile(r"^(no|nope|nah|n|neither|none( of (them|these|those))?|not (that|this|it|really)|wrong)\b", re.I)
# "2", "#2", "the 2nd"; not "2.5" or "2,000", which are no choice.
_NUMBER = re.compile(r"^\s*(?:#|no\.?\s*|number\s+|option\s+|the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b(?![.,]\d)", re.I)
_ORDINALS = dict(
    zip("first second third fourth fifth sixth seventh eighth ninth tenth".split(), range(10), strict=True)
)
_ORDINALS["last"] = -1
# "back to the first one", "and the other role?": a role of the conversation by its place in it.
_ORDER_REFERENCE = re.compile(
    r"\bthe\s+(" + "|".join(_ORDINALS) + r"|other|previous|earlier)\s+(?:one|role|job|position)\b", re.I
)
_ORDINAL = re.compile(r"^\s*(?:the\s+)?(" + "|".join(_ORDINALS) + r")\b", re.I)


@dataclass(frozen=True)
class Pending:
    """A question the advisor asked back about: which role it meant."""

    question: str  # the user's question, as asked before the advisor asked back
    history: tuple[dict[str, Any], ...]  # the messages before that question
    choices: tuple[str, ...]  # the roles offered, in the order numbered ("The closest role is X": X alone)
    only_yes_or_no: bool = False  # an answer for the role a title was taken to mean: only a yes or no replies


def pending_choice(history: Sequence[Any] | None, roles: Sequence[str]) -> Pending | None:
    """The question an asking-back reply left open: the last message is the advisor asking which role, and the
    user's message before it is the question."""
    messages = [m for m in history or () if isinstance(m, dict) and isinstance(m.get("content"), str)]
    if len(messages) < 2 or messages[-1].get("role") != "assistant":
        return None
    said = messages[-1]["content"]
    taken = _TAKEN_TO_MEAN.match(said)
    if taken is not None and taken.group(1) in roles:
        asked = _user_before(messages, len(messages) - 1)
        if asked is None:
            return None
        return Pending(messages[asked]["content"], tuple(messages[:asked]), (taken.group(1),), only_yes_or_no=True)
    if not _ASKED_BACK.search(said):
        return None
    confirm = _CONFIRM.search(said)
    known = set(roles)
    if confirm is not None and confirm.group(1) in known:
        choices: tuple[str, ...] = (confirm.group(1),)
    else:
        choices = offered(said, known)
    asked = _user_before(messages, len(messages) - 1)
    # A bare "yes" or "no" that was itself answered by asking again ("Several roles fit: ...") asked nothing:
    # the question is the one before it.
    while asked is not None and asked >= 2 and bare_reply(messages[asked]["content"]):
        if not _ASKED_BACK.search(messages[asked - 1]["content"]):
            break
        asked = _user_before(messages, asked - 1)
    if not choices or asked is None:
        return None
    return Pending(messages[asked]["content"], tuple(messages[:asked]), choices)


def _user_before(messages: Sequence[dict[str, Any]], end: int) -> int | None:
    return next((i for i in range(end - 1, -1, -1) if messages[i].get("role") == "user"), None)


def bare_reply(text: str) -> bool:
    """A reply that is only a yes or a no."""
    bare = text.strip().rstrip("!. ")
    return bool(_YES.fullmatch(bare) or _NO.fullmatch(bare))


def confirms_or_declines(text: str) -> bool:
    """A reply that is only a yes or a no, and more than an acknowledgement ("ok" after an answer says it was
    read, not that the role was the one meant)."""
    return bare_reply(text) and not _ACKNOWLEDGED.fullmatch(text.strip().rstrip("!. "))


_ACKNOWLEDGED = re.compile(r"ok|okay|right", re.I)


def offered(text: str, roles: set[str]) -> tuple[str, ...]:
    """The roles an asking-back message lists: numbered lines ("1. Commercial Pilots"), else a list run
    together ("the closest roles are: A; B; C.")."""
    numbered = [name for _n, name in _NUMBERED.findall(text) if name in roles]
    if numbered:
        return tuple(dict.fromkeys(numbered))
    parts = (p.strip().removeprefix("- ").rstrip(".?").strip() for p in re.split(r";|: |\n", text))
    return tuple(dict.fromkeys(p for p in parts if p in roles))


@dataclass(frozen=True)
class Choice:
    """What a reply to an asking-back says: the role chosen, no to the one offered, or yes to a list of several
    (which one is still to be said)."""

    role: str | None = None
    declined: bool = False
    unsure: bool = False


def read_choice(reply: str, pending: Pending, resolver: RoleResolver) -> Choice | None:
    """A reply that answers the question asked back: yes (to the one role offered), no, a number ("2", "the
    second one"), or the name or part of the name of one of the roles offered ("the heavy truck one"); None
    when the reply is something else (a new question)."""
    text = reply.strip()
    if _YES.fullmatch(text.rstrip("!. ")):
        return Choice(pending.choices[0]) if len(pending.choices) == 1 else Choice(unsure=True)
    if _YES.match(text) and len(pending.choices) == 1:
        return Choice(pending.choices[0])
    index = _choice_number(text)
    if index is not None and -len(pending.choices) <= index < len(pending.choices):
        return Choice(pending.choices[index])
    if _NO.match(text):
        return Choice(declined=True)
    # "elementary school, not special ed": the choice is named by what comes before what is ruled out.
    text = _RULED_OUT.sub("", text).strip() or text
    named = resolver.resolve(text)
    if named.role is not None:
        if named.role in pending.choices:
            return Choice(named.role)
        # Words of another title may be all the words of one offered ("elementary school" of Special Education
        # Teachers, Elementary School, and of Elementary School Teachers, offered): the reply answers the choice.
        offered_one = best_named(text, pending.choices, every_word=True)
        return Choice(offered_one) if offered_one is not None else None
    fitting = [c for c in named.candidates if c in pending.choices]
    if len(fitting) == 1:
        return Choice(fitting[0])
    best = best_named(text, pending.choices)
    return Choice(best) if best is not None else None


_RULED_OUT = re.compile(r"[,;]?\s*\b(?:but not|not|rather than|instead of)\b.*$", re.I)


def qualified(reply: str, asked: str) -> str:
    """The title a reply makes of the title asked, by qualifying it ("trains" to "conductor": "trains
    conductor"; "the civil one" to "engineers": "civil engineers")."""
    words = [w for w in title_words(reply) if w not in STOPWORDS and w not in _REPLY_FILLER]
    return " ".join([*words, asked])


def picks_by_number(text: str) -> bool:
    """Whether a reply picks by its place in the list shown ("9", "the third one")."""
    return _choice_number(text.strip()) is not None


def _choice_number(text: str) -> int | None:
    """The index a reply picks by number ("2", "#2", "the second one", "the last one")."""
    number = _NUMBER.match(text)
    if number is not None:
        return int(number.group(1)) - 1 if int(number.group(1)) > 0 else None
    ordinal = _ORDINAL.match(text)
    return _ORDINALS[ordinal.group(1).lower()] if ordinal is not None else None


_REPLY_FILLER = frozenset("one ones like mean meant guy gal kind sort type job role please i think the that".split())


def best_named(reply: str, choices: Sequence[str], every_word: bool = False) -> str | None:
    """The one choice whose title holds the most of the reply's words ("school" -> "Bus Drivers, School";
    "the physical therapy one" -> Physical Therapists: a word may be the field of a title's word); every_word:
    only a title that holds all of them."""
    words = [w for w in title_words(reply) if w not in STOPWORDS and w not in _REPLY_FILLER and len(w) > 1]
    if not words:
        return None
    scored = []
    for choice in choices:
        title = title_words(choice)
        said = sum(1 for w in words if any(_same_word(w, t) for t in title))
        if said and (said == len(words) or not every_word):
            scored.append((said, said / len(title), choice))
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[0][:2] == scored[1][:2]):
        return None
    return scored[0][2]


def _same_word(typed: str, title_word: str) -> bool:
    """A reply's word for a title's word: the same, or the same stem ("therapy", "therapist")."""
    if typed == title_word:
        return True
    return min(len(typed), len(title_word)) >= 5 and stem(typed)[:5] == stem(title_word)[:5]
