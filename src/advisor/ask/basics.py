"""Conversation basics, told apart from questions about roles by their shape: a message made only of social
words ("hi", "thanks!", "ok bye"), a request about the advisor itself ("what can you do?"), or a request for
the roles it knows ("which roles do you know?", "roles about nursing", then "more"). Plain functions over text;
what to answer is the Advisor's business (it knows the roles)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz.distance import Levenshtein

from .examples import Examples
from .intent import question_intent

# Each act's own words; a message of these and the words below (and nothing else) is that act.
_GREETING = frozenset("hi hello hey heya hiya howdy yo hola greetings morning afternoon evening sup hallo".split())
_THANKS = frozenset(
    "thanks thank thx ty tysm tks cheers appreciate appreciated helpful helped helps grateful kudos".split()
)
_GOODBYE = frozenset("bye goodbye byebye cya farewell later night ciao adios".split())
# Words that go with any of them: "ok great, thanks so much for the help!", "good morning there", "see you".
_ALONG = frozenset(
    """ok okay k kk great awesome perfect cool nice good excellent brilliant super wonderful fantastic lovely
    amazing fine alright right got it that this that's thats was is very so much lot lots a an the you u ya
    for all again there everyone folks advisor bot friend mate buddy man guys really truly help info answer
    answers and oh ah well see have day i i'm im am done it's its for now now all set understood gotcha
    noted sounds sure yes yep yeah nope no wow dear hmm how are it going what's whats up doing""".split()
)
_SOCIAL = _GREETING | _THANKS | _GOODBYE
_LEADING = frozenset("there please pls plz ok okay so".split())  # "hi there, ...", "ok so ..."
# Trailing words that only stress a request ("what are you for exactly?", "so what can you do then?").
_TRAILING = frozenset("please pls plz exactly then anyway anyways".split())
_ALL_SOCIAL = _SOCIAL | _ALONG
_TOKEN = re.compile(r"[a-z']+")

_HELP = re.compile(
    r"^(help|help me|help please|please help|\?+|menu|options|commands|usage|instructions|get(ting)? started|"
    r"(can|could) you help( me)?|how (can|could|do|would) you help( me)?|"
    r"what (can|could|do|should|may) (you|i) (do|ask|answer|help with|say|type)( (you|here|about|with|for))?|"
    r"what (do|can) you (know|cover|answer|help with)|what kinds? of (questions|things)( can i ask( you)?)?|"
    r"what (questions|things) can i ask( you)?|how (does|do) (this|it|you) work|"
    r"how (do|can|should) i use (this|you|it)|(what|who) (is|are) (this|you)|what are you (for|able to do)|"
    r"what is this (for|about)|what'?s this( for| about)?|are you a (bot|robot|person|human))$"
)
# What a request for the catalogue is made of: words for roles, words that ask what the advisor holds, and
# after "about" / "in" / "related to" the field the roles should be in ("any jobs in healthcare?").
_ROLE_NOUNS = frozenset(
    """role roles job jobs career careers occupation occupations position positions profession professions
    title titles field fields options paths anything list catalogue catalog""".split()
)
_PLURAL_ASK = frozenset("roles jobs careers occupations positions professions titles fields options paths".split())
_HOLDING = frozenset(
    """which what whats what's how many any all every other more else you your u ur have has got know cover
    covered covers include included includes available there list listed show see name tell give offer support
    do does did are is can could i we me us ask talk info information data documents docs database catalogue
    catalog index system full complete whole entire here now then exactly the a an of in on for with about
    some kinds kind types type sorts sort different everything you've youve we've them those these they ?""".split()
)
_INTO = (
    "related to",
    "relating to",
    "about",
    "in",
    "on",
    "for",
    "with",
    "around",
    "within",
    "involving",
    "covering",
    "regarding",
    "concerning",
)
_INTO_PATTERN = re.compile(r"(?<![\w-])(" + "|".join(_INTO) + r")(?![\w-])")  # not the "on" of "on-call"
_FIELD_WORDS = re.compile(r"( (field|area|sector|industry|space|domain|roles|jobs|careers))+$")
_MORE = re.compile(
    r"^((ok|okay|yes|sure|and|so) )?(more|show more|more please|next|next page|keep going|go on|continue|"
    r"the rest|show( me)? the rest|more roles|more jobs|show me more|any more|anymore|others|what else)( please)?$"
)
# "which of your roles have 'engineer' in the title?", "any jobs with nurse in the name": the titles that say it.
_IN_THE_TITLE = re.compile(
    r"\b(?:roles?|jobs?|titles?|careers?|occupations?|positions?|ones?)\b.*?\b(?:have|has|having|with|contain|contains|"
    r"containing|include|includes|including|say|says|use|uses)\s+(?:the\s+words?\s+)?'?([a-z][a-z -]{1,30}?)'?\s+in\s+"
    r"(?:the|their|its|the job|the role)\s+(?:titles?|names?)\b"
)
# Subjects that are not a field: "roles with the highest pay" is a comparison, "jobs for me" a fit question.
_NOT_A_FIELD = re.compile(r"\b(me|my|i|someone|somebody|people|person|most|least|highest|lowest|best|more|less)\b")
# "jobs for networking people": the people of a field are the field.
_OF_A_FIELD = re.compile(r"(?<=\w) (people|folks|persons?|types|grads|graduates|majors)$")


