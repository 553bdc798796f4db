"""`advisor import onet`: role documents from the O*NET database (text files) and BLS OEWS wages (.xlsx).

One Markdown document per O*NET occupation, in the shape of the product's own role documents, so the normal
index build takes them: overview, main tasks, requirements (education, experience and training as O*NET's
distributions say them, else that O*NET has no survey data and what the occupation's job zone says), pay from
BLS (see bls.py; or a plain statement that there is none), alternate titles, and the attribution the CC BY
license asks for. Malformed rows are counted and reported, never fatal.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import AdvisorError
from .bls import BLS_SURVEY, LEVELS, WageMatch, hourly_only, pay_lines, read_wages

ONET_VERSION = "O*NET 29.3"
ATTRIBUTION = (
    "This page includes information from the O*NET 29.3 Database by the U.S. Department of Labor, Employment and "
    "Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA. "
    "Wage figures: U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS), May 2024, "
    "national estimates (public domain)."
)
SOURCES = f"{ONET_VERSION} Database (USDOL/ETA, CC BY 4.0); {BLS_SURVEY} national estimates (public domain)"
MAX_TITLES_SHOWN = 40
MIN_SHARE_SHOWN = 5.0  # percent; smaller categories are summed as "other"

_REQUIRED = {
    "Occupation Data.txt": ("O*NET-SOC Code", "Title", "Description"),
    "Task Statements.txt": ("O*NET-SOC Code", "Task", "Task Type"),
    "Alternate Titles.txt": ("O*NET-SOC Code", "Alternate Title", "Short Title"),
    "Education, Training, and Experience.txt": ("O*NET-SOC Code", "Scale ID", "Category", "Data Value"),
    "Education, Training, and Experience Categories.txt": ("Scale ID", "Category", "Category Description"),
    "Job Zones.txt": ("O*NET-SOC Code", "Job Zone"),
    "Job Zone Reference.txt": ("Job Zone", "Name", "Experience", "Education", "Job Training"),
}
_SCALES = {
    "RL": "Required level of education",
    "RW": "Related work experience",
    "OJ": "On-the-job training",
    "PT": "On-site or in-plant training",
}
_NONE_CATEGORY = {"RW": "None", "PT": "None"}
# The job zone reference's experience text ends with another occupation as its example ("For example, an
# electrician must have completed ..."): about that occupation, never about the one the document is for.
_EXAMPLE = re.compile(r"\s*For example, .*$", re.S)


@dataclass
class ImportReport:
    written: int = 0
    pay_levels: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    hourly_only: int = 0
    without_wages: int = 0
    with_education: int = 0
    without_education: int = 0
    malformed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: dict[str, str] = field(default_factory=dict)

    @property
    def with_wages(self) -> int:
        return sum(self.pay_levels.values())

    def bad_row(self, source: str, why: str) -> None:
        self.malformed[source] += 1
        self.examples.setdefault(source, why)

    def count(self, wages: WageMatch | None, education: bool) -> None:
        self.written += 1
        if wages is None:
            self.without_wages += 1
        else:
            self.pay_levels[wages.level] += 1
            self.hourly_only += hourly_only(wages.wages.values)
        self.with_education += education
        self.without_education += not education

    def format(self, out: Path) -> str:
        levels = ", ".join(f"{self.pay_levels[level]} {level}" for level in LEVELS)
        lines = [
            f"Wrote {self.written} role documents to {out}/.",
            f"  pay: {self.with_wages} with BLS wages (by SOC level: {levels}; {self.hourly_only} hourly only), "
            f"{self.without_wages} without",
            f"  education: {self.with_education} with O*NET education survey data, {self.without_education} without "
            "(their job zone's level instead)",
        ]
        for source, n in sorted(self.malformed.items()):
            lines.append(f"  skipped {n} malformed rows in {source} (first: {self.examples[source]})")
        lines.append(f"Next: advisor index --corpus {out}")
        return "\n".join(lines)


def import_onet(onet_dir: Path, out_dir: Path, wages_xlsx: Path | None = None) -> ImportReport:
    report = ImportReport()
    tables = {name: _read_table(onet_dir / name, cols, report) for name, cols in _REQUIRED.items()}
    wages = read_wages(wages_xlsx, report.bad_row) if wages_xlsx else None
    categories = {(r["Scale ID"], r["Category"]): r["Category Description"] for r in tables[_name("Categories")]}
    zones = {r["Job Zone"]: r for r in tables["Job Zone Reference.txt"]}
    tasks = _group(tables["Task Statements.txt"])
    titles = _group(tables["Alternate Titles.txt"])
    ete = _group(tables["Education, Training, and Experience.txt"])
    zone_of = {r["O*NET-SOC Code"]: r["Job Zone"] for r in tables["Job Zones.txt"]}
    onet_socs = frozenset(r["O*NET-SOC Code"][:7] for r in tables["Occupation Data.txt"])
    # An O*NET specialty (29-2011.04) is matched to BLS rows by its SOC code's title too (29-2011.00).
    soc_titles = {r["O*NET-SOC Code"][:7]: r["Title"].strip() for r in tables["Occupation Data.txt"]
                  if r["O*NET-SOC Code"].endswith(".00")}  # fmt: skip

    out_dir.mkdir(parents=True, exist_ok=True)
    for occ in tables["Occupation Data.txt"]:
        code = occ["O*NET-SOC Code"]
        if not re.fullmatch(r"\d\d-\d{4}\.\d\d", code):
            report.bad_row("Occupation Data.txt", f"bad O*NET-SOC code {code!r}")
            continue
        title = occ["Title"].strip()
        names = (title, soc_titles.get(code[:7], title))
        wage = wages.find(code, names, onet_socs) if wages is not None else None
        text = render(
            code=code,
            title=title,
            description=occ["Description"].strip(),
            tasks=tasks.get(code, []),
            titles=titles.get(code, []),
            ete=ete.get(code, []),
            categories=categories,
            zone=zones.get(zone_of.get(code, "")),
            wages=wage,
            wages_given=wages is not None,
        )
        (out_dir / f"{code}-{_slug(occ['Title'])}.md").write_text(text, encoding="utf-8")
        report.count(wage, _has_education(ete.get(code, [])))
    return report


def render(
    *,
    code: str,
    title: str,
    description: str,
    tasks: list[dict[str, str]],
    titles: list[dict[str, str]],
    ete: list[dict[str, str]],
    categories: dict[tuple[str, str], str],
    zone: dict[str, str] | None,
    wages: WageMatch | None,
    wages_given: bool,
) -> str:
    aliases = _aliases(title, titles)
    front = {
        "role": title,
        "onet_soc_code": code,
        "aliases": aliases,
        "source": SOURCES,
        "attribution": ATTRIBUTION,
    }
    parts = ["---", yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000).strip(), "---", ""]
    parts += [f"# {title}", "", "## Overview", "", description, ""]
    core = [t["Task"].strip() for t in tasks if t.get("Task Type") == "Core" and t["Task"].strip()]
    other = [t["Task"].strip() for t in tasks if t.get("Task Type") != "Core" and t["Task"].strip()]
    if core or other:
        parts += ["## Main Tasks", ""]
        if core:
            parts += ["### Core Tasks", "", *[f"- {t}" for t in core], ""]
        if other:
            parts += ["### Supplemental Tasks", "", *[f"- {t}" for t in other], ""]
    parts += _requirements(title, ete, categories, zone)
    if wages_given:
        parts += pay_lines(title, wages)
    shown = [a for a in aliases if a != title][:MAX_TITLES_SHOWN]
    if shown:
        more = len(aliases) - 1 - len(shown)
        parts += ["## Alternate Titles", "", f"Other titles for {title}: " + "; ".join(shown)
                  + (f"; and {more} more." if more > 0 else "."), ""]  # fmt: skip
    parts += ["## Source and License", "", ATTRIBUTION, ""]
    return "\n".join(parts)


def _requirements(
    title: str, ete: list[dict[str, str]], categories: dict[tuple[str, str], str], zone: dict[str, str] | None
) -> list[str]:
    lines = ["## Requirements", ""]
    if not _has_education(ete):
        lines += _no_education(title, zone)
    for scale, heading in _SCALES.items():
        shares = _shares(scale, ete, categories)
        if not shares:
            continue
        shown = [f"{name}: {value:.0f}% of respondents" for value, name in shares if value >= MIN_SHARE_SHOWN]
        rest = sum(v for v, _ in shares if v < MIN_SHARE_SHOWN)
        if rest >= 0.5:
            shown.append(f"other answers: {rest:.0f}%")
        top_value, top_name = shares[0]
        lines += [
            f"### {heading.capitalize()}",
            "",
            f"- Most common {heading.lower()}: {top_name} ({top_value:.0f}% of respondents)",
            f"- {heading} as O*NET survey respondents report it: " + "; ".join(shown),
            "",
        ]
    if zone:
        lines += ["### Job Zone", "", f"- {zone['Name']}", f"- Experience: {_own_words(zone['Experience'])}"]
        if _has_education(ete):  # else the required level above already says what the zone does
            lines.append(f"- Education: {' '.join(zone['Education'].split())}")
        lines += [f"- Training: {' '.join(zone['Job Training'].split())}", ""]
    return lines if len(lines) > 2 else []


def _shares(scale: str, ete: list[dict[str, str]], categories: dict[tuple[str, str], str]) -> list[tuple[float, str]]:
    """A scale's categories with the share of respondents choosing each, largest first."""
    shares = []
    for r in ete:
        if r.get("Scale ID") != scale:
            continue
        try:
            value = float(r["Data Value"])
        except ValueError:
            continue
        name = categories.get((scale, r["Category"])) or _NONE_CATEGORY.get(scale, f"Category {r['Category']}")
        shares.append((value, _short(name)))
    return sorted(shares, key=lambda s: -s[0])


