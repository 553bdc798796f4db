from __future__ import annotations

from pathlib import Path

import pytest

from advisor.ingest.documents import INTRO_SECTION, read_document, read_folder

from ..pdf import minimal_pdf


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_markdown_role_from_front_matter_and_heading_paths(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "a.md",
        "---\nrole: Data Wrangler\nsource: handbook\n---\n\n# Wrangler\n\nIntro text.\n\n## Pay\n\n"
        "- Median: $1\n\n### Extras\n\nBonus text.\n\n## Skills\n\nSQL.\n",
    )
    doc = read_document(tmp_path / "a.md", "a.md")
    assert doc.role == "Data Wrangler"
    assert doc.source_page == "handbook"
    paths = [s.path for s in doc.sections]
    # The first H1 is the document's title, not a section.
    assert paths == [(INTRO_SECTION,), ("Pay",), ("Pay", "Extras"), ("Skills",)]
    assert [doc.text[s.start : s.end] for s in doc.sections] == ["Intro text.", "- Median: $1", "Bonus text.", "SQL."]


def test_role_falls_back_to_first_h1_then_file_name(tmp_path: Path) -> None:
    _write(tmp_path, "x.md", "# Night Nurse\n\nWorks nights.\n")
    _write(tmp_path, "data-wrangler.txt", "Wrangles data all day.")
    result = read_folder(tmp_path)
    roles = {d.source: d.role for d in result.documents}
    assert roles == {"x.md": "Night Nurse", "data-wrangler.txt": "Data Wrangler"}


def test_headings_inside_code_fences_are_text(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "# R\n\n## Real\n\n```\n# not a heading\n```\n")
    doc = read_document(tmp_path / "a.md", "a.md")
    assert [s.path for s in doc.sections] == [("Real",)]


def test_html_keeps_headings_and_list_items_and_drops_scripts(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "r.html",
        "<html><head><title>T</title><script>alert(1)</script></head><body><h1>Harbor Pilot</h1>"
        "<p>Guides ships.</p><h2>Requirements</h2><ul><li>License A</li><li>Sea time</li></ul></body></html>",
    )
    doc = read_document(tmp_path / "r.html", "r.html")
    assert doc.role == "Harbor Pilot"
    sections = {s.title: doc.text[s.start : s.end] for s in doc.sections}
    assert sections["Requirements"] == "- License A\n\n- Sea time"
    assert "alert" not in doc.text


def test_pdf_text_is_read(tmp_path: Path) -> None:
    _write(tmp_path, "pilot.pdf", minimal_pdf("Harbor pilots need a master license."))
    doc = read_document(tmp_path / "pilot.pdf", "pilot.pdf")
    assert doc.role == "Pilot"
    assert "master license" in doc.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", "", "empty file"),
        ("blank.md", "  \n\n ", "empty file"),
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
        ("latin1.txt", "Gehalt: 50.000 \u20ac f\u00fcr Ingenieure".encode("latin-1", "replace"), "invalid encoding"),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf", "broken PDF"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type"),
        ("only-heading.md", "# Title only\n", "no text to index"),
        ("bad-front.md", "---\nrole: [unclosed\n---\nText", "invalid front matter"),
    ],
)
def test_unreadable_files_are_skipped_with_a_reason(
    tmp_path: Path, name: str, content: str | bytes, reason: str
) -> None:
    _write(tmp_path, "good.md", "# Good Role\n\nFine text.\n")
    _write(tmp_path, name, content)
    result = read_folder(tmp_path)
    assert [d.source for d in result.documents] == ["good.md"]
    assert len(result.skipped) == 1
    assert result.skipped[0].source == name
    assert reason in result.skipped[0].reason


def test_every_file_is_accounted_for(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "# A Role\n\nText.\n")
    _write(tmp_path, "sub/b.txt", "More text.")
    _write(tmp_path, ".hidden.md", "# H\n\nx\n")
    _write(tmp_path, "c.bin", b"\x00\x01")
    result = read_folder(tmp_path)
    seen = sorted([d.source for d in result.documents] + [s.source for s in result.skipped])
    assert seen == sorted([".hidden.md", "a.md", "c.bin", "sub/b.txt"])


def test_product_corpus_has_five_roles_with_sources() -> None:
    from ..conftest import CORPUS

    result = read_folder(CORPUS)
    assert not result.skipped
    assert sorted(d.role for d in result.documents) == [
        "ML Performance Architect",
        "Senior Cloud Engineer",
        "Senior Communications Systems Engineer",
        "Senior Computer Vision Engineer",
        "Senior Credit Risk Analyst",
    ]
    assert all(d.source_page for d in result.documents)