@dataclass(frozen=True)
class Act:
    """What a message is when it is no question about roles: greeting, thanks, goodbye, help or catalogue;
    for the catalogue, what the roles should be about ("" for all) and which page of the list."""

    kind: str
    subject: str = ""
    page: int = 0
    # A field read from the words before the one for roles ("banking jobs"): those may be no field at all
    # ("summer jobs"), so the request stands only if some role is about it.
    tentative: bool = False
    in_title: bool = False  # "which roles have 'engineer' in the title?": roles whose titles say the subject


def read_act(message: str, earlier: Sequence[str] = ()) -> Act | None:
    """The act a message is, or None for a question about roles. earlier: the user's earlier messages, oldest
    first, which say what "more" continues."""
    text = _plain(message)
    if not text:
        return None
    social = _social(text)
    if social is not None:
        return Act(social)
    body = _without_social_ends(text)
    if _HELP.match(body):
        return Act("help")
    if _MORE.match(body):
        request = _catalogue_request(earlier)
        if request is not None:
            return replace(request, page=request.page + 1)
        return None
    return _catalogue(body)


# Everyday ways of saying each act, for the messages the words above do not settle ("gotta go", "what is this
# thing for?"): a message is read by its meaning against these only when it names no role and asks no role
# topic. "none" holds messages that are no act, so that a near miss goes to the answering side.
_LIKE: dict[str, tuple[str, ...]] = {
    "greeting": (
        "hello",
        "hi there",
        "hey, is anyone here?",
        "good morning",
        "nice to meet you",
        "greetings",
        "how are you doing today?",
    ),
    "thanks": (
        "thank you",
        "thanks a lot, that was helpful",
        "I appreciate your help",
        "great answer, thanks",
        "that's useful, cheers",
    ),
    "goodbye": (
        "goodbye",
        "bye for now",
        "see you later",
        "I have to go now",
        "that's all I needed, bye",
        "talk to you later",
        "have a nice day",
    ),
    "help": (
        "what can you do?",
        "how does this work?",
        "what can I ask you?",
        "what are you able to help me with?",
        "how do I use this chatbot?",
        "what is this tool for?",
        "explain what you do",
        "who are you?",
    ),
    "none": (
        "what's the weather like today?",
        "tell me a joke",
        "what is the capital of France?",
        "which role pays the most?",
        "I have a degree in physics, which role suits me?",
        "what skills do I need?",
        "how do I write a resume?",
        "what does this role involve?",
        "is it a good career?",
        "how much can I earn?",
    ),
}
ACT_FLOOR = 0.5  # cosine to the closest example above which a message is that act
# Or, less close, when it is this much closer to that act's examples than to any message that is no act
# ("signing off, later!"): only for the acts whose reply does no harm to a message misread. Thanks is not one:
# the model reads "this is useless" as near "that was helpful".
ACT_MARGIN = 0.2
LEAST_ACT = 0.35
_CLEAR_ENOUGH = frozenset({"goodbye", "help"})
MAX_ACT_WORDS = 12


