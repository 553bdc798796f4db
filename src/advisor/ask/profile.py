"""A person's background, read from what they say about themselves ("I have a PhD in physics and 3 years as a
data analyst; I know SQL and Python"): degrees (level and field), years of experience, skills and tools, job
titles, certifications and interests. Only read from the conversation's own messages, never stored.

The patterns are a small prior over how people say these things; which roles fit is decided by the documents
(ask/fit.py), never by these words.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from .questions import spelled_out

# Degree levels, lowest first: a higher one satisfies a requirement for a lower one.
LEVELS = ("none", "high school", "certificate", "associate", "bachelor", "master", "doctorate")
LEVEL_WORDS = {
    "none": "no degree",
    "high school": "a high school diploma",
    "certificate": "a post-secondary certificate",
    "associate": "an associate's degree",
    "bachelor": "a bachelor's degree",
    "master": "a master's degree",
    "doctorate": "a doctorate (Ph.D.)",
}
_DEGREE = (
    ("doctorate", r"ph\.?\s?d\.?|doctor(?:ate|al degree)|d\.?phil|m\.?d\.?(?= )|j\.?d\.?(?= )"),
    ("master", r"master'?s?(?: degree)?|m\.?sc?\.?(?= )|m\.?eng|mba|m\.?a\.?(?= in)|ms(?= in)"),
    ("bachelor", r"bachelor'?s?(?: degree)?|b\.?sc?\.?(?= )|b\.?a\.?(?= in)|b\.?eng|bs(?= in)|ba(?= in)|undergrad\w*"
     r"|(?:college|university|four-year) degree"),
    ("associate", r"associate'?s? degree|associate of \w+"),
    ("certificate", r"(?:post-secondary|vocational|trade school) certificate"),
    ("high school", r"high school(?: diploma)?|ged\b"),
    # "I studied physics", "I majored in economics": a field, its level (or whether it was finished) not said.
    ("", r"(?:studied|majored\s+in|major\s+in|graduated\s+in)(?=\s+[a-z])"),
    # "a degree in physics", "a physics degree": a degree without a level is, as people say it, a college one.
    ("degree", r"(?<!master's )(?<!masters )(?<!bachelor's )(?<!associate )(?<!associate's )degree(?= in)"
     r"|(?:(?<=\ba )|(?<=\ban )|(?<=\bmy ))[a-z]+(?: [a-z]+)? degree\b"),
)  # fmt: skip
_DEGREES = [(level, re.compile(rf"\b(?:{pattern})", re.I)) for level, pattern in _DEGREE]
_NO_DEGREE = re.compile(
    r"\b(no|without an?|(?:don't|do not|never) (?:have|had|got) an?|never (?:got|finished|completed) (?:a|my)|"
    r"didn't (?:get|finish) a)\s+(college |university )?degree\b|\bdropped out of (college|university)\b",
    re.I,
)
# What a degree is in: "PhD in physics", "master's degree in computer science from MIT".
_FIELD_AFTER = re.compile(
    r"^\s*(?:degree\s+)?(?:in|of)\s+((?:[a-z][\w&+-]*)(?:\s+(?!from\b|at\b|and\b|with\b|but\b|since\b|where\b"
    r"|which\b|who\b|then\b|so\b|i\b)[a-z][\w&+-]*){0,3})",
    re.I,
)
_FIELD_BEFORE = re.compile(r"\b(?:an?|my)\s+((?:[a-z][\w&+-]*\s+){1,3})(?:degree|major)\b", re.I)
_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
}
_YEARS = re.compile(
    r"\b(\d{1,2}(?:\.\d)?|" + "|".join(_NUMBER_WORDS) + r")\s*\+?\s*(?:-\s*\d{1,2}\s*)?(?:years?|yrs?)\b"
    r"(?!\s+(?:ago|old|from now))",
    re.I,
)
_DECADE = re.compile(r"\b(a|one|two|three) decades?\b", re.I)
_STOP = (
    r"(?=[,.;!?()]|\s+(?:and|but|so|because|which|who|where|when|while|since|for|at|in|with|from|on|of|to|"
    r"what|how|should|could|would|can|now|i|i'm|my|looking|interested)\b|$)"
)
_TITLE = re.compile(
    r"\b(?:i\s+am|i'm|im|i\s+was|i've\s+been|i\s+have\s+been|i\s+work(?:ed)?\s+as|working\s+as|worked\s+as|"
    r"\bas|currently|formerly|former|previously)\s+"
    r"(?:an?\s+|the\s+)?((?:senior|junior|lead|staff|principal|chief|head|registered|licensed|certified|"
    r"[a-z][\w/&+-]*)(?:\s+[a-z][\w/&+-]*){0,4}?)" + _STOP,
    re.I,
)
_NOT_TITLES = re.compile(
    r"^(?:also|not|very|really|interested|looking|trying|good|great|currently|familiar|comfortable|fluent|proficient"
    r"|skilled|able|passionate|curious|new|recent|fresh|working|studying|thinking|wondering|"
    r"considering|done|finished|about|going|here|just|still|now|fine|ok|okay|happy|keen|eager|into|in|at|on|with|"
    r"from|retired|unemployed|self|a|an|the)\b",
    re.I,
)
_SKILLS = re.compile(
    r"\b(?:knows|i\s+(?:also\s+)?(?:know|use|used|speak|code\s+in|program\s+in|write|wrote|can\s+use|can\s+write|have\s+"
    r"used|'ve\s+used|work\s+with|worked\s+with|am\s+good\s+(?:at|with))|i've\s+(?:also\s+)?(?:used|worked\s+with|"
    r"written)|(?:skilled|proficient|fluent|experienced|expert|versed|strong)\s+(?:in|at|with)|familiar\s+with|"
    r"comfortable\s+with|knowledge\s+of|experience\s+(?:with|in|using)|background\s+in|skills?\s+(?:in|include|are)|"
    r"good\s+(?:at|with)|know(?:s)?\s+how\s+to(?:\s+use)?|hands-on\s+with|expertise\s+in)\s+([^.;!?]+)",
    re.I,
)
_INTERESTS = re.compile(
    r"\b(?:interested\s+in|passionate\s+about|i\s+(?:really\s+)?(?:like|love|enjoy)|(?:likes|loves|enjoys)|i'd\s+like\s+to\s+work\s+(?:on|in|"
    r"with)|i\s+want\s+to\s+work\s+(?:on|in|with)|fascinated\s+by|curious\s+about|drawn\s+to|i'm\s+into)\s+([^.;!?]+)",
    re.I,
)
_CERTIFIED = re.compile(
    r"\b(?:((?:[A-Z][\w+/-]*\s+){1,3})(?:certified|certification|certificate|license)s?\b"
    r"|certified\s+(?:in|as\s+an?)\s+((?:[\w+/-]+)(?:\s+(?!and\b|with\b)[\w+/-]+){0,3})"
    r"|(?:hold|have|passed|earned|got)\s+(?:an?\s+|the\s+|my\s+)?([A-Z]{2,6})\b)"
)
_SPLIT = re.compile(r",\s*|\s+(?:and|or|plus|as well as|&)\s+|/(?=\s)|\s+along with\s+")
_FILLER = re.compile(
    r"^(?:also|some|a\s+lot\s+of|lots\s+of|basic|advanced|strong|solid|good|a\s+bit\s+of|a\s+little|the|a|an|my|"
    r"things\s+like|tools\s+like|languages\s+like|such\s+as|e\.g\.)\s+",
    re.I,
)
# Where a mention ends: the person goes on to say something else.
_CLAUSE_END = re.compile(
    r"\s+(?:which|what|where|who|how|should|could|would|can|do|does|is|are|am|was|were|for\s+(?:\d|a\b)|have|has|"
    r"had|with\s+(?:a|an|\d)\b|every\s+\w+|daily|weekly|regularly|at\s+work|a\s+lot|too|as\s+well|professionally|"
    r"i\b|i'm\b|i've\b|my\b|but\b|so\b|because\b|since\b|now\b)\b.*$",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|,\s*(?=(?:which|what|where|how|can|could|should|would)\b)", re.I)
# A field of work: "a finance background", "a background in finance", "coming from marketing".
_AREA = re.compile(
    r"\b(?:an?|my)\s+((?:[a-z][\w&+-]*\s+){1,3})background\b"
    r"|\bbackground\s+(?:is\s+)?in\s+([a-z][\w&+-]*(?:\s+(?!and\b|but\b|with\b|so\b|i\b)[a-z][\w&+-]*){0,2})"
    r"|\b(?:coming|come|switching|moving)\s+from\s+(?:an?\s+)?([a-z][\w&+-]*(?:\s+(?!background)[a-z][\w&+-]*)?)"
    r"(?=\s+(?:background|world|industry|side|sector)|[,.;!?]|$)",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(i|i'm|im|i've|i'd|my|me|myself)\b", re.I)
_BACKGROUND_WORDS = re.compile(
    r"\b(degree|ph\.?\s?d|master'?s|bachelor'?s|diploma|graduated?|studied|major(ed)?|years?|experience|background|"
    r"skills?|know|worked|work as|certified|certification|license[d]?|fluent|proficient|familiar|trained|"
    r"interested|passionate|enjoy|love)\b",
    re.I,
)
MIN_STATEMENT_WORDS = 5  # "In my job I grade students' work" describes a background; "I see" does not
_WHICH = r"(?:which|wich|what|wat)"
_ROLE_WORDS = r"(?:roles?|jobs?|careers?|positions?|occupations?|paths?|professions?|lines?\s+of\s+work|ones?)"
_FIT_ASK = re.compile(
    r"\b(?:(?:fits?|suits?|suited|matche?s?|right|best|good|ideal)\s+(?:for\s+)?(?:me|my\s+\w+|someone|a\s+person"
    r"|people)\b"
    rf"|{_WHICH}\b[^.?!]{{0,40}}\b{_ROLE_WORDS}\b[^.?!]{{0,50}}\b(?:(?:should|could|would|might|can|do)\s+(?:i|someone"
    r"|one|a\s+person|people)\b|fits?\b|suits?\b|suited\b|match(?:es)?\b|qualif(?:y|ies)\b|for\s+me\b|is\s+me\b"
    r"|would\s+you\s+(?:suggest|recommend|pick|choose)\b)"
    # "what fits?", "which job fits", "which occupation is mine?", "what occupation am i"
    rf"|{_WHICH}\s+(?:{_ROLE_WORDS}\s+)?(?:fits?|suits?|matches)\b"
    rf"|{_WHICH}\s+{_ROLE_WORDS}\s+(?:is\s+(?:this|that|mine|it|me)|am\s+i|would\s+(?:this|that)\s+be)\b"
    r"|what\s+(?:should|could|can|might)\s+i\s+(?:be\s+)?(?:apply(?:ing)?\s+(?:for|to)\b|go(?:ing)?\s+for\b"
    r"|aim(?:ing)?\s+for\b|target(?:ing)?\b"
    r"|(?:look|do|become|pursue|consider)\b[^.?!]{0,40}\b(?:with|given|background|experience|degree|skills?)\b)"
    r"|\bapply\s+(?:for|to)\b[^.?!]{0,40}\b(?:my|this)\s+(?:background|experience|skills?|degree|profile|cv|resume)"
    r"|\b(?:am|would)\s+i\s+(?:be\s+)?(?:an?\s+)?(?:good\s+|strong\s+)?(?:fit|match|candidate)\b"
    r"|\bwhere\s+(?:do|would|could|might)\s+i\s+fit\b"
    r"|\b(?:roles?|jobs?|careers?|positions?)\s+(?:for|that\s+(?:fit|suit|match))\s+(?:me|my|someone|a\s+person)\b"
    r"|\bwhat\s+(?:can|could)\s+i\s+do\s+with\s+(?:my|a|an)\b"
    r"|\bwhat\s+else\s+(?:can|could|should|might)\s+i\s+do\b"
    r"|\b(?:recommend|suggest)\b[^.?!]{0,30}\b(?:roles?|jobs?|careers?|positions?|occupations?)\b"
    r"|\bwhat\s+(?:am\s+i|i'm|would\s+i\s+be)\s+(?:best\s+)?(?:qualified|suited|cut\s+out)\s+for\b"
    r"|\b(?:closest|close|suited|suitable|relevant)\s+(?:to|for)\s+(?:me|my\s+(?:background|experience|skills?|"
    r"profile|degree))\b"
    r"|\b(?:based\s+on|given)\s+my\s+(?:background|experience|skills?|degree|qualifications|profile|cv|resume)\b"
    r"[^.?!]{0,40}\b(?:what|which|where)\b)",
    re.I,
)
# "bsc IT, 6 yrs aws. which role?": a bare "which role?" after a background asks which fits it.
_BARE_ASK = re.compile(
    rf"(?:(?:^|[.!?,;:])\s*(?:{_WHICH}\s+)?{_ROLE_WORDS}|\b{_WHICH}\s+{_ROLE_WORDS}|(?:^|[.!?,;:])\s*best\s+(?:match|fit))"
    r"\s*\?*\s*$",
    re.I,
)


@dataclass(frozen=True)
class Degree:
    level: str  # one of LEVELS
    field: str  # what it is in ("physics"), "" when not said
    quote: str  # the words that say it
    exact: bool = True  # False: "a law degree", "a degree in physics" (a degree, its level not said)


@dataclass(frozen=True)
class Profile:
    """What a person said about themselves; an empty field is something they did not say."""

    degrees: tuple[Degree, ...] = ()
    years: float | None = None  # the most years of work experience they state
    years_quote: str = ""
    skills: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # fields of work they come from ("finance")
    statements: tuple[str, ...] = ()  # what they say about themselves (questions left out), for meaning

    @property
    def empty(self) -> bool:
        """Nothing said about themselves: no fact read, nor a description of their work in a few words."""
        return not self.stated and len(" ".join(self.statements).split()) < MIN_STATEMENT_WORDS

    @property
    def stated(self) -> bool:
        """Whether a degree, years, a skill, a title, a certification, an interest or a field was read."""
        return bool(self.degrees or self.years is not None or self.skills or self.titles or self.certifications
                    or self.interests or self.areas)  # fmt: skip

    @property
    def level(self) -> str | None:
        """The highest degree they state, None when they say nothing about degrees."""
        levels = [d.level for d in self.degrees if d.level]
        return max(levels, key=LEVELS.index) if levels else None

    @property
    def level_said(self) -> bool:
        """Whether the highest degree's level was said ("a master's"), not guessed ("a law degree")."""
        return any(d.exact for d in self.degrees if d.level == self.level)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.field for d in self.degrees if d.field))

    def summary(self) -> str:
        """What was read, in a line, so the person can see (and correct) what the ranking used."""
        parts = []
        for degree in self.degrees:
            if not degree.level:
                parts.append(f"studied {degree.field}")
                continue
            words = LEVEL_WORDS[degree.level] if degree.exact else "a degree"
            parts.append(f"{words} in {degree.field}" if degree.field else words)
        if self.years is not None:
            parts.append(f"{self.years:g} year{'s' if self.years != 1 else ''} of experience")
        if self.titles:
            parts.append("worked as " + ", ".join(self.titles))
        if self.areas:
            parts.append("background in " + ", ".join(self.areas))
        if self.skills:
            parts.append("skills: " + ", ".join(self.skills))
        if self.certifications:
            parts.append("certifications: " + ", ".join(self.certifications))
        if self.interests:
            parts.append("interests: " + ", ".join(self.interests))
        return "; ".join(parts)


