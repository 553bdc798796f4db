"""Finding which role a question is about: a document's role (by its title or a recognisable variant),
a role that is only named inside the documents (a salary row for a related role), or an unknown role."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ..text.lexical import STOPWORDS, role_tokens, stem
from .facts import aspect_words
from .intent import naming_words
from .questions import EVERYDAY_WORDS, FILLER, INTENT_WORDS
from .titles import both_ways, learn_shorthands, short_forms, spelled_forms, title_words

SENIORITY = frozenset(
    {"senior", "junior", "lead", "principal", "staff", "chief", "head", "associate", "entry", "level"}
)

# Initials shorter than this are too often a word or another acronym ("pa", "cat"); longer ones nobody types.
MIN_INITIALS = 4
MAX_INITIALS = 6

# Nouns that end a job title: a phrase ending in one of these is a role the person is asking about.
ROLE_NOUNS = frozenset(
    """engineer architect analyst scientist developer manager designer nurse teacher doctor consultant
    administrator technician specialist accountant lawyer attorney officer director researcher programmer
    hygienist chef cook pilot electrician plumber mechanic assistant representative coordinator therapist
    pharmacist physician surgeon dentist writer editor agent clerk operator driver worker auditor economist
    statistician strategist planner recruiter lecturer professor tester administrator executive cashier
    carpenter welder paralegal psychologist veterinarian""".split()
)

_FILLER = STOPWORDS | {
    "become",
    "becoming",
    "earn",
    "make",
    "salary",
    "pay",
    "need",
    "much",
    "good",
    "new",
    "average",
    "typical",
    "working",
    "work",
    "as",
    "being",
}


GENERIC_HEAD = 3  # a word that ends this many titles is a kind of worker, not one occupation


@dataclass(frozen=True)
class RoleMatch:
    role: str | None  # a document's role
    asked: str | None = None  # the phrase the person used, when it is not the role's own title
    mentioned_in: tuple[str, ...] = ()  # headings that name the asked role inside other documents
    candidates: tuple[str, ...] = ()  # several roles fit the phrase equally: the person should choose

    @property
    def unknown(self) -> bool:
        return self.role is None and self.asked is not None and not self.mentioned_in and not self.candidates

    @property
    def ambiguous(self) -> bool:
        return self.role is None and bool(self.candidates)


@dataclass(frozen=True)
class _Title:
    name: str
    core: tuple[str, ...]  # normalized tokens without seniority words
    excepted: int = 0  # how many of the last core words only say what the title is not

    @property
    def kept(self) -> tuple[str, ...]:
        return self.core[: len(self.core) - self.excepted]


class RoleResolver:
    """Resolves a question's role in order: a role title said in full, a recognisable variant of a title
    ("cloud engineer", "ML perf architect", typos), an alternate title ("RN", "data wrangler"), a role named
    inside another document; several equally good roles are returned as candidates, never guessed."""

    def __init__(
        self, roles: Iterable[str], headings: Iterable[str] = (), aliases: Mapping[str, Iterable[str]] | None = None
    ) -> None:
        self.roles = tuple(sorted(set(roles)))
        # A title with no word characters ("---") cannot be matched by words; it is still answerable by picker.
        self._titles = [_Title(r, _core(r), _excepted(r)) for r in self.roles if _core(r)]
        self._title_of = {t.name: t for t in self._titles}
        self._headings = [h for h in sorted(set(headings)) if _names_a_role(h)]
        self._exact: dict[tuple[str, ...], set[str]] = {}
        for role in self.roles:
            if title_words(role):
                self._exact.setdefault(title_words(role), set()).add(role)
        self._alias: dict[tuple[str, ...], set[str]] = {}
        # One-word alternate titles that are everyday words too ("provost", "cop", "model"): names only where a
        # role is named (see _word_title).
        self._word: dict[str, set[str]] = {}
        self._acronyms: set[str] = set()
        for role, names in (aliases or {}).items():
            for name in names:
                for form in spelled_forms(name):
                    self._add_alias(form, role)
        # "X-Ray Technician" is typed "xray tech" as often as "x-ray tech": a hyphened title word, written whole.
        for role, names in (aliases or {}).items():
            for name in (role, *names):
                for form in spelled_forms(name):
                    if "-" in form:
                        joined = re.sub(r"(?<=\w)-(?=\w)", "", form)
                        if title_words(joined) not in self._exact and _alias_key(joined) not in self._alias:
                            self._add_alias(joined, role)
        self._add_short_forms([n for names in (aliases or {}).values() for n in names])
        self._add_initialisms()
        self._by_head: dict[str, list[_Title]] = {}
        for title in self._titles:
            self._by_head.setdefault(title.core[-1], []).append(title)
        vocabulary = {t for key in (*self._exact, *self._alias) for t in key} | set(self._word)
        self._known = frozenset(vocabulary)
        self._vocabulary: dict[str, list[str]] = {}
        for token in vocabulary:
            self._vocabulary.setdefault(token[:1], []).append(token)
        self._longest = max((len(k) for k in (*self._exact, *self._alias)), default=1)
        # Two title words in a row that are not the person noun ("computer vision", "credit risk"): the field.
        self._fields: dict[tuple[str, ...], set[str]] = {}
        for title in self._titles:
            field = [t for t in title.core if t not in ROLE_NOUNS]
            for i in range(len(field) - 1):
                self._fields.setdefault(tuple(field[i : i + 2]), set()).add(title.name)
        # Last words of titles and alternate titles also end a job title ("wrangler", "hygienist").
        self._heads = ROLE_NOUNS | {k[-1] for k in (*self._exact, *self._alias) if _PERSON.search(k[-1])}

    def tokens(self, question: str) -> list[str]:
        return [self._correct(t) for t in title_words(question)]

    def resolve(self, question: str) -> RoleMatch:
        tokens = self.tokens(question)
        asked = asked_role_phrase(question, self._heads)
        exact = self._lookup(tokens, self._exact)
        alias = self._lookup(tokens, self._alias)
        # "data wrangler" is not the same as the alternate title "wrangler": a partial match does not count.
        if alias is not None and asked and len(alias[0].split()) < len(title_words(asked)):
            alias = None
        # "technician" alone is the head of many titles: an occupation listing it as an alternate title is no
        # more meant than the others (they are offered to choose from).
        if alias is not None and " " not in alias[0] and len(self._by_head.get(alias[0], ())) >= GENERIC_HEAD:
            alias = None
        variant = self._variant(tokens)
        word = self._word_title(question)
        # The longest match wins ("model making supervisor" is not "Models"); on a tie, a title beats an
        # alternate title O*NET lists, which beats a variant of a title (a guess: "truck driver" is no more the
        # light truck driver than the heavy one), which beats a one-word title that is an everyday word too.
        options: list[tuple[int, int, tuple[str, set[str]]]] = []
        for priority, found in enumerate((word, variant, alias, exact)):
            if found is not None:
                options.append((len(found[0].split()), priority, found))
        if options:
            _length, priority, (phrase, roles) = max(options, key=lambda o: o[:2])
            roles = self._own_title(self._narrow(roles), phrase)
            said = None if priority == 3 or (priority == 1 and len(roles) == 1) else _asked_words(question, phrase)
            roles = self.told_apart(roles, question, phrase, tokens)
            if len(roles) == 1:
                return RoleMatch(role=next(iter(roles)), asked=said)
            return RoleMatch(role=None, asked=said or phrase, candidates=tuple(sorted(roles)))
        if asked is None:
            return self._by_doing(question)
        # Otherwise look for headings that name the asked role inside other documents.
        mentioned = tuple(_strip_note(h) for h in self._headings if _core(h) == _core(asked))
        if mentioned:
            return RoleMatch(role=None, asked=asked, mentioned_in=mentioned)
        # Roles whose titles contain every word asked ("analyst") are offered to choose from.
        wanted = set(_core(asked))
        containing = tuple(t.name for t in self._titles if wanted <= set(t.kept))
        # "paralegals" of "Paralegals and Legal Assistants": a title that joins occupations names each of them.
        if len(containing) == 1 and _core(asked) in _joined_parts(containing[0]):
            return RoleMatch(role=containing[0], asked=asked)
        own = self._own_title(set(containing), asked) if len(containing) > 1 else set()
        if len(own) == 1:
            return RoleMatch(role=own.pop(), asked=asked)
        apart = self.told_apart(set(containing), question, asked, tokens)
        if len(apart) == 1 and len(containing) > 1:
            return RoleMatch(role=apart.pop(), asked=asked)
        return RoleMatch(role=None, asked=asked, candidates=containing)

    def _lookup(self, tokens: list[str], table: dict[tuple[str, ...], set[str]]) -> tuple[str, set[str]] | None:
        """The longest run of tokens that is a key of table."""
        for n in range(min(self._longest, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                key = tuple(tokens[i : i + n])
                if key in table:
                    return " ".join(key), table[key]
        return None

    def _add_alias(self, name: str, role: str) -> None:
        key = _alias_key(name)
        if key:
            self._alias.setdefault(key, set()).add(role)
            if _ACRONYM.fullmatch(name.strip()) and name.strip().isalpha():
                self._acronyms.add(key[0])
            return
        words = title_words(re.sub(r"\([^)]*\)", " ", name))
        if len(words) == 1 and _everyday_title(words[0]):
            self._word.setdefault(words[0], set()).add(role)

    def _add_initialisms(self) -> None:
        """A title's initials stand for it ("mlpa": ML Performance Architect, "scse": Senior Communications
        Systems Engineer), with or without its seniority word, when no other title or alternate title has the
        same initials and they are no everyday word; MIN_INITIALS keeps out the short ones that are ("cat")."""
        owners: dict[str, set[str]] = {}
        for title in self._titles:
            words = [t for t in title_words(title.name.split(",")[0]) if t not in STOPWORDS]
            core = [t for t in words if t not in SENIORITY]
            for tokens in {tuple(words), tuple(core)}:
                initials = "".join(t[0] for t in tokens)
                if len(tokens) >= 2 and MIN_INITIALS <= len(initials) <= MAX_INITIALS and initials.isalpha():
                    owners.setdefault(initials, set()).add(title.name)
        taken = {t for key in (*self._exact, *self._alias) for t in key} | set(self._word)
        for initials, roles in owners.items():
            if len(roles) == 1 and initials not in taken and initials not in EVERYDAY_WORDS | FILLER:
                self._alias[(initials,)] = set(roles)
                self._acronyms.add(initials)

    def _add_short_forms(self, names: list[str]) -> None:
        """Titles as people shorten them ("pharmacy tech") or spell them out ("hvac technician"), with the
        shorthands the titles themselves use; a title or alternate title written that way keeps its own roles."""
        shorthands = both_ways(learn_shorthands(names))
        derived: dict[tuple[str, ...], set[str]] = {}
        for table in (self._exact, self._alias):
            for key, roles in table.items():
                for form in short_forms(key, shorthands):
                    derived.setdefault(form, set()).update(roles)
        for form, roles in derived.items():
            if form not in self._exact and form not in self._alias and len(form) > 1:
                self._alias[form] = roles

    def _narrow(self, roles: set[str]) -> set[str]:
        """An alternate title a specific occupation shares with a catch-all one ("heavy truck driver": Heavy and
        Tractor-Trailer Truck Drivers and Material Moving Workers, All Other) is the specific one's."""
        specific = {r for r in roles if not _RESIDUAL.search(r)}
        return specific if len(specific) == 1 else roles

    def _by_doing(self, question: str) -> RoleMatch:
        """A job said by what is done to what ("six figures driving a semi truck", "teaching kindergarten"): the
        one doing it ("semi truck driver"), when that names a title. The verb alone names nothing: "building
        things" is no builder's title."""
        for found in _DOING.finditer(question):
            verb = found.group(1).lower()
            thing: list[str] = []
            for word in found.group(2).split():
                if word.lower() in _FILLER or stem(word.lower()) in INTENT_WORDS:
                    break
                thing.append(word)
            if not thing:
                continue
            wanted = {stem(w) for w in title_words(" ".join(thing))}
            for doer in dict.fromkeys((verb + "er", verb + "or", verb[:-1] + "er")):
                match = self.resolve(" ".join([*thing, doer]))
                # The title (or the words of it matched) must say what is done to: "painting clouds" is no
                # painter's job, "driving a semi truck" is a truck driver's.
                named = match.asked or match.role or ""
                if not wanted & {stem(w) for w in title_words(named)}:
                    continue
                if match.role is not None or match.candidates:
                    # The words as asked ("driving a semi truck"), so the question reads without them.
                    tail = found.group(2)
                    end = found.start(2) + tail.index(thing[-1], len(tail) - len(tail.lstrip())) + len(thing[-1])
                    return replace(match, asked=question[found.start() : end])
        return RoleMatch(role=None)

    def told_apart(self, roles: set[str], question: str, phrase: str, tokens: Sequence[str] | None = None) -> set[str]:
        """Of several roles a phrase fits, the one whose title has a word the question says besides the phrase,
        when no other's does ("special ed teacher elementary salary": the elementary school one); not a word it
        says a role is not ("elementary school, not special ed")."""
        if len(roles) < 2:
            return roles
        tokens = self.tokens(question) if tokens is None else tokens
        denied = {t for found in _DENIED.finditer(question) for t in self.tokens(found.group(1))}
        # Nor a word that says what is asked ("what education does a ... need?" names no Education title).
        asked = {stem(w.lower()) for w in naming_words(question) | aspect_words(question)} | INTENT_WORDS
        others = {
            t
            for t in tokens
            if len(t) > 2 and t not in _FILLER and t not in ROLE_NOUNS and t not in denied and stem(t) not in asked
        } - set(title_words(phrase))
        told = {r for r in roles if r in self._title_of and others & set(self._title_of[r].kept)}
        if len(told) != 1:
            return roles
        # And the title must be much the one asked: more than half its words ("special ed teacher" of Special
        # Education Teachers), not a guess at a title no occupation has ("wizard of finance").
        kept = set(self._title_of[next(iter(told))].kept)
        phrase_words = set(title_words(phrase)) - _FILLER
        return told if 2 * len(phrase_words & kept) > len(phrase_words) else roles

    @staticmethod
    def _own_title(roles: set[str], phrase: str) -> set[str]:
        """Of several roles a phrase fits, the one whose own title it is, before any qualifier or beside the
        occupation it is joined with ("kindergarten teachers": Kindergarten Teachers, Except Special Education,
        not Special Education Teachers, Kindergarten; "correctional officer": Correctional Officers and
        Jailers, which Probation Officers and Correctional Treatment Specialists lists as an alternate title)."""
        if len(roles) < 2:
            return roles
        core = _core(phrase)
        own = {
            r
            for r in roles
            if not _RESIDUAL.search(r) and (core == _core(_strip_note(r).split(",")[0]) or core in _joined_parts(r))
        }
        return own if len(own) == 1 else roles

    def _word_title(self, question: str) -> tuple[str, set[str]] | None:
        """A one-word title that is an everyday word too, where the question names a role with it: after "a",
        "the", "as" ("how much does a provost make"), or with only words about the job around it ("cop salary?")."""
        if not self._word:
            return None
        raw = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9'-]*", question)]
        for i, word in enumerate(raw):
            key = title_words(word)
            if len(key) != 1:
                continue
            token = self._plural(key[0])
            if token not in self._word:
                continue
            before = [w for w in raw[:i] if w not in SENIORITY]
            # After "a" and ending the phrase ("a provost make"): not "the general pay", where it is a modifier.
            named = before and before[-1] in _DETERMINERS and (i + 1 == len(raw) or _ends_phrase(raw[i + 1], word))
            if named or all(_about_the_job(w) for w in raw[:i] + raw[i + 1 :]):
                return token, self._word[token]
        return None

    def _plural(self, token: str) -> str:
        """A plural the plain rule leaves alone ("rns", "vps") as the title word it is the plural of."""
        if token not in self._known and token.endswith("s") and token[:-1] in self._known:
            return token[:-1]
        return token

    def title_spellings(self) -> set[str]:
        """The words of titles and alternate titles, no typos however rare ("fatter" is no "fitter"), with the
        plurals of the names for people and of the titles written in capitals ("dunners", "cnas" is no "cans")."""
        people = {w for w in self._known if w in self._acronyms or _PERSON.search(w)}
        plurals = {w[:-3] + "men" if w.endswith("man") else w + "s" for w in people if w.isalpha()}
        return {w for w in self._known if w.isalpha()} | plurals

    def _correct(self, token: str) -> str:
        """A typo in a title word ("enginer", "regsitered") becomes the title word it most resembles; the
        words every question has ("actually") are no typos."""
        token = self._plural(token)
        if len(token) < 5 or token in STOPWORDS or token in EVERYDAY_WORDS:
            return token
        bucket = self._vocabulary.get(token[:1], [])
        if token in bucket:
            return token
        close = difflib.get_close_matches(token, bucket, n=1, cutoff=0.85)
        if close:
            return close[0]
        # The field for the person ("computer vision engineering", "systems architecture", "risk analysis"):
        # the title word it derives from, when only the field's ending differs.
        derived = [w for w in bucket if _derives(token, w)]
        return derived[0] if len(derived) == 1 else token

    def _variant(self, tokens: list[str]) -> tuple[str, set[str]] | None:
        """The titles the question says the end of ("cloud engineer" of Senior Cloud Engineer): those it says
        the most words of; of those, the one it says in full, else all of them (to choose from)."""
        matches: list[tuple[int, _Title]] = []
        for title in {t for head in set(tokens) for t in self._by_head.get(head, [])}:
            matched = _suffix_match(title.core, tokens)
            # "of protective service workers" says no more of a title than "protective service workers".
            while matched and title.core[-matched] in STOPWORDS:
                matched -= 1
            if matched and matched > title.excepted:
                matches.append((matched, title))
        if not matches:
            return None
        longest = max(m[0] for m in matches)
        best = [title for n, title in matches if n == longest]
        whole = {t.name for t in best if len(t.core) == longest}
        roles = whole or {t.name for t in best}
        return " ".join(best[0].core[-longest:]), roles

    def named_roles(self, question: str) -> list[str]:
        """Every document role the question names, in order ("cloud engineer vs cv engineer" -> two roles).
        A question naming one role (whatever words its title has) gives that role alone."""
        whole = self.resolve(question)
        if whole.role is not None and _SEPARATOR.search(whole.role):
            # "Plumbers, Pipefitters, and Steamfitters": a title with commas and "and" in it, named in full.
            spelled = re.search(re.escape(whole.role), question, re.I)
            if spelled:
                rest = question[: spelled.start()] + " , " + question[spelled.end() :]
                return [whole.role, *(r for r in self.named_roles(rest) if r != whole.role)]
        parts = [p for p in _SEPARATOR.split(question) if p.strip()]
        found: list[str] = []
        for part in parts:
            match = self.resolve(part)
            # "cloud vs comms": in a question that sets names side by side, a word of one title names it.
            role = match.role or (self._partial_word(part) if len(parts) >= 2 else None)
            if role is not None and role not in found:
                found.append(role)
        if len(found) >= 2:
            return found
        return [whole.role] if whole.role is not None else found[:1]

    def mentioned(self, question: str) -> dict[str, str]:
        """The roles named only inside documents (a salary row's heading: "Machine Learning Engineer") whose
        titles the question says in full, wherever in it, each with the rest of the question's title words."""
        tokens = tuple(self.tokens(question))
        out: dict[str, str] = {}
        for heading in self._headings:
            core = _core(heading)
            n = len(core)
            at = next((i for i in range(len(tokens) - n + 1) if tokens[i : i + n] == core), None)
            if at is not None:
                out.setdefault(_strip_note(heading), " ".join(tokens[:at] + tokens[at + n :]))
        return out

    def field(self, question: str) -> str | None:
        """The one role whose title's field words, two or more in a row, the question says without the title
        ("is computer vision a field with a future?"; "credit risk pay")."""
        tokens = self.tokens(question)
        fitting = {r for i in range(len(tokens) - 1) for r in self._fields.get(tuple(tokens[i : i + 2]), ())}
        return next(iter(fitting)) if len(fitting) == 1 else None

    def holds(self, role: str, phrase: str) -> bool:
        """Whether a role's title holds every word of a phrase ("clerk" in Payroll and Timekeeping Clerks)."""
        wanted = set(_core(phrase))
        return bool(wanted) and role in self._title_of and wanted <= set(self._title_of[role].kept)

    def partial(self, phrase: str) -> str | None:
        """The one role whose title holds every word of a partial name ("vision", "the credit one", "cv")."""
        wanted = {t for t in title_words(phrase) if t not in SENIORITY and t not in _FILLER and t not in ROLE_NOUNS}
        if not wanted:
            return None
        fitting = [t.name for t in self._titles if wanted <= set(t.core)]
        return fitting[0] if len(fitting) == 1 else None

    def _partial_word(self, text: str) -> str | None:
        """The role the first or last word of a part names ("cloud" in "which pays more, cloud"; "comms" in
        "comms pay"); a word inside a phrase ("vision insurance") names no role."""
        words = re.findall(r"[A-Za-z][\w+#-]*", text)
        # "sr comms eng": the seniority word before it is no part of what names the role.
        while len(words) > 1 and set(title_words(words[0])) <= SENIORITY:
            words = words[1:]
        asked = aspect_words(text)  # "low" in "how low and how high": which figure, not "Low Vision Therapists"
        for word in dict.fromkeys([words[0], words[-1]] if words else []):
            role = self.partial(word) if word.lower() not in asked else None
            if role is not None:
                return role
        return None

    def subject_of(self, doc_role: str, section_path: Sequence[str]) -> str:
        """Whom a section is about: a heading naming another role makes that role its subject."""
        for heading in reversed(section_path):
            if not _names_a_role(heading):
                continue
            core = _core(doc_role)
            if not core or _suffix_match(core, list(title_words(heading))) == len(core):
                return doc_role
            return _strip_note(heading)
        return doc_role