class ActsByMeaning:
    """Greetings, thanks, goodbyes and requests for help in words the patterns do not know, by the closest of
    the examples above in meaning."""

    def __init__(
        self, embed_documents: Callable[[list[str]], np.ndarray], embed_query: Callable[[str], np.ndarray]
    ) -> None:
        self._examples = Examples(_LIKE, embed_documents, embed_query)

    def read(self, message: str) -> Act | None:
        if len(message.split()) > MAX_ACT_WORDS:
            return None
        closeness = self._examples.closeness(message)
        none = closeness.pop("none")
        kind = max(closeness, key=lambda k: closeness[k])
        clear = kind in _CLEAR_ENOUGH and closeness[kind] >= LEAST_ACT and closeness[kind] - none >= ACT_MARGIN
        return Act(kind) if closeness[kind] > none and (closeness[kind] >= ACT_FLOOR or clear) else None


def _catalogue_request(earlier: Sequence[str]) -> Act | None:
    """The catalogue request that a run of "more" messages at the end of the earlier ones continues."""
    page = 0
    for message in reversed(earlier):
        body = _without_social_ends(_plain(message))
        if _MORE.match(body):
            page += 1
            continue
        found = _catalogue(body)
        return replace(found, page=page) if found is not None else None
    return None


def _catalogue(body: str) -> Act | None:
    """ "which roles do you know?", "list all jobs", "any roles in healthcare?": words for roles and for what
    the advisor holds, and nothing else but, after "about" / "in", the field asked. "which roles need a PhD?"
    has more ("need", "phd") and is a question about roles."""
    named = _IN_THE_TITLE.search(body)
    if named is not None and not set(named.group(1).split()) & _HOLDING:
        return Act("catalogue", named.group(1), in_title=True)  # "which roles have 'engineer' in the title?"
    tokens = body.split()
    # "list engineering roles": the plural names the roles; "list" only asks for them.
    first = next((i for i, t in enumerate(tokens) if t in _PLURAL_ASK), None)
    if first is None:
        first = next((i for i, t in enumerate(tokens) if t in _ROLE_NOUNS), None)
    if first is None:
        return None
    head, subject, tentative = body, "", False
    after = " ".join(tokens[first + 1 :])
    into = _INTO_PATTERN.search(after)
    if into is not None and set(after[into.end() :].split()) <= _HOLDING | _ROLE_NOUNS:
        into = None  # "any telecom jobs on your list": where the roles are, not what they are about
    # "show me banking jobs": the field named before the word for roles, after the words that ask.
    start = first
    while start > 0 and tokens[start - 1] not in _HOLDING:
        start -= 1
    before = " ".join(tokens[start:first])
    if into is not None:
        subject = _FIELD_WORDS.sub("", after[into.end() :].strip()).removeprefix("the ").strip()
        head = " ".join([*tokens[:start], tokens[first], after[: into.start()]]).strip()
    elif before:
        subject, head = before, " ".join([*tokens[:start], *tokens[first:]])
        tentative = True
    if before and into is not None:
        return None  # "banking jobs in london": a field and a place or topic, more than a list asks
    subject = _OF_A_FIELD.sub("", subject)
    if any(t not in _HOLDING and t not in _ROLE_NOUNS for t in head.split()):
        return None
    # The roles are asked with a plural ("which jobs"), a list or a catalogue: "the career path for ..." is
    # about one role.
    if not set(head.split()) & (_PLURAL_ASK | {"list", "catalogue", "catalog", "anything", "everything"}):
        return None
    if not subject:
        return Act("catalogue")
    # A topic of roles ("jobs with good pay", "roles for me") is a question about them, not a field.
    if len(subject.split()) > 6 or _NOT_A_FIELD.search(subject) or question_intent(subject) != "other":
        return None
    if set(subject.split()) <= _HOLDING | _ROLE_NOUNS:
        return Act("catalogue")  # "which roles can I ask about?"
    return Act("catalogue", subject, tentative=tentative)


def _plain(message: str) -> str:
    """Lower case, curly quotes straightened, emoji and punctuation other than ' and ? dropped, a typo in a
    word for roles mended ("roels")."""
    text = message.lower().replace("\u2019", "'")
    text = re.sub(r"[^a-z0-9' &/+?$-]+", " ", text)
    text = re.sub(r"[a-z]{4,}", lambda m: _role_noun(m.group(0)), text)
    text = re.sub(r"\?+", " ? ", text)
    return " ".join(text.split()).strip(" ?-") or ("?" if "?" in text else "")


