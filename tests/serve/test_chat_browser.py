"""The chat page in a real headless Chromium (Debian's chromium, no download)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import XSS_QUESTION

pytestmark = pytest.mark.browser


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


def test_markup_in_documents_and_questions_is_shown_as_text_in_the_chat(
    page: Page, xss_server: tuple[str, int]
) -> None:
    url, _ = xss_server
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