_PERSON = re.compile(r"(er|or|ist|ian|ant|ent|man|woman|ee|eer|ive|ary|ic|nurse|chef|cook|pilot|judge|nanny)$")
# Where a question naming several roles separates them.
_SEPARATOR = re.compile(
    r"\s+(?:vs\.?|versus|or|and|with|compared (?:to|with)|than|against)\s+|\s[&+]\s|[,;/]\s*|\?", re.I
)


_ACRONYM = re.compile(r"[A-Z][A-Z0-9&/]{1,6}")


def _alias_key(name: str) -> tuple[str, ...]:
    """Normalized tokens of an alternate title, or () when it would match ordinary words too often."""
    acronym = bool(_ACRONYM.fullmatch(name.strip()))
    tokens = title_words(re.sub(r"\([^)]*\)", " ", name))
    if not tokens:
        return ()
    if len(tokens) == 1:
        word = tokens[0]
        # One-word titles: acronyms ("RN") and person nouns ("electrician"), not words like "model" or "lead".
        if word in STOPWORDS or word in SENIORITY or len(word) < 2 or not (acronym or _PERSON.search(word)):
            return ()
    return tokens


def _asked_words(question: str, phrase: str) -> str:
    """The words the person typed for a normalized phrase (for "you asked about: RN")."""
    wanted = phrase.split()
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9+#'/-]*", question)
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + len(wanted)) + 1):
            tokens = title_words(" ".join(words[i:j]))
            if len(tokens) == len(wanted) and all(_similar(a, b) for a, b in zip(tokens, wanted, strict=True)):
                return " ".join(words[i:j])
    return phrase


