"""The chat page and the embeddable widget in a real headless Chromium (Debian's chromium, no download)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from advisor import Advisor
from advisor.config import ServerSettings
from advisor.indexing.build import build
from advisor.indexing.embedding import Embedder
from advisor.serve.app import create_app

from ..conftest import make_settings
from ..servers import free_port, serve_app, serve_pages

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
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
        b = p.chromium.launch(executable_path=executable, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="module")
def allowed_port() -> int:
    return free_port()


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
def app_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("db") / "f.sqlite3"


@pytest.fixture(scope="module")
def app_url(advisor: Advisor, allowed_port: int, app_db: Path) -> Iterator[str]:
    settings = ServerSettings(
        allowed_origins=(f"http://127.0.0.1:{allowed_port}",), feedback_db=app_db, rate_limit_per_minute=1000
    )
    with serve_app(create_app(advisor, settings)) as url:
        yield url


def _host_page(app_url: str) -> str:
    return (ROOT / "examples" / "host.html").read_text(encoding="utf-8").replace("http://127.0.0.1:7860", app_url)


@pytest.fixture(scope="module")
def allowed_host(app_url: str, allowed_port: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("allowed")
    with serve_pages({"index.html": _host_page(app_url)}, folder, port=allowed_port) as url:
        yield url


def _ask_in_chat(page: Page, question: str) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")


def test_chat_page_answers_with_sources_feedback_and_new_chat_clears(page: Page, app_url: str, app_db: Path) -> None:
    page.goto(app_url + "/", wait_until="load")
    _ask_in_chat(page, "How much does an ML Performance Architect make?")
    chat = page.locator("#chat")
    expect(chat).to_contain_text("Median Salary: $185,000 - $205,000 [1]", timeout=30_000)
    expect(chat).to_contain_text("[1] ML Performance Architect › Salary Ranges (US Market, 2024)")
    chat.get_by_role("button", name="Dislike").last.click()
    deadline = time.monotonic() + 10
    rows: list[tuple[str, str]] = []
    while not rows and time.monotonic() < deadline:
        with sqlite3.connect(app_db) as con:
            rows = con.execute(
                "SELECT f.rating, a.question FROM feedback f JOIN answers a ON a.id = f.answer_id"
            ).fetchall()
        time.sleep(0.2)
    assert rows == [("down", "How much does an ML Performance Architect make?")]
    # A follow-up in the chat keeps the role.
    _ask_in_chat(page, "And what degree do I need?")
    expect(chat).to_contain_text("Ph.D.", timeout=30_000)
    expect(chat).to_contain_text("› Requirements > Educational Background", timeout=30_000)  # streaming done
    _ask_in_chat(page, "What is the salary of a Senior Cloud Engineer?")
    expect(chat).to_contain_text("Not covered by the role documents", timeout=30_000)
    page.locator("#new-chat").click()
    expect(chat).not_to_contain_text("Median Salary", timeout=10_000)


def _ask_in_widget(widget, question: str) -> None:
    box = widget.locator("textarea")
    box.fill(question)
    box.press("Enter")


def test_widget_on_an_allowed_origin_answers_cites_and_survives_reload(page: Page, allowed_host: str) -> None:
    page.goto(allowed_host + "/index.html", wait_until="load")
    launcher_host = page.locator("body > div[data-role-advisor]")
    launcher_host.locator("button.launcher").click()
    widget = launcher_host.locator("section.panel")
    expect(widget).to_be_visible()
    _ask_in_widget(widget, "How much does an ML Performance Architect make?")
    answer = widget.locator(".msg.bot").last
    expect(answer).to_contain_text("$185,000 - $205,000", timeout=30_000)
    answer.locator("summary").click()
    expect(answer.locator(".cite-head").first).to_contain_text("ML Performance Architect (Estimated)")
    # The host page's aggressive CSS does not reach into the widget.
    color = launcher_host.locator("button.launcher").evaluate("b => getComputedStyle(b).backgroundColor")
    assert color == "rgb(31, 78, 140)"
    page.reload(wait_until="load")
    launcher_host = page.locator("body > div[data-role-advisor]")
    launcher_host.locator("button.launcher").click()
    expect(launcher_host.locator(".msg.user")).to_contain_text("How much does an ML Performance Architect make?")
    expect(launcher_host.locator(".msg.bot").last).to_contain_text("$185,000 - $205,000")
    # Keyboard: Escape closes the panel and gives focus back to the launcher.
    launcher_host.locator("textarea").press("Escape")
    expect(launcher_host.locator("section.panel")).to_be_hidden()


def test_inline_widget_and_abstention(page: Page, allowed_host: str) -> None:
    page.goto(allowed_host + "/index.html", wait_until="load")
    inline = page.locator("#advisor-inline div[data-role-advisor] section.panel")
    expect(inline).to_be_visible()
    _ask_in_widget(inline, "What is the salary of a Senior Cloud Engineer?")
    answer = inline.locator(".msg.bot").last
    expect(answer).to_contain_text("no information on pay", timeout=30_000)
    expect(answer).to_have_class(re.compile(r"\babstained\b"))


def test_disallowed_origin_gets_no_answer_and_cannot_frame_the_chat(
    page: Page, app_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    framing = f'<!doctype html><title>evil</title><iframe id="f" src="{app_url}/" width="600" height="400"></iframe>'
    with serve_pages(
        {"index.html": _host_page(app_url), "frame.html": framing}, tmp_path_factory.mktemp("evil")
    ) as evil:
        page.goto(evil + "/index.html", wait_until="load")
        inline = page.locator("#advisor-inline div[data-role-advisor] section.panel")
        _ask_in_widget(inline, "How much does an ML Performance Architect make?")
        answer = inline.locator(".msg.bot").last
        expect(answer).to_contain_text("cannot be reached", timeout=30_000)
        assert "$185,000" not in inline.inner_text()
        refusals: list[str] = []
        page.on("console", lambda msg: refusals.append(msg.text))
        page.goto(evil + "/frame.html", wait_until="load")
        deadline = time.monotonic() + 15
        while not any("frame-ancestors" in m for m in refusals):
            assert time.monotonic() < deadline, f"no frame-ancestors refusal; console: {refusals}"
            page.wait_for_timeout(100)
        frame = next(f for f in page.frames if f != page.main_frame)
        assert "Role Advisor" not in frame.content()


def test_markup_in_documents_and_questions_is_shown_as_text(
    page: Page, xss_advisor: Advisor, tmp_path_factory: pytest.TempPathFactory
) -> None:
    port = free_port()
    settings = ServerSettings(
        allowed_origins=(f"http://127.0.0.1:{port}",), feedback_db=tmp_path_factory.mktemp("x") / "f.sqlite3"
    )
    with serve_app(create_app(xss_advisor, settings)) as url:
        page.goto(url + "/", wait_until="load")
        _ask_in_chat(page, XSS_QUESTION)
        chat = page.locator("#chat")
        expect(chat).to_contain_text("<script>window.__xss = 1</script>", timeout=30_000)
        expect(chat).to_contain_text('<img src=x onerror="window.__xss = 5">')
        expect(chat).to_contain_text("[click me](javascript:window.__xss=3)")
        expect(chat).to_contain_text("Pay ![x](http://127.0.0.1:9/track.png) <b>bold</b>")  # a heading, as text
        page.wait_for_timeout(500)
        assert page.evaluate("window.__xss") is None
        assert chat.locator("img, iframe, script, b, a[href^='javascript']").count() == 0
        # Bare addresses in the person's own message are shown as text, not turned into links.
        expect(chat).to_contain_text("see http://evil.example/login and www.evil.example or write to me@evil.example")
        assert chat.locator("a[href*='evil.example']").count() == 0

        with serve_pages({"index.html": _host_page(url)}, tmp_path_factory.mktemp("xh"), port=port) as host:
            page.goto(host + "/index.html", wait_until="load")
            inline = page.locator("#advisor-inline div[data-role-advisor] section.panel")
            _ask_in_widget(inline, XSS_QUESTION)
            answer = inline.locator(".msg.bot").last
            expect(answer).to_contain_text("<iframe srcdoc=", timeout=30_000)
            answer.locator("summary").click()
            expect(inline.locator(".msg.user").last).to_contain_text("<script>window.__xss = 6</script>")
            page.wait_for_timeout(500)
            assert page.evaluate("window.__xss") is None
            assert inline.locator("img, iframe, script, a").count() == 0
