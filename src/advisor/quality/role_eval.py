"""`advisor eval --roles ONET_DIR`: how well everyday job titles find their occupation.

Titles are drawn from O*NET's Alternate Titles.txt and asked the way people type them: lower-cased, as the
abbreviation O*NET lists (short title), and with a typo. A title resolves correctly when the advisor answers for
its occupation, or, for a title that several occupations share, offers that occupation among the choices.
"""

from __future__ import annotations

import csv
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VARIANTS = ("lower-cased", "abbreviation", "typo")


@dataclass
class RoleEvalResult:
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    correct: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    offered: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    def accuracy(self, variant: str) -> float:
        return self.correct[variant] / self.total[variant] if self.total[variant] else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            v: {
                "cases": self.total[v],
                "answered_for_the_right_role": self.correct[v],
                "right_role_among_choices": self.offered[v],
                "accuracy": round(self.accuracy(v), 4),
            }
            for v in VARIANTS
        }

    def format(self) -> str:
        lines = ["Role resolution on everyday titles from O*NET Alternate Titles.txt:"]
        for v in VARIANTS:
            t = self.total[v]
            lines.append(
                f"  {v:<13} {t:>4} titles: {self.correct[v] / t if t else 0:6.1%} answered for the right role, "
                f"{self.offered[v] / t if t else 0:6.1%} more offered it among choices"
            )
        if self.misses:
            lines.append(
                "  examples of misses: "
                + "; ".join(f"{q!r} -> {got} (want {want})" for q, want, got in self.misses[:5])
            )
        return "\n".join(lines)


def evaluate_roles(advisor: Any, onet_dir: Path, sample: int = 200, seed: int = 7) -> RoleEvalResult:
    titles = _titles(onet_dir / "Occupation Data.txt")
    by_title: dict[str, set[str]] = defaultdict(set)
    rows = []
    with open(onet_dir / "Alternate Titles.txt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            code, alt = row.get("O*NET-SOC Code"), (row.get("Alternate Title") or "").strip()
            if code in titles and alt:
                by_title[alt.lower()].add(titles[code])
                rows.append((titles[code], alt, (row.get("Short Title") or "").strip()))
    rng = random.Random(seed)
    result = RoleEvalResult()
    picked = rng.sample(rows, min(sample, len(rows)))
    shorts = [r for r in rows if r[2]]
    cases = [("lower-cased", role, _plain(alt).lower()) for role, alt, _ in picked]
    cases += [("abbreviation", role, short) for role, _, short in rng.sample(shorts, min(sample, len(shorts)))]
    cases += [("typo", role, _typo(_plain(alt).lower(), rng)) for role, alt, _ in picked]
    for variant, role, asked in cases:
        fits = by_title.get(asked.lower(), {role}) | {role}
        answer = advisor.ask(f"How much does a {asked} make?")
        result.total[variant] += 1
        if not answer.abstained and answer.role in fits:
            result.correct[variant] += 1
        elif answer.abstained and role in answer.covered:
            result.offered[variant] += 1
        else:
            result.misses.append((asked, role, str(answer.role)))
    return result


def _titles(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["O*NET-SOC Code"]: r["Title"] for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}


def _plain(title: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", title).strip()


def _typo(text: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped in the longest word, as fast typing does."""
    words = text.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) < 6:
        return text
    j = rng.randrange(1, len(word) - 2)
    words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)
