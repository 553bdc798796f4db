"""Whether a message that comes with a background asks which roles suit the person, by meaning: its asking
part ("Where do I belong among these?", "Recommend me something") against a few generic requests for advice on
what to pursue, and a few questions about the roles themselves ("which role pays most?", "what degree do I
need?"). The patterns in profile.py know the common wordings; this catches the rest."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from .examples import Examples

# Requests for a recommendation of roles to a person, in no particular field.
_FIT = (
    "which role suits me?",
    "which of these jobs would fit me best?",
    "what job should I go for?",
    "where would I fit in?",
    "what position should I apply for?",
    "which career should I pursue?",
    "what would you recommend for someone like me?",
    "which one matches my background?",
    "what should I aim for next?",
    "am I a good fit for any of these?",
    "what am I qualified for?",
    "what do you think would work for me?",
    "is any of this a good match for me?",
    "anything suitable for someone with my experience?",
    # Naming the occupation for the work just described.
    "what job is that?",
    "what is that job called?",
    "what would my job title be?",
    "best match?",
    "which occupation is the closest match?",
)
# Questions about the roles, some in the first person, that a background in the same message does not change.
_ABOUT_ROLES = (
    "which role pays the most?",
    "which roles need a PhD?",
    "which jobs use Python?",
    "how much does this role pay?",
    "what degree do I need for it?",
    "how many years of experience do I need?",
    "what does the job involve day to day?",
    "what is the career path?",
    "is there demand for this job?",
    "what skills should I learn for it?",
    "do I need a certification?",
    "how do the two roles compare?",
    "can I work from home in this job?",
    "what tools would I use?",
    "what is the hardest part of these jobs?",
    "which industries are hiring?",
    "where are these jobs located?",
    "what do these roles have in common?",
)
FIT_FLOOR = 0.4  # cosine to the closest fit request below which a message is not one
FIT_LEAD = 0.03  # how much closer to a fit request than to a question about roles: "which job pays most?" is near
PLAIN_LEAD = 0.15  # a request this much closer to one for fit than to any question about roles is plainly one
_PARTS = re.compile(r"(?<=[.!?;])\s+|\n+")
_CLAUSES = re.compile(r"[,;:]|\s[-–—]\s")
_ASKS = re.compile(
    r"(?:so|and|but|then|now)?\s*(?:what|which|wich|wat|where|how|who|any|is|are|am|do|does|should|would|could|can|"
    r"will|recommend|suggest)\b",
    re.I,
)
_LIST_END = re.compile(r"(?:and|or|&|plus|as well as)\b", re.I)
SHORT_ASK = 6  # words of a last clause that asks on its own ("best match?", "thoughts on where I fit?")
MIN_CLAUSE_WORDS = 2  # "role?" after a comma is a request of its own; "so," is not


def asking_part(message: str) -> str:
    """The sentence that asks: the last one with a question mark, else the last one ("Recommend me something").
    Where that sentence also tells the background first ("I have 3 years, which job pays most?"), the clause
    after it: the request comes last."""
    parts = [p.strip() for p in _PARTS.split(message) if p.strip()]
    asked = [p for p in parts if p.endswith("?")]
    sentence = (asked or parts or [""])[-1]
    # The last clause that opens like a question ("I have 3 years, which job pays most?"); not the end of a
    # list ("for someone with Python, SQL, and Tableau?").
    clauses = [c.strip() for c in _CLAUSES.split(sentence)]
    opening = [k for k, c in enumerate(clauses) if len(c.split()) >= MIN_CLAUSE_WORDS and _ASKS.match(c)]
    if opening:
        return ", ".join(clauses[opening[-1] :]) if opening[-1] > 0 else sentence
    # "BSEE, 6 yrs, radio design, best match?": a short last question of its own, unless it ends a list.
    last = clauses[-1]
    own = len(clauses) > 1 and last.endswith("?") and len(last.split()) <= SHORT_ASK and not _LIST_END.match(last)
    return last if own else sentence


class FitRequests:
    """Tells a request for roles that suit the person from a question about the roles, by the closest examples."""

    def __init__(
        self, embed_documents: Callable[[list[str]], np.ndarray], embed_query: Callable[[str], np.ndarray]
    ) -> None:
        self._examples = Examples({"fit": _FIT, "about roles": _ABOUT_ROLES}, embed_documents, embed_query)

    def asks(self, message: str, lead: float = FIT_LEAD) -> bool:
        part = asking_part(message)
        if not part:
            return False
        closeness = self._examples.closeness(part)
        return closeness["fit"] >= FIT_FLOOR and closeness["fit"] >= closeness["about roles"] + lead

    def asks_plainly(self, message: str) -> bool:
        """A request no question about the roles comes near ("best fit?"): it asks for fit whatever precedes it."""
        return self.asks(message, PLAIN_LEAD)
