"""BLS OEWS national wages for the O*NET importer: the workbook read into rows by SOC level, each O*NET
occupation matched to the row that covers it, and the figures written as answer lines.

BLS publishes some occupations only under a combined detailed code (21-1018 covers O*NET 21-1011 and 21-1014)
or only at the broad level (45-3030), so an occupation without a row of its own is matched in the SOC
hierarchy: its detailed code, then a combined code of its broad group whose title shares its words, then its
broad group. Every figure line says where it comes from when that is not the occupation itself, so a figure
for a wider group is never read as the occupation's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AdvisorError

BLS_SURVEY = "BLS OEWS May 2024"
TOP_CODED = {"A": "$239,200 a year", "H": "$115.00 an hour"}  # BLS's top codes for May 2024
_PER = {"A": "a year", "H": "an hour"}
_NAME = {"A": "annual", "H": "hourly"}
# The 10th percentile is the low end of the range line; the 90th stands alone too, for "what do top earners make?".
_PERCENTILES = (("PCT25", "25th"), ("PCT75", "75th"), ("PCT90", "90th"))
# Words a title shares with any other, which say nothing about which occupation it is.
_COMMON = frozenset("and or of the all other except workers occupations related miscellaneous".split())
LEVELS = ("detailed", "combined", "broad")


@dataclass(frozen=True)
class Wages:
    soc: str
    title: str
    values: dict[str, Any]


@dataclass(frozen=True)
class WageMatch:
    """The BLS row that gives an occupation's figures, and the SOC level it was found at."""

    wages: Wages
    level: str  # "detailed" (the occupation's own code), "combined" or "broad"


@dataclass(frozen=True)
class WageTable:
    detailed: dict[str, Wages]  # BLS's detailed rows, combined codes included (21-1018, 29-2010)
    broad: dict[str, Wages]

    def find(self, onet_code: str, titles: tuple[str, ...], onet_socs: frozenset[str]) -> WageMatch | None:
        """The row for an O*NET occupation: its own detailed code, else a combined detailed code of its broad
        group (one no O*NET occupation has as its own) whose title shares the most words with the titles (the
        occupation's, and its SOC code's for an O*NET specialty such as Histotechnologists), else the broad
        group."""
        soc = onet_code[:7]
        if soc in self.detailed:
            return WageMatch(self.detailed[soc], "detailed")
        words = set().union(*(_words(t) for t in titles))
        candidates = [w for code, w in self.detailed.items() if code[:6] == soc[:6] and code not in onet_socs]
        scored = [(len(_words(w.title) & words), w) for w in candidates]
        best = max(scored, key=lambda s: s[0], default=(0, None))
        if best[1] is not None and best[0] > 0:
            return WageMatch(best[1], "combined")
        broad = self.broad.get(soc[:6] + "0")
        return WageMatch(broad, "broad") if broad is not None else None


def read_wages(path: Path, bad_row: Callable[[str, str], None]) -> WageTable:
    """The national rows of a BLS OEWS workbook by level; malformed codes are reported through bad_row."""
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
    detailed: dict[str, Wages] = {}
    broad: dict[str, Wages] = {}
    for n, raw in enumerate(rows, start=2):
        row = dict(zip(header, raw, strict=False))
        code = str(row.get("OCC_CODE") or "").strip()
        if not re.fullmatch(r"\d\d-\d{4}", code):
            bad_row(path.name, f"row {n}: bad OCC_CODE {code!r}")
            continue
        if str(row.get("AREA_TYPE", "1")) not in ("1", "None"):
            continue
        # A code BLS lists at both levels (13-1020 broad and detailed) is one row per level.
        group = str(row.get("O_GROUP") or "detailed").strip().lower()
        target = broad if group == "broad" else detailed if group == "detailed" else None
        if target is not None:
            target.setdefault(code, Wages(code, str(row.get("OCC_TITLE") or "").strip(), row))
    book.close()
    return WageTable(detailed, broad)


def hourly_only(values: dict[str, Any]) -> bool:
    return _flag(values.get("HOURLY"))


