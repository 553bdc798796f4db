from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from advisor import Advisor
from advisor.config import ChunkSettings
from advisor.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from advisor.indexing.build import build
from advisor.indexing.embedding import Embedder
from advisor.indexing.index_store import current_generation

from ..conftest import CORPUS, make_settings

ROLE_DOC = "---\nrole: Harbor Pilot\n---\n# Harbor Pilot\n\n## Pay\n\n- Median Salary: $99,000\n\n## Requirements\n\n- A pilot license\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "pilot.md").write_text(ROLE_DOC, encoding="utf-8")
    (folder / "empty.md").write_text("", encoding="utf-8")
    (folder / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    return folder


def test_report_lists_every_file_skips_bad_ones_and_indexes_the_good(
    corpus: Path, tmp_path: Path, embedder: Embedder
) -> None:
    report = build(make_settings(corpus, tmp_path / "index"), embedder=embedder)
    assert [d.source for d in report.documents] == ["pilot.md"]
    assert {s.source: s.reason for s in report.skipped} == {
        "empty.md": "empty file",
        "image.md": "binary file (contains NUL bytes), not text",
    }
    text = report.format()
    assert "3 files: 1 indexed, 2 skipped" in text
    assert "skipped  empty.md: empty file" in text and "skipped  image.md: binary file" in text
    assert report.embedded == report.chunks > 0


def test_rebuild_with_nothing_changed_embeds_nothing(corpus: Path, tmp_path: Path, embedder: Embedder) -> None:
    settings = make_settings(corpus, tmp_path / "index")
    first = build(settings, embedder=embedder)
    again = build(settings, embedder=embedder)
    assert again.up_to_date and again.embedded == 0
    assert again.generation == first.generation


def test_editing_one_document_re_embeds_only_its_changed_chunks(
    corpus: Path, tmp_path: Path, embedder: Embedder
) -> None:
    (corpus / "other.md").write_text("# Tug Captain\n\n## Duties\n\n- Steer tugs\n", encoding="utf-8")
    settings = make_settings(corpus, tmp_path / "index")
    first = build(settings, embedder=embedder)
    (corpus / "pilot.md").write_text(ROLE_DOC.replace("$99,000", "$101,000"), encoding="utf-8")
    second = build(settings, embedder=embedder)
    assert {d.source: d.status for d in second.documents} == {"other.md": "unchanged", "pilot.md": "updated"}
    assert second.embedded == 1  # only the pay section's chunk changed
    assert second.reused == first.chunks - 1
    answer = Advisor.load(settings=settings, embedder=embedder).ask("How much does a harbor pilot earn?")
    assert "$101,000" in answer.text and "$99,000" not in answer.text


def test_removed_documents_leave_the_index(corpus: Path, tmp_path: Path, embedder: Embedder) -> None:
    (corpus / "other.md").write_text("# Tug Captain\n\n## Duties\n\n- Steer tugs\n", encoding="utf-8")
    settings = make_settings(corpus, tmp_path / "index")
    build(settings, embedder=embedder)
    (corpus / "other.md").unlink()
    report = build(settings, embedder=embedder)
    assert report.removed == ("other.md",)
    advisor = Advisor.load(settings=settings, embedder=embedder)
    assert advisor.roles == ("Harbor Pilot",)


def test_full_rebuild_re_embeds_everything(corpus: Path, tmp_path: Path, embedder: Embedder) -> None:
    settings = make_settings(corpus, tmp_path / "index")
    build(settings, embedder=embedder)
    report = build(settings, full=True, embedder=embedder)
    assert not report.up_to_date and report.embedded == report.chunks


def test_manifest_describes_the_build(corpus: Path, tmp_path: Path, embedder: Embedder) -> None:
    settings = make_settings(corpus, tmp_path / "index")
    build(settings, embedder=embedder)
    manifest = json.loads((current_generation(settings.index_dir) / "manifest.json").read_text())
    assert manifest["model"] == {"name": "all-MiniLM-L6-v2", "dimension": 384, "backend": "onnx-int8"}
    assert manifest["vectors"] == {"type": "flat"}
    assert manifest["chunking"] == {"max_tokens": 200, "overlap_tokens": 40, "encoding": "cl100k_base"}
    assert manifest["documents"][0]["source"] == "pilot.md" and len(manifest["documents"][0]["sha256"]) == 64
    counts = manifest["counts"]
    assert (counts["documents"], counts["chunks"], counts["skipped"]) == (1, 2, 2)
    assert counts["units"] >= 2 and counts["facts"] >= 0
    assert set(manifest["files"]) == {"chunks.json", "vectors.faiss", "units.json", "units.npy", "facts.json"}
    assert manifest["built_at"]


def test_loading_with_other_settings_fails_with_how_to_rebuild(
    corpus: Path, tmp_path: Path, embedder: Embedder
) -> None:
    settings = make_settings(corpus, tmp_path / "index")
    build(settings, embedder=embedder)
    other_model = replace(settings, model="some/other-model")
    with pytest.raises(IndexMismatchError, match=r"advisor index --full"):
        Advisor.load(settings=other_model, embedder=embedder)
    other_chunks = replace(settings, chunking=ChunkSettings(max_tokens=300))
    with pytest.raises(IndexMismatchError, match=r"max_tokens.*300"):
        Advisor.load(settings=other_chunks, embedder=embedder)


def test_missing_and_corrupt_indexes_are_refused_clearly(corpus: Path, tmp_path: Path, embedder: Embedder) -> None:
    settings = make_settings(corpus, tmp_path / "index")
    with pytest.raises(IndexMissingError, match="advisor index"):
        Advisor.load(settings=settings, embedder=embedder)
    build(settings, embedder=embedder)
    vectors = current_generation(settings.index_dir) / "vectors.faiss"
    vectors.write_bytes(vectors.read_bytes()[:-16])
    with pytest.raises(IndexCorruptError, match="checksum"):
        Advisor.load(settings=settings, embedder=embedder)


def test_a_new_generation_is_published_and_old_ones_pruned(corpus: Path, tmp_path: Path, embedder: Embedder) -> None:
    settings = make_settings(corpus, tmp_path / "index", keep_generations=2)
    names = []
    for price in ("$1", "$2", "$3"):
        (corpus / "pilot.md").write_text(ROLE_DOC.replace("$99,000", price), encoding="utf-8")
        names.append(build(settings, embedder=embedder).generation)
    kept = sorted(p.name for p in (settings.index_dir / "generations").iterdir())
    assert kept == names[1:]
    assert current_generation(settings.index_dir).name == names[-1]
    # A published generation that went missing: the newest good one left is served.
    shutil.rmtree(settings.index_dir / "generations" / names[-1])
    assert Advisor.load(settings=settings, embedder=embedder).generation == names[1]


def test_an_incremental_build_reads_only_changed_files_and_matches_a_full_one(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advisor.indexing import build as indexer
    from advisor.ingest import documents

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    incremental = make_settings(corpus, tmp_path / "incremental")
    build(incremental, embedder=embedder)
    edited = sorted(corpus.glob("*.md"))[1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\n## Notes\n\nEdited today.\n", encoding="utf-8")

    parsed: list[str] = []
    real_read = documents.read_document
    monkeypatch.setattr(documents, "read_document", lambda path, *a: parsed.append(path.name) or real_read(path, *a))
    report = build(incremental, embedder=embedder)
    assert parsed == [edited.name]
    assert {d.source: d.status for d in report.documents} == {
        p.name: "updated" if p == edited else "unchanged" for p in sorted(corpus.glob("*.md"))
    }

    full = make_settings(corpus, tmp_path / "full")
    build(full, full=True, embedder=embedder)
    ours = Advisor.load(settings=incremental, embedder=embedder).stored
    fresh = Advisor.load(settings=full, embedder=embedder).stored
    assert ours.chunks == fresh.chunks
    assert [d.sha256 for d in ours.manifest.documents] == [d.sha256 for d in fresh.manifest.documents]

    # New reading or chunking code: every file is read again, not trusted from the last build.
    parsed.clear()
    monkeypatch.setattr(indexer, "reader_digest", lambda: "another version")
    report = build(incremental, embedder=embedder)
    assert len(parsed) == len(list(corpus.glob("*.md")))
    # and what they make now is published, though no file changed: the units may be embedded differently.
    assert not report.up_to_date
    assert build(incremental, embedder=embedder).up_to_date