def asked_role_phrase(question: str, heads: frozenset[str] | set[str] = ROLE_NOUNS) -> str | None:
    """'How much does a registered nurse earn?' -> 'registered nurse'."""
    raw = re.findall(r"[A-Za-z][A-Za-z0-9+#'/-]*", question)
    for i, word in enumerate(raw):
        if _singular_lower(word, heads) not in heads:
            continue
        start = i
        while start > 0 and _may_name(raw[start - 1].lower()) and len(raw[start - 1]) > 1 and i - start < 3:
            start -= 1
        return " ".join(raw[start : i + 1])
    return None


def _singular_lower(word: str, heads: frozenset[str] | set[str] = ROLE_NOUNS) -> str:
    w = word.lower()
    return w[:-1] if w.endswith("s") and w[:-1] in heads else w


def _core(title: str) -> tuple[str, ...]:
    tokens = [t for t in title_words(_strip_note(title)) if t not in SENIORITY]
    return tuple(tokens) or title_words(title)


def _excepted(title: str) -> int:
    """How many of a title's last core words say what it is not ("Human Resources Assistants, Except Payroll and
    Timekeeping": "except payroll and timekeeping"), which name nothing of it."""
    found = _EXCEPT.search(_strip_note(title))
    return len(title_words(found.group(0))) if found else 0


