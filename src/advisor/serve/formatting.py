"""Answers and passages as formatted blocks: paragraphs and bullet lists made of plain, bold, highlighted and
`[n]` spans. One parser serves both faces: the chat turns blocks into escaped HTML (to_html), the widget turns
the same blocks, sent by the API, into DOM nodes. Nothing in a document or a question ever passes through as
markup: only `**bold**`, list markers and citation markers are read, and everything else is text."""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..records import Answer, Citation
from ..text.units import printable_unicode

_BULLET = re.compile(r"[ \t]*(?:[-*•+]|\d{1,3}[.)])[ \t]+(?=\S)")
_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]+(?=\S)")
# **bold** on one line, or a citation marker [n].
_INLINE = re.compile(r"\*\*(?=\S)(?P<bold>[^*\n]+?)(?<=\S)\*\*|\[(?P<cite>\d{1,3})\]")


@dataclass(frozen=True)
class Span:
    text: str = ""
    bold: bool = False
    mark: bool = False  # a sentence the answer cites
    cite: int | None = None  # a marker pointing at citation n

    def to_dict(self) -> dict[str, Any]:
        if self.cite is not None:
            return {"cite": self.cite}
        data: dict[str, Any] = {"text": self.text}
        if self.bold:
            data["bold"] = True
        if self.mark:
            data["mark"] = True
        return data


@dataclass(frozen=True)
class Block:
    kind: Literal["paragraph", "list"]
    items: tuple[tuple[Span, ...], ...]  # a paragraph has one item
    ordered: bool = False  # a numbered list: the numbers are what a reply picks a choice by ("2")

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "paragraph":
            return {"type": "paragraph", "spans": [s.to_dict() for s in self.items[0]]}
        listed: dict[str, Any] = {"type": "list", "items": [[s.to_dict() for s in item] for item in self.items]}
        return {**listed, "ordered": True} if self.ordered else listed


def blocks(text: str, cites: Collection[int] = (), marks: Sequence[tuple[int, int]] = ()) -> list[Block]:
    """text as blocks: each line a paragraph, consecutive bullet lines one list. `[n]` becomes a citation span
    only for n in cites; marks are (start, end) offsets into text to highlight."""
    out: list[Block] = []
    items: list[tuple[Span, ...]] = []
    ordered = False
    offset = 0
    for line in text.split("\n"):
        start = offset
        offset += len(line) + 1
        bullet = _BULLET.match(line)
        heading = _HEADING.match(line) if bullet is None else None
        lead = bullet or heading
        skip = lead.end() if lead else len(line) - len(line.lstrip())
        spans = _inline(text, start + skip, start + len(line.rstrip()), cites, marks, bold=heading is not None)
        numbered = bullet is not None and bullet.group().strip()[0].isdigit()
        if bullet is not None and spans and (not items or numbered == ordered):
            items.append(spans)
            ordered = numbered
            continue
        if items:
            out.append(Block("list", tuple(items), ordered))
            items = []
        if bullet is not None and spans:
            items.append(spans)  # a list of the other kind starts
            ordered = numbered
            continue
        if spans:
            out.append(Block("paragraph", (spans,)))
    if items:
        out.append(Block("list", tuple(items), ordered))
    return out


def answer_blocks(answer: Answer) -> list[Block]:
    return blocks(answer.text, cites={c.n for c in answer.citations})


def passage_blocks(citation: Citation) -> list[Block]:
    return blocks(citation.text, marks=citation.sentences)


def answer_dict(answer: Answer) -> dict[str, Any]:
    """Answer.to_dict with the answer's blocks and each passage's blocks (cited sentences marked)."""
    data = answer.to_dict()
    data["blocks"] = [b.to_dict() for b in answer_blocks(answer)]
    for out, citation in zip(data["citations"], answer.citations, strict=True):
        out["blocks"] = [b.to_dict() for b in passage_blocks(citation)]
    return data


def to_html(parts: Iterable[Block], cite_link: str = "") -> str:
    """Escaped HTML of blocks: <p>, <ul><li> (<ol> when numbered), <strong>, <mark>; a citation marker is a link to
    `#{cite_link}{n}` (or plain text without cite_link)."""
    out = []
    for block in parts:
        rendered = ["".join(_span_html(s, cite_link) for s in item) for item in block.items]
        if block.kind == "paragraph":
            out.append(f"<p>{rendered[0]}</p>")
        else:
            tag = "ol" if block.ordered else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{r}</li>" for r in rendered) + f"</{tag}>")
    return "".join(out)


def _span_html(span: Span, cite_link: str) -> str:
    if span.cite is not None:
        if not cite_link:
            return f"[{span.cite}]"
        return f'<a class="cite" href="#{cite_link}{span.cite}" aria-label="Source {span.cite}">[{span.cite}]</a>'
    text = html.escape(printable_unicode(span.text), quote=False)
    if span.mark:
        text = f"<mark>{text}</mark>"
    if span.bold:
        text = f"<strong>{text}</strong>"
    return text


def _inline(
    text: str, start: int, end: int, cites: Collection[int], marks: Sequence[tuple[int, int]], bold: bool
) -> tuple[Span, ...]:
    """The spans of text[start:end]: bold and citation markers read, the rest split at highlight edges."""
    spans: list[Span] = []
    pos = start
    for m in _INLINE.finditer(text, start, end):
        if m.group("cite") is not None and int(m.group("cite")) not in cites:
            continue
        spans.extend(_marked(text, pos, m.start(), marks, bold))
        if m.group("cite") is not None:
            spans.append(Span(cite=int(m.group("cite"))))
        else:
            spans.extend(_marked(text, m.start("bold"), m.end("bold"), marks, bold=True))
        pos = m.end()
    spans.extend(_marked(text, pos, end, marks, bold))
    return tuple(spans)


def _marked(text: str, start: int, end: int, marks: Sequence[tuple[int, int]], bold: bool) -> list[Span]:
    if start >= end:
        return []
    edges = sorted({start, end, *(p for a, b in marks for p in (a, b) if start < p < end)})
    return [
        Span(text[a:b], bold=bold, mark=any(ma <= a and b <= mb for ma, mb in marks))
        for a, b in itertools.pairwise(edges)
    ]
