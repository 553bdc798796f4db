"""The Advisor facade: wires conversation, retrieval and answering over one loaded index generation."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Settings
from ..errors import BadQuestionError, IndexMismatchError, UnknownRoleError
from ..indexing import index_store
from ..indexing.embedding import Embedder, TextEmbedder
from ..ingest.facts import amounts
from ..records import Answer, Hit, IndexInfo, Query, RoleFact
from ..text.lexical import content_stems, stem
from ..text.spelling import Speller
from ..text.units import NOT_UNICODE, has_lone_surrogate
from .answering import (
    MIN_SCORE,
    Citing,
    abstain,
    compose,
    missing_terms,
    norm_first,
    not_mentioned,
    select,
    topic_lead,
    with_antecedents,
)
from .basics import Act, ActsByMeaning, read_act, reply
from .catalogue import Catalogue, describe
from .compare import Comparer, Finding, point_of
from .conversation import (
    Choice,
    Pending,
    confirms_or_declines,
    make_query,
    pending_choice,
    picks_by_number,
    qualified,
    read_choice,
    refers_by_order,
    taken_to_mean,
    user_turns,
)
from .evidence import Evidence, Scored
from .facts import asks_hourly, aspect_words, crossing, figure_asked, hourly, kind_label, wanted
from .fit import FitRanker
from .fit_answer import FIT_REPLY, FitReport, ask_background, fit_answer
from .fit_request import FitRequests, asking_part
from .intent import SECTION_FACETS, TOPICLESS_FACETS, label, question_facets, question_intent
from .profile import MIN_STATEMENT_WORDS, asks_bare, asks_for_fit, describes_self, fit_target, read_profile
from .questions import (
    EVERYDAY_WORDS,
    FILLER,
    INTENT_WORDS,
    asked_amount,
    asked_class,
    asks_for_instances,
    compares,
    key_terms,
    phrase_around,
    spelled_out,
)
from .retrieval import Retriever
from .roles import RoleMatch, RoleResolver, without_placeholder
from .topic_meaning import TopicsByMeaning

log = logging.getLogger("advisor")
MAX_CHOICES = 8
# Cosine between an asked title and a role title above which the role is offered as a choice.
SIMILAR_TITLE = 0.45
# An ambiguous title with a clear question is answered for each of this many roles instead of asking back.
ANSWER_EACH = 3
# A word no document says names the point of a question naming no role when it is at least this close to the
# whole question in meaning ("controller" in "air traffic controller pay", unlike "going" in "going into").
SAID_NOWHERE = 0.2
# A reply of this many words at most may name a choice in other words; how much closer in meaning it must be.
CHOICE_WORDS = 4
CHOICE_MARGIN = 0.05
# How well a question must match a heading for the heading's topic to become the question's.
TOPIC_FLOOR = 0.5
SPECIFIC_INTENTS = ("pay", "requirements", "growth", "responsibilities")
OVERVIEW_UNITS = 6
FIGURE_STATEMENTS = 3  # a figure question's answer: the figure asked and up to this many statements of it
FACET_TOPIC = {"demand": "growth", "advancement": "growth"}  # sub-topics that name their topic
GAP_CONTEXT = 3  # lines of what a document does say on the topic, after "does not mention ..."
_ASKS_WHO = re.compile(r"\b(who|whom)\b", re.I)
_OVERVIEW = re.compile(r"\b(tell me about|what is an? |overview|describe|who is an? |explain|about the)\b", re.I)


@dataclass(frozen=True)
class Plan:
    """What a question resolves to: its answer, and the passages that were considered, best first (what
    evaluation measures retrieval by)."""

    query: Query
    answer: Answer
    hits: tuple[Hit, ...] = ()


class Advisor:
    def __init__(
        self, stored: index_store.StoredIndex, settings: Settings, embedder: TextEmbedder | None = None
    ) -> None:
        self.settings = settings
        self.stored = stored
        self.embedder = embedder or Embedder.from_settings(settings)
        self.retriever = Retriever(stored, self.embedder)
        chunks = stored.chunks
        self.roles: tuple[str, ...] = tuple(sorted({c.role for c in chunks}))
        aliases: dict[str, list[str]] = {}
        self.attribution: dict[str, str] = {}
        for doc in stored.manifest.documents:
            aliases.setdefault(doc.role, []).extend(doc.aliases)
            if doc.attribution:
                self.attribution[doc.source] = doc.attribution
        self.resolver = RoleResolver(self.roles, {h for c in chunks for h in c.section}, aliases)
        # Whom each unit is about: a salary row for a related role is not the document role's figure.
        subjects = [self.resolver.subject_of(u.role, u.section) for u in stored.units]
        vectors = stored.unit_vectors if stored.unit_vectors is not None else np.zeros((0, 1), dtype=np.float32)
        self.evidence = Evidence(stored.units, vectors, subjects, stored.facts, self.embedder.embed_documents)
        self.citing = Citing({c.id: c for c in chunks})
        self.comparer = Comparer(self.evidence, stored.facts, self.citing)
        self._subject = [self.resolver.subject_of(c.role, c.section) for c in chunks]
        self._title_vectors: np.ndarray | None = None  # embedded on first need
        self.catalogue = Catalogue(
            self.roles,
            aliases,
            self.evidence,
            self.embedder.embed_documents,
            self.embedder.embed_query,
            self._titles_vectors,
        )
        self._examples: tuple[str, ...] | None = None  # questions that work on these roles, found on first need
        self.acts = ActsByMeaning(self.embedder.embed_documents, self.embedder.embed_query)
        self.fit_requests = FitRequests(self.embedder.embed_documents, self.embedder.embed_query)
        self._speller: Speller | None = None  # made on first need: it asks the model for the words it knows
        # One question's topic and words are embedded once, however many steps use them (even with the
        # embedder's own query cache off): a few entries, not a cache across questions.
        self._embed = lru_cache(maxsize=8)(self.embedder.embed_query)
        self.topics = TopicsByMeaning(self.embedder.embed_documents, self._embed)

    @classmethod
    def load(
        cls,
        index_dir: str | Path | None = None,
        settings: Settings | None = None,
        embedder: TextEmbedder | None = None,
    ) -> Advisor:
        settings = settings or Settings.from_env()
        if index_dir is not None:
            settings = replace(settings, index_dir=Path(index_dir))
        stored, refused = index_store.load_serving(settings.index_dir)
        for reason in refused:
            log.error("Refused an index generation: %s Serving %s instead.", reason, stored.generation)
        check_compatible(stored, settings)
        return cls(stored, settings, embedder)

    @property
    def generation(self) -> str:
        return self.stored.generation

    def info(self) -> IndexInfo:
        """What is being served: the generation, its size and model (for health checks)."""
        return IndexInfo(
            generation=self.generation,
            chunks=len(self.stored.chunks),
            roles=len(self.roles),
            model=self.stored.manifest.model.name,
        )

    def ask(self, question: str, history: Sequence[dict[str, Any]] | None = None, role: str | None = None) -> Answer:
        """Answer a question; history holds earlier {"role", "content"} messages; role (optional) is the role
        to assume when the question and its history name none."""
        return self.answer(self.plan(question, history, role))

    def answer(self, plan: Plan) -> Answer:
        """The answer a plan leads to, with the license text of imported documents on their citations."""
        answer = plan.answer
        if self.attribution and answer.citations:
            cited = tuple(replace(c, attribution=self.attribution.get(c.source)) for c in answer.citations)
            answer = replace(answer, citations=cited)
        return answer

    def plan(self, question: str, history: Sequence[dict[str, Any]] | None = None, role: str | None = None) -> Plan:
        """What the question resolves to: the role(s) and topic, the units that answer it, and the answer."""
        self._check_history(history)
        plan = self._plan_reply(question, history) or self._plan(question, history, role)
        if plan.hits or not plan.answer.citations:
            return plan
        # An answer put together from several documents: the passages it cites are the ones it considered.
        chunks = self.citing.chunks
        hits = tuple(Hit(chunks[c.chunk_id], c.score) for c in plan.answer.citations)
        return replace(plan, hits=hits)

    def _plan(self, question: str, history: Sequence[dict[str, Any]] | None, role: str | None) -> Plan:
        if role is not None and (not isinstance(role, str) or has_lone_surrogate(role)):
            raise BadQuestionError(NOT_UNICODE.format(what="The role"))
        question = self._validate(question)  # before anything reads it, the embedding model included
        if self._is_fit_turn(question, history):
            # "Which role suits me?", or more background after a fit reply: rank the roles for the whole profile.
            return self._plan_fit(question, history)
        # As typed, then with chat shorthand written out and typos mended ("wat roles r covered").
        for text in dict.fromkeys([question, self._normalize(question)]):
            act = read_act(text, user_turns(history))
            if act is not None and not (act.tentative and not self._field_with_roles(act.subject)):
                return self._plan_basics(question, act)
        query, match = make_query(question, history, self.resolver, role, refer=self._refer, normalize=self._normalize)
        if self._may_be_an_act(query, match):
            # Chat shorthand written out first ("wat can u help me with"): the examples are in plain words.
            act = self.acts.read(self._normalize(question))
            if act is not None:
                return self._plan_basics(question, act)
        query = self._inferred_topic(query)
        if query.mode == "across":
            return self._plan_across(query)
        if len(query.roles) >= 2:
            return self._plan_several(query, query.roles)
        if match.unknown and query.role is None:
            # Last resort: titles that mean much the same ("data wrangler" ~ "Data Scientists").
            match = replace(match, candidates=self._similar_titles(match.asked))
            asked = match.asked or ""
            apart = self.resolver.told_apart(set(match.candidates), query.text, asked)
            if len(apart) == 1 and len(match.candidates) > 1:
                # "special ed teacher elementary salary": of the titles close to it, the one the question's
                # other words name.
                role = apart.pop()
                query = replace(query, role=role, roles=(role,))
                match = RoleMatch(role=role, asked=match.asked)
        if query.role is None and (match.ambiguous or match.unknown):
            return self._plan_unresolved(query, match)
        if query.role is None and match.mentioned_in:
            # A role named only inside another document (a salary row): its units have it as their subject.
            subject = next((m for m in match.mentioned_in if len(self.evidence.positions(m))), None)
            if subject is not None:
                first = self.evidence.units[int(self.evidence.positions(subject)[0])]
                note = (
                    f"There is no role document for {subject}; the {first.role} document speaks of it under "
                    f"“{' > '.join(first.section)}”: "
                )
                return self._plan_for_role(replace(query, role=subject), subject, match, note)
            reason = f"The role documents mention {match.asked} but have no information on its {label(query.intent)}."
            return Plan(query, abstain(query, reason, [self._roles_summary()]))
        if (
            query.role is not None
            and query.role_from_history
            and query.intent == "other"
            and not refers_by_order(query.text)
        ):
            # "and air traffic controllers?" after a question on a role: a switch to something no document has,
            # when the role's document says none of its words ("is it remote friendly?" asks about the role).
            unsaid = self._said_nowhere(query, query.role)
            if unsaid is not None:
                return self._said_by_none(query, unsaid)
        if query.role is not None:
            inside = self._named_inside(query)
            if inside is None:
                return self._plan_for_role(query, query.role, match)
            # "What do Machine Learning Engineers average, per the ML Performance Architect salary data?": that
            # row; "AI Solution Architect median vs ML Performance Architect median?": the row against the
            # document's own role. The answer stays with the document's role: a follow-up is about that role.
            if compares(query.text):
                plan = self._plan_several(replace(query, mode="compare"), [inside, query.role])
            else:
                plan = self._plan_for_role(replace(query, role=inside), inside, RoleMatch(role=inside))
            return replace(plan, answer=replace(plan.answer, role=query.role))
        return self._plan_closest_role(query)

    def _named_inside(self, query: Query) -> str | None:
        """A role the question names beside its document's own: one that document speaks of under a heading of
        its own (its salary rows), and no document has as its title."""
        if query.role not in self.roles or query.role_from_history:
            return None
        for subject, rest in self.resolver.mentioned(self._normalize(query.text)).items():
            positions = self.evidence.positions(subject)
            if subject == query.role or not len(positions) or self.evidence.units[int(positions[0])].role != query.role:
                continue
            # The document's role named in words of its own, besides the row's: "ml arch" is the row's words.
            if query.role in self.resolver.named_roles(rest) or self.resolver.partial(rest) == query.role:
                return subject
        return None

    def _plan_basics(self, text: str, act: Act) -> Plan:
        """A greeting, thanks, goodbye, a request for help or for the roles known: answered from the index
        itself, never recorded as a question the documents did not cover."""
        query = Query(text=text, role=None, intent="other")
        if act.kind == "catalogue":
            listing = self.catalogue.listing(act.subject, act.page, in_title=act.in_title)
            said = describe(listing, len(self.roles))
        else:
            said = reply(act.kind, len(self.roles), self.examples())
        return Plan(query, Answer(said, act=act.kind))

    def _field_with_roles(self, words: str) -> bool:
        """Words read before "jobs" ("banking jobs") stand as a catalogue request when they name a field, not a
        kind of job ("remote jobs"), and some role is about it."""
        return self.catalogue.names_a_field(words) and bool(self.catalogue.listing(words).total)

    def _may_be_an_act(self, query: Query, match: RoleMatch) -> bool:
        """A message that names no role, asks no role topic and compares nothing may be a greeting or a request
        for help in other words ("gotta run")."""
        named = self.resolver.named_roles(query.text) or match.asked or match.candidates or match.mentioned_in
        return not named and query.mode == "single" and question_intent(query.text) == "other"

    def examples(self) -> tuple[str, ...]:
        """Three questions, on the indexed roles, that get an answer: pay, requirements and a comparison."""
        if self._examples is None:
            self._examples = tuple(self._working_examples())
        return self._examples

    def _working_examples(self) -> list[str]:
        kinds: dict[str, list[str]] = {}
        for fact in self.stored.facts:
            family = fact.kind.split(".")[0]
            if fact.role not in kinds.setdefault(family, []):
                kinds[family].append(fact.role)
        out: list[str] = []
        used: list[str] = []
        for family, template in (("pay", "What {does} {role} earn?"), ("education", "What degree {does} {role} need?")):
            # A different role for each example where the documents allow it.
            candidates = sorted(kinds.get(family, []), key=lambda r: r in used)[:4]
            for role in candidates:
                question = template.format(does=_does(role), role=_article(role))
                answer = self._plan(question, None, None).answer
                if not answer.abstained and not answer.missing and answer.role == role:
                    out.append(question)
                    used.append(role)
                    break
        pair = sorted(kinds.get("experience", []), key=lambda r: r in used)[:2]
        if len(pair) == 2:
            question = f"{pair[0]} vs {pair[1]}: how many years of experience?"
            if not self._plan(question, None, None).answer.abstained:
                out.append(question)
        return out

    def find_role(self, name: str) -> str:
        """The role a name stands for: its title in any case, an abbreviation or an alternate title."""
        if not isinstance(name, str) or has_lone_surrogate(name):
            raise BadQuestionError(NOT_UNICODE.format(what="The role"))
        by_lower = {r.lower(): r for r in self.roles}
        if name.strip().lower() in by_lower:
            return by_lower[name.strip().lower()]
        match = self.resolver.resolve(name)
        if match.role is not None:
            return match.role
        choices = match.candidates or self._similar_titles(name)
        hint = f" Did you mean: {'; '.join(choices[:MAX_CHOICES])}?" if choices else f" The {self._roles_summary()}."
        raise UnknownRoleError(f"No role document is titled “{name.strip()[:100]}”.{hint}")

    def role_facts(self, role: str) -> list[RoleFact]:
        """The typed facts the role's document states about the role itself (not about the related roles a
        salary table lists), in document order, each with the passage that states it."""
        out = []
        for i, fact in self.comparer.facts_of(role):
            unit = self.evidence.units[i]
            section = " > ".join(unit.section)
            out.append(
                RoleFact(
                    fact.kind,
                    kind_label(fact.kind),
                    fact.value,
                    fact.low,
                    fact.high,
                    fact.qualifier,
                    section,
                    unit.source,
                    unit.text,
                )
            )
        return out

    def sections_of(self, role: str) -> list[str]:
        seen: dict[str, None] = {}
        for i in self.evidence.positions(role).tolist():
            seen.setdefault(self.evidence.units[i].section[0], None)
        if not seen:
            for chunk in self.stored.chunks:
                if chunk.role == role:
                    seen.setdefault(chunk.section[0], None)
        return list(seen)

    def _plan_for_role(self, query: Query, role: str, match: RoleMatch, note: str | None = None) -> Plan:
        positions = self.evidence.positions(role)
        # Only a topic the question's own words name: headings that resemble it are not enough to refuse on.
        stated = query.intent in SPECIFIC_INTENTS and not query.inferred
        if stated and not any(query.intent in self.evidence.intents[i] for i in positions):
            reason = (
                f"The {role} document has no information on {label(query.intent)}, "
                "so I cannot answer that from the role documents."
            )
            if role not in self.roles and len(positions):
                # A role only named inside another document (a salary row): there is no document of its own.
                first = self.evidence.units[int(positions[0])]
                reason = (
                    f"There is no role document for {role}: the {first.role} document names it only under "
                    f"“{' > '.join(first.section)}”, with no information on its {label(query.intent)}."
                )
            return Plan(query, abstain(query, reason, [self._covered_by(role)]))
        if note is None and match.asked and not query.role_from_history:
            note = taken_to_mean(role, match.asked)
        if _is_overview(query):
            # An overview reads the document from its start rather than searching it.
            chosen = [Scored(int(i), 1.0, 1.0, 0.0) for i in positions[:OVERVIEW_UNITS]]
            if chosen:
                return Plan(query, compose(query, role, chosen, self.evidence, self.citing, note), self._hits(chosen))
        ranked = self._rank(query, positions)
        facets = question_facets(query.topic or query.text)
        gap = self._gap(query, role, positions, ranked, facets)
        if gap is not None:
            leaning = self._leaning(query)
            if leaning is not None:
                # "Is there room to climb?": not its words, but what the document says on the topic it leans to.
                return self._plan_for_role(replace(query, intent=leaning, inferred=True), role, match, note)
            return Plan(query, gap, self._hits(ranked))
        # The topic as a whole ("what do they do?"), not a point of it ("what should I study?").
        whole = not query.terms and not aspect_words(query.topic or query.text)
        on_it = self._on_sub_topic(query, ranked, facets)
        ranked = on_it or ranked
        lead, unstated = self._lead(query, ranked, facets, whole)
        # A section on a sub-topic asked as a whole ("the hardest part": its challenges) is answered as a list.
        whole = whole or (lead is not None and query.intent == "other" and bool(facets & SECTION_FACETS))
        # Lines found by a sub-topic in their own words stand alone: not the sections they happen to open.
        chosen = select(ranked, self.evidence, query.form, whole_list=whole, lead=lead, subsections=not on_it)
        if not chosen:
            leaning = self._leaning(query)
            if leaning is not None:
                # Nothing close to its words ("room to climb"): the topic it leans to, as a whole.
                whole_topic = replace(query, intent=leaning, inferred=True, terms=())
                return self._plan_for_role(whole_topic, role, match, note)
            return Plan(query, self._no_support(query, role), self._hits(ranked))
        figure = lead if unstated is None and figure_asked(query) is not None else None
        chosen = with_antecedents(self._one_period(self._with_figures(chosen, ranked, query, figure)), self.evidence)
        if note is not None and not note.endswith(" "):
            note += " "
        answer = compose(query, role, chosen, self.evidence, self.citing, note, unstated)
        return Plan(query, answer, self._hits([*chosen, *ranked]))

    def _on_sub_topic(self, query: Query, ranked: list[Scored], facets: frozenset[str]) -> list[Scored]:
        """For a question on a sub-topic its lines say in their own words, wherever they stand ("who do they
        work with?"), those lines alone, the ones naming the people first for "who"; else none."""
        scattered = facets & (TOPICLESS_FACETS - SECTION_FACETS)
        # Where figures come from is asked of the pay too ("are those salary numbers real?"): never the figures.
        if not scattered or (query.intent != "other" and "provenance" not in scattered):
            return []
        on_it = [r for r in ranked if scattered & self.evidence.facets[r.position]]
        return self.evidence.enumerations_first(on_it) if on_it and _ASKS_WHO.search(query.text) else on_it

    def _leaning(self, query: Query) -> str | None:
        """For a question on no topic that would go unanswered, the topic it leans to, if any."""
        if query.intent != "other":
            return None
        return self.topics.leaning(without_placeholder(query.topic or query.text))

    def _gap(
        self, query: Query, role: str, positions: np.ndarray, ranked: Sequence[Scored], facets: frozenset[str]
    ) -> Answer | None:
        """ "The X document does not mention Y", when the point asked is nowhere in the role's document; with the
        documents that do mention it, and what this one says on the topic."""
        if asks_for_instances(query.text) or asks_for_instances(query.topic):
            return None
        topic = query.topic or query.text
        missing = missing_terms(
            self.evidence, positions, query.terms, ranked, self._carries(query), facets, topic, asked_class(topic)
        )
        if not missing:
            return None
        phrase = phrase_around(query.topic, missing[0])
        others = self.evidence.subjects_saying(missing[0], exclude=role)
        context: list[Scored] = []
        if query.intent in SPECIFIC_INTENTS:
            # "Is a CFA required?": not mentioned; what the document does require is worth seeing.
            lead = topic_lead(ranked, self.evidence, query.intent, facets)
            if (
                query.intent == "pay"
                and ranked
                and any(k.startswith("pay.") for k in self.evidence.fact_kinds[ranked[0].position])
            ):
                # "What do bartenders make an hour before tips?": the figures asked (hourly) are the ones to see.
                lead = ranked[0]
            context = select(ranked, self.evidence, "which", True, lead) if lead else []
            context = self._one_period(context)[:GAP_CONTEXT] if context else context
        sections = self._sections(role)
        return not_mentioned(query, role, phrase, others, self.evidence, self.citing, sections, context)

    def _lead(
        self, query: Query, ranked: Sequence[Scored], facets: frozenset[str], whole: bool
    ) -> tuple[Scored | None, str | None]:
        """The unit to lead with, when the question decides it (else the best-ranked), and the figure asked
        that the document does not give, if any."""
        figure = figure_asked(query)
        if figure is not None:
            point, kinds = figure
            stating = [r for r in ranked if self.evidence.fact_kinds[r.position] & set(kinds)]
            if stating:
                order = {id(r): kinds.index(_first_kind(self.evidence.fact_kinds[r.position], kinds)) for r in stating}
                return norm_first(sorted(stating, key=lambda r: order[id(r)]), self.evidence), None
            # "How many years?" of a document that gives no number: say so, then what it says on the topic.
            lead = topic_lead(ranked, self.evidence, query.intent, facets) if query.intent != "other" else None
            return lead, point
        asked = facets & TOPICLESS_FACETS
        if query.intent == "other" and asked and ranked and not asked & self.evidence.facets[ranked[0].position]:
            # "What's the hardest part?", and the closest line is on no challenge: the document's section on its
            # challenges, however its words differ from the question's.
            lead = (
                topic_lead(ranked, self.evidence, "other", asked)
                if asked & SECTION_FACETS
                else next((r for r in ranked if asked & self.evidence.facets[r.position]), None)
            )
            if lead is not None:
                return lead, None
        if query.intent in SPECIFIC_INTENTS and (whole or not ranked or ranked[0].score < MIN_SCORE):
            # The topic as a whole ("what do they do?"), or nothing closer to the words asked: the topic's lines.
            return topic_lead(ranked, self.evidence, query.intent, facets), None
        return None, None

    def _with_figures(
        self, chosen: list[Scored], ranked: Sequence[Scored], query: Query, figure: Scored | None
    ) -> list[Scored]:
        """The figure's other statements after it ("Some roles may consider 4+ years" after "Typically 5+
        years"); and a pay question answered without a figure ("can I make six figures?") gets the best one
        the document gives."""
        if figure is not None:
            kinds = self.evidence.fact_kinds[figure.position]
            same = [r for r in ranked if self.evidence.fact_kinds[r.position] & kinds and r not in chosen]
            return self._with_crossing([*chosen, *same[: max(0, FIGURE_STATEMENTS - len(chosen))]], ranked, query)
        pay = {k for k in wanted(query) if k.startswith("pay.")}
        if not pay or any(self.evidence.fact_kinds[c.position] & pay for c in chosen):
            return self._with_crossing(chosen, ranked, query)
        # Where BLS publishes only hourly wages (actors), those are the figures there are.
        for kinds in (pay, {hourly(k) for k in pay}):
            stating = next((r for r in ranked if self.evidence.fact_kinds[r.position] & kinds), None)
            if stating is not None:
                return self._with_crossing([*chosen, stating], ranked, query)
        return self._with_crossing(chosen, ranked, query)

    def _one_period(self, chosen: list[Scored]) -> list[Scored]:
        """Yearly and hourly figures never share an answer: the lead's period decides which ones follow it."""
        kinds = self.evidence.fact_kinds

        def periods(s: Scored) -> set[bool]:
            return {k.startswith("pay.hourly.") for k in kinds[s.position] if k.startswith("pay.")}

        lead = periods(chosen[0])
        if len(lead) != 1:
            return chosen
        return [chosen[0], *(s for s in chosen[1:] if not periods(s) or periods(s) == lead)]

    def _with_crossing(self, chosen: list[Scored], ranked: Sequence[Scored], query: Query) -> list[Scored]:
        """ "Can I make six figures?": the percentile that first reaches the amount (or the top one, when none
        does) joins the answer, so the yes/no and the figure behind it agree."""
        amount = asked_amount(query.topic or query.text)
        if amount is None or query.intent != "pay":
            return chosen
        figures: dict[str, float] = {}
        stating: dict[str, Scored] = {}
        for r in ranked:
            stated = amounts(self.evidence.units[r.position].text)
            for kind in self.evidence.fact_kinds[r.position]:
                if stated and kind not in figures:
                    figures[kind], stating[kind] = min(stated), r
        reaching = crossing(amount, figures, asks_hourly(query))
        if reaching is None or any(c.position == stating[reaching].position for c in chosen):
            return chosen
        return [*chosen, stating[reaching]]

    def _plan_several(self, query: Query, roles: Sequence[str]) -> Plan:
        point = point_of(query)
        if query.mode == "common":
            answer = self.comparer.common(
                query, roles, point, lambda role: self._rank(query, self.evidence.positions(role))
            )
            return Plan(query, answer)
        findings = self.comparer.findings(query, roles, self._vector(query), self._stems(query), self._carries(query))
        return Plan(query, self.comparer.compare(query, findings, point), self._finding_hits(findings))

    def _plan_across(self, query: Query) -> Plan:
        point = point_of(query)
        roles = [r for r in self.roles if len(self.evidence.positions(r))]
        if len(roles) > MAX_CHOICES * 4:
            reason = "That question compares every role; name the roles to compare (up to a few at a time)."
            return Plan(query, abstain(query, reason, [self._roles_summary()]))
        findings = self.comparer.findings(query, roles, self._vector(query), self._stems(query), self._carries(query))
        return Plan(query, self.comparer.across(query, findings, point), self._finding_hits(findings))

    def _plan_unresolved(self, query: Query, match: RoleMatch) -> Plan:
        """A title that fits several roles or none: answer for each of a few when the question is clear, else ask
        which, numbered so a reply can pick by number; a title no document has is said to be not covered, with
        the titles closest in meaning offered."""
        if match.unknown:
            reason = f"The role documents do not cover the role “{match.asked}”, so I cannot answer that."
            return Plan(query, abstain(query, reason, [self._roles_summary()]))
        if self._made_up(query):
            return Plan(query, self._ask_back(query, _no_such_title(match.asked), match.candidates))
        if len(match.candidates) > 1 and len(match.candidates) <= ANSWER_EACH and query.intent != "other":
            several = replace(query, roles=tuple(match.candidates), mode="compare")
            plan = self._plan_several(several, match.candidates)
            intro = f"“{match.asked}” fits {len(match.candidates)} roles; for each:\n"
            return replace(plan, answer=replace(plan.answer, text=intro + plan.answer.text))
        if len(match.candidates) == 1:
            # Every word asked is in one title ("heavy driver"): ask whether it is the one.
            return Plan(query, self._ask_back(query, f"No role document is titled “{match.asked}”", match.candidates))
        return Plan(query, self._ask_back(query, f"“{match.asked}” fits several roles", match.candidates))

    def _plan_closest_role(self, query: Query) -> Plan:
        """No role named: answer from the single best-matching role and say so, never mixing roles."""
        if not query.terms and query.intent == "other":
            return Plan(query, self._no_support(query, None))  # nothing asked ("???") and no role
        if not self.topics.about_work(query.text):
            # "what's the weather in Seattle?" shares a word with a salary factor, and asks nothing of a role.
            return Plan(query, self._no_support(query, None))
        hits = [
            h for h in self.retriever.search(query.text, None, query.intent) if self._subject_of_hit(h) == h.chunk.role
        ]
        if not hits:
            return Plan(query, self._no_support(query, None))
        subject = hits[0].chunk.role
        if len(self.roles) > MAX_CHOICES:
            # Among many roles, the best-matching passage is a guess about the role: let the person choose.
            closest = list(dict.fromkeys(h.chunk.role for h in hits))[:3]
            reason = "Which role do you mean? The closest roles in the documents are: " + "; ".join(closest) + "."
            return Plan(query, abstain(query, reason, closest), tuple(hits))
        unsaid = self._said_nowhere(query)
        if unsaid is not None:
            return self._said_by_none(query, unsaid)
        others = ", ".join(r for r in self.roles if r != subject)
        note = f"You did not name a role; the closest passages are in the {subject} document (other roles: {others}): "
        plan = self._plan_for_role(replace(query, role=subject), subject, RoleMatch(role=subject), note)
        return plan if plan.answer.citations else Plan(query, self._no_support(query, None), tuple(hits))

    def _said_nowhere(self, query: Query, besides: str | None = None) -> str | None:
        """The point of a question naming no role that no document speaks to ("air traffic controller pay",
        "how much do firefighters make"), as the question words it: most likely what the person asks about,
        so the closest role's lines would answer another question. besides: the role a follow-up is taken to
        be about, whose document must say none of the question's words."""
        if len(self.roles) > MAX_CHOICES:
            return None  # among many roles a job's name is a title the resolver knows, and the check costs most
        everyone = np.concatenate([self.evidence.positions(r) for r in self.roles])
        carries = self._carries(query)
        terms = [t for t in query.terms if carries(t) >= SAID_NOWHERE]
        if besides is not None and any(self.evidence.says(self.evidence.positions(besides), t) for t in terms):
            return None
        missing = [t for t in terms if not self.evidence.says(everyone, t)]
        return phrase_around(query.topic or query.text, missing[0]) if missing else None

    def _said_by_none(self, query: Query, unsaid: str) -> Plan:
        reason = f"None of the role documents mention “{unsaid}”, so I cannot answer that."
        return Plan(query, abstain(query, reason, [self._roles_summary()]))

    def _normalize(self, text: str) -> str:
        """Shorthand spelled out and typos mended against the documents' words ("cloud eng xp salery?")."""
        if self._speller is None:
            vocabulary = self.evidence.vocabulary()
            vocabulary.update({w.lower(): len(self.roles) for r in self.roles for w in re.findall(r"[A-Za-z]+", r)})
            # Words of alternate titles are words too, however rare: "fatter" is no typo for "fitter".
            vocabulary.update(dict.fromkeys(self.resolver.title_spellings(), 1))  # known, not made common
            model_words = self.embedder.known_words() if hasattr(self.embedder, "known_words") else ()
            # The words questions are made of come first: "wich" is "which" before it is "witch".
            self._speller = Speller(vocabulary.elements(), (*sorted(EVERYDAY_WORDS), *model_words))
        return self._speller.correct(spelled_out(text))

    def _vector(self, query: Query) -> np.ndarray:
        # Without the role's name: "this role" in a question draws it to every line about roles.
        topic = without_placeholder(query.topic or query.text)
        return self._embed(topic if re.search(r"\w", topic) else query.topic or query.text)

    def _stems(self, query: Query) -> frozenset[str]:
        # Words any question has ("actually", "tho", "job") match lines by chance, and words that only name the
        # topic ("earn", "salary") are for the topic prior: neither is looked for in the lines.
        return frozenset(content_stems(query.topic or query.text)) - _ROLE_WORD - FILLER - INTENT_WORDS

    def _rank(self, query: Query, positions: np.ndarray) -> list[Scored]:
        stems = self._stems(query)
        facets = question_facets(query.topic or query.text)
        # Words that only name the topic ("earn", "salary") are for the topic prior, not for matching lines.
        members_of = asked_class(query.topic or query.text)
        return self.evidence.rank(
            positions, self._vector(query), stems - INTENT_WORDS, query.intent, wanted(query), facets, members_of
        )

    def _carries(self, query: Query) -> Callable[[str], float]:
        """How close in meaning a word is to the whole question (is it what the question is about?)."""
        vector = self._vector(query)
        return lambda term: float(self._embed(term) @ vector)

    def _inferred_topic(self, query: Query) -> Query:
        """A question whose words name no topic gets the one its best-matching headings share, if they do."""
        if query.intent != "other":
            return query
        # A sub-topic names its topic ("which industries are hiring?" asks the role's demand, a part of growth).
        named = {FACET_TOPIC[f] for f in question_facets(query.topic or query.text) if f in FACET_TOPIC}
        if len(named) == 1:
            return replace(query, intent=named.pop(), inferred=True)
        # Said in other words than the topic patterns know ("what's the main job of ...?").
        meant = self.topics.topic(without_placeholder(query.topic or query.text))
        if meant is not None:
            return replace(query, intent=meant, inferred=True)
        if not query.terms:
            return query
        topic = self.evidence.topic(self._vector(query), TOPIC_FLOOR)
        return replace(query, intent=topic, inferred=True) if topic else query

    def _refer(self, phrase: str) -> str | None:
        """The role a field or partial name stands for ("the finance one"): the one role whose document says the
        word far more often than any other's, for its size."""
        rates = []
        for role in self.roles:
            positions = self.evidence.positions(role)
            if len(positions) == 0:
                continue
            said = sum(
                1 for term in key_terms(phrase) for i in positions.tolist() if stem(term) in self.evidence.stems[i]
            )
            rates.append((said / len(positions), role))
        rates.sort(reverse=True)
        if rates and rates[0][0] > 0 and (len(rates) == 1 or rates[0][0] >= 3 * rates[1][0]):
            return rates[0][1]
        return None

    def _hits(self, ranked: Sequence[Scored]) -> tuple[Hit, ...]:
        seen: dict[str, Hit] = {}
        by_id = self.citing.chunks
        for s in ranked:
            chunk_id = self.evidence.units[s.position].chunk_id
            if chunk_id not in seen:
                seen[chunk_id] = Hit(by_id[chunk_id], s.score, dense_score=s.dense)
        return tuple(seen.values())

    def _finding_hits(self, findings: Sequence[Finding]) -> tuple[Hit, ...]:
        return self._hits([s for f in findings if f.scored is not None for s in (f.scored, *f.more)])

    def _subject_of_hit(self, hit: Hit) -> str:
        return self._subject[self.retriever.position_of(hit.chunk)]

    def _similar_titles(self, phrase: str | None, floor: float = SIMILAR_TITLE, count: int = 3) -> tuple[str, ...]:
        if not phrase:
            return ()
        scores = self._titles_vectors() @ self.embedder.embed_query(phrase)
        order = [i for i in scores.argsort()[::-1][:count] if scores[i] >= floor]
        return tuple(self.roles[i] for i in order)

    def _titles_vectors(self) -> np.ndarray:
        if self._title_vectors is None:
            self._title_vectors = self.embedder.embed_documents(list(self.roles))
        return self._title_vectors

    def _roles_summary(self) -> str:
        if len(self.roles) <= 12:
            return f"roles: {', '.join(self.roles)}"
        return f"{len(self.roles)} roles (for example: {', '.join(self.roles[:: max(1, len(self.roles) // 6)][:6])})"

    def _sections(self, role: str) -> str:
        return ", ".join(self.sections_of(role))

    def _covered_by(self, role: str) -> str:
        return f"for {role}: {self._sections(role)}"

    def _no_support(self, query: Query, role: str | None) -> Answer:
        if role is not None and len(self.evidence.positions(role)):
            return abstain(query, f"The {role} document does not answer that question.", [self._covered_by(role)])
        return abstain(
            query,
            "The role documents do not cover that question.",
            [self._roles_summary(), "topics: requirements, pay, career growth, responsibilities"],
        )

    def match(self, background: str, history: Sequence[dict[str, Any]] | None = None, limit: int = 3) -> Answer:
        """Which roles fit a background (the person's degree, years, skills, titles, interests, in their own
        words; history: earlier messages, whose user turns add to it), best first, each requirement cited."""
        return self.match_report(background, history, limit).answer

    def match_report(
        self,
        background: str,
        history: Sequence[dict[str, Any]] | None = None,
        limit: int = 3,
        pinned: Sequence[str] = (),
    ) -> FitReport:
        """match(), with what was read from the background and every point of the roles shown; pinned: roles to
        show whatever their rank (the ones the person asked about)."""
        self._check_history(history)
        if not isinstance(limit, int) or not 1 <= limit <= 20:
            raise BadQuestionError("limit must be a whole number from 1 to 20.")
        if isinstance(background, str) and not background.strip():
            raise BadQuestionError(
                "The background is empty: describe your degree and field, years of experience, skills, job titles "
                "or interests."
            )
        messages = [*user_turns(history), self._validate(background)]
        profile = read_profile(messages, self._fit_ranker().known_names(), told=True)
        if profile.empty:
            answer = ask_background()
            return FitReport(profile, (), answer, {})
        ranked = self._fit_ranker().rank(profile, limit, pinned)
        report = fit_answer(profile, ranked, self.evidence, self.citing, limit)
        return replace(report, answer=self.answer(Plan(Query(background, None, "requirements"), report.answer)))

    def _is_fit_turn(self, question: str, history: Sequence[dict[str, Any]] | None) -> bool:
        """A fit question, or a turn that only adds background right after a fit reply ("I also know SQL")."""
        if not isinstance(question, str):
            return False
        if asks_for_fit(question):
            return True
        if re.search(r"\b(?:me|my|i)\b", question, re.I) and asks_for_fit(self._normalize(question)):
            return True  # "what ocupation am i"
        if asks_bare(question) and not read_profile(user_turns(history)).empty:
            return True  # "which occupation?" after turns that told the background
        if self._asks_fit_by_meaning(question, history):
            return True  # "Ten years in telecom, CCNP. Where do I belong among these?"
        if not describes_self(question) or "?" in question:
            return False
        earlier = [m for m in history or () if isinstance(m, dict) and isinstance(m.get("content"), str)]
        replies = [m["content"] for m in earlier if m.get("role") == "assistant"]
        if replies:
            return bool(FIT_REPLY.match(replies[-1]))
        # A client that sends only the person's turns: the last of them asked for fit.
        asked = [m["content"] for m in earlier if m.get("role") == "user"]
        return bool(asked) and asks_for_fit(asked[-1])

    def _asks_fit_by_meaning(self, question: str, history: Sequence[dict[str, Any]] | None) -> bool:
        """A background, in the message or before it, and an asking part that means "what suits me?" and names
        no role: the wordings the patterns do not know."""
        part = asking_part(question)
        if self.resolver.named_roles(part):
            return False  # "I have a BSc: what does a cloud engineer earn?" is about that role
        if read_act(question, user_turns(history)) is not None:
            return False  # "can you show me the list of careers?"
        rest = question[: question.rfind(part)].strip()
        # What they said besides the request; a request alone must state a fact ("a nurse for 10 years, where
        # do I belong?"), as must earlier turns: "can you tell me about pay?" is not a background. The tools the
        # documents name count however they are said ("linux + windows servers, active directory, backups").
        known = self._fit_ranker().known_names()
        told = not read_profile([rest], known).empty if rest else read_profile([question], known).stated
        if told or self._background_just_told(history):
            return self.fit_requests.asks(question)
        # Work told in note form, no "I" ("EPA 608 cert, install and service furnaces. best fit?"): a statement
        # followed by a request that is plainly one for a role to suit the person. Its words may well name
        # some occupation ("service units"): the request decides.
        statement = "?" not in rest and len(rest.split()) >= MIN_STATEMENT_WORDS
        return statement and self.fit_requests.asks_plainly(question)

    def _background_just_told(self, history: Sequence[dict[str, Any]] | None) -> bool:
        """Whether the conversation's last turn was about the person: they told their background, or were
        answered on it. A background told before questions on a role ("I'm a sysadmin." then "what does a
        cloud engineer do?") does not make "which industries are hiring?" a fit question."""
        earlier = [m for m in history or () if isinstance(m, dict) and isinstance(m.get("content"), str)]
        replies = [m["content"] for m in earlier if m.get("role") == "assistant"]
        if replies and FIT_REPLY.match(replies[-1]):
            return True
        asked = [m["content"] for m in earlier if m.get("role") == "user"]
        return bool(asked) and read_profile(asked[-1:]).stated and not self.resolver.named_roles(asked[-1])

    def _plan_fit(self, question: str, history: Sequence[dict[str, Any]] | None) -> Plan:
        # "Am I a fit for Senior Cloud Engineer?": that role is shown whatever its rank.
        target = fit_target(question)
        asked = self.resolver.named_roles(target) if target and asks_for_fit(question) else []
        report = self.match_report(self._background_of(question), history, pinned=asked)
        query = Query(question, None, "requirements")
        chunks = self.citing.chunks
        return Plan(query, report.answer, tuple(Hit(chunks[c.chunk_id], c.score) for c in report.answer.citations))

    def _background_of(self, message: str) -> str:
        """The message without a request the patterns do not know: "Recommend me something" says nothing
        about the person, and read as what they do it would rank the roles on it."""
        if asks_for_fit(message) or not self.fit_requests.asks(message):
            return message
        part = asking_part(message)
        at = message.rfind(part)
        # "I'm a nurse. Where do I belong? I also have an MBA.": what follows the request is background too.
        return " ".join(f"{message[:at]} {message[at + len(part) :]}".split()) or message

    def _fit_ranker(self) -> FitRanker:
        ranker: FitRanker | None = getattr(self, "_ranker", None)
        if ranker is None:
            aliases: dict[str, list[str]] = {}
            for doc in self.stored.manifest.documents:
                aliases.setdefault(doc.role, []).extend(doc.aliases)
            ranker = FitRanker(
                self.evidence,
                self.comparer.facts_of,
                self.roles,
                self.embedder.embed_documents,
                self._titles_vectors,
                aliases,
            )
            self._ranker = ranker
        return ranker

    def _check_history(self, history: Sequence[Any] | None) -> None:
        """Each earlier message the person wrote is read again (roles, topics, background): none may be longer
        than a question may be, so a long history cannot make one request slow."""
        limit = self.settings.max_question_chars
        for turn in user_turns(history):
            if len(turn) > limit:
                raise BadQuestionError(
                    f"history has a message of {len(turn)} characters; the limit is {limit}, as for a question."
                )

    def _validate(self, question: object) -> str:
        if not isinstance(question, str):
            raise BadQuestionError("The question must be text.")
        if has_lone_surrogate(question):
            raise BadQuestionError(NOT_UNICODE.format(what="The question"))
        question = question.strip()
        if not question:
            raise BadQuestionError("The question is empty: ask about a role's requirements, pay or career growth.")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise BadQuestionError(
                f"The question is {len(question)} characters long; the limit is {limit}. Ask a shorter question."
            )
        return question

    def _made_up(self, query: Query) -> bool:
        """Whether the roles offered for a title were found by meaning alone: no title or alternate title has its
        words, so it is no occupation the documents know ("unicorn whisperer")."""
        return self.resolver.resolve(query.text).unknown

    def _ask_back(self, query: Query, said: str, candidates: Sequence[str]) -> Answer:
        """Asking which role was meant: one role ("The closest role is X: is that the one?") or a numbered list,
        which a reply answers by "yes", a number or part of a name (see _plan_reply)."""
        shown = list(candidates[:MAX_CHOICES])
        if len(shown) == 1:
            text = f"{said}. The closest role is {shown[0]}: is that the one?"
        else:
            more = f"\n(and {len(candidates) - MAX_CHOICES} more)" if len(candidates) > MAX_CHOICES else ""
            lines = "\n".join(f"{i}. {name}" for i, name in enumerate(shown, start=1))
            text = f"{said}:\n{lines}{more}\nWhich one do you mean? Reply with its number or part of its name."
        return Answer(text, role=query.asked_role, intent=query.intent, abstained=True, covered=tuple(shown))

    def _plan_reply(self, reply: str, history: Sequence[dict[str, Any]] | None) -> Plan | None:
        """A reply to the advisor asking which role ("yes", "2", "the heavy truck one", "no"): the question asked
        before, answered for the role chosen; None when the message is no such reply."""
        pending = pending_choice(history, self.roles) if history else None
        if pending is None:
            return None
        text = self._validate(reply)
        if pending.only_yes_or_no and not confirms_or_declines(text):
            # "aircraft" after an answer for the role "mechanics" was taken to mean: the title asked, qualified.
            short = len(text.split()) <= CHOICE_WORDS and question_intent(text) == "other"
            meant = self._qualifying(text, pending) if short else None
            return self._plan_chosen(pending, meant) if meant is not None else None
        choice = read_choice(text, pending, self.resolver)
        by_number = picks_by_number(text)
        if choice is None and not by_number:
            meant = self._qualifying(text, pending)
            choice = Choice(meant) if meant is not None else None
        if choice is None and not by_number and self.resolver.resolve(text).role is None:
            # "the electrical one" to "engineer fits several roles: 1. Aerospace Engineers ... (and 29 more)": a
            # role the list left out is still one of those the title fits.
            fitting = self.resolver.resolve(pending.question).candidates
            unlisted = tuple(c for c in fitting if c not in pending.choices)
            if unlisted:
                choice = read_choice(text, replace(pending, choices=pending.choices + unlisted), self.resolver)
        if choice is None:
            role = self._chosen_by_meaning(text, pending)
            if role is None:
                return None
            return self._plan_chosen(pending, role)
        if choice.declined:
            return self._plan_declined(pending)
        if choice.unsure:
            query = self._pending_query(pending)[0]
            return Plan(query, self._ask_back(query, "Several roles fit", pending.choices))
        assert choice.role is not None  # a choice that is not a no names its role
        return self._plan_chosen(pending, choice.role)

    def _qualifying(self, reply: str, pending: Pending) -> str | None:
        """A reply that qualifies the title asked ("trains" to "conductor fits 3 roles", "payroll and
        timekeeping" to "clerk fits 3 roles"): the two together name one role, and its title holds the title
        asked, whether the list showed it or not."""
        _query, match = self._pending_query(pending)
        if not match.asked:
            return None
        named = self.resolver.resolve(qualified(reply, match.asked)).role
        if named is None or not (named in pending.choices or self.resolver.holds(named, match.asked)):
            return None
        return named

    def _plan_chosen(self, pending: Pending, role: str) -> Plan:
        """The pending question, for the role chosen: the words that named the role stand for it."""
        query, _match = self._pending_query(pending)
        query = self._inferred_topic(replace(query, role=role, roles=(role,), asked_role=None, mode="single"))
        return self._plan_for_role(query, role, RoleMatch(role=role))

    def _pending_query(self, pending: Pending) -> tuple[Query, RoleMatch]:
        question = self._validate(pending.question)
        return make_query(question, pending.history, self.resolver, refer=self._refer, normalize=self._normalize)

    def _plan_declined(self, pending: Pending) -> Plan:
        """No to the role offered: other roles close to the title asked, numbered, and the catalogue to browse."""
        query, match = self._pending_query(pending)
        asked = match.asked or query.text
        others = [r for r in self._similar_titles(asked, count=len(pending.choices) + 3) if r not in pending.choices]
        hint = "ask “which roles are there in <a field>?” to see the roles of a field, or name the role in other words"
        if not others:
            return Plan(query, Answer(f"Then I could not tell which role you mean: {hint}.", abstained=True))
        answer = self._ask_back(query, f"Then perhaps one of these (or {hint})", others)
        return Plan(query, answer)

    def _chosen_by_meaning(self, reply: str, pending: Pending) -> str | None:
        """A short reply naming a choice in other words ("trains" for Railroad Conductors and Yardmasters): the
        choice closest in meaning, when clearly closer than the others."""
        if len(reply.split()) > CHOICE_WORDS or len(pending.choices) < 2 or self.resolver.resolve(reply).role:
            return None
        positions = [self.roles.index(c) for c in pending.choices if c in self.roles]
        scores = self._titles_vectors()[positions] @ self._embed(reply)
        order = scores.argsort()[::-1]
        if scores[order[0]] < SIMILAR_TITLE or scores[order[0]] - scores[order[1]] < CHOICE_MARGIN:
            return None
        return self.roles[positions[int(order[0])]]


_ROLE_WORD = frozenset({stem("role"), stem("this")})


def _no_such_title(asked: str | None) -> str:
    return f"No role document is titled “{asked}”, and no occupation the documents cover goes by that name"


def _first_kind(stated: set[str], kinds: Sequence[str]) -> str:
    return min(stated & set(kinds), key=kinds.index)


def _plural(role: str) -> bool:
    last = role.split(",")[0].split()[-1]
    return last.endswith("s") and not last.endswith(("ss", "is", "us"))


def _does(role: str) -> str:
    return "do" if _plural(role) else "does"


def _article(role: str) -> str:
    if _plural(role):
        return role
    first = role.split()[0]
    # "an ML Performance Architect": an initialism is read letter by letter.
    vowel_sound = first[0] in "AEFHILMNORSX" if first.isupper() and len(first) > 1 else first[0].lower() in "aeiou"
    return f"{'an' if vowel_sound else 'a'} {role}"


def _is_overview(query: Query) -> bool:
    """'Tell me about the Senior Cloud Engineer role', or the role's name alone: a request for the document's
    overview."""
    if query.intent != "other":
        return False
    return bool(_OVERVIEW.search(query.text)) or not (content_stems(query.topic) - _ROLE_WORD)


def check_compatible(stored: index_store.StoredIndex, settings: Settings) -> None:
    built = stored.manifest
    if built.model.name != settings.model or built.chunking != settings.chunking:
        raise IndexMismatchError(
            f"The index in {settings.index_dir}/ was built with model {built.model.name!r} and chunking "
            f"{built.chunking.to_dict()}, but the configuration asks for model {settings.model!r} and chunking "
            f"{settings.chunking.to_dict()}. Rebuild it: advisor index --full --index {settings.index_dir}"
        )
    if built.model.backend != settings.embed_backend:
        # Close enough to answer from (INT8 and fp32 vectors agree to cosine 0.99), but not the same vectors.
        log.warning(
            "The index in %s/ was embedded with the %s backend and questions will use %s; the next "
            "`advisor index` re-embeds it with %s.",
            settings.index_dir, built.model.backend, settings.embed_backend, settings.embed_backend,
        )  # fmt: skip