# "driving a semi truck", "teaching kindergarten": what a person does, said with the verb.
_DOING = re.compile(
    r"\b([a-z]{3,}?)ing\b(?:\s+(?:an?|the|some)\b)?((?:\s+(?!for\b|in\b|at\b|as\b|with\b)[a-z-]+){0,2})", re.I
)
# "not special ed", "except the nursing ones": words the question says a role is not.
_DENIED = re.compile(r"\b(?:not|no|except|without|other than|non)\b[\s-]+((?:[\w'-]+\s*){1,3})", re.I)
_EXCEPT = re.compile(r"\bExcept\b.*$", re.I)


def _joined_parts(title: str) -> set[tuple[str, ...]]:
    """The occupations a title joins with "and" ("Paralegals and Legal Assistants": paralegals, legal
    assistants); none for a title whose "and" joins the words of one ("Heating, Air Conditioning, and ...")."""
    parts = [p for p in re.split(r"\band\b", _strip_note(title).split(",")[0]) if p.strip()]
    return {_core(p) for p in parts} if len(parts) > 1 else set()


# The catch-all occupations of a classification ("Material Moving Workers, All Other").
_RESIDUAL = re.compile(r",\s*All Other\b|\bMiscellaneous\b", re.I)
# Words after which a one-word title names a role: "a provost", "the bursar", "work as consul".
_DETERMINERS = frozenset("a an the as become becoming being my our your their".split())