def asks_for_fit(text: str) -> bool:
    """Whether a message asks which roles suit the person ("which role fits me?", "what should I apply for with
    my background?"), or ends a background with a bare "which role?"."""
    if _FIT_ASK.search(text):
        return True
    return bool(_BARE_ASK.search(text)) and not read_profile([text]).empty


def fit_target(text: str) -> str | None:
    """The role a person asks to be judged for ("am I a good fit for the senior cloud engineer role?"), as they
    name it; None when they ask which roles fit."""
    found = _TARGET.search(text)
    return found.group(1).strip() if found else None


_TARGET = re.compile(
    r"\b(?:fit|match|candidate|qualified|suited|right)\s+(?:for|as)\s+(?:an?\s+|the\s+)?([^.?!,;]{3,80}?)"
    r"(?:\s+(?:role|job|position))?\s*(?:[.?!,;]|$)",
    re.I,
)


def asks_bare(text: str) -> bool:
    """A message that ends in a bare "which role?" or "occupation?": a fit question when a background comes with
    it, in the message or before it."""
    return bool(_BARE_ASK.search(text))


def describes_self(text: str) -> bool:
    """Whether a message tells something about the person's own background ("I also know SQL")."""
    if not _FIRST_PERSON.search(text):
        return False
    return bool(_BACKGROUND_WORDS.search(text)) or not read_profile([text]).empty


