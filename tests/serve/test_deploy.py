"""Several processes: two real `advisor serve` processes on one index folder behind the shipped nginx site file
(deploy/nginx.conf, run by Debian's nginx), answering through the API, the chat in Chromium and the widget, and
following a rebuild; and `advisor serve --workers 2`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from advisor import Settings
from advisor.indexing.build import build
from advisor.indexing.embedding import Embedder

from ..backends.nginx import run_nginx
from ..conftest import CORPUS, ROOT, make_settings
from ..servers import free_port, serve_pages, stop_process, wait_healthy

pytestmark = pytest.mark.slow
ML_PAY = "How much does an ML Performance Architect make?"
NEW_FACT = "Median Salary: $321,987"


@dataclass
class Deployment:
    url: str  # nginx
    processes: list[tuple[subprocess.Popen[str], str, Path]]  # process, its own URL, its log
    settings: Settings
    widget_port: int


Process = tuple[subprocess.Popen[str], str, Path]  # the process, its own URL, its log


@contextmanager
def behind_nginx(
    folder: Path, ports: list[int], nginx_port: int, env_of: Callable[[int], dict[str, str]]
) -> Iterator[tuple[str, list[Process]]]:
    """`advisor serve` processes on ports (process n with the environment env_of(n)), healthy, behind the shipped
    nginx site file on nginx_port; yields nginx's URL and the processes, and stops them all afterwards."""
    processes: list[Process] = []
    try:
        for n, port in enumerate(ports):
            log = folder / f"advisor-{n}.log"
            process = subprocess.Popen(
                [sys.executable, "-m", "advisor", "serve", "--port", str(port)],
                env=env_of(n),
                cwd=ROOT,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
                text=True,
            )
            processes.append((process, f"http://127.0.0.1:{port}", log))
        for process, url, log in processes:
            wait_healthy(url, process, log)
        with run_nginx([f"127.0.0.1:{p}" for p in ports], folder / "nginx", port=nginx_port) as url:
            yield url, processes
    finally:
        for process, _, _ in processes:
            stop_process(process)


def _poll(check: object, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Deployment]:
    folder = tmp_path_factory.mktemp("deploy")
    corpus = folder / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = make_settings(corpus, folder / "index")
    build(settings, embedder=embedder)
    nginx_port, widget_port = free_port(), free_port()
    ports = [free_port(), free_port()]
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "ADVISOR_CORPUS_DIR": str(corpus),
        "ADVISOR_INDEX_DIR": str(settings.index_dir),
        "ADVISOR_TRUSTED_PROXIES": "127.0.0.1",
        # The name the browser uses (through nginx, with its port), and the processes' own address for direct checks.
        "ADVISOR_ALLOWED_HOSTS": f"127.0.0.1:{nginx_port},127.0.0.1",
        "ADVISOR_ALLOWED_ORIGINS": f"http://127.0.0.1:{widget_port}",
        "ADVISOR_RATE_LIMIT": "1000",
        "ADVISOR_RELOAD_INTERVAL": "1",
    }
    # Each its own SQLite file: what the processes share here is the index folder only.
    env_of = lambda n: {**env, "ADVISOR_FEEDBACK_DB": str(folder / f"f{n}.sqlite3")}  # noqa: E731
    with behind_nginx(folder, ports, nginx_port, env_of) as (url, processes):
        yield Deployment(url, processes, settings, widget_port)