def _social(text: str) -> str | None:
    """greeting / thanks / goodbye when the message is made of such words only (typos of one letter forgiven);
    a goodbye wins over thanks, and thanks over a greeting ("thanks, bye!" is a goodbye)."""
    tokens = _TOKEN.findall(text)
    if not tokens or len(tokens) > 12:
        return None
    found = set()
    for token in tokens:
        word = _known(token)
        if word is None:
            return None
        found.add(word)
    # "see you" and "that's all / that's it" take leave without a goodbye word.
    if found & _GOODBYE or re.search(r"\bsee (you|ya)\b|\bthat'?s (all|it)\b|\b(i'?m|we'?re|all) done\b", text):
        return "goodbye"
    if found & _THANKS:
        return "thanks"
    if found & _GREETING or re.search(r"\bhow are (you|u)\b|\bhow'?s it going\b|\bwhat'?s up\b", text):
        return "greeting"
    # "ok", "great", "got it": an acknowledgement, answered like thanks.
    return "thanks" if found & {"ok", "okay", "great", "awesome", "perfect", "cool", "nice", "got", "gotcha"} else None


def _role_noun(token: str) -> str:
    if token in _ROLE_NOUNS:
        return token
    for noun in ("roles", "jobs", "careers", "occupations", "positions", "professions", "role", "job", "career"):
        # Short nouns only by swapped letters ("rloe"), or "rule" and "rose" would become roles.
        near = len(noun) > 4 and Levenshtein.distance(token, noun) <= 1
        if near or (len(token) == len(noun) and sorted(token) == sorted(noun)):
            return noun
    return token


def _known(token: str) -> str | None:
    if token in _ALL_SOCIAL:
        return token
    if len(token) >= 4 and re.fullmatch(r"(\w)\1*", token) is None:
        # Drawn-out words ("hiii", "thanksss") and one-letter typos ("thnaks", "helo").
        squeezed = re.sub(r"(\w)\1+$", r"\1", token)
        if squeezed in _ALL_SOCIAL:
            return squeezed
        close = [w for w in _SOCIAL if len(w) >= 4 and Levenshtein.distance(token, w, weights=(1, 1, 1)) <= 1]
        transposed = [w for w in _SOCIAL if len(w) >= 4 and sorted(w) == sorted(token) and len(w) == len(token)]
        if close or transposed:
            return (close or transposed)[0]
    elif len(token) >= 2:
        squeezed = re.sub(r"(\w)\1+$", r"\1", token)
        if squeezed in _ALL_SOCIAL:
            return squeezed
    return None


def _without_social_ends(text: str) -> str:
    """The message without greetings and courtesies around it ("hi! what can you do? thanks")."""
    tokens = text.split()
    while tokens and (tokens[0] in _LEADING or _known(tokens[0]) in _SOCIAL):
        tokens = tokens[1:]
    while tokens and (tokens[-1] in {"?", *_TRAILING} or _known(tokens[-1]) in _THANKS):
        tokens = tokens[:-1]
    return " ".join(tokens).strip(" ?") or ("?" if text.strip() == "?" else "")


def reply(kind: str, roles: int, examples: Sequence[str], fit: bool = False) -> str:
    """What the advisor says to a greeting, thanks, goodbye or a request for help: what it does and how to
    ask, with example questions that work on the indexed roles. Nothing about any role is stated here."""
    what = (
        f"I answer questions about {roles:,} job role{'s' if roles != 1 else ''} from their role documents: what a "
        "role requires, what it pays, where it leads and what the work involves, citing the passage behind every "
        "statement."
    )
    if kind == "greeting":
        first = f" Try “{examples[0]}”" if examples else " Ask about a role"
        return f"Hello! {what}{first}, or ask “what can you do?”."
    if kind == "thanks":
        return "You're welcome! Ask me anything else about these roles."
    if kind == "goodbye":
        return "Goodbye, and good luck with your search!"
    lines = [f"{what} I can also compare roles and list the roles I know."]
    if fit:
        lines[0] += " Tell me your background (degree, years of experience, skills) and I will say which roles fit it."
    if examples:
        lines.append("For example:")
        lines += [f"- {example}" for example in examples]
    lines.append("Ask “which roles do you know?” for the list.")
    return "\n".join(lines)
