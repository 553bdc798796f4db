"""The Advisor facade: wires conversation, retrieval and answering over one loaded index generation."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Settings
from ..errors import BadQuestionError, IndexMismatchError
from ..indexing import index_store
from ..indexing.embedding import Embedder, TextEmbedder
from ..records import Answer, Hit, IndexInfo, Query
from ..text.units import NOT_UNICODE, has_lone_surrogate
from .answering import MAX_PASSAGES, abstain, compose, is_overview, topic_terms
from .conversation import make_query
from .intent import label
from .retrieval import Retriever
from .roles import RoleMatch, RoleResolver, without_role

log = logging.getLogger("advisor")
MAX_CHOICES = 8
# Cosine between an asked title and a role title above which the role is offered as a choice.
SIMILAR_TITLE = 0.45
SPECIFIC_INTENTS = ("pay", "requirements", "growth", "responsibilities")


@dataclass(frozen=True)
class Plan:
    """What a question resolves to: passages to answer from, or an abstention decided before retrieval."""

    query: Query
    hits: tuple[Hit, ...] = ()
    subject: str | None = None  # the role the answer speaks about
    note: str | None = None  # how the answer introduces its source, when not the subject's own document
    early: Answer | None = None


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
        # Whom each passage is about: a salary row for a related role is not the document role's figure.
        self._subject = [self.resolver.subject_of(c.role, c.section) for c in chunks]
        self._title_vectors: np.ndarray | None = (
            None  # embedded on first need: only questions naming an unknown title use them
        )
        self._by_subject: dict[str, list[int]] = {}
        for i, subject in enumerate(self._subject):
            self._by_subject.setdefault(subject, []).append(i)

    @classmethod
    def load(
        cls, index_dir: str | Path | None = None, settings: Settings | None = None, embedder: TextEmbedder | None = None
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
        """The answer a plan leads to (ask = plan + answer; evaluation looks at the plan's passages too)."""
        if plan.early is not None:
            return plan.early
        answer = compose(plan.query, plan.hits, plan.subject, source_note=plan.note) if plan.subject else None
        if answer is None:
            return self._no_support(plan.query)
        if self.attribution:
            cited = tuple(replace(c, attribution=self.attribution.get(c.source)) for c in answer.citations)
            answer = replace(answer, citations=cited)
        return answer

    def plan(self, question: str, history: Sequence[dict[str, Any]] | None = None, role: str | None = None) -> Plan:
        """What the question resolves to: the role and topic, then the passages to answer from (or an
        abstention decided before retrieval)."""
        if role is not None and (not isinstance(role, str) or has_lone_surrogate(role)):
            raise BadQuestionError(NOT_UNICODE.format(what="The role"))
        query, match = make_query(self._validate(question), history, self.resolver, role)
        if match.unknown:
            # Last resort: titles that mean much the same ("data wrangler" ~ "Data Scientists").
            match = replace(match, candidates=self._similar_titles(match.asked))
        if match.ambiguous or match.unknown:
            return self._plan_unresolved(query, match)
        if query.role is None and match.mentioned_in:
            return self._plan_mentioned(query, match)
        if query.role is not None:
            return self._plan_for_role(query, query.role, match)
        return self._plan_closest_role(query)

    def _plan_unresolved(self, query: Query, match: RoleMatch) -> Plan:
        """A title that fits several roles or none: ask which, or say it is not covered."""
        if match.unknown:
            reason = f"The role documents do not cover the role “{match.asked}”, so I cannot answer that."
            return Plan(query, early=abstain(query, reason, [self._roles_summary()]))
        names = "; ".join(match.candidates[:MAX_CHOICES])
        more = f" (and {len(match.candidates) - MAX_CHOICES} more)" if len(match.candidates) > MAX_CHOICES else ""
        if len(match.candidates) == 1:
            reason = f"No role document is titled “{match.asked}”. The closest role is {names}: is that the one?"
        else:
            reason = f"“{match.asked}” fits several roles: {names}{more}. Which one do you mean?"
        return Plan(query, early=abstain(query, reason, list(match.candidates[:MAX_CHOICES])))

    def _plan_for_role(self, query: Query, role: str, match: RoleMatch) -> Plan:
        allowed = self._by_subject.get(role, [])
        if query.intent in SPECIFIC_INTENTS and not self._has_intent(allowed, query.intent):
            reason = (
                f"The {role} document has no information on {label(query.intent)}, "
                "so I cannot answer that from the role documents."
            )
            return Plan(query, early=abstain(query, reason, [self._covered_by(role)]))
        note = None
        if match.asked and not query.role_from_history:
            topic = f" on {label(query.intent)}" if query.intent != "other" else ""
            note = f"What the {role} document says{topic} (you asked about: {match.asked}):"
        if is_overview(query, role):
            # An overview reads the document from its start rather than searching it.
            hits = [Hit(self.stored.chunks[i], 0.0) for i in allowed[:MAX_PASSAGES]]
            return Plan(query, tuple(hits), role, note)
        text = without_role(query.text, match.asked or role)
        return Plan(query, tuple(self.retriever.search(text, allowed, query.intent, subject=role)), role, note)

    def _plan_closest_role(self, query: Query) -> Plan:
        """No role named: answer from the single best-matching role and say so, never mixing roles."""
        if query.intent == "other" and not topic_terms(query, ""):
            return Plan(query)  # nothing asked ("???", "what is it?") and no role: nothing to answer
        hits = self.retriever.search(query.text, None, query.intent)
        hits = [h for h in hits if self._subject[self._index(h)] == h.chunk.role]
        if not hits:
            return Plan(query)
        subject = hits[0].chunk.role
        if len(self.roles) > MAX_CHOICES:
            # Among many roles, the best-matching passage is a guess about the role: let the person choose.
            closest = list(dict.fromkeys(h.chunk.role for h in hits))[:3]
            reason = "Which role do you mean? The closest roles in the documents are: " + "; ".join(closest) + "."
            return Plan(query, early=abstain(query, reason, closest))
        others = ", ".join(r for r in self.roles if r != subject)
        note = f"You did not name a role; the closest passages are in the {subject} document (other roles: {others}):"
        return Plan(query, tuple(h for h in hits if h.chunk.role == subject), subject, note)

    def sections_of(self, role: str) -> list[str]:
        seen: dict[str, None] = {}
        for i in self._by_subject.get(role, []):
            seen.setdefault(self.stored.chunks[i].section[0], None)
        return list(seen)

    def _plan_mentioned(self, query: Query, match: RoleMatch) -> Plan:
        allowed = [i for m in match.mentioned_in for i in self._by_subject.get(m, [])]
        if query.intent in SPECIFIC_INTENTS and not self._has_intent(allowed, query.intent):
            reason = f"The role documents mention {match.asked} but have no information on its {label(query.intent)}."
            return Plan(query, early=abstain(query, reason, [self._roles_summary()]))
        hits = self.retriever.search(query.text, allowed, query.intent)
        if not hits:
            return Plan(query)
        name = self._subject[self._index(hits[0])]
        note = (
            f"There is no role document for {name}, but the {hits[0].chunk.role} document has a section on it "
            f"({hits[0].chunk.section_title}):"
        )
        return Plan(replace(query, role=name), tuple(hits), name, note)

    def _similar_titles(self, phrase: str | None, floor: float = SIMILAR_TITLE) -> tuple[str, ...]:
        if not phrase:
            return ()
        if self._title_vectors is None:
            self._title_vectors = self.embedder.embed_documents(list(self.roles))
        scores = self._title_vectors @ self.embedder.embed_query(phrase)
        order = [i for i in scores.argsort()[::-1][:3] if scores[i] >= floor]
        return tuple(self.roles[i] for i in order)

    def _roles_summary(self) -> str:
        if len(self.roles) <= 12:
            return f"roles: {', '.join(self.roles)}"
        return f"{len(self.roles)} roles (for example: {', '.join(self.roles[:: max(1, len(self.roles) // 6)][:6])})"

    def _covered_by(self, role: str) -> str:
        return f"for {role}: {', '.join(self.sections_of(role))}"

    def _no_support(self, query: Query) -> Answer:
        if query.role in self._by_subject and query.role in self.roles:
            return abstain(
                query, f"The {query.role} document does not answer that question.", [self._covered_by(query.role)]
            )
        return abstain(
            query,
            "The role documents do not cover that question.",
            [self._roles_summary(), "topics: requirements, pay, career growth, responsibilities"],
        )

    def _has_intent(self, allowed: Sequence[int] | None, intent: str) -> bool:
        return self.retriever.any_about(allowed, intent)

    def _index(self, hit: Hit) -> int:
        return self.retriever.position_of(hit.chunk)

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