def test_the_api_answers_through_nginx_and_both_processes_serve(deployment: Deployment) -> None:
    for _ in range(6):
        assert httpx.get(f"{deployment.url}/healthz", timeout=10).json()["status"] == "ok"
    # Round robin: each process logged health checks that came through nginx.
    _poll(
        lambda: all("GET /healthz" in log.read_text() for _, _, log in deployment.processes),
        "both processes should serve /healthz through nginx",
    )
    answer = httpx.post(f"{deployment.url}/api/ask", json={"question": ML_PAY}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert "$185,000 - $205,000" in answer.json()["answer"]
    with httpx.stream("POST", f"{deployment.url}/api/ask/stream", json={"question": ML_PAY}, timeout=30) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        events = [line for line in r.iter_lines() if line.startswith("event: ")]
    assert events[0] == "event: sources" and events[-1] == "event: done"
    assert httpx.get(f"{deployment.url}/widget.js", timeout=10).headers["content-type"].startswith("text/javascript")


def test_nginx_forwards_the_host_the_app_checks(deployment: Deployment) -> None:
    # Host and X-Forwarded-Host are what the client sent: a name the processes do not answer to is refused by them.
    refused = httpx.get(f"{deployment.url}/healthz", headers={"host": "evil.example"}, timeout=10)
    assert refused.status_code == 400
    assert "ADVISOR_ALLOWED_HOSTS" in refused.json()["detail"]
    # A body over nginx's limit ends at nginx.
    too_big = httpx.post(f"{deployment.url}/api/ask", content=b"x" * 1_100_000, timeout=10)
    assert too_big.status_code == 413


@pytest.mark.browser
def test_the_chat_answers_through_nginx(page: Page, deployment: Deployment) -> None:
    page.goto(deployment.url + "/", wait_until="load")
    box = page.locator("#question textarea")
    box.fill(ML_PAY)
    box.press("Enter")
    expect(page.locator("#chat")).to_contain_text("Median Salary: $185,000 - $205,000", timeout=30_000)
    # Sticky: the chat's queue request and its result stream went to one and the same process.
    chat_logs = [log.read_text() for _, _, log in deployment.processes]
    assert [("queue/join" in text, "queue/data" in text) for text in chat_logs].count((True, True)) == 1
    assert sum("queue/" in text for text in chat_logs) == 1


@pytest.mark.browser
def test_the_widget_on_an_allowed_origin_answers_through_nginx(
    page: Page, deployment: Deployment, tmp_path: Path
) -> None:
    html = (
        (ROOT / "examples" / "host.html").read_text(encoding="utf-8").replace("http://127.0.0.1:7860", deployment.url)
    )
    with serve_pages({"index.html": html}, tmp_path, port=deployment.widget_port) as host:
        page.goto(host + "/index.html", wait_until="load")
        page.wait_for_function("window.RoleAdvisor && RoleAdvisor.widgets.length > 0")
        detail = page.evaluate("q => RoleAdvisor.ask(q)", ML_PAY)
    assert detail is not None
    assert "$185,000 - $205,000" in detail["answer"]


def test_a_rebuild_is_served_by_both_processes(deployment: Deployment) -> None:
    settings = deployment.settings
    document = settings.corpus_dir / "senior-cloud-engineer.md"
    document.write_text(document.read_text(encoding="utf-8") + f"\n\n## Pay\n\n- {NEW_FACT}\n", encoding="utf-8")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "advisor",
            "index",
            "--corpus",
            str(settings.corpus_dir),
            "--index",
            str(settings.index_dir),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    generation = (settings.index_dir / "CURRENT").read_text().strip()
    for _, url, _ in deployment.processes:
        _poll(
            lambda u=url: httpx.get(f"{u}/healthz", timeout=10).json()["generation"] == generation,
            f"{url} should serve generation {generation}",
        )
    for _ in range(2):  # once from each process (round robin)
        answer = httpx.post(
            f"{deployment.url}/api/ask", json={"question": "What is the salary of a Senior Cloud Engineer?"}, timeout=30
        ).json()
        assert "$321,987" in answer["answer"], answer


def _free_ports(n: int) -> int:
    """The first of n consecutive free loopback ports."""
    while True:
        first = free_port()
        try:
            for port in range(first, first + n):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue


def test_serve_with_workers_runs_one_process_per_port(product_settings: Settings, tmp_path: Path) -> None:
    port = _free_ports(2)
    log = tmp_path / "workers.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "advisor", "serve", "--port", str(port), "--workers", "2"],
        env={
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "ADVISOR_INDEX_DIR": str(product_settings.index_dir),
            "ADVISOR_FEEDBACK_DB": str(tmp_path / "f.sqlite3"),
        },
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for url in (f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"):
            wait_healthy(url, process, log)
            answer = httpx.post(f"{url}/api/ask", json={"question": ML_PAY}, timeout=30).json()
            assert "$185,000 - $205,000" in answer["answer"]
    finally:
        stop_process(process)
    assert process.returncode == 0
    # SIGTERM reached both servers, which stopped as a single server does.
    assert log.read_text().count("Finished server process") == 2


@pytest.mark.parametrize(
    ("workers", "message"),
    [
        ("0", "--workers takes the number of server processes, 1 or more; got 0."),
        ("-1", "--workers takes the number of server processes, 1 or more; got -1."),
        ("70000", "--workers 70000 from port 7861 needs ports up to 77860; the last is 65535."),
    ],
)
def test_serve_refuses_a_bad_number_of_workers(workers: str, message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "advisor", "serve", "--workers", workers, "--port", "7861"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