_OPENERS = r"what|which|who|whose|when|where|why|how|do|does|did|is|are|can|could|should|would|will"
_ASKS = re.compile(rf"\?|^(?:{_OPENERS}|tell)\b", re.I)
# "Do I need certs to land a senior cloud engineer role?": the person asks, and says nothing of themselves.
_QUESTION_START = re.compile(rf"\s*(?:{_OPENERS}|am|must|may)\b", re.I)
_MARKUP = re.compile(r"\[\s*\d*\s*\]|[*_`\[\]]")


def read_profile(messages: Iterable[str], known: Collection[str] = (), told: bool = False) -> Profile:
    """The background the messages state, oldest first; a later figure (years) replaces an earlier one. known:
    tool and skill names (lower case) the documents use, found in the messages however they are said. told: the
    last message is known to describe the person (a background given to match), in whatever form: notes with
    no "I" ("install and service furnaces, recharge refrigerant") are their work too."""
    # What is read is said back in the reply: a "[2]" or "**" the person typed must not become a citation
    # marker or emphasis there.
    messages = [_MARKUP.sub(" ", spelled_out(m)) for m in messages]  # "5 yrs xp", "ATP cert"
    last = len(messages) - 1
    degrees: dict[tuple[str, str], Degree] = {}
    years: tuple[float, str] | None = None
    skills: dict[str, None] = {}
    titles: dict[str, None] = {}
    certifications: dict[str, None] = {}
    interests: dict[str, None] = {}
    areas: dict[str, None] = {}
    statements = []
    for k, message in enumerate(messages):
        text = " ".join(message.split())
        # Told in a conversation that ends asking what suits them, the person's statements are about them
        # ("these days mostly terraform and containers on google cloud"); their questions are not.
        about_self = told and (k == last or not _ASKS.search(text))
        found = about_self
        for degree in _degrees(text):
            found = True
            key = (degree.level, degree.field.lower())
            # "a PhD" then "my PhD is in physics": the one with its field says more.
            if not degree.field and any(level == degree.level for level, _f in degrees):
                continue
            degrees.pop((degree.level, ""), None)
            degrees.setdefault(key, degree)
        stated = _years(text)
        if stated is not None:
            found = True
            years = stated if years is None or stated[0] >= years[0] or "now" in text.lower() else years
        for items, table in (
            (_titles(text), titles),
            (_listed(_SKILLS, _affirmed(text)), skills),
            (_names(_affirmed(text), known, about_self), skills),
            (_certifications(text), certifications),
            (_listed(_INTERESTS, text), interests),
            (_areas(text), areas),
        ):
            for item in items:
                found = True
                # "Python" and "python" are one skill: the first spelling stays.
                if all(item.lower() != seen.lower() for seen in table):
                    table.setdefault(item, None)
        own = [
            c
            for c in _SENTENCE.split(text)
            if c and not _FIT_ASK.search(c) and _FIRST_PERSON.search(c) and not _QUESTION_START.match(c)
        ]
        if found or own:
            # "I teach third grade": what the work was, in their words, even where no pattern reads it.
            statements.extend(own or [c for c in _SENTENCE.split(text) if c and not _FIT_ASK.search(c)])
    titles = {t: None for t in titles if not any(t.lower() in s.lower() for s in skills)}
    skills = {s: None for s in skills if all(s.lower() != c.lower() for c in certifications)}
    return Profile(
        degrees=tuple(degrees.values()),
        years=years[0] if years else None,
        years_quote=years[1] if years else "",
        skills=tuple(skills),
        titles=tuple(titles),
        certifications=tuple(certifications),
        interests=tuple(interests),
        areas=tuple(areas),
        statements=tuple(statements),
    )


