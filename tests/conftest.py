"""Shared fixtures: the real embedding model (loaded once), and real indexes built in temporary folders."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from advisor import Advisor, Settings
from advisor.indexing.build import build
from advisor.indexing.embedding import Embedder

from .fakes import FakeEmbedder

pytest_plugins = ["tests.backends.redis", "tests.backends.postgres"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder()


@pytest.fixture(scope="session")
def product_settings(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Settings:
    """The product corpus, indexed once per test session in a temporary folder."""
    settings = replace(Settings.from_env(env={}), corpus_dir=CORPUS, index_dir=tmp_path_factory.mktemp("index"))
    build(settings, embedder=embedder)
    return settings


@pytest.fixture(scope="session")
def advisor(product_settings: Settings, embedder: Embedder) -> Advisor:
    return Advisor.load(settings=product_settings, embedder=embedder)


@pytest.fixture(scope="session")
def fake_advisor(tmp_path_factory: pytest.TempPathFactory) -> Advisor:
    """The product corpus indexed with FakeEmbedder: for unit tests of retrieval, answering and conversation
    that need no model."""
    fake = FakeEmbedder()
    settings = make_settings(CORPUS, tmp_path_factory.mktemp("fake-index"))
    build(settings, embedder=fake)
    return Advisor.load(settings=settings, embedder=fake)


def make_settings(corpus: Path, index: Path, **changes: object) -> Settings:
    return replace(Settings.from_env(env={}), corpus_dir=corpus, index_dir=index, **changes)
