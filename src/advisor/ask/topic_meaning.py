"""The topic of a question whose words name none, by meaning: a few general questions per topic, about no role
in particular, and a question takes the topic of the closest when that is clearly closer than any question on
none of them ("what's the main job?" is about responsibilities; "where do they work?" about none). And whether
a question that names no role is about work at all ("what's the weather in Seattle?" is not)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .examples import Examples

# A topic's closest example must be at least this close, and this much closer than the closest of "none".
FLOOR = 0.45
MARGIN = 0.15
# A question that would go unanswered takes the topic it leans to: this close, and this much closer than to the
# next topic.
LEANING_FLOOR = 0.3
LEANING_MARGIN = 0.1
# A question is about something else than work when it is this much closer to such questions than to any
# question about a job.
ELSEWHERE_MARGIN = 0.1

_TOPICS: dict[str, tuple[str, ...]] = {
    "responsibilities": (
        "what does this job involve?",
        "what is the main job?",
        "what would I be doing every day?",
        "what are the duties?",
        "what are they responsible for?",
        "what does a typical day look like?",
        "what kind of work is it?",
    ),
    "pay": (
        "how much does it pay?",
        "what is the salary?",
        "what do they earn?",
        "is the money good?",
        "what are the wages?",
        "are there bonuses?",
    ),
    "requirements": (
        "what do I need to get this job?",
        "what qualifications are needed?",
        "what degree do I need?",
        "how much experience is needed?",
        "what skills should I have?",
        "how do I get into this?",
        "which certifications help?",
    ),
    "growth": (
        "what is the career path?",
        "is there demand for this job?",
        "what is the job outlook?",
        "where can this job lead?",
        "can I get promoted?",
        "are there many openings?",
        "is this field growing?",
    ),
    # Questions about a job on none of the topics above: they keep no topic.
    "none": (
        "where do they work?",
        "is it remote?",
        "what is the work environment like?",
        "what hours do they work?",
        "do they travel?",
        "who do they work with?",
        "what is the culture like?",
        "tell me about this job",
        "what is this job?",
        "what challenges do they face?",
        "which jobs do you know about?",
    ),
}


# Questions about jobs (those on each topic and on none above), and everyday questions about anything else.
_WORK_OR_NOT: dict[str, tuple[str, ...]] = {
    "work": tuple(question for questions in _TOPICS.values() for question in questions),
    "elsewhere": (
        "what's the weather tomorrow?",
        "who won the game last night?",
        "tell me a joke",
        "what's the capital of France?",
        "recommend a good movie",
        "how do I cook pasta?",
        "what time is it?",
        "how do I fix my car?",
        "what's in the news today?",
        "who is the president?",
        "what is 2 plus 2?",
        "play some music",
        "where should I go on vacation?",
        "what's a good restaurant near me?",
    ),
}


class TopicsByMeaning:
    def __init__(
        self, embed_documents: Callable[[list[str]], np.ndarray], embed_query: Callable[[str], np.ndarray]
    ) -> None:
        self._examples = Examples(_TOPICS, embed_documents, embed_query)
        self._work = Examples(_WORK_OR_NOT, embed_documents, embed_query)

    def topic(self, question: str) -> str | None:
        """The topic (pay, requirements, growth, responsibilities) the question is clearly closest to, if any."""
        closeness = self._examples.closeness(question)
        none = closeness.pop("none")
        best = max(closeness, key=lambda k: closeness[k])
        return best if closeness[best] >= FLOOR and closeness[best] - none >= MARGIN else None

    def leaning(self, question: str) -> str | None:
        """The topic a question leans to, though not clearly enough to be taken as asked: closer to one topic's
        examples than to any other's and than to questions on none, by a margin, above a lower floor. For a
        question that would otherwise go unanswered ("is it a dead end or is there room to climb?")."""
        closeness = self._examples.closeness(question)
        none = closeness.pop("none")
        ranked = sorted(closeness, key=lambda k: -closeness[k])
        best, second = closeness[ranked[0]], closeness[ranked[1]]
        if best >= LEANING_FLOOR and best - none >= MARGIN and best - second >= LEANING_MARGIN:
            return ranked[0]
        return None

    def about_work(self, question: str) -> bool:
        """False for a question clearly about something else than jobs and careers."""
        closeness = self._work.closeness(question)
        return closeness["elsewhere"] - closeness["work"] < ELSEWHERE_MARGIN
