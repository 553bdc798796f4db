"""What a question asks about (pay, requirements, growth, responsibilities, other), and which sections and
sentences speak to each intent. Plain functions over text, tested without a model."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..records import INTENTS

_QUESTION_PATTERNS: dict[str, re.Pattern[str]] = {
    "pay": re.compile(
        r"\b(salar(y|ies)|pay(s|ing)?|paid|earn(s|ing|ings|ers?)?|compensat\w*|wages?|income|bonus(es)?|hourly|hrly|"
        # An amount of money asked about: "100k possible?", "6 figs?", "over 100 grand".
        r"\d[\d,.]*\s?(k|grand)|(six|seven|6|7)[- ]fig(ure)?s?|"
        r"how much (do|does|can|will|would|could)\b|(make|earn|get paid) how much\b|make (a|an|per) (year|month|hour)|"
        r"rsus?|stock options?|"
        r"money|remuneration|perks|benefits|raises?|pay rises?|salary increases?|stock|equity|six figures|"
        r"(how much|the most|the least|can|could|would|will|to|do|does) (\w+ ){0,2}"
        r"make( (a|per|six|\$|\d)\w*)?(?=\s*\??$)|"
        r"mak(e|es|ing) (six|\$|\d[\d,.]*\s?[km]?|good money|a living|more|less))\b",
        re.I,
    ),
    "responsibilities": re.compile(
        r"\b(responsib\w*|dut(y|ies)|day[- ]to[- ]day|tasks?|typical day|in charge of|"
        r"what (kind of |sort of )?(stuff |things |work |projects |problems )?(do|does|would|will) "
        r"(an? |the )?[\w\s-]{0,60}?"
        r"\b(do|doing|build|create|develop|design|work on|handle|deal with|solv(e|ing))\b|(role|job|work) involve\w*|"
        r"(my|your|their|a|the) (typical |normal |average |usual )?(work)?day\b|day in the life|"
        r"who (do|does|would|will) (i|you|they|he|she|\w+s) (\w+ ){0,2}work with|"
        # "What do they spend their time on?": how the working hours go.
        r"spend(s|ing)? (\w+ ){0,3}(time|days|hours|workdays?))",
        re.I,
    ),
    "growth": re.compile(
        r"\b(career (path|growth|progression|development|prospects|ladder)|grow(th)?|advanc\w*|promot\w*|"
        r"progress\w*|next steps?|move up|future|outlook|demand|job market|prospects|opportunit\w*|trends?|"
        r"from there|transition\w*|move (up|on|into|to|from)|switch (to|into)|other (jobs|roles|positions|careers)|"
        r"later on|long[- ]term|what comes (after|next)|after (being|working as)|lead to|"
        r"where (can|could|does|do|will|would) [\w\s-]{0,40}\b(lead|go|take))\b",
        re.I,
    ),
    "requirements": re.compile(
        r"\b(degrees?|educat\w*|schooling|qualif\w*|requir\w*|prerequisites?|certif\w*|skills?|experience|background|"
        r"stud(y|ies|ying)|learn|majors?|ph\.?d|master'?s|bachelor'?s|should i know|need to know|"
        r"tools?|languages?|frameworks?|become an?|get into|get hired|expertise|years)\b",
        re.I,
    ),
}

# Earlier entries win when a question matches several: "how much do senior roles pay" is about pay.
_PRIORITY = ("pay", "responsibilities", "growth", "requirements")

_HEADING_PATTERNS: dict[str, re.Pattern[str]] = {
    "pay": re.compile(r"salar|compensation|\bpay\b|wage|benefit|perks|bonus|earning", re.I),
    "requirements": re.compile(
        r"requirement|qualification|skill|educat|experience|expertise|certification|background|foundation|"
        r"require|knowledge",
        re.I,
    ),
    "growth": re.compile(
        r"career|growth|advancement|demand|opportunit|path|outlook|trend|professional development|progression",
        re.I,
    ),
    "responsibilities": re.compile(r"responsib|duties|\btasks?\b|key aspects|what they do", re.I),
}

# Inside a passage, a sentence speaks to pay only with a figure or a pay word.
_TEXT_PATTERNS: dict[str, re.Pattern[str]] = {
    "pay": re.compile(
        r"\$\s?\d|\bsalar|\bcompensation\b|\bwages?\b|\bpaid\b|\bbonus|\bstock options\b|\b401\(k\)", re.I
    ),
}


# Finer topics within one: a small prior between the sections of one topic ("job outlook" is about demand,
# "what comes after" about advancement, "perks" about benefits rather than the salary).
_FACETS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "demand": (
        re.compile(
            r"\b(outlook|demand|job market|market|hiring|hire[sd]?|sought|prospects|industr(y|ies)|sectors?|"
            r"employers?)\b",
            re.I,
        ),
        re.compile(r"demand|outlook|market|hiring|sought|employer", re.I),
    ),
    "advancement": (
        re.compile(
            r"\b(career path|advanc\w*|promot\w*|next (step|role|move)s?|move (up|into|on)|transition\w*|lead|"
            r"after|from there|progress\w*|ladder)\b",
            re.I,
        ),
        re.compile(r"career (path|growth|progression)|advancement|growth opportunit|progression|\bpath\b", re.I),
    ),
    "challenges": (
        re.compile(
            r"\b(challeng\w*|hard(est)?|difficult\w*|struggl\w*|headaches?|pain points?|problems?|downsides?|"
            r"cons|obstacles?|risks?)\b",
            re.I,
        ),
        # Not "Problem-Solving": a skill heading, not a difficulty of the work.
        re.compile(r"challeng|difficult|problem(?!-solving)|obstacle|risk", re.I),
    ),
    "benefits": (
        # Pay besides the salary too: equity, bonuses ("Additional Compensation").
        re.compile(
            r"\b(benefits?|perks?|insurance|401\(?k\)?|pto|vacation|time off|health(care)?|equity|stock|shares|"
            r"rsus?|bonus(es)?|sign[- ]on)\b",
            re.I,
        ),
        re.compile(r"benefit|perk|additional compensation|bonus|stock|equity", re.I),
    ),
    "collaboration": (
        re.compile(
            r"\b(who (do|does|would|will|did|should) [\w\s]{0,40}?(work|working|works|team up) with|"
            r"work(s|ing)? (with|alongside) (whom|who|others|other people)|collaborat\w*|team ?mates?|colleagues?|"
            r"co-?workers?|stakeholders?|interact\w*|(solo|alone|on (my|their|your|his|her) own) or|"
            r"(in|on|with) an? teams?|team or solo|team work|teamwork)\b",
            re.I,
        ),
        re.compile(r"collaborat|teamwork|stakeholder|interpersonal", re.I),
    ),
    # Where the figures come from and how far to trust them ("are those numbers real data or guesses?").
    "provenance": (
        re.compile(
            r"\b(sources?|(come|came|comes) from|based on|(just )?(a )?guess(es|ing|timates?)?|made up)\b|"
            # "how accurate is the pay info?", "are those numbers real?": trust in figures, not a trait of the work
            r"\b(accurate|reliable|trustworthy|up to date|current|real)\b.{0,40}\b(numbers|figures|data|info|"
            r"information|stats|estimates?|salar\w+|pay)\b|\b(numbers|figures|data|info|information|stats|"
            r"estimates?|salar\w+|pay)\b.{0,40}\b(accurate|reliable|trustworthy|up to date|current|real)\b",
            re.I,
        ),
        re.compile(r"\bsources?\b|methodology", re.I),
    ),
}
# A sub-topic said in a unit's own words, under any heading ("Collaborate within dynamic teams, often interfacing
# with various stakeholders" among a section on the work environment).
_TEXT_FACETS: dict[str, re.Pattern[str]] = {
    "collaboration": re.compile(
        r"\b(collaborat\w*|work(s|ing)? (closely |directly )?(with|alongside) (\w+ ){0,3}"
        r"(teams?|engineers|managers|stakeholders|colleagues|departments|researchers|clients|others)|"
        r"interfac\w* with|cross-functional|independently|stakeholders?|team-based)\b",
        re.I,
    ),
    "provenance": re.compile(
        r"\b(based on|estimates?|estimated|sources?|data from|according to|as of|surveys?|reported by)\b", re.I
    ),
}


# Sub-topics of no one topic (the others are parts of growth or pay); of those, the ones a document gives a
# section of their own, read as a whole, where the others are found line by line.
TOPICLESS_FACETS = frozenset({"challenges", "collaboration", "provenance"})
SECTION_FACETS = frozenset({"challenges"})


def question_facets(text: str) -> frozenset[str]:
    return frozenset(name for name, (question, _heading) in _FACETS.items() if question.search(text))


@lru_cache(maxsize=65536)
def heading_facets(heading: str) -> frozenset[str]:
    return frozenset(name for name, (_question, pattern) in _FACETS.items() if pattern.search(heading))


def text_facets(text: str) -> frozenset[str]:
    return frozenset(name for name, pattern in _TEXT_FACETS.items() if pattern.search(text))


def question_intent(text: str) -> str:
    found = [name for name in _PRIORITY if _QUESTION_PATTERNS[name].search(text)]
    if found and found[0] == "responsibilities" and "collaboration" in question_facets(text):
        # "Who do they work with day to day?": the people of the work, wherever the document speaks of them.
        return "other"
    return found[0] if found else "other"


def naming_words(text: str) -> set[str]:
    """The words of a question that only name its topic ("next step", "what does ... do", "salary"): the
    spans the topic patterns match."""
    out: set[str] = set()
    for pattern in _QUESTION_PATTERNS.values():
        for found in pattern.finditer(text):
            out.update(w.lower() for w in re.findall(r"[\w']+", found.group(0)))
    return out


@lru_cache(maxsize=65536)
def heading_intents(heading: str) -> frozenset[str]:
    return frozenset(name for name, pattern in _HEADING_PATTERNS.items() if pattern.search(heading))


def section_intents(section_path: Sequence[str]) -> frozenset[str]:
    """Intents of a section path such as ('Career Development', 'Compensation and Benefits')."""
    out: set[str] = set()
    for heading in section_path:
        out |= heading_intents(heading)
    return frozenset(out)


# The headings that are most squarely about an intent: they rank above others of the same intent.
_PRIMARY_HEADINGS: dict[str, re.Pattern[str]] = {
    "pay": re.compile(r"salar|compensation|\bpay\b|wage", re.I),
    "requirements": re.compile(r"requirement|qualification|educat|skills", re.I),
    "growth": re.compile(
        r"career (growth|path|development|progression)|advancement|growth opportunit|career path", re.I
    ),
    "responsibilities": re.compile(r"responsib|duties", re.I),
}
_LABEL_LINE = re.compile(r"^[^\n]{3,120}:[ \t]*$", re.M)


def primary_heading(section_path: Sequence[str], intent: str) -> bool:
    pattern = _PRIMARY_HEADINGS.get(intent)
    return bool(pattern and section_path and pattern.search(section_path[-1]))


def passage_intents(section_path: Sequence[str], text: str) -> frozenset[str]:
    """Intents of a passage: its headings, its "...require:" label lines, and pay figures in its text."""
    out = set(section_intents(section_path)) | text_intents(text)
    for line in _LABEL_LINE.findall(text):
        out |= heading_intents(line)
    return frozenset(out)


# Passages are scanned again for every question that finds them; the patterns are fixed, so keep the result.
@lru_cache(maxsize=65536)
def text_intents(text: str) -> frozenset[str]:
    return frozenset(name for name, pattern in _TEXT_PATTERNS.items() if pattern.search(text))


def label(name: str) -> str:
    return {
        "pay": "pay",
        "requirements": "requirements",
        "growth": "career growth",
        "responsibilities": "responsibilities",
        "other": "this topic",
    }[name]


assert set(_PRIORITY) | {"other"} == set(INTENTS)
