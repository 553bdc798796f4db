"""Index lifecycle with real processes and real files: incremental rebuilds, a lock, rollback, crashes at
every step of a build, generations swapped under load, corrupt generations, live reload and rebuild actions."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from advisor import Advisor, Settings
from advisor.config import ServerSettings
from advisor.errors import AdvisorError
from advisor.indexing import Library
from advisor.indexing.build import build, watch
from advisor.indexing.embedding import Embedder
from advisor.indexing.index_store import GENERATIONS, POINTER, build_lock, current_generation, generation_names
from advisor.serve.app import create_app
from advisor.serve.live import AdvisorHolder

from ..conftest import make_settings
from ..pdf import minimal_pdf
from ..servers import serve_app

PILOT = "# Harbor Pilot\n\n## Pay\n\n- Median Salary: {pay}\n\n## Requirements\n\n- A harbor pilot license\n- Sea time on large vessels\n"
CAPTAIN = (
    "# Tug Captain\n\n## Duties\n\n- Steer tugs through the harbor\n\n## Requirements\n\n- A master mariner license\n"
)
CLERK = "# Dock Clerk\n\n## Duties\n\n- Count containers on the quay\n"
QUESTIONS = [
    "How much does a harbor pilot earn?",
    "What does a tug captain need?",
    "What does a dock clerk do?",
    "What does a harbor pilot need?",
]


def _corpus(folder: Path, pay: str = "$99,000", clerk: bool = True, captain: bool = True) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "pilot.md").write_text(PILOT.format(pay=pay), encoding="utf-8")
    if captain:
        (folder / "captain.md").write_text(CAPTAIN, encoding="utf-8")
    if clerk:
        (folder / "clerk.md").write_text(CLERK, encoding="utf-8")
    return folder


def _answers(settings: Settings, embedder: Embedder) -> list[tuple[str, bool, tuple[str, ...]]]:
    advisor = Advisor.load(settings=settings, embedder=embedder)
    out = []
    for q in QUESTIONS:
        a = advisor.ask(q)
        out.append((a.text, a.abstained, tuple(c.text for c in a.citations)))
    return out


def test_edit_add_delete_rebuild_reconciles(tmp_path: Path, embedder: Embedder) -> None:
    corpus = _corpus(tmp_path / "corpus")
    settings = make_settings(corpus, tmp_path / "index")
    first = build(settings, embedder=embedder)
    (corpus / "pilot.md").write_text(PILOT.format(pay="$120,000"), encoding="utf-8")  # edit one section
    (corpus / "clerk.md").unlink()  # delete
    (corpus / "welder.md").write_text("# Ship Welder\n\n## Pay\n\n- Median Salary: $55,000\n", encoding="utf-8")  # add
    report = build(settings, embedder=embedder)
    data = report.to_dict()
    assert (data["added"], data["updated"], data["unchanged"], data["removed"]) == (1, 1, 1, ["clerk.md"])
    assert report.embedded == 2  # the edited pay section and the new document's one chunk
    assert report.reused == report.chunks - report.embedded
    assert report.chunks == first.chunks - 1 + 1  # clerk's chunk gone, welder's added
    assert "1 added, 1 updated, 1 removed, 1 unchanged" in report.format()
    advisor = Advisor.load(settings=settings, embedder=embedder)
    assert "$120,000" in advisor.ask("How much does a harbor pilot earn?").text
    assert "$55,000" in advisor.ask("How much does a ship welder earn?").text
    gone = advisor.ask("What does a dock clerk do?")
    assert gone.abstained and "Count containers" not in gone.text
    assert all("Count containers" not in c.text for c in advisor.stored.chunks)


@pytest.mark.parametrize("full", [False, True])
def test_a_document_that_turns_unreadable_keeps_its_previous_version(
    tmp_path: Path, embedder: Embedder, full: bool
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    settings = make_settings(corpus, tmp_path / "index")
    build(settings, embedder=embedder)
    (corpus / "pilot.md").write_bytes(b"\x00\x01garbage")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 nonsense")
    report = build(settings, embedder=embedder, full=full)
    statuses = {d.source: d.status for d in report.documents}
    assert statuses["pilot.md"] == "kept" and "broken.pdf" not in statuses
    assert {s.source for s in report.skipped} == {"pilot.md", "broken.pdf"}
    assert (
        "$99,000" in Advisor.load(settings=settings, embedder=embedder).ask("How much does a harbor pilot earn?").text
    )


def test_a_slow_document_is_abandoned_with_a_reason(tmp_path: Path, embedder: Embedder) -> None:
    corpus = _corpus(tmp_path / "corpus")
    (corpus / "slow.pdf").write_bytes(minimal_pdf("Harbor pilots need a license."))
    settings = make_settings(corpus, tmp_path / "index", parse_timeout=0.0001)
    report = build(settings, embedder=embedder)
    assert {s.source: s.reason for s in report.skipped} == {"slow.pdf": "abandoned: parsing took longer than 0.0001 s"}
    assert len(report.documents) == 3


def test_two_builds_at_once_the_second_is_refused_or_waits(tmp_path: Path, embedder: Embedder) -> None:
    corpus = _corpus(tmp_path / "corpus")
    settings = make_settings(corpus, tmp_path / "index")
    with build_lock(settings.index_dir):
        with pytest.raises(AdvisorError, match=r"Another build of .* is running"):
            build(settings, embedder=embedder)
        cli = subprocess.run(
            [sys.executable, "-m", "advisor", "index", "--corpus", str(corpus), "--index", str(settings.index_dir)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert cli.returncode == 1 and "Another build" in cli.stderr and "Traceback" not in cli.stderr
    # Once the lock is free, a waiting build goes ahead.
    results: list[object] = []
    with build_lock(settings.index_dir):
        worker = threading.Thread(target=lambda: results.append(build(settings, embedder=embedder, wait_seconds=30)))
        worker.start()
        time.sleep(0.5)
        assert not results  # still waiting
    worker.join(timeout=60)
    assert results and not results[0].up_to_date


def test_rollback_returns_to_the_previous_generation(tmp_path: Path, embedder: Embedder) -> None:
    corpus = _corpus(tmp_path / "corpus")
    settings = make_settings(corpus, tmp_path / "index")
    first = build(settings, embedder=embedder).generation
    _corpus(corpus, pay="$111,000")
    second = build(settings, embedder=embedder).generation
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    args = [
        sys.executable,
        "-m",
        "advisor",
        "index",
        "--corpus",
        str(corpus),
        "--index",
        str(settings.index_dir),
        "--rollback",
    ]
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0 and first in result.stdout
    assert current_generation(settings.index_dir).name == first and second in generation_names(settings.index_dir)
    assert (
        "$99,000" in Advisor.load(settings=settings, embedder=embedder).ask("How much does a harbor pilot earn?").text
    )
    again = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 1 and "No earlier generation" in again.stderr


FAULT_POINTS = ["embedding", "wrote-vectors", "wrote-chunks", "wrote-manifest", "before-publish", "after-publish"]


@pytest.fixture(scope="module")
def crash_setup(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> dict[str, object]:
    base = tmp_path_factory.mktemp("crash")
    old_corpus = _corpus(base / "v1")
    new_corpus = _corpus(base / "v2", pay="$150,000", clerk=False)
    (new_corpus / "welder.md").write_text("# Ship Welder\n\n## Pay\n\n- Median Salary: $55,000\n", encoding="utf-8")
    old = make_settings(old_corpus, base / "old-index")
    build(old, embedder=embedder)
    new = make_settings(new_corpus, base / "new-index")
    build(new, embedder=embedder)
    return {
        "base": base,
        "old": old,
        "new_corpus": new_corpus,
        "old_answers": _answers(old, embedder),
        "new_answers": _answers(new, embedder),
    }


@pytest.mark.slow
@pytest.mark.parametrize("point", FAULT_POINTS)
def test_a_build_killed_at_any_point_leaves_a_complete_generation(
    point: str, crash_setup: dict[str, object], tmp_path: Path, embedder: Embedder
) -> None:
    index = tmp_path / "index"
    shutil.copytree(crash_setup["old"].index_dir, index)
    marker = tmp_path / "paused"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ADVISOR_FAULT_PAUSE": point, "ADVISOR_FAULT_MARKER": str(marker)}
    cmd = [sys.executable, "-m", "advisor", "index", "--corpus", str(crash_setup["new_corpus"]), "--index", str(index)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, f"the build never reached {point}"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    settings = make_settings(crash_setup["new_corpus"], index)
    answers = _answers(settings, embedder)
    expected = crash_setup["new_answers"] if point == "after-publish" else crash_setup["old_answers"]
    assert answers == expected
    # The next build is not blocked by the dead one and completes the change.
    report = build(settings, embedder=embedder)
    assert not any(p.name.startswith(".") for p in (index / GENERATIONS).iterdir())
    assert _answers(settings, embedder) == crash_setup["new_answers"]
    assert report.generation == current_generation(index).name


def test_queries_during_repeated_swaps_never_fail_or_mix(tmp_path: Path, embedder: Embedder) -> None:
    corpus = _corpus(tmp_path / "corpus", pay="$100,000")
    settings = make_settings(corpus, tmp_path / "index", keep_generations=3)
    build(settings, embedder=embedder)
    holder = AdvisorHolder(Library(settings, embedder))
    stop = threading.Event()
    seen: list[tuple[str, str, str]] = []
    errors: list[BaseException] = []

    def asker() -> None:
        while not stop.is_set():
            try:
                advisor = holder.current()
                answer = advisor.ask("How much does a harbor pilot earn?")
                seen.append((advisor.generation, answer.text, answer.citations[0].text))
            except BaseException as exc:  # any failure at all is what this test looks for
                errors.append(exc)

    threads = [threading.Thread(target=asker) for _ in range(4)]
    for t in threads:
        t.start()
    pay_of: dict[str, str] = {holder.current().generation: "$100,000"}
    try:
        for i in range(1, 7):
            pay = f"$100,{i:03d}"
            (corpus / "pilot.md").write_text(PILOT.format(pay=pay), encoding="utf-8")
            # Each generation is asked before the next replaces it (waiting on answers, not on a clock: a busy
            # machine answers slower, never differently).
            _wait_for_answers_from(seen, holder.current().generation)
            generation = build(settings, embedder=embedder).generation
            pay_of[generation] = pay
            assert holder.reload_if_changed()
        _wait_for_answers_from(seen, holder.current().generation)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not errors
    assert {g for g, _, _ in seen} == set(pay_of)
    for generation, text, cited in seen:
        pay = pay_of[generation]
        assert pay in text and pay in cited  # answer and citation from the same, whole generation


def _wait_for_answers_from(seen: list[tuple[str, str, str]], generation: str) -> None:
    deadline = time.monotonic() + 30
    while not any(g == generation for g, _, _ in seen[-50:]) and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.mark.parametrize("damage", ["truncated vectors", "flipped bytes", "lying manifest", "missing file"])
def test_a_corrupt_generation_is_refused_and_the_last_good_one_serves(
    damage: str, tmp_path: Path, embedder: Embedder, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    settings = make_settings(corpus, tmp_path / "index")
    good = build(settings, embedder=embedder).generation
    _corpus(corpus, pay="$222,000")
    build(settings, embedder=embedder)
    bad = current_generation(settings.index_dir)
    if damage == "truncated vectors":
        data = (bad / "vectors.faiss").read_bytes()
        (bad / "vectors.faiss").write_bytes(data[: len(data) // 2])
    elif damage == "flipped bytes":
        data = bytearray((bad / "chunks.json").read_bytes())
        data[len(data) // 2] ^= 0xFF
        (bad / "chunks.json").write_bytes(bytes(data))
    elif damage == "lying manifest":
        manifest = json.loads((bad / "manifest.json").read_text())
        manifest["counts"]["chunks"] += 3
        (bad / "manifest.json").write_text(json.dumps(manifest))
    else:
        (bad / "chunks.json").unlink()
    with caplog.at_level(logging.ERROR, logger="advisor"):
        holder = AdvisorHolder(Library(settings, embedder))
    assert holder.current().generation == good
    assert "$99,000" in holder.current().ask("How much does a harbor pilot earn?").text
    assert any("Refused an index generation" in r.message and bad.name in r.message for r in caplog.records)


def test_the_server_swaps_in_new_generations_and_refuses_rebuilds_without_the_token(
    tmp_path: Path, embedder: Embedder
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    settings = make_settings(corpus, tmp_path / "index")
    build(settings, embedder=embedder)
    holder = AdvisorHolder(Library(settings, embedder))
    token = "s3cret-token-for-tests"
    server = ServerSettings(feedback_db=tmp_path / "f.sqlite3", admin_token=token, reload_interval=0.2)
    try:
        with serve_app(create_app(holder, server)) as url:
            ask = {"question": "How much does a harbor pilot earn?"}
            assert "$99,000" in httpx.post(f"{url}/api/ask", json=ask).json()["answer"]
            before = httpx.get(f"{url}/healthz").json()["generation"]
            # A rebuild by another process (advisor index) is picked up without a restart.
            _corpus(corpus, pay="$101,000")
            build(settings, embedder=embedder)
            deadline = time.monotonic() + 10
            while httpx.get(f"{url}/healthz").json()["generation"] == before:
                assert time.monotonic() < deadline, "the new generation was not swapped in"
                time.sleep(0.1)
            assert "$101,000" in httpx.post(f"{url}/api/ask", json=ask).json()["answer"]
            # The admin rebuild action needs the token, over HTTP and through gradio_client.
            _corpus(corpus, pay="$102,000")
            assert httpx.post(f"{url}/api/admin/rebuild").status_code == 403
            wrong = httpx.post(f"{url}/api/admin/rebuild", headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 403 and "valid admin token" in wrong.json()["detail"]
            client = Client(url + "/", verbose=False)
            assert client.predict("nope", api_name="/rebuild_index").startswith("Refused")
            assert "$101,000" in httpx.post(f"{url}/api/ask", json=ask).json()["answer"]
            ok = httpx.post(f"{url}/api/admin/rebuild", headers={"Authorization": f"Bearer {token}"}, timeout=120)
            assert ok.status_code == 200 and ok.json()["updated"] == 1
            assert "$102,000" in httpx.post(f"{url}/api/ask", json=ask).json()["answer"]
            _corpus(corpus, pay="$103,000")
            assert client.predict(token, api_name="/rebuild_index").startswith("Serving generation")
            assert "$103,000" in httpx.post(f"{url}/api/ask", json=ask).json()["answer"]
    finally:
        holder.stop()


def test_rebuilds_are_off_without_a_configured_token(tmp_path: Path, embedder: Embedder) -> None:
    settings = make_settings(_corpus(tmp_path / "corpus"), tmp_path / "index")
    build(settings, embedder=embedder)
    holder = AdvisorHolder(Library(settings, embedder))
    try:
        with serve_app(create_app(holder, ServerSettings(feedback_db=tmp_path / "f.sqlite3"))) as url:
            r = httpx.post(f"{url}/api/admin/rebuild", headers={"Authorization": "Bearer anything-at-all-here"})
            assert r.status_code == 403 and "turned off" in r.json()["detail"]
    finally:
        holder.stop()


def test_watch_rebuilds_when_the_corpus_changes(tmp_path: Path, embedder: Embedder) -> None:
    corpus = _corpus(tmp_path / "corpus")
    settings = make_settings(corpus, tmp_path / "index")
    build(settings, embedder=embedder)
    reports, failures = [], []
    stop = threading.Event()
    thread = threading.Thread(
        target=watch,
        args=(settings, reports.append, failures.append),
        kwargs={"debounce_ms": 300, "stop_event": stop, "embedder": embedder},
    )
    thread.start()
    try:
        time.sleep(1.0)
        (corpus / "pilot.md").write_text(PILOT.format(pay="$130,000"), encoding="utf-8")
        deadline = time.monotonic() + 60
        while not reports:
            assert not failures, failures
            assert time.monotonic() < deadline, "no rebuild after the change"
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert reports[0].to_dict()["updated"] == 1 and reports[0].embedded == 1
    assert (settings.index_dir / POINTER).read_text().strip() == reports[0].generation
