"""`advisor eval --roles ONET_DIR`: how well everyday job titles find their occupation.

Titles are drawn from O*NET's Alternate Titles.txt and asked the way people type them:
- lower-cased, as the abbreviation O*NET lists (short title), and with a typo;
- one-word: an alternate title of one word that names one occupation ("provost", "cop");
- plural: a title asked in the plural ("how much do RNs make");
- shorthand: a title with a word written short the way other O*NET titles write it ("pharmacy tech"; the
  pairs are read from titles O*NET gives in both forms, "Diesel Tech (Diesel Technician)");
- made-up: a title no occupation has (an invented word before a real title's last word): it must be told
  plainly that no occupation goes by that name, never answered for a role or said to "fit several roles";
- choice by number / by name: a title O*NET lists under several occupations, asked back about (or answered for
  each), then a reply with the number of the occupation wanted, or "the <word> one" with a word of its title
  no other choice has: the question asked first must be answered for it.

A title resolves correctly when the advisor answers for its occupation, or, for a title that several
occupations share, answers for one of them; "offered" counts the occupation offered among choices to pick
from, or answered for beside the others that share the title.
"""

from __future__ import annotations

import csv
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ask.titles import learn_shorthands

VARIANTS = (
    "lower-cased",
    "abbreviation",
    "typo",
    "one-word",
    "plural",
    "shorthand",
    "made-up",
    "choice-number",
    "choice-name",
)
QUESTION = "How much does a {title} make?"
PLURAL_QUESTION = "How much do {title} make?"
# What telling a made-up title plainly says.
_NOT_A_TITLE = re.compile(r"No role document is titled|do not cover the role", re.I)
_LISTED = re.compile(r"^\s*(?:\d+\.|-)\s+(.+?)(?::\s.*)?\s*$", re.M)


@dataclass
class RoleEvalResult:
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    correct: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    offered: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))

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
            right = "told no such title" if v == "made-up" else "answered for the right role"
            lines.append(
                f"  {v:<13} {t:>4} titles: {self.correct[v] / t if t else 0:6.1%} {right}, "
                f"{self.offered[v] / t if t else 0:6.1%} more offered it among choices or answered each"
            )
        for v in VARIANTS:
            if self.misses[v]:
                examples = "; ".join(f"{q!r} -> {got} (want {want})" for q, want, got in self.misses[v][:3])
                lines.append(f"  misses, {v}: {examples}")
        return "\n".join(lines)

    def count(self, variant: str, asked: str, want: str, got: str, outcome: str) -> None:
        """outcome: "right", "offered" or "miss"."""
        self.total[variant] += 1
        if outcome == "right":
            self.correct[variant] += 1
        elif outcome == "offered":
            self.offered[variant] += 1
        else:
            self.misses[variant].append((asked, want, got))


@dataclass(frozen=True)
class _Titles:
    rows: list[tuple[str, str, str]]  # (occupation, alternate title, short title)
    by_title: dict[str, set[str]]  # a title, lower-cased, -> the occupations that list it
    names: list[str]  # every title and alternate title, as O*NET writes them


def evaluate_roles(advisor: Any, onet_dir: Path, sample: int = 200, seed: int = 7) -> RoleEvalResult:
    titles = _read(onet_dir)
    rng = random.Random(seed)
    result = RoleEvalResult()
    rows = titles.rows
    picked = rng.sample(rows, min(sample, len(rows)))
    shorts = [r for r in rows if r[2]]
    cases = [("lower-cased", role, _plain(alt).lower()) for role, alt, _ in picked]
    cases += [("abbreviation", role, short) for role, _, short in rng.sample(shorts, min(sample, len(shorts)))]
    cases += [("typo", role, _typo(_plain(alt).lower(), rng)) for role, alt, _ in picked]
    one_word = sorted({(next(iter(r)), t) for t, r in titles.by_title.items() if len(r) == 1 and " " not in t})
    cases += [("one-word", role, title) for role, title in rng.sample(one_word, min(sample, len(one_word)))]
    cases += [("plural", role, _plural(_plain(alt).lower())) for role, alt, _ in picked]
    cases += [("shorthand", role, short) for role, short in _shorthand_cases(titles, rng, sample)]
    for variant, role, asked in cases:
        template = PLURAL_QUESTION if variant == "plural" else QUESTION
        fits = titles.by_title.get(asked.lower(), {role}) | {role}
        answer = advisor.ask(template.format(title=asked))
        result.count(variant, asked, role, str(answer.role), _outcome(answer, fits, role))
    _made_up(advisor, titles, rng, sample, result)
    _choices(advisor, titles, rng, sample, result)
    return result


def _outcome(answer: Any, fits: set[str], role: str) -> str:
    if not answer.abstained and answer.role in fits:
        return "right"
    if answer.abstained and role in answer.covered:
        return "offered"
    if not answer.abstained and answer.role is None and role in _listed(answer.text, fits):
        return "offered"  # a title several occupations share, answered for each of them
    return "miss"


