"""Embedding backends: the ONNX INT8 path stays close to sentence-transformers' fp32 encode, is exported once, and
a change of backend never mixes vectors from two ways of running the model in one index."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from advisor import Advisor
from advisor.config import Settings
from advisor.errors import ConfigError
from advisor.indexing.build import build
from advisor.indexing.embedding import Embedder, resolve_model_path
from advisor.indexing.onnx_encoder import ModelFolder, UnsupportedModel, cache_dir

from ..conftest import CORPUS, make_settings

QUESTIONS = [
    "How much does an ML Performance Architect make?",
    "What certifications help a senior cloud engineer?",
    "Is a master's degree required for credit risk roles?",
    "Career path of a data platform engineer",
]


@pytest.fixture(scope="module")
def torch_embedder() -> Embedder:
    return Embedder(backend="torch")


def test_default_backend_is_onnx_int8_and_close_to_fp32(embedder: Embedder, torch_embedder: Embedder) -> None:
    assert embedder.backend == "onnx-int8" and torch_embedder.backend == "torch"
    passages = [c.embed_text for c in _product_chunks()[:40]]
    ours, reference = embedder.embed_documents(passages), torch_embedder.embed_documents(passages)
    assert ours.shape == reference.shape == (len(passages), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    cosines = (ours * reference).sum(axis=1)
    assert cosines.mean() > 0.98 and cosines.min() > 0.95
    # Documents and questions are encoded the same way, so a passage found by itself ranks first.
    for i, text in enumerate(passages[:5]):
        assert int(np.argmax(ours @ embedder.embed_query(text))) == i


def test_onnx_fp32_matches_torch(torch_embedder: Embedder) -> None:
    fp32 = Embedder(backend="onnx")
    assert fp32.backend == "onnx-fp32"
    ours, reference = fp32.embed_documents(QUESTIONS), torch_embedder.embed_documents(QUESTIONS)
    assert (ours * reference).sum(axis=1).min() > 0.999


def test_export_is_cached_beside_the_model_with_its_accuracy_check(embedder: Embedder) -> None:
    _ = embedder.dimension
    folder = ModelFolder.inspect(Path(resolve_model_path("all-MiniLM-L6-v2")))
    cache = cache_dir(folder)
    models = sorted(cache.glob(f"advisor-{folder.fingerprint()}-*.onnx"))
    assert {p.name.rsplit("-", 1)[-1] for p in models} == {"fp32.onnx", "int8.onnx"}
    check = json.loads((cache / f"advisor-{folder.fingerprint()}.json").read_text())
    assert check["mean_cosine"] > 0.98 and check["min_cosine"] > 0.95
    before = {p: p.stat().st_mtime_ns for p in models}
    again = Embedder()
    assert again.backend == "onnx-int8"
    assert {p: p.stat().st_mtime_ns for p in models} == before  # loaded, not exported again


def test_unknown_backend_is_refused_with_the_choices() -> None:
    with pytest.raises(ConfigError, match="onnx-int8, onnx, torch"):
        Settings.from_env(env={"ADVISOR_EMBED_BACKEND": "gpu"})
    with pytest.raises(ConfigError, match="ADVISOR_EMBED_THREADS"):
        Settings.from_env(env={"ADVISOR_EMBED_THREADS": "0"})


def test_models_the_onnx_path_cannot_take_are_recognised(tmp_path: Path) -> None:
    model = Path(resolve_model_path("all-MiniLM-L6-v2"))
    copy = tmp_path / "model"
    shutil.copytree(model, copy, ignore=shutil.ignore_patterns("onnx", "*.safetensors"))
    modules = json.loads((copy / "modules.json").read_text())
    modules.insert(2, {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"})
    (copy / "modules.json").write_text(json.dumps(modules))
    with pytest.raises(UnsupportedModel, match="Dense"):
        ModelFolder.inspect(copy)
    (copy / "modules.json").write_text(json.dumps(modules[:2]))
    (copy / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_max_tokens": True}))
    with pytest.raises(UnsupportedModel, match="max"):
        ModelFolder.inspect(copy)


def test_a_model_the_onnx_export_cannot_take_runs_on_torch(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    copy = tmp_path / "max-pooled"
    shutil.copytree(Path(resolve_model_path("all-MiniLM-L6-v2")), copy, ignore=shutil.ignore_patterns("onnx"))
    config = {"word_embedding_dimension": 384, "pooling_mode_max_tokens": True}
    (copy / "1_Pooling" / "config.json").write_text(json.dumps(config))
    embedder = Embedder(str(copy))
    with caplog.at_level("WARNING", logger="advisor"):
        vectors = embedder.embed_documents(QUESTIONS)
    assert embedder.backend == "torch" and vectors.shape == (len(QUESTIONS), 384)
    assert "ONNX path cannot take" in caplog.text
    assert not (copy / "onnx").exists()


def test_changing_the_backend_re_embeds_everything_and_keeps_unreadable_documents(
    tmp_path: Path, embedder: Embedder, torch_embedder: Embedder, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = make_settings(corpus, tmp_path / "index", embed_backend="torch")
    first = build(settings, embedder=torch_embedder)
    assert first.embedded == first.chunks
    broken = sorted(corpus.glob("*.md"))[0]
    broken.write_bytes(b"\x00 not text any more")
    switched = make_settings(corpus, tmp_path / "index")
    with caplog.at_level("WARNING", logger="advisor"):
        Advisor.load(settings=switched, embedder=embedder)  # still answers from the torch-built index
    assert "embedded with the torch backend" in caplog.text
    report = build(switched, embedder=embedder)
    assert not report.up_to_date and report.embedded == report.chunks and report.reused == 0
    assert {d.source: d.status for d in report.documents}[broken.name] == "kept"
    stored = Advisor.load(settings=switched, embedder=embedder).stored
    assert stored.manifest.model.backend == "onnx-int8"
    assert any(c.source == broken.name for c in stored.chunks)
    assert build(switched, embedder=embedder).up_to_date


def test_the_index_type_follows_the_size_threshold(tmp_path: Path, embedder: Embedder) -> None:
    """Which index a build makes (HNSW's recall is measured at a size that tests it in test_vector_index)."""
    flat_settings = make_settings(CORPUS, tmp_path / "flat")
    hnsw_settings = make_settings(CORPUS, tmp_path / "hnsw", hnsw_min_vectors=10)
    build(flat_settings, embedder=embedder)
    build(hnsw_settings, embedder=embedder)
    flat = Advisor.load(settings=flat_settings, embedder=embedder)
    hnsw = Advisor.load(settings=hnsw_settings, embedder=embedder)
    assert flat.stored.manifest.vectors.type == "flat"
    assert hnsw.stored.manifest.vectors.type == "hnsw"
    # Lowering the threshold over an unchanged corpus rebuilds the index as the new size rule says.
    resized = build(replace(flat_settings, hnsw_min_vectors=10), embedder=embedder)
    assert not resized.up_to_date and resized.embedded == 0
    assert Advisor.load(settings=flat_settings, embedder=embedder).stored.manifest.vectors.type == "hnsw"
    assert hnsw.ask(QUESTIONS[0]).text == flat.ask(QUESTIONS[0]).text


def _product_chunks():
    from advisor.ingest.chunking import chunk_document
    from advisor.ingest.documents import read_folder

    settings = Settings.from_env(env={})
    return [c for d in read_folder(CORPUS).documents for c in chunk_document(d, settings.chunking)]
