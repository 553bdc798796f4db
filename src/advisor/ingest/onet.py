"""`advisor import onet`: role documents from the O*NET database (text files) and BLS OEWS wages (.xlsx).

One Markdown document per O*NET occupation, in the shape of the product's own role documents, so the normal
index build takes them: overview, main tasks, requirements (education, experience and training as O*NET's
distributions say them, job zone), pay from BLS (or a plain statement that there is none), alternate titles,
and the attribution the CC BY license asks for. Malformed rows are counted and reported, never fatal.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import AdvisorError

ONET_VERSION = "O*NET 29.3"
BLS_SURVEY = "BLS OEWS May 2024"
ATTRIBUTION = (
    "This page includes information from the O*NET 29.3 Database by the U.S. Department of Labor, Employment and "
    "Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA. "
    "Wage figures: U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS), May 2024, "
    "national estimates (public domain)."
)
SOURCES = f"{ONET_VERSION} Database (USDOL/ETA, CC BY 4.0); {BLS_SURVEY} national estimates (public domain)"
TOP_CODED = "$239,200"
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


@dataclass
class ImportReport:
    written: int = 0
    with_wages: int = 0
    without_wages: int = 0
    malformed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: dict[str, str] = field(default_factory=dict)

    def bad_row(self, source: str, why: str) -> None:
        self.malformed[source] += 1
        self.examples.setdefault(source, why)

    def format(self, out: Path) -> str:
        lines = [
            f"Wrote {self.written} role documents to {out}/ ({self.with_wages} with BLS wages, "
            f"{self.without_wages} without)."
        ]
        for source, n in sorted(self.malformed.items()):
            lines.append(f"  skipped {n} malformed rows in {source} (first: {self.examples[source]})")
        lines.append(f"Next: advisor index --corpus {out}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Wages:
    soc: str
    title: str
    values: dict[str, Any]


def import_onet(onet_dir: Path, out_dir: Path, wages_xlsx: Path | None = None) -> ImportReport:
    report = ImportReport()
    tables = {name: _read_table(onet_dir / name, cols, report) for name, cols in _REQUIRED.items()}
    wages = _read_wages(wages_xlsx, report) if wages_xlsx else {}
    categories = {(r["Scale ID"], r["Category"]): r["Category Description"] for r in tables[_name("Categories")]}
    zones = {r["Job Zone"]: r for r in tables["Job Zone Reference.txt"]}
    tasks = _group(tables["Task Statements.txt"])
    titles = _group(tables["Alternate Titles.txt"])
    ete = _group(tables["Education, Training, and Experience.txt"])
    zone_of = {r["O*NET-SOC Code"]: r["Job Zone"] for r in tables["Job Zones.txt"]}

    out_dir.mkdir(parents=True, exist_ok=True)
    for occ in tables["Occupation Data.txt"]:
        code = occ["O*NET-SOC Code"]
        if not re.fullmatch(r"\d\d-\d{4}\.\d\d", code):
            report.bad_row("Occupation Data.txt", f"bad O*NET-SOC code {code!r}")
            continue
        wage = wages.get(code[:7])
        text = render(
            code=code,
            title=occ["Title"].strip(),
            description=occ["Description"].strip(),
            tasks=tasks.get(code, []),
            titles=titles.get(code, []),
            ete=ete.get(code, []),
            categories=categories,
            zone=zones.get(zone_of.get(code, "")),
            wages=wage,
            wages_given=wages_xlsx is not None,
        )
        (out_dir / f"{code}-{_slug(occ['Title'])}.md").write_text(text, encoding="utf-8")
        report.written += 1
        if wage is not None:
            report.with_wages += 1
        else:
            report.without_wages += 1
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
    wages: Wages | None,
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
    parts += _requirements(ete, categories, zone)
    parts += _pay(title, wages, wages_given)
    shown = [a for a in aliases if a != title][:MAX_TITLES_SHOWN]
    if shown:
        more = len(aliases) - 1 - len(shown)
        parts += ["## Alternate Titles", "", f"Other titles for {title}: " + "; ".join(shown)
                  + (f"; and {more} more." if more > 0 else "."), ""]  # fmt: skip
    parts += ["## Source and License", "", ATTRIBUTION, ""]
    return "\n".join(parts)


def _requirements(
    ete: list[dict[str, str]], categories: dict[tuple[str, str], str], zone: dict[str, str] | None
) -> list[str]:
    lines = ["## Requirements", ""]
    for scale, heading in _SCALES.items():
        rows = [r for r in ete if r.get("Scale ID") == scale]
        shares = []
        for r in rows:
            try:
                value = float(r["Data Value"])
            except ValueError:
                continue
            name = categories.get((scale, r["Category"])) or _NONE_CATEGORY.get(scale, f"Category {r['Category']}")
            shares.append((value, _short(name)))
        if not shares:
            continue
        shares.sort(key=lambda s: -s[0])
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
        lines += [
            "### Job Zone",
            "",
            f"- {zone['Name']}",
            f"- Experience: {zone['Experience'].strip()}",
            f"- Education: {zone['Education'].strip()}",
            f"- Training: {zone['Job Training'].strip()}",
            "",
        ]
    return lines if len(lines) > 2 else []


def _pay(title: str, wages: Wages | None, wages_given: bool) -> list[str]:
    heading = f"## Pay ({BLS_SURVEY})"
    if not wages_given:
        return []
    if wages is None:
        return [heading, "", f"- Pay data is not available: {BLS_SURVEY} publishes no national wage estimate for "
                f"this occupation's SOC code.", ""]  # fmt: skip
    v = wages.values
    scope = "" if _norm(wages.title) == _norm(title) else f" (BLS publishes these for SOC {wages.soc}, {wages.title})"
    lines = [heading, ""]
    lines.append(f"- Annual median wage: {_money(v.get('A_MEDIAN'))}{scope}")
    lines.append(f"- Annual mean wage: {_money(v.get('A_MEAN'))}")
    for key, label in (("A_PCT10", "10th"), ("A_PCT25", "25th"), ("A_PCT75", "75th"), ("A_PCT90", "90th")):
        lines.append(f"- {label} percentile annual wage: {_money(v.get(key))}")
    employment = v.get("TOT_EMP")
    lines.append(f"- Employment: {employment:,.0f}" if isinstance(employment, (int, float)) else
                 "- Employment: not published by BLS")  # fmt: skip
    if v.get("HOURLY") in (True, "TRUE"):
        lines.append("- BLS publishes only hourly wages for this occupation; annual figures are not published.")
    lines += ["", f"Source: {BLS_SURVEY}, national, all industries (SOC {wages.soc}).", ""]
    return lines


def _money(value: Any) -> str:
    if value == "#":
        return f"at least {TOP_CODED} a year (BLS top-codes wages at this level)"
    if value in ("*", "**", None, ""):
        return "not published (suppressed by BLS)"
    try:
        return f"${float(value):,.0f}"
    except (TypeError, ValueError):
        return "not published"


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


def _read_wages(path: Path, report: ImportReport) -> dict[str, Wages]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise AdvisorError(f"Cannot read the BLS workbook {path}: {exc}") from None
    sheet = book[book.sheetnames[0]]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip().upper() if h is not None else "" for h in next(rows, ())]
    if "OCC_CODE" not in header or "A_MEDIAN" not in header:
        raise AdvisorError(f"{path.name} has no OCC_CODE / A_MEDIAN columns; is this the BLS OEWS national file?")
    out: dict[str, Wages] = {}
    for n, raw in enumerate(rows, start=2):
        row = dict(zip(header, raw, strict=False))
        code = str(row.get("OCC_CODE") or "").strip()
        if not re.fullmatch(r"\d\d-\d{4}", code):
            report.bad_row(path.name, f"row {n}: bad OCC_CODE {code!r}")
            continue
        if str(row.get("AREA_TYPE", "1")) not in ("1", "None"):
            continue
        out.setdefault(code, Wages(code, str(row.get("OCC_TITLE") or "").strip(), row))
    book.close()
    return out


def _group(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        out[r["O*NET-SOC Code"]].append(r)
    return out


def _name(part: str) -> str:
    return next(n for n in _REQUIRED if part in n)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
