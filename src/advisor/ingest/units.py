"""A document's answer units: its sentences and list items, each with its heading path and the lead-in it
stands under ("Most positions require:", a numbered parent item, an inline "Education:" label).

Lead-in lines are context, not answers; list items with several sentences give one unit per sentence, so an
answer can quote the one that answers; footnote-like remarks are kept apart as notes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..records import Chunk, Document, Section, Unit
from ..text.units import sentence_spans

_MARKER = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+")
# "**Education**: ..." or "Educational background: ..." at the start of a list item: a label of a few words.
_INLINE_LABEL = re.compile(r"(?:\*\*(?P<bold>[^*]{1,60})\*\*|(?P<plain>[A-Z0-9][\w&/() '-]{1,40}?))\s*:\s+(?=\S)")
# Bold marks, "**x**" or "__x__"; not the underscores of a name ("window.__xss").
_EMPHASIS = re.compile(r"\*\*|(?<![\w.])__(?=\w)|(?<=\w)__(?![\w.])")
_FIGURE = re.compile(r"\d")
# "By focusing on these areas, ...", "These trends underscore ...": a paragraph after a list that sums it up
# by pointing back at it is a remark on the list, not a statement to answer with.
_SUMS_UP = re.compile(r"\b(these|this list|the above)\b", re.I)
# Sections and lines about the document itself (where its data comes from, its license) say nothing about the
# role: "does it need a license?" must not be answered with "Used under the CC BY 4.0 license".
_ABOUT_DOCUMENT = re.compile(r"^(sources?|references?|attribution|licen[cs]e|credits|source and licen[cs]e)\b", re.I)
MIN_WORDS = 2


@dataclass(frozen=True)
class _Line:
    start: int  # offsets of the line's content (marker excluded) in the document
    end: int
    indent: int
    listed: bool


def document_units(doc: Document, chunks: Sequence[Chunk]) -> list[Unit]:
    """Every answer unit of the document, in document order."""
    out: list[Unit] = []
    for section in doc.sections:
        out.extend(_section_units(doc, section, chunks, _list_number(out)))
    return out


def _list_number(units: Sequence[Unit]) -> int:
    """The number the next list of a document gets."""
    return max((u.group for u in units), default=-1) + 1


def _section_units(doc: Document, section: Section, chunks: Sequence[Chunk], first_list: int) -> Iterator[Unit]:
    lines = list(_lines(doc.text, section))
    lead_in = ""  # a prose line ending in ":" labels the list under it
    parents: list[tuple[int, str]] = []  # (indent, label) of list items that have items nested under them
    after_list = False
    group, in_list, list_parent = first_list - 1, False, None
    about_document = bool(section.path and _ABOUT_DOCUMENT.match(section.path[-1]))
    for i, line in enumerate(lines):
        raw = doc.text[line.start : line.end]
        nested_next = i + 1 < len(lines) and lines[i + 1].listed and lines[i + 1].indent > line.indent
        if not line.listed:
            parents = []
            remark = raw.lstrip().startswith("*") or (after_list and _SUMS_UP.search(raw))
            kind = "source" if about_document or _ABOUT_DOCUMENT.match(raw.strip()) else "note" if remark else "prose"
            sentences = list(sentence_spans(doc.text, line.start, line.end))
            lead_in = ""
            if raw.rstrip().endswith(":") and i + 1 < len(lines) and lines[i + 1].listed:
                # "... Key responsibilities include:": the paragraph's last sentence introduces the list below.
                s, e = sentences.pop()
                lead_in = _clean(doc.text[s:e].rstrip().rstrip(":"))
            for n, (s, e) in enumerate(sentences):
                # "Here's an overview of the market demand:" before subsections frames them; it says nothing.
                framing = n == len(sentences) - 1 and doc.text[s:e].rstrip().endswith(":") and kind == "prose"
                yield from _unit(doc, section, chunks, s, e, "", "note" if framing else kind)
            in_list = False
            continue
        after_list = True
        while parents and parents[-1][0] >= line.indent:
            parents.pop()
        if raw.rstrip().endswith(":") or nested_next:
            # "2. Programming Skills:" or a numbered item with items under it introduces what follows.
            parents.append((line.indent, _clean(raw.rstrip().rstrip(":"))))
            continue
        label, start = _inline_label(doc.text, line.start, line.end)
        parent = parents[-1][1] if parents else lead_in
        if not in_list or parent != list_parent:
            # A new list: after prose, or under another numbered parent or lead-in.
            group, in_list, list_parent = group + 1, True, parent
        context = label or parent
        for s, e in sentence_spans(doc.text, start, line.end):
            yield from _unit(doc, section, chunks, s, e, context, "source" if about_document else "item", group)


def _lines(text: str, section: Section) -> Iterator[_Line]:
    pos = section.start
    for line in text[section.start : section.end].splitlines(keepends=True):
        begin, pos = pos, pos + len(line)
        if not line.strip():
            continue
        marker = _MARKER.match(line)
        content = begin + (marker.end() if marker else len(line) - len(line.lstrip()))
        end = begin + len(line.rstrip())
        indent = len(marker.group(1)) if marker else len(line) - len(line.lstrip())
        yield _Line(content, end, indent, marker is not None)


def _inline_label(text: str, start: int, end: int) -> tuple[str, int]:
    match = _INLINE_LABEL.match(text, start, end)
    if not match:
        return "", start
    label = match.group("bold") or match.group("plain")
    if len(label.split()) > 5:
        return "", start
    return label.strip(), match.end()


def _unit(
    doc: Document,
    section: Section,
    chunks: Sequence[Chunk],
    start: int,
    end: int,
    label: str,
    kind: str,
    group: int = -1,
) -> Iterator[Unit]:
    body = _clean(doc.text[start:end])
    if len(body.split()) < MIN_WORDS and not _FIGURE.search(body):
        return
    key = hashlib.sha256(f"{doc.source}\x1f{start}\x1f{body}".encode()).hexdigest()[:20]
    unit = Unit(
        id=key,
        doc_id=doc.id,
        role=doc.role,
        source=doc.source,
        section=section.path,
        label=label,
        text=body,
        start=start,
        end=end,
        chunk_id=_holder(chunks, start, end),
        kind=kind,
        group=group,
    )
    yield Unit(**{**unit.__dict__, "key": hashlib.sha256(unit.embed_text.encode()).hexdigest()})


def _holder(chunks: Sequence[Chunk], start: int, end: int) -> str:
    """The first chunk that holds the span, else the one that holds most of it (a sentence cut in windows)."""
    best, best_overlap = "", 0
    for chunk in chunks:
        if chunk.start <= start and end <= chunk.end:
            return chunk.id
        overlap = min(end, chunk.end) - max(start, chunk.start)
        if overlap > best_overlap:
            best, best_overlap = chunk.id, overlap
    return best


def _clean(text: str) -> str:
    text = _EMPHASIS.sub("", text).strip()
    return text.lstrip("*").strip() if text.startswith("*") else text
