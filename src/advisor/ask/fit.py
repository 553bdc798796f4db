"""Which roles fit a person's background: every role scored by how close what the person said (titles, field,
skills, interests) is in meaning and in words to what its document says the work is, then the best few checked
point by point against the requirements their documents state as typed facts (degree level, field of study,
years of experience, named tools, certifications: ask/requirements.py). Every point carries the unit that states
the requirement, so the answer quotes and cites it; nothing is said about a role that its document does not say.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ..records import Fact
from ..text.lexical import content_stems
from .evidence import Evidence
from .profile import Profile
from .requirements import (
    GENERIC,
    MATCHES,
    MISSING,
    NOT_KNOWN,
    Point,
    certification_points,
    degree_points,
    experience_points,
    field_points,
    skill_points,
)

# Meaning signals, fused: the person's words against the role's units (best unit per thing said), against the
# role's title, and the share of their rarer words the document uses.
UNIT_WEIGHT = 0.5
TITLE_WEIGHT = 0.3
LEXICAL_WEIGHT = 0.2
CANDIDATES = 20  # roles checked point by point, by meaning first
PRESELECT = 60  # roles whose every unit is scored, by their centroids first
CENTROID_SHARE = 0.2  # of a role's meaning score, how much comes from its whole document rather than its best line
STATEMENT_WORDS = 0.5  # the weight of a word of their description against one of a title, field or skill
# What each requirement point adds to (or takes from) a role's score.
BONUS = {
    "degree": (0.04, -0.10),
    "preferred degree": (0.03, -0.02),
    "field of study": (0.06, 0.0),
    "experience": (0.03, -0.04),
    "skills": (0.03, 0.0),  # per skill, up to MAX_SKILLS_BONUS
    "certification": (0.04, 0.0),
    "title": (0.2, 0.0),  # shared among the roles that have the title
}
MAX_SKILLS_BONUS = 0.12
# How far above the median role a role must score to fit well (dev: no-fit backgrounds at most 0.14 above it,
# fitting ones at least 0.16).
STANDOUT = 0.155
DISTINCT_FLOOR = 0.1  # meaning needed besides, when a role fits by what sets it apart
FIT_MARGIN = 0.12  # roles this far below the best are not offered as fitting
CLOSE_MARGIN = 0.05  # roles within reach this far below the closest are offered with it
RELATED_FLOOR = 0.45  # a unit at least this close to something the person said is shown as related work
COMMON_NAME_ROLES, COMMON_NAME_SHARE = 5, 0.1  # a name more documents than both of these use is boilerplate
SHARED = 3  # a line this many roles' documents say word for word is boilerplate
_PAY_KIND = re.compile(r"^pay\.|^demand\.")


@dataclass(frozen=True)
class RoleFit:
    role: str
    score: float
    meaning: float
    points: tuple[Point, ...] = ()
    fits: bool = False
    close: bool = False  # does not fit, but has what sets the role apart and lacks only years or a degree level

    def counts(self) -> dict[str, int]:
        """Points by status, as the reply shows them: a line whose field matches and whose level is not known
        is one match."""
        matched = {p.position for p in self.points if p.status == MATCHES}
        out = {MATCHES: 0, MISSING: 0, NOT_KNOWN: 0}
        for p in self.points:
            if p.status == NOT_KNOWN and p.aspect != "skills" and p.position in matched:
                continue
            out[p.status] += 1
        return out


@dataclass
class _Roles:
    """The units fit is judged on, grouped by role, laid out once so a background is scored with one product."""

    names: list[str]
    order: np.ndarray  # unit positions, role after role
    starts: np.ndarray  # where each role's units begin in order
    vectors: np.ndarray  # the vectors of the units in order
    stems: list[frozenset[str]]  # every word stem each role's document uses
    idf: dict[str, float]
    aliases: list[frozenset[str]] = field(default_factory=list)
    titles: np.ndarray | None = None  # the roles' titles embedded, on first need
    by_title: dict[str, tuple[int, ...]] = field(default_factory=dict)  # title key -> roles with that title
    boilerplate: frozenset[str] = frozenset()  # names (lower case) too many roles' documents use
    not_work: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))  # 1 for lines on growth or pay
    centroids: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), np.float32))  # mean unit, per role


class FitRanker:
    def __init__(
        self,
        evidence: Evidence,
        facts_of: Callable[[str], list[tuple[int, Fact]]],
        roles: Sequence[str],
        embed: Callable[[Sequence[str]], np.ndarray],
        title_vectors: Callable[[], np.ndarray],
        aliases: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """embed: texts -> normalized query vectors; title_vectors: the roles' titles embedded, in roles' order
        (asked for on first use)."""
        self.evidence = evidence
        self.facts_of = facts_of
        self.role_names = list(roles)
        self.embed = embed
        self.title_vectors = title_vectors
        self.alias_names = aliases or {}
        self._laid_out: _Roles | None = None
        self._known: frozenset[str] | None = None

    def rank(self, profile: Profile, limit: int = 3, pinned: Sequence[str] = ()) -> list[RoleFit]:
        """The roles close enough to be checked (the first CANDIDATES by meaning), checked point by point, best
        first. pinned: roles the person asked about ("am I a fit for X?"), kept within the first `limit`."""
        laid = self._layout()
        if profile.empty or not laid.names:
            return []
        # Roles that have a title the person worked under, or that they named, are checked whatever their meaning.
        named = [laid.names.index(r) for r in pinned if r in laid.names]
        titled = sorted({r for t in profile.titles for r in laid.by_title.get(_title_key(t), ())} | set(named))
        meaning, best_units, typical = self._meaning(profile, laid, titled)
        candidates = list(dict.fromkeys([*np.argsort(-meaning)[:CANDIDATES].tolist(), *titled]))
        fits = []
        for r in candidates:
            role = laid.names[r]
            points = self._points(profile, role, r, laid, best_units)
            score = float(meaning[r]) + _adjustment(points)
            fits.append(RoleFit(role, round(score, 4), round(float(meaning[r]), 4), tuple(points)))
        fits.sort(key=lambda f: -f.score)
        top = fits[0].score if fits else 0.0
        judged = [replace(f, fits=f.score >= top - FIT_MARGIN and _fits(f, typical)) for f in fits]
        # Within reach, a weaker claim: only the best of those, and any about as close.
        reach = [f for f in judged if not f.fits and _close(f)]
        if reach:
            floor = max(reach[0].score - CLOSE_MARGIN, top - FIT_MARGIN)
            judged = [replace(f, close=f in reach and f.score >= floor) for f in judged]
        asked = [f for f in judged if f.role in pinned]
        shown = [f for f in judged[:limit] if f.role not in pinned][: max(0, limit - len(asked))]
        if not asked or all(f in judged[:limit] for f in asked):
            return judged
        rest = [f for f in judged if f not in shown and f not in asked]
        return sorted([*shown, *asked], key=lambda f: -f.score) + rest

    def known_names(self) -> frozenset[str]:
        """The tools and skills the documents name, lower case: what a person's message is searched for."""
        if self._known is None:
            self._known = frozenset(
                f.value.lower() for role in self.role_names for _i, f in self.facts_of(role) if f.kind == "named"
            )
        return self._known

    def _layout(self) -> _Roles:
        if self._laid_out is not None:
            return self._laid_out
        ev = self.evidence
        # A line many documents share word for word (a job zone's description) says nothing of one role's work.
        said_by: dict[str, set[str]] = {}
        for role in self.role_names:
            for i in ev.positions(role).tolist():
                said_by.setdefault(ev.units[i].text, set()).add(role)
        names: list[str] = []
        order: list[int] = []
        starts: list[int] = []
        stems: list[frozenset[str]] = []
        for role in self.role_names:
            positions = [
                i for i in ev.positions(role).tolist() if _about_work(ev, i) and len(said_by[ev.units[i].text]) < SHARED
            ]
            if not positions:
                continue
            names.append(role)
            starts.append(len(order))
            order.extend(positions)
            stems.append(frozenset().union(*(ev.stems[i] for i in positions)))
        counts: dict[str, int] = {}
        for s in stems:
            for stem in s:
                counts[stem] = counts.get(stem, 0) + 1
        # Zero for a word every role's document uses: it tells no role from another.
        idf = {s: math.log(len(stems) / c) for s, c in counts.items()}
        index = np.asarray(order, dtype=np.int64)
        vectors = np.ascontiguousarray(ev.vectors[index]) if len(index) else np.zeros((0, 1), np.float32)
        aliases = [frozenset(_title_key(a) for a in (r, *self.alias_names.get(r, ()))) for r in names]
        bounds = np.asarray(starts, dtype=np.int64)
        centroids = np.add.reduceat(vectors, bounds, axis=0) if len(bounds) else np.zeros((0, 1), np.float32)
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
        uses: dict[str, int] = {}
        for role in names:
            for name in {f.value.lower() for _i, f in self.facts_of(role) if f.kind in ("named", "education.field")}:
                uses[name] = uses.get(name, 0) + 1
        common = frozenset(n for n, c in uses.items() if c > max(COMMON_NAME_ROLES, COMMON_NAME_SHARE * len(names)))
        by_title: dict[str, list[int]] = {}
        for r, keys in enumerate(aliases):
            for key in keys:
                by_title.setdefault(key, []).append(r)
        titled = {k: tuple(v) for k, v in by_title.items()}
        not_work = np.asarray([float(bool(ev.intents[i] & {"growth", "pay"})) for i in order], dtype=np.float32)
        self._laid_out = _Roles(
            names, index, bounds, vectors, stems, idf, aliases, None, titled, common, not_work,
            centroids.astype(np.float32),
        )  # fmt: skip
        return self._laid_out

    def _meaning(
        self, profile: Profile, laid: _Roles, titled: Sequence[int] = ()
    ) -> tuple[np.ndarray, dict[int, tuple[float, int, str]], float]:
        """Each role's closeness to the background; for each role the unit closest to something the person said
        (its similarity, its position, what was said); and how close a typical role is (the median, by centroid)."""
        pieces = _pieces(profile)
        texts = [t for t, _w in pieces]
        weights = np.asarray([w for _t, w in pieces], dtype=np.float32)
        vectors = self.embed(texts)
        titles = self._title_scores(profile, texts, vectors, laid)
        lexical = self._lexical(profile, laid)
        # First by each role's centroid (cheap), then by its best unit for the roles that could be near the top:
        # the units of every role are too many to score for each background within the time asked.
        centroid = (weights @ (vectors @ laid.centroids.T)) / weights.sum()
        rough = UNIT_WEIGHT * centroid + TITLE_WEIGHT * titles + LEXICAL_WEIGHT * lexical
        chosen = np.unique(np.concatenate([np.argsort(-rough)[:PRESELECT], np.asarray(titled, dtype=np.int64)]))
        ends = np.append(laid.starts[1:], len(laid.order))
        spans = [np.arange(laid.starts[r], ends[r]) for r in chosen.tolist()]
        columns = np.concatenate(spans)
        offsets = np.cumsum([0, *(len(x) for x in spans[:-1])])
        sims = vectors @ laid.vectors[columns].T  # pieces x the chosen roles' units
        per_role = np.maximum.reduceat(sims, offsets, axis=1)  # pieces x chosen roles: each one's best unit
        units = np.full(len(laid.names), -1.0, dtype=np.float32)
        # The best line, and (a little) the document as a whole: a long document has more lines to be close by chance.
        units[chosen] = (1 - CENTROID_SHARE) * (weights @ per_role) / weights.sum() + CENTROID_SHARE * centroid[chosen]
        meaning = UNIT_WEIGHT * units + TITLE_WEIGHT * titles + LEXICAL_WEIGHT * lexical
        # Where each role's best unit for the best-matching piece is: shown as the work that relates.
        best_piece = np.argmax(per_role * weights[:, None], axis=0)
        where = {int(r): k for k, r in enumerate(chosen.tolist())}
        best_units: dict[int, tuple[float, int, str]] = {}
        for r in dict.fromkeys([*np.argsort(-meaning)[:CANDIDATES].tolist(), *titled]):
            k = where[r]
            p = int(best_piece[k])
            start, end = int(offsets[k]), int(offsets[k]) + len(spans[k])
            # The line shown as related work says what the work is: not where it leads (career path) or pays.
            j = start + int(np.argmax(sims[p, start:end] - laid.not_work[columns[start:end]]))
            best_units[r] = (float(sims[p, j]), int(laid.order[columns[j]]), texts[p])
        return meaning, best_units, float(np.median(rough))

    def _title_scores(self, profile: Profile, texts: list[str], vectors: np.ndarray, laid: _Roles) -> np.ndarray:
        """How close the person's titles (else field and interests) are to each role's title."""
        said = [i for i, t in enumerate(texts) if t in profile.titles]
        if not said:
            whole = " ".join(profile.statements)
            said = [
                i
                for i, t in enumerate(texts)
                if t in profile.fields or t in profile.areas or t in profile.interests or t == whole
            ]
        if not said:
            return np.zeros(len(laid.names), dtype=np.float32)
        if laid.titles is None:
            where = {r: i for i, r in enumerate(self.role_names)}
            laid.titles = np.ascontiguousarray(self.title_vectors()[[where[r] for r in laid.names]])
        scores = vectors[said] @ laid.titles.T
        best = scores.max(axis=0)
        return best if profile.titles else best * 0.8

    def _lexical(self, profile: Profile, laid: _Roles) -> np.ndarray:
        said = set()
        for text in (*profile.titles, *profile.fields, *profile.areas, *profile.skills, *profile.interests,
                     *profile.certifications):  # fmt: skip
            said |= content_stems(text)
        said -= GENERIC
        # The words of their own description count too, for less: they carry the topic with everyday words.
        described = set().union(*(content_stems(t) for t in profile.statements)) - said - GENERIC
        # A word no document uses is as telling as a word one uses: it counts against every role alike.
        rare = math.log(max(2, len(laid.names)))
        weights = {s: laid.idf.get(s, rare) for s in said}
        weights.update({s: STATEMENT_WORDS * laid.idf.get(s, rare) for s in described})
        total = sum(weights.values())
        if not total:
            return np.zeros(len(laid.names), dtype=np.float32)
        return np.asarray(
            [sum(w for s, w in weights.items() if s in stems) / total for stems in laid.stems], dtype=np.float32
        )

    def _points(
        self, profile: Profile, role: str, r: int, laid: _Roles, best_units: Mapping[int, tuple[float, int, str]]
    ) -> list[Point]:
        # Names most documents use ("O*NET", "None" in a table of answers) are the documents' frame, not skills.
        facts = self.facts_of(role)
        # Names in a line that states a degree or years are fields or a table's words ("None", "O*NET"), not tools.
        stating = {i for i, f in facts if f.kind == "experience.years" or f.kind.startswith("education.")}
        facts = [
            (i, f)
            for i, f in facts
            if f.kind not in ("named", "education.field")
            or (f.value.lower() not in laid.boilerplate and (f.kind != "named" or i not in stating))
        ]
        points: list[Point] = []
        points += self._title_points(profile, role, r, laid)
        points += degree_points(profile, facts)
        points += field_points(profile, facts, self.evidence)
        points += experience_points(profile, facts, self.evidence)
        points += skill_points(profile, facts, self.evidence, laid.order[laid.starts[r] : _end(laid, r)])
        points += certification_points(profile, facts, self.evidence)
        related = best_units.get(r)
        if related is not None and related[0] >= RELATED_FLOOR and all(p.position != related[1] for p in points):
            said = (
                f"close to what you said: {related[2]}" if len(related[2]) <= 60 else "close to the work you describe"
            )
            points.append(Point(MATCHES, "work", related[1], said))
        return points

    def _title_points(self, profile: Profile, role: str, r: int, laid: _Roles) -> list[Point]:
        keys = {_title_key(t): t for t in profile.titles}
        hit = next((t for k, t in keys.items() if k and k in laid.aliases[r]), None)
        if hit is None:
            return []
        # The unit that names the title: the alternate titles line, else the document's first unit.
        positions = laid.order[laid.starts[r] : _end(laid, r)].tolist()
        naming = next((i for i in positions if hit.lower() in self.evidence.units[i].text.lower()), positions[0])
        share = 1.0 / len(laid.by_title.get(_title_key(hit), (r,)))
        return [Point(MATCHES, "title", naming, f"you worked as {hit}", share)]