# A degree with its field's initials joined to it ("BSEE", "MSCS"), as résumés write them.
_FIELD_INITIALS = {
    "EE": "Electrical Engineering",
    "ME": "Mechanical Engineering",
    "CS": "Computer Science",
    "CE": "Civil Engineering",
    "ChE": "Chemical Engineering",
    "IT": "Information Technology",
}
_INITIALS_DEGREE = re.compile(r"\b([BM])\.?S\.?(" + "|".join(_FIELD_INITIALS) + r")\b")


def _degrees(text: str) -> list[Degree]:
    out = [
        Degree("bachelor" if m.group(1) == "B" else "master", _FIELD_INITIALS[m.group(2)], m.group(0))
        for m in _INITIALS_DEGREE.finditer(text)
    ]
    if _NO_DEGREE.search(text):
        out.append(Degree("none", "", _NO_DEGREE.search(text).group(0)))  # type: ignore[union-attr]
    for level, pattern in _DEGREES:
        for found in pattern.finditer(text):
            if level == "associate" and re.search(r"\bassociate\s+(?:degree|of)\b", found.group(0), re.I) is None:
                continue
            after = _FIELD_AFTER.match(text[found.end() :]) or (
                _STUDIED.match(text[found.end() :]) if level == "" else None
            )
            field = _clean(after.group(1)) if after else ""
            if not field:
                before = _FIELD_BEFORE.search(text[max(0, found.start() - 40) : found.end() + 12])
                field = _clean(before.group(1)) if before and not _DEGREE_WORD.search(before.group(1)) else ""
            if level == "" and not field:
                continue
            words = found.group(0)
            if level == "degree" and (_DEGREE_WORD.search(words) or any(p.search(words) for _l, p in _DEGREES[:5])):
                continue  # "an associate degree", "an MBA degree": the level is said, by the other patterns
            quote = text[found.start() : found.end() + (after.end() if after else 0)]
            # A degree whose level is not said counts as a college degree, and is never taken as the top one.
            out.append(Degree("bachelor" if level == "degree" else level, field, quote, exact=level != "degree"))
    return out