def _made_up(advisor: Any, titles: _Titles, rng: random.Random, sample: int, result: RoleEvalResult) -> None:
    """An invented word before the last word of a real title ("zorvat technician"): no occupation has it."""
    heads = sorted({_plain(alt).split()[-1].lower() for _, alt, _ in titles.rows if len(_plain(alt).split()) > 1})
    for _ in range(sample):
        asked = f"{_invented(rng)} {rng.choice(heads)}"
        answer = advisor.ask(QUESTION.format(title=asked))
        plain = answer.abstained and not answer.citations and bool(_NOT_A_TITLE.search(answer.text))
        result.count("made-up", asked, "(none)", str(answer.role), "right" if plain else "miss")


def _choices(advisor: Any, titles: _Titles, rng: random.Random, sample: int, result: RoleEvalResult) -> None:
    """A shared title asked, then the occupation wanted chosen by its number or by a word of its name."""
    shared = sorted((t, sorted(r)) for t, r in titles.by_title.items() if len(r) > 1)
    for title, roles in rng.sample(shared, min(sample, len(shared))):
        want = rng.choice(roles)
        question = QUESTION.format(title=title)
        first = advisor.ask(question)
        listed = _listed(first.text, set(roles) | set(first.covered))
        if want not in listed:
            continue  # answered at once, or the wanted occupation not among those offered: no choice to make
        history = [{"role": "user", "content": question}, {"role": "assistant", "content": first.text}]
        number = str(listed.index(want) + 1)
        answer = advisor.ask(number, history)
        result.count("choice-number", f"{title} / {number}", want, str(answer.role), _chosen(answer, want))
        word = _distinct_word(want, listed)
        if word is not None:
            reply = f"the {word} one"
            answer = advisor.ask(reply, history)
            result.count("choice-name", f"{title} / {reply}", want, str(answer.role), _chosen(answer, want))


def _chosen(answer: Any, want: str) -> str:
    return "right" if not answer.abstained and answer.role == want else "miss"


def _listed(text: str, roles: set[str]) -> list[str]:
    """The occupations a reply lists one a line ("2. Light Truck Drivers", "- Bus Drivers, School: ..."), in
    the order shown."""
    return list(dict.fromkeys(name for name in _LISTED.findall(text) if name in roles))


def _distinct_word(want: str, listed: list[str]) -> str | None:
    """The longest word of the wanted title that no other title listed has."""
    others = {w for name in listed if name != want for w in _words(name)}
    own = [w for w in _words(want) if w not in others and len(w) > 3]
    return max(own, key=len) if own else None


def _words(title: str) -> list[str]:
    return re.findall(r"[a-z]+", title.lower())


def _shorthand_cases(titles: _Titles, rng: random.Random, sample: int) -> list[tuple[str, str]]:
    """Alternate titles with one word written as other titles write it short, where O*NET does not list that
    short form itself."""
    shorthands = learn_shorthands(titles.names)
    out = []
    for role, alt, _short in titles.rows:
        words = _plain(alt).lower().split()
        for i, word in enumerate(words):
            for short in shorthands.get(word, ()):
                asked = " ".join([*words[:i], short, *words[i + 1 :]])
                if asked not in titles.by_title:
                    out.append((role, asked))
    return rng.sample(out, min(sample, len(out)))


def _read(onet_dir: Path) -> _Titles:
    occupations = _occupations(onet_dir / "Occupation Data.txt")
    by_title: dict[str, set[str]] = defaultdict(set)
    rows = []
    names = list(occupations.values())
    with open(onet_dir / "Alternate Titles.txt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            code, alt = row.get("O*NET-SOC Code"), (row.get("Alternate Title") or "").strip()
            short = (row.get("Short Title") or "").strip()
            if code in occupations and alt:
                role = occupations[code]
                by_title[alt.lower()].add(role)
                by_title[_plain(alt).lower()].add(role)
                if short:
                    by_title[short.lower()].add(role)
                rows.append((role, alt, short))
                names.append(alt)
    return _Titles(rows, dict(by_title), names)


def _occupations(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["O*NET-SOC Code"]: r["Title"] for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}


def _plain(title: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", title).strip()


def _plural(title: str) -> str:
    """The title's last word in the plural, as English writes it ("nannies", "coaches", "RNs")."""
    head, _, last = title.rpartition(" ")
    if re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        last += "es"
    elif last.endswith("man"):
        last = last[:-3] + "men"
    else:
        last += "s"
    return f"{head} {last}".strip()


_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"


def _invented(rng: random.Random) -> str:
    """A pronounceable word no dictionary has ("zorvat"): three syllables of consonant and vowel, a consonant."""
    syllables = "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(3))
    return syllables + rng.choice(_CONSONANTS)


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
