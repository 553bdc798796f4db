"""A fit reply: the roles that fit a background, best first, each with what matches, what is missing and what
the documents' requirements ask that the person did not mention, every requirement quoted and cited; or, when
no role fits well, that plainly, with the closest roles and what they lack."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..records import Answer
from .answering import Citing, display
from .evidence import Evidence
from .fit import RoleFit
from .profile import Profile
from .requirements import MATCHES, MISSING, NOT_KNOWN, UNSAID, Point

FIT_LEAD = "Roles that fit your background"
NO_FIT_LEAD = "No role fits your background well"
CLOSE_LEAD = "No role fits your background fully yet"
ASK_BACKGROUND = "Tell me about your background"
# How a fit reply opens: a later message that only adds background continues it.
FIT_REPLY = re.compile(rf"^(?:{FIT_LEAD}|{NO_FIT_LEAD}|{CLOSE_LEAD}|{ASK_BACKGROUND})")
MAX_QUOTE = 180
MAX_LINES = 6  # lines per role
_ORDER = {MATCHES: 0, MISSING: 1, NOT_KNOWN: 2}
_LABEL = {MATCHES: "Matches", MISSING: "Missing", NOT_KNOWN: "Not known"}


@dataclass(frozen=True)
class FitReport:
    """What /api/match returns beside the answer: what was read from the background, and the roles checked."""

    profile: Profile
    fits: tuple[RoleFit, ...]
    answer: Answer
    quotes: dict[int, tuple[str, int]]  # unit position -> (the requirement as quoted, its citation number)

    def to_dict(self) -> dict[str, Any]:
        p = self.profile
        return {
            **self.answer.to_dict(),
            "ranking": list(self.answer.ranking),
            "profile": {
                "degrees": [{"level": d.level, "field": d.field} for d in p.degrees],
                "years": p.years,
                "skills": list(p.skills),
                "titles": list(p.titles),
                "certifications": list(p.certifications),
                "interests": list(p.interests),
                "areas": list(p.areas),
            },
            "roles": [
                {
                    "role": f.role,
                    "score": f.score,
                    "fits": f.fits,
                    "close": f.close,
                    "points": [
                        {
                            "status": pt.status,
                            "aspect": pt.aspect,
                            "requirement": self.quotes[pt.position][0],
                            "citation": self.quotes[pt.position][1],
                            "note": pt.note,
                        }
                        for pt in _shown(f.points)
                    ],
                }
                for f in self.fits
            ],
        }


def ask_background() -> Answer:
    """A fit question with nothing about the person in it or before it."""
    text = (
        f"{ASK_BACKGROUND}: your degree and field, years of experience, skills and tools, job titles and interests. "
        "I will rank the roles by how well their documents' requirements match it, citing each requirement."
    )
    return Answer(text, (), None, "requirements", act="fit")


def fit_answer(
    profile: Profile, ranked: Sequence[RoleFit], evidence: Evidence, citing: Citing, limit: int
) -> FitReport:
    shown = list(ranked[:limit])
    fitting = [f for f in shown if f.fits]
    # None fits, but some are within reach (years or a degree away): those are the answer, said as such.
    close = [] if fitting else [f for f in shown if f.close]
    units = [evidence.units[p.position] for f in shown for p in _shown(f.points)]
    numbers, citations = citing.cite(units, [f.score for f in shown for _p in _shown(f.points)])
    quotes = {
        p.position: (_quote(evidence, p.position), numbers[evidence.units[p.position].chunk_id])
        for f in shown
        for p in _shown(f.points)
    }
    read = f" (what I read: {profile.summary()})" if profile.summary() else ""
    if fitting:
        lines = [f"{FIT_LEAD}, best first, by how well the role documents' requirements match{read}:"]
    elif close:
        lines = [
            f"{CLOSE_LEAD}: the closest ask for more years or a higher degree than you said{read}. The closest, "
            "with what is missing:"
        ]
    else:
        lines = [
            f"{NO_FIT_LEAD}: none of the role documents asks for or describes work close to what you said{read}. "
            "The closest, with what is missing:"
        ]
    for n, fit in enumerate(shown, start=1):
        lines.append(_heading(n, fit))
        lines += _lines(fit, quotes) or ["- The document states no requirement I can compare with what you said."]
    if any(p.status == NOT_KNOWN for f in shown for p in f.points):
        lines.append("“Not known” marks what a document asks that you did not mention: tell me, and I will re-rank.")
    ranking = tuple(f.role for f in fitting or close)
    answer = Answer("\n".join(lines), citations, None, "requirements", act="fit", ranking=ranking)
    return FitReport(profile, tuple(shown), answer, quotes)


def _lines(fit: RoleFit, quotes: dict[int, tuple[str, int]]) -> list[str]:
    """One line per requirement quoted and how it compares; the tools a document names that the person did not
    mention, in one line; at most MAX_LINES lines, what is missing never left out."""
    grouped: dict[tuple[str, int], list[str]] = {}
    unsaid: dict[int, list[str]] = {}
    for p in _shown(fit.points):
        if p.aspect == "skills" and p.status == NOT_KNOWN:
            unsaid.setdefault(quotes[p.position][1], []).extend(p.note.removeprefix(UNSAID).split(", "))
            continue
        status = p.status
        if status == NOT_KNOWN and (MATCHES, p.position) in grouped:
            # One line, not two that contradict each other: its field matches, its level is not known.
            status = MATCHES
        notes = grouped.setdefault((status, p.position), [])
        if p.note and p.note not in notes:
            notes.append(p.note)
    lines = []
    for (status, position), notes in grouped.items():
        quote, number = quotes[position]
        note = f" ({'; '.join(notes)})" if notes else ""
        lines.append((status, f"- {_LABEL[status]}: {quote}{note} [{number}]"))
    if unsaid:
        names = list(dict.fromkeys(name for group in unsaid.values() for name in group))
        marks = "".join(f"[{n}]" for n in unsaid)
        lines.append((NOT_KNOWN, f"- {_LABEL[NOT_KNOWN]}: the document names {', '.join(names)} {marks}; you did not "
                      "mention them"))  # fmt: skip
    missing = [line for status, line in lines if status == MISSING]
    others = [line for status, line in lines if status != MISSING][: max(0, MAX_LINES - len(missing))]
    return sorted([*missing, *others], key=lambda line: [x for _s, x in lines].index(line))


def _heading(n: int, fit: RoleFit) -> str:
    counts = fit.counts()
    verdict = "fits" if fit.fits else "comes close" if fit.close else "does not fit well"
    said = {MATCHES: ("match", "matches")}  # "1 match", "2 matches"; "missing" and "not known" do not change
    tally = ", ".join(
        f"{counts[s]} {said.get(s, (s, s))[counts[s] != 1]}" for s in (MATCHES, MISSING, NOT_KNOWN) if counts[s]
    )
    return f"**{n}. {fit.role}**: {verdict}" + (f" ({tally})" if tally else "")


def _shown(points: Sequence[Point]) -> list[Point]:
    return sorted(points, key=lambda p: _ORDER[p.status])


def _quote(evidence: Evidence, position: int) -> str:
    """The requirement in the document's words (cut at a word when it runs long: a quote, never a paraphrase)."""
    text = display(evidence.units[position])
    if len(text) <= MAX_QUOTE:
        return f"“{text}”"
    cut = text[:MAX_QUOTE].rsplit(" ", 1)[0].rstrip(",;:")
    return f"“{cut} …”"