_STUDIED = re.compile(
    r"^\s+((?:[a-z][\w&+-]*)(?:\s+(?!at\b|and\b|in\b|for\b|with\b|but\b|so\b|i\b)[a-z][\w&+-]*){0,2})", re.I
)
_DEGREE_WORD = re.compile(r"\b(?:master|bachelor|associate|ph\.?d|doctor|college|university|four-year|mba)", re.I)


def _years(text: str) -> tuple[float, str] | None:
    best: tuple[float, str] | None = None
    for found in _YEARS.finditer(text):
        # "5 years old" is excluded by the pattern; "after 2 years of college" is study, not work.
        tail = text[found.end() : found.end() + 25].lower()
        if re.match(r"\s+(?:of\s+)?(?:college|university|school|study|studies|phd|grad)", tail):
            continue
        word = found.group(1).lower()
        value = float(_NUMBER_WORDS.get(word, word)) if word in _NUMBER_WORDS else float(word)
        if best is None or value > best[0]:
            best = (value, _sentence_around(text, found.start(), found.end()))
    decade = _DECADE.search(text)
    if decade and (best is None or best[0] < 10):
        count = {"a": 1, "one": 1, "two": 2, "three": 3}[decade.group(1).lower()]
        best = (10.0 * count, _sentence_around(text, decade.start(), decade.end()))
    return best