def _fits(fit: RoleFit, typical: float) -> bool:
    """Far closer to the background than a typical role is (so the judgment holds among 5 roles as among 1,016);
    or nothing the document asks is missing and the person has what sets the role apart (the degree it prefers,
    the field or the title it names), beyond a degree and years any role asks."""
    if fit.score - typical >= STANDOUT:
        return True
    statuses = {p.aspect: p.status for p in fit.points}
    if MISSING in statuses.values():
        return False
    distinctive = [a for a in ("preferred degree", "field of study", "title") if statuses.get(a) == MATCHES]
    if statuses.get("field of study") == NOT_KNOWN:
        # A Ph.D. in history meets "Ph.D. preferred" but not the fields the document names: not a fit by degree.
        distinctive = [a for a in distinctive if a != "preferred degree"]
    return bool(distinctive) and fit.meaning >= DISTINCT_FLOOR


def _close(fit: RoleFit) -> bool:
    """A role the person is on the way to: they have what sets it apart (its field, a title, a certification or
    tools it names), and what is missing is only more years or a higher degree, which time gives."""
    missing = {p.aspect for p in fit.points if p.status == MISSING}
    matched = {p.aspect for p in fit.points if p.status == MATCHES}
    if not missing or not missing <= _GAINED_WITH_TIME:
        return False  # nothing missing is a fit or no fit by its other points, never "on the way"
    return bool(matched & {"field of study", "title", "certification", "skills"}) and fit.meaning >= DISTINCT_FLOOR


