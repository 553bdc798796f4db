"""Reading a folder of role documents (Markdown, plain text, HTML, PDF) into Documents with sections.

Every file is accounted for: it becomes a Document or a SkippedFile with its reason.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..records import Document, Section, SkippedFile

MARKDOWN_SUFFIXES = {".md", ".markdown"}
TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES
INTRO_SECTION = "Introduction"

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|\Z)", re.DOTALL)


class UnreadableFile(Exception):
    """A file that cannot become a document; the message is the reason shown in the build report."""


@dataclass(frozen=True)
class ReadResult:
    documents: tuple[Document, ...]
    skipped: tuple[SkippedFile, ...]
    # Every readable file's source, in reading order; those not in documents were unchanged (see known).
    order: tuple[str, ...] = ()


def read_folder(folder: Path, parse_timeout: float | None = None, known: Mapping[str, str] | None = None) -> ReadResult:
    """Read every file below folder (sorted, so builds are reproducible). PDF and HTML files are parsed in a
    child process that is abandoned after parse_timeout seconds. A file whose SHA-256 equals known[source] is
    only listed as unchanged: an incremental build re-uses what it made of it last time."""
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    order: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        source = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            skipped.append(SkippedFile(source, "hidden file"))
            continue
        if known and source in known and _sha256_of(path) == known[source]:
            order.append(source)
            continue
        try:
            documents.append(read_document(path, source, parse_timeout))
            order.append(source)
        except UnreadableFile as exc:
            skipped.append(SkippedFile(source, str(exc)))
    return ReadResult(tuple(documents), tuple(skipped), tuple(order))


def _sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def read_document(path: Path, source: str, parse_timeout: float | None = None) -> Document:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(
            f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror or exc}") from None
    if not data.strip():
        raise UnreadableFile("empty file")
    if suffix in PDF_SUFFIXES:
        return _from_plain(_bounded(_pdf_text, data, parse_timeout), source, data)
    text = _decode(data)
    if suffix in HTML_SUFFIXES:
        return _from_markdown(_bounded(_html_to_markdown, text, parse_timeout), source, data)
    if suffix in TEXT_SUFFIXES:
        return _from_plain(text, source, data)
    return _from_markdown(text, source, data)


def _bounded(parse, arg, timeout: float | None):
    """parse(arg) in a child process, abandoned after timeout seconds (a pathological file cannot stall a
    build); in this process when no timeout is set."""
    if timeout is None:
        return parse(arg)
    import multiprocessing

    # forkserver: a child forked from a threaded process (the server, a watcher) could inherit a held lock.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx: Any = multiprocessing.get_context(method)
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_parse_child, args=(parse, arg, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise UnreadableFile(f"abandoned: parsing took longer than {timeout:g} s")
        ok, value = receiver.recv()
    except EOFError:
        raise UnreadableFile("the parser crashed on this file") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(timeout=5)
        receiver.close()
    if not ok:
        raise UnreadableFile(value)
    return value


def _parse_child(parse, arg, sender) -> None:
    try:
        sender.send((True, parse(arg)))
    except UnreadableFile as exc:
        sender.send((False, str(exc)))
    except Exception as exc:  # any parser failure becomes a reason in the report
        sender.send((False, f"cannot be parsed: {exc}"))
    finally:
        sender.close()


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"invalid encoding: not UTF-8 (byte 0x{data[exc.start]:02x} at position {exc.start})"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile(f"broken PDF: {exc}") from None
    return "\n\n".join(p.strip() for p in pages if p.strip())


def _html_to_markdown(html: str) -> str:
    """Headings keep their level, list items become bullets, other blocks become paragraphs."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "nav", "footer", "header", "iframe"]):
        tag.decompose()
    blocks: list[str] = []
    meta_role = soup.find("meta", attrs={"name": "role"})
    role = meta_role.get("content") if meta_role else None
    for el in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "pre", "blockquote"]):
        if el.find_parent(["li", "p", "td", "pre", "blockquote"]) is not None:
            continue
        text = " ".join(el.get_text(" ", strip=True).split())
        if not text:
            continue
        if el.name[0] == "h":
            blocks.append("#" * int(el.name[1]) + " " + text)
        elif el.name == "li":
            blocks.append("- " + text)
        else:
            blocks.append(text)
    if not blocks:
        body = soup.body or soup
        text = " ".join(body.get_text(" ", strip=True).split())
        if text:
            blocks.append(text)
    if not blocks and soup.title and soup.title.string:
        blocks.append(soup.title.string.strip())
    markdown = "\n\n".join(blocks)
    if role:
        markdown = f"---\nrole: {yaml.safe_dump(str(role)).splitlines()[0]}\n---\n\n" + markdown
    elif not any(b.startswith("# ") for b in blocks) and soup.title and soup.title.string:
        markdown = f"# {soup.title.string.strip()}\n\n" + markdown
    return markdown


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _front_matter(text: str) -> tuple[dict[str, object], int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    try:
        # libyaml's loader when PyYAML has it: O*NET front matter lists hundreds of alternate titles.
        meta = yaml.load(match.group(1), Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        raise UnreadableFile(f"invalid front matter: {str(exc).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        raise UnreadableFile("invalid front matter: expected 'key: value' lines")
    return meta, match.end()


def _from_markdown(text: str, source: str, data: bytes) -> Document:
    meta, body_start = _front_matter(text)
    headings = list(_headings(text, body_start))
    title_h1 = next((title for level, title, _s, _e in headings if level == 1), None)
    role = _clean(meta.get("role")) or _clean(meta.get("title")) or title_h1 or _role_from_name(source)
    sections = _sections(text, body_start, headings, role)
    return _document(text, source, data, role, sections, _clean(meta.get("source")), meta)


def _from_plain(text: str, source: str, data: bytes, fallback_role: str | None = None) -> Document:
    meta, body_start = _front_matter(text)
    role = _clean(meta.get("role")) or fallback_role or _role_from_name(source)
    span = _trim(text, body_start, len(text))
    sections = (Section((INTRO_SECTION,), *span),) if span else ()
    return _document(text, source, data, role, sections, _clean(meta.get("source")), meta)


def _document(
    text: str,
    source: str,
    data: bytes,
    role: str,
    sections: Iterable[Section],
    source_page: str | None,
    meta: dict[str, object] | None = None,
) -> Document:
    sections = tuple(sections)
    if not sections:
        raise UnreadableFile("no text to index (only headings or front matter)")
    sha = hashlib.sha256(data).hexdigest()
    return Document(
        id=hashlib.sha256(source.encode()).hexdigest()[:16],
        role=role,
        source=source,
        text=text,
        sections=sections,
        sha256=sha,
        source_page=source_page,
        aliases=_aliases((meta or {}).get("aliases")),
        attribution=_clean((meta or {}).get("attribution")),
    )


def _aliases(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(a for a in (_clean(v) for v in value) if a)


def _headings(text: str, start: int) -> Iterable[tuple[int, str, int, int]]:
    """(level, title, line start, line end) of ATX headings outside fenced code."""
    pos = start
    in_fence = False
    for line in text[start:].splitlines(keepends=True):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            match = _HEADING.match(line.rstrip("\n"))
            if match:
                yield len(match.group(1)), _strip_markup(match.group(2)), pos, pos + len(line)
        pos += len(line)


def _sections(text: str, body_start: int, headings: list[tuple[int, str, int, int]], role: str) -> list[Section]:
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    first = headings[0][2] if headings else len(text)
    intro = _trim(text, body_start, first)
    if intro:
        sections.append(Section((INTRO_SECTION,), *intro))
    for i, (level, title, _line_start, line_end) in enumerate(headings):
        while stack and stack[-1][0] >= level:
            stack.pop()
        # The document's H1 is its title (usually the role), not a section of it.
        if level == 1:
            stack = []
            heading_is_title = _norm(title) == _norm(role) or i == 0
            if not heading_is_title:
                stack.append((level, title))
        else:
            stack.append((level, title))
        end = headings[i + 1][2] if i + 1 < len(headings) else len(text)
        span = _trim(text, line_end, end)
        if span:
            path = tuple(t for _l, t in stack) or (INTRO_SECTION,)
            sections.append(Section(path, *span))
    return sections


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _strip_markup(title: str) -> str:
    return re.sub(r"[*_`]+", "", title).strip()


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _role_from_name(source: str) -> str:
    stem = Path(source).stem
    words = re.split(r"[-_\s]+", stem)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or stem