def pay_lines(title: str, match: WageMatch | None) -> list[str]:
    """The Pay section: where the figures come from, annual and hourly figures (each line saying which), what
    BLS does not publish, and employment."""
    heading = f"## Pay ({BLS_SURVEY})"
    if match is None:
        return [heading, "", f"- Pay data is not available: {BLS_SURVEY} publishes no national wage estimate for "
                f"{title}, its SOC code or its broad occupation group.", ""]  # fmt: skip
    w, v = match.wages, match.wages.values
    scope = _scope(title, match)
    lines = [heading, ""]
    if match.level != "detailed":
        lines += [_provenance(title, match), ""]
    only_hourly, only_annual = _flag(v.get("HOURLY")), _flag(v.get("ANNUAL"))
    if only_hourly:
        lines.append(
            f"- Annual wages: not published; BLS publishes only hourly wages for {title}, because many do not work "
            "full time all year."
        )
    else:
        lines += _figures("A", v, scope, percentiles=True)
    if only_annual:
        lines.append(
            f"- Hourly wages: not published; BLS publishes only annual wages for {title}, because they are "
            "typically paid by the year rather than by the hour."
        )
    else:
        # Where these are the only figures, each says so: "how much a year?" is answered with them. Beside
        # yearly figures, the hourly median, mean and range answer "how much an hour?" (each line costs a
        # vector per occupation at every build).
        note = f"{scope} (BLS publishes only hourly wages for {title})" if only_hourly else scope
        lines += _figures("H", v, note, percentiles=only_hourly or only_annual)
    employment = v.get("TOT_EMP")
    lines.append(f"- Employment: {employment:,.0f}" if isinstance(employment, (int, float)) else
                 "- Employment: not published by BLS")  # fmt: skip
    lines += ["", f"Source: {BLS_SURVEY}, national, all industries (SOC {w.soc}, {w.title}).", ""]
    return lines


def _figures(period: str, v: dict[str, Any], scope: str, percentiles: bool) -> list[str]:
    """Median, mean, the 10th-to-90th range and (percentiles) the 25th, 75th and 90th percentiles, for annual
    (A) or hourly (H) wages."""
    name = _NAME[period]
    lines = [
        f"- {name.capitalize()} median wage: {money(period, v.get(period + '_MEDIAN'))}{scope}",
        f"- {name.capitalize()} mean wage: {money(period, v.get(period + '_MEAN'))}{scope}",
    ]
    low, high = v.get(period + "_PCT10"), v.get(period + "_PCT90")
    if _number(low) is not None and (_number(high) is not None or high == "#"):
        # One line for "what's the range?", end to end.
        lines.append(
            f"- {name.capitalize()} wage range: {_amount(period, low)} (10th percentile) to "
            f"{_amount(period, high)} (90th percentile) {_PER[period]}{scope}"
        )
    for key, label in _PERCENTILES if percentiles else ():
        lines.append(f"- {label} percentile {name} wage: {money(period, v.get(f'{period}_{key}'))}{scope}")
    return lines


def money(period: str, value: Any) -> str:
    """A BLS figure in words, with BLS's flags said: '#' top-coded, '*' not released."""
    if value == "#":
        return f"at least {TOP_CODED[period]} (BLS top-codes wages at this level)"
    if _number(value) is None:
        return "not published (BLS does not release this estimate)"
    return f"{_amount(period, value)} {_PER[period]}"


def _amount(period: str, value: Any) -> str:
    if value == "#":
        return "at least " + TOP_CODED[period].split()[0]
    number = _number(value) or 0.0
    return f"${number:,.2f}" if period == "H" else f"${number:,.0f}"


def _scope(title: str, match: WageMatch) -> str:
    """What a figure line adds when the figure is not for the occupation itself."""
    w = match.wages
    if match.level == "combined":
        return f" (combined BLS code {w.soc}, {w.title})"
    if match.level == "broad":
        return f" (broad BLS group {w.soc}, {w.title})"
    return "" if _norm(w.title) == _norm(title) else f" (BLS code {w.soc}, {w.title})"


def _provenance(title: str, match: WageMatch) -> str:
    w = match.wages
    what = "a combined code that covers it" if match.level == "combined" else "its broad occupation group"
    return (
        f"BLS publishes no wage estimate for {title} on its own; these figures are for SOC {w.soc}, {w.title}, {what}."
    )


def _flag(value: Any) -> bool:
    return value is True or str(value).strip().upper() == "TRUE"


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def _words(title: str) -> set[str]:
    """A title's distinguishing words, singular: 'Mental Health Counselors' -> {mental, health, counselor}."""
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", title.lower()) if w not in _COMMON and len(w) > 2}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