def _everyday_title(word: str) -> bool:
    """A one-word alternate title that is no person noun ("provost", "cop"): kept apart, for _word_title."""
    return len(word) >= 2 and word not in STOPWORDS and word not in SENIORITY and word not in _FILLER


def _ends_phrase(following: str, word: str) -> bool:
    """Whether the word after a title leaves the title a noun of its own: a verb or a small word ("a provost
    makes", "a cop in Ohio") or the title's possessive ("a provost's salary"), not a noun it describes."""
    if word.endswith("'s"):
        return True
    return following in STOPWORDS or (stem(following) in FILLER and stem(following) not in INTENT_WORDS)


# Words that say which figure of the pay is asked ("the highest paid plumbers", "salary range plumbers"): they
# never make part of a title the person asks about.
_MEASURES = frozenset(
    "top bottom highest lowest best worst average avg median mean percent percentile range annual hourly yearly"
    " monthly starting".split()
)


def _may_name(word: str) -> bool:
    """Whether a word before a title's head may be part of the title asked ("data" of "data wrangler")."""
    return word not in _FILLER and word not in _MEASURES and stem(word) not in INTENT_WORDS


def _about_the_job(word: str) -> bool:
    """A word any question about a job has ("how", "much", "salary", "make")."""
    return word in STOPWORDS or word in _FILLER or stem(word) in FILLER or stem(word) in INTENT_WORDS