def _titles(text: str) -> list[str]:
    out = []
    for found in _TITLE.finditer(text):
        title = _clean(found.group(1))
        if not title or _NOT_TITLES.match(title) or any(p.search(title) for _level, p in _DEGREES):
            continue
        if " " not in title and title.lower().endswith("ing"):  # "I'm coming from ...", "I was working"
            continue
        if re.search(
            r"\b(years?|experience|degree|interested|graduate|student)\b|(?:certified|licensed)$", title, re.I
        ):
            continue
        out.append(title)
    return out


def _areas(text: str) -> list[str]:
    out = []
    for found in _AREA.finditer(text):
        area = _clean(next((g for g in found.groups() if g), ""))
        if area and not re.fullmatch(r"(?:similar|different|strong|good|technical|professional|diverse)", area, re.I):
            out.append(area)
    return out


def _listed(pattern: re.Pattern[str], text: str) -> list[str]:
    out = []
    for found in pattern.finditer(text):
        span = _CLAUSE_END.sub("", found.group(1))
        for item in _SPLIT.split(span):
            item = _clean(item)
            if (
                item
                and len(item.split()) <= 5
                and not re.fullmatch(r"(?:it|this|that|them|things|stuff)", item, re.I)
                and not _YEARS.search(item)
                and not any(p.search(item) for _level, p in _DEGREES)
            ):
                out.append(item)
    return out