def _has_education(ete: list[dict[str, str]]) -> bool:
    return any(r.get("Scale ID") == "RL" for r in ete)


def _no_education(title: str, zone: dict[str, str] | None) -> list[str]:
    """What can be said of an occupation's education without survey data: that there is none, and the level
    its own job zone names."""
    lines = ["### Required level of education", ""]
    missing = f"O*NET has no education survey data for {title}"
    if zone is None:
        return [*lines, f"- Education: not known; {missing}, and no job zone.", ""]
    return [
        *lines,
        f"- Education: {missing}; its job zone ({zone['Name']}) says: {' '.join(zone['Education'].split())}",
        "",
    ]


def _own_words(text: str) -> str:
    """A job zone's experience text without its example of another occupation."""
    return " ".join(_EXAMPLE.sub("", text).split())


def _aliases(title: str, rows: list[dict[str, str]]) -> list[str]:
    seen: dict[str, None] = {title: None}
    for r in rows:
        for key in ("Alternate Title", "Short Title"):
            value = " ".join((r.get(key) or "").split())
            if value and len(value) <= 80:
                seen.setdefault(value, None)
    return list(seen)


def _short(category: str) -> str:
    """'Bachelor's Degree' from 'Bachelor's Degree', 'Post-Secondary Certificate' from its long form."""
    return re.split(r" - | \(", category, maxsplit=1)[0].strip()


def _read_table(path: Path, required: tuple[str, ...], report: ImportReport) -> list[dict[str, str]]:
    if not path.is_file():
        raise AdvisorError(f"{path} is missing: ONET_DIR must hold the O*NET text files ({', '.join(_REQUIRED)}).")
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise AdvisorError(f"{path.name} has no column(s) {missing}; is this an O*NET text file?")
        rows = []
        for n, row in enumerate(reader, start=2):
            if None in row or any(row.get(c) is None for c in required):
                report.bad_row(path.name, f"line {n}: wrong number of fields")
                continue
            rows.append(row)
    return rows


def _group(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        out[r["O*NET-SOC Code"]].append(r)
    return out


def _name(part: str) -> str:
    return next(n for n in _REQUIRED if part in n)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