_FIELD_ENDING = re.compile(r"(ing|ure|is|ics|y)$")


def _derives(field: str, word: str) -> bool:
    """ "engineering" from "engineer", "analysis" from "analyst", "architecture" from "architect"."""
    ending = _FIELD_ENDING.search(field)
    if ending is None or len(word) < 5 or field == word:
        return False
    return _common_prefix(word, field[: ending.start()]) >= max(5, len(word) - 2)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _strip_note(heading: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", heading).strip()


def _names_a_role(heading: str) -> bool:
    tokens = role_tokens(_strip_note(heading))
    return bool(tokens) and tokens[-1] in ROLE_NOUNS


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    # Typos in longer words ("enginer", "analsyt") still name the role.
    return min(len(a), len(b)) >= 5 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def _suffix_match(core: tuple[str, ...], tokens: list[str]) -> int:
    """Length of the longest run in tokens equal to a suffix of core that ends with core's head noun.

    A run must hold the head noun and, when core has more than one token, at least two tokens:
    "cloud engineer" names the Senior Cloud Engineer; "engineer" alone names no role.
    """
    best = 0
    n = len(core)
    for end, token in enumerate(tokens):
        if not _similar(token, core[-1]):
            continue
        length = 1
        while length < n and end - length >= 0 and _similar(tokens[end - length], core[n - 1 - length]):
            length += 1
        if length >= min(2, n):
            best = max(best, length)
    return best


def without_role(question: str, role: str) -> str:
    """The question minus the words naming the role: once retrieval is restricted to the role, they only
    add noise (every passage of the role shares them)."""
    names = set(role_tokens(role))
    if not names:
        return question
    kept = [w for w in re.findall(r"\S+", question) if not set(role_tokens(w)) or not set(role_tokens(w)) <= names]
    return " ".join(kept) or question


PLACEHOLDER = "this role"


def with_placeholder(question: str, names: Sequence[str], single: bool = False) -> str:
    """The question with the words naming the roles replaced by "this role": what is asked, in a sentence the
    embedding model still reads as a question about a job ("what comes after being this role?"). single: the
    names are one role's, named once: of the runs of its title's words, the one naming it is the longest, and
    a lone word of the title elsewhere is a word of the question ("what performance bonuses do ML performance
    architects get?", "mlpa bonuses? perf / sign-on?")."""
    wanted = {t for name in names for t in role_tokens(name)}
    if not wanted:
        return question
    found = re.findall(r"\S+", question)
    runs: list[list[int]] = []  # positions of the words of each run of title words
    previous = False
    for i, word in enumerate(found):
        # "RNs", "LPNs": the plural of a title's initials names it as the initials do.
        tokens = {t[:-1] if t.endswith("s") and t[:-1] in wanted else t for t in role_tokens(word)}
        # The field right after the title's words is part of it ("computer vision engineering").
        field = previous and len(tokens) == 1 and any(_derives(next(iter(tokens)), w) for w in wanted)
        if tokens and (tokens <= wanted | SENIORITY or field):
            if not previous:
                runs.append([])
            runs[-1].append(i)
            previous = True
        else:
            previous = False
    if single and runs:
        naming = max(runs, key=lambda run: sum(len(role_tokens(found[i])) for i in run))
        runs = [run for run in runs if run is naming or len(role_tokens(" ".join(found[i] for i in run))) > 1]
    taken = {i for run in runs for i in run}
    first = runs[0][0] if runs else -1
    out: list[str] = []
    for i, word in enumerate(found):
        if i == first:
            out.append(PLACEHOLDER + ("?" if found[runs[0][-1]].endswith("?") else ""))
        elif i not in taken:
            out.append(word)
    text = " ".join(out)
    return re.sub(rf"\b(a|an|the) {PLACEHOLDER}\b", PLACEHOLDER, text, flags=re.I)


def without_placeholder(topic: str) -> str:
    """A topic with its "this role" taken out, for matching against text that never names the role."""
    return re.sub(r"\s+", " ", re.sub(rf"\b{PLACEHOLDER}\b", " ", topic)).strip()


def names_role(section_path: Sequence[str], role: str) -> bool:
    """Whether a heading of the path names the role itself ("ML Performance Architect (Estimated)")."""
    wanted = set(role_tokens(role))
    return any(wanted <= set(role_tokens(heading)) for heading in section_path)