def _affirmed(text: str) -> str:
    """The text without its clauses that deny something ("I don't know Python, but I use SQL" -> "but I use SQL"):
    what someone says they lack is not a skill they have."""
    return " ".join(c for c in _CLAUSES.split(text) if not _NEGATION.search(c))


_CLAUSES = re.compile(r"(?<=[,.;!?])\s+|\s+(?=but\b)", re.I)
_NEGATION = re.compile(r"\b(?:don't|do not|didn't|did not|never|haven't|have not|not|no|without|can't|cannot)\b", re.I)


def _names(text: str, known: Collection[str], about_self: bool = False) -> list[str]:
    """Tools and languages named in a self-description: the names the documents use, and words written as names
    are (SQL, JavaScript, C++). about_self: the text is known to describe the person, with or without an "I"."""
    if not about_self and not _FIRST_PERSON.search(text):
        return []
    out = [m.group(0) for m in _NAME.finditer(text) if not _NOT_NAMES.match(m.group(0))]
    tokens = re.findall(r"[\w+#./-]+", text.lower())
    grams = {" ".join(tokens[i : i + n]).strip(".") for n in (1, 2, 3) for i in range(len(tokens) - n + 1)}
    for name in sorted(grams & set(known)):
        if len(name) > 2 and all(m.lower() != name for m in out):
            out.append(name)
    return [n for n in out if not any(p.fullmatch(n) for _level, p in _DEGREES) and not _INITIALS_DEGREE.fullmatch(n)]


_NAME = re.compile(r"(?<![\w+#])(?:[A-Z]{2,6}[0-9]?|[A-Z][a-z]+[A-Z][A-Za-z]*|C\+\+|C#|\.NET)(?![\w+#])")
_NOT_NAMES = re.compile(r"^(?:I|PHD|PhD|MSc|BSc|MBA|MS|BS|BA|MA|GED|OK|USA|US|UK|EU)$")


# A degree named by its letters alone ("BA", "B.S.", "JD", "MD"): never a certification.
_DEGREE_NAME = re.compile(
    r"(?:a\.?a|a\.?s|b\.?a|b\.?s|b\.?sc|b\.?eng|m\.?a|m\.?s|m\.?sc|m\.?eng|mba|m\.?d|j\.?d|ph\.?\s?d|ed\.?d)\.?",
    re.I,
)


def _certifications(text: str) -> list[str]:
    out = []
    for found in _CERTIFIED.finditer(text):
        name = next((g for g in found.groups() if g and g.strip()), "")
        name = _clean(name)
        if any(p.fullmatch(name) for _level, p in _DEGREES) or _DEGREE_NAME.fullmatch(name):
            continue  # "I have an MBA", "a BA in history" are degrees
        if name and not re.fullmatch(r"(?:a|an|the|my|no|any|i|I)", name):
            out.append(name)
    return out


def _clean(text: str) -> str:
    text = _FILLER.sub("", text.strip(" .,;:!?\"'()")).strip(" .,;:!?\"'()")
    return _FILLER.sub("", text).strip()


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(mark, 0, start) for mark in ".!?;")
    right = min((p for p in (text.find(mark, end) for mark in ".!?;") if p != -1), default=len(text))
    return text[left + 1 : right].strip()
