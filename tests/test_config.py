"""Settings: every variable read and validated, the operations guide's table in step with the code, and no import that
changes the process environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.config import ServerSettings, Settings
from advisor.errors import ConfigError

from .conftest import ROOT

SOURCES = ROOT / "src" / "advisor"


def test_every_setting_has_a_variable_and_is_read() -> None:
    settings = Settings.from_env(
        env={
            "ADVISOR_CORPUS_DIR": "c",
            "ADVISOR_INDEX_DIR": "i",
            "ADVISOR_MODEL": "some/model",
            "ADVISOR_CHUNK_TOKENS": "300",
            "ADVISOR_CHUNK_OVERLAP": "50",
            "ADVISOR_CHUNK_ENCODING": "o200k_base",
            "ADVISOR_EMBED_BATCH_SIZE": "8",
            "ADVISOR_EMBED_BACKEND": "torch",
            "ADVISOR_EMBED_THREADS": "3",
            "ADVISOR_QUERY_CACHE": "0",
            "ADVISOR_MAX_QUESTION_CHARS": "500",
            "ADVISOR_HNSW_MIN_VECTORS": "10",
            "ADVISOR_KEEP_GENERATIONS": "4",
            "ADVISOR_PARSE_TIMEOUT": "5",
        }
    )
    assert (settings.corpus_dir, settings.index_dir, settings.model) == (Path("c"), Path("i"), "some/model")
    assert (settings.chunking.max_tokens, settings.chunking.overlap_tokens) == (300, 50)
    assert settings.chunking.encoding == "o200k_base"
    assert (settings.embed_batch_size, settings.embed_backend, settings.embed_threads) == (8, "torch", 3)
    assert (settings.query_cache, settings.max_question_chars, settings.hnsw_min_vectors) == (0, 500, 10)
    assert (settings.keep_generations, settings.parse_timeout) == (4, 5.0)
    server = ServerSettings.from_env(env={"ADVISOR_RELOAD_INTERVAL": "0.5", "ADVISOR_SHUTDOWN_TIMEOUT": "1"})
    assert (server.reload_interval, server.shutdown_timeout) == (0.5, 1.0)


def test_the_operations_guide_lists_exactly_the_variables_the_code_reads() -> None:
    read = set()
    for path in SOURCES.rglob("*.py"):
        read |= set(re.findall(r'"(ADVISOR_[A-Z_]+)"', path.read_text(encoding="utf-8")))
    read -= {"ADVISOR_FAULT_PAUSE", "ADVISOR_FAULT_MARKER"}  # the crash tests' own switches
    table = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(ADVISOR_[A-Z_]+)`", table.split("## Configuration", 1)[1].split("\n## ", 1)[0]))
    assert read - documented == set(), "read by the code but not documented"
    assert documented - read == set(), "documented but not read by the code"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ADVISOR_CHUNK_TOKENS", "8", "at least 16"),
        ("ADVISOR_EMBED_BACKEND", "gpu", "one of"),
        ("ADVISOR_RELOAD_INTERVAL", "0", "more than 0"),
        ("ADVISOR_QUERY_CACHE", "many", "whole number"),
    ],
)
def test_bad_values_stop_with_the_variable_named(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env={variable: value})
        ServerSettings.from_env(env={variable: value})


def test_importing_the_package_changes_no_environment_variable() -> None:
    modules = [
        "advisor",
        "advisor.cli",
        "advisor.serve.app",
        "advisor.serve.chat",
        "advisor.indexing.embedding",
        "advisor.indexing.onnx_encoder",
        "advisor.quality.evaluation",
        "advisor.ingest.onet",
    ]
    code = (
        "import os, importlib; before = dict(os.environ)\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "changed = {k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k)}\n"
        "print(sorted(changed))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TOKENIZERS_PARALLELISM")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