_GAINED_WITH_TIME = frozenset({"experience", "degree", "preferred degree"})


def _end(laid: _Roles, r: int) -> int:
    return int(laid.starts[r + 1]) if r + 1 < len(laid.starts) else len(laid.order)


def _about_work(evidence: Evidence, i: int) -> bool:
    """Units that say what a role is and asks for; pay lines, footnotes and source notes do not."""
    unit = evidence.units[i]
    if unit.kind in ("source", "note"):
        return False
    if any(_PAY_KIND.match(k) for k in evidence.fact_kinds[i]):
        return False
    return evidence.intents[i] != frozenset({"pay"})


def _pieces(profile: Profile) -> list[tuple[str, float]]:
    """What the person said, each thing on its own (a title, a field, their skills, an interest), with how much
    it says about which work suits them."""
    pieces: dict[str, float] = {}
    for title in profile.titles:
        pieces.setdefault(title, 1.0)
    for field_ in profile.fields:
        pieces.setdefault(field_, 0.8)
    for area in profile.areas:
        pieces.setdefault(area, 1.0)
    if profile.skills:
        pieces.setdefault(", ".join(profile.skills), 0.8)
    for interest in profile.interests:
        pieces.setdefault(interest, 0.8)
    if profile.certifications:
        pieces.setdefault(", ".join(profile.certifications) + " certification", 0.4)
    if profile.statements:
        # The whole of what they said, for the work they describe in their own words ("I teach third grade").
        pieces.setdefault(" ".join(profile.statements), 1.0)
    return list(pieces.items())


def _title_key(title: str) -> str:
    words = re.findall(r"[a-z0-9+#]+", title.lower())
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)


def _adjustment(points: Sequence[Point]) -> float:
    total = 0.0
    skills = 0.0
    for p in points:
        if p.aspect not in BONUS:
            continue
        gain, loss = BONUS[p.aspect]
        if p.aspect == "skills":
            if p.status == MATCHES:
                skills += gain * max(1, p.note.count(",") + 1)
            continue
        total += p.weight * (gain if p.status == MATCHES else loss if p.status == MISSING else 0.0)
    return total + min(skills, MAX_SKILLS_BONUS)
