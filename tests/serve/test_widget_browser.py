"""The embeddable widget on a host page, in a real headless Chromium (Debian's chromium, no download)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from ..servers import serve_pages
from .conftest import XSS_QUESTION, host_page

pytestmark = pytest.mark.browser


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
        {"index.html": host_page(app_url), "frame.html": framing}, tmp_path_factory.mktemp("evil")
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


def test_markup_in_documents_and_questions_is_shown_as_text_in_the_widget(
    page: Page, xss_server: tuple[str, int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, port = xss_server
    with serve_pages({"index.html": host_page(url)}, tmp_path_factory.mktemp("xh"), port=port) as host:
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
