"""Browser fixtures shared by the chat and widget tests: Debian's chromium (never a downloaded browser), pages at
desktop and phone sizes, the product server with an allowed origin, and axe-core's accessibility check."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from advisor import Advisor
from advisor.config import ServerSettings
from advisor.indexing.build import build
from advisor.indexing.embedding import Embedder
from advisor.serve.app import create_app

from ..conftest import make_settings
from ..servers import free_port, serve_app, serve_pages

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
# A document and a question full of markup: both faces must show it as text and run none of it.
XSS_DOC = """---
role: Test Pilot
---
# Test Pilot

## Pay ![x](http://127.0.0.1:9/track.png) <b>bold</b>

- Median Salary: $1 <script>window.__xss = 1</script> <img src=x onerror="window.__xss = 2"> [click me](javascript:window.__xss=3) <iframe srcdoc="<script>parent.__xss = 4</script>"></iframe>
"""
XSS_QUESTION = (
    'How much does a test pilot earn? <img src=x onerror="window.__xss = 5"><script>window.__xss = 6</script>'
    " see http://evil.example/login and www.evil.example or write to me@evil.example"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run ./test.sh (it installs it) or apt-get install chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(browser: Browser, size: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(**size)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop-sized page (1280x800)."""
    yield from _page(browser, DESKTOP)


@pytest.fixture(params=sorted(SIZES))
def sized_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """The same test at desktop (1280x800) and phone (390x844, touch) sizes."""
    yield from _page(browser, SIZES[request.param])


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, PHONE)


@pytest.fixture(scope="module")
def allowed_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("db") / "f.sqlite3"


@pytest.fixture(scope="module")
def app_url(advisor: Advisor, allowed_port: int, app_db: Path) -> Iterator[str]:
    settings = ServerSettings(
        allowed_origins=(f"http://127.0.0.1:{allowed_port}",), feedback_db=app_db, rate_limit_per_minute=1000
    )
    with serve_app(create_app(advisor, settings)) as url:
        yield url


def host_page(app_url: str) -> str:
    """examples/host.html, the site owners' copy-paste start, pointed at the test server."""
    return (ROOT / "examples" / "host.html").read_text(encoding="utf-8").replace("http://127.0.0.1:7860", app_url)


@pytest.fixture(scope="module")
def allowed_host(app_url: str, allowed_port: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("allowed")
    with serve_pages({"index.html": host_page(app_url)}, folder, port=allowed_port) as url:
        yield url


def serious_violations(page: Page, context: Any = None) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now (open shadow roots included), one
    line each, to assert empty."""
    from axe_playwright_python.sync_playwright import Axe

    # Gradio fades what is updating (class "pending", then a transition back): contrast is judged at rest.
    page.wait_for_function(
        "() => !document.querySelector('.pending')"
        " && document.getAnimations().every(a => !(a instanceof CSSTransition))",
        timeout=15_000,
    )
    results = Axe().run(page, context=context)
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {[(n['target'], n.get('failureSummary')) for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.fixture(scope="module")
def xss_advisor(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Advisor:
    folder = tmp_path_factory.mktemp("xss")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "pilot.md").write_text(XSS_DOC, encoding="utf-8")
    settings = make_settings(corpus, folder / "index")
    build(settings, embedder=embedder)
    return Advisor.load(settings=settings, embedder=embedder)


@pytest.fixture(scope="module")
def xss_server(xss_advisor: Advisor, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A server answering from the markup document, and the free port of the one origin it allows."""
    port = free_port()
    settings = ServerSettings(
        allowed_origins=(f"http://127.0.0.1:{port}",), feedback_db=tmp_path_factory.mktemp("x") / "f.sqlite3"
    )
    with serve_app(create_app(xss_advisor, settings)) as url:
        yield url, port
