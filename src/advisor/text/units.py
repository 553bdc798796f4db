"""Splitting text into the units a chunk or an answer is made of: list items and sentences, with offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator

_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
# A sentence ends at . ! or ? followed by space and a capital, digit, quote or bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[*]?[A-Z0-9$])")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Terminal controls: C0 but tab and newline, DEL, C1, and the bidi overrides that reorder what is shown.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
NOT_UNICODE = "{what} contains a character that is not valid Unicode (half of a surrogate pair); please retype it."
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "Ph.D.", "Dr.", "Mr.", "Ms.", "U.S.", "approx.", "No.", "St.")


def units(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) spans of the list items and sentences in text[start:end], trimmed of white space."""
    end = len(text) if end is None else end
    pos = start
    for line in text[start:end].splitlines(keepends=True):
        line_start, line_end = pos, pos + len(line)
        pos = line_end
        stripped = line.strip()
        if not stripped:
            continue
        if _LIST_ITEM.match(line):
            yield from _trimmed(text, line_start, line_end)
        else:
            for s, e in sentence_spans(text, line_start, line_end):
                yield from _trimmed(text, s, e)


def sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    segment_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[segment_start : match.start()]
        if before.endswith(_ABBREVIATIONS):
            continue
        yield segment_start, match.start()
        segment_start = match.end()
    if segment_start < end:
        yield segment_start, end


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def strip_list_marker(unit: str) -> str:
    return _LIST_ITEM.sub("", unit, count=1).strip()


def is_list_item(unit: str) -> bool:
    return bool(_LIST_ITEM.match(unit))


def has_lone_surrogate(text: str) -> bool:
    """True for text that no UTF-8 encoder takes (JSON's \\ud800 escapes can carry such halves of a pair)."""
    return _SURROGATE.search(text) is not None


def printable_unicode(text: str) -> str:
    """text with lone surrogates replaced by U+FFFD, so that it can be shown and sent."""
    return _SURROGATE.sub("\ufffd", text)


def printable(text: str) -> str:
    """text safe to print to a terminal: control characters (escape sequences that set a terminal's title or
    colours, bidi overrides) removed, lone surrogates replaced."""
    return _CONTROLS.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)
