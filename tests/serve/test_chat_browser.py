"""The chat page in a real headless Chromium (Debian's chromium, no download)."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from advisor import Advisor
from advisor.config import ServerSettings
from advisor.serve.app import create_app
from advisor.serve.chat import EXAMPLES

from ..servers import serve_app
from .conftest import XSS_QUESTION, serious_violations

pytestmark = pytest.mark.browser


def _ask_in_chat(page: Page, question: str) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")


def test_chat_page_answers_with_sources_feedback_and_new_chat_clears(page: Page, app_url: str, app_db: Path) -> None:
    page.goto(app_url + "/", wait_until="load")
    _ask_in_chat(page, "How much does an ML Performance Architect make?")
    chat = page.locator("#chat")
    expect(chat).to_contain_text("Median Salary: $185,000 - $205,000", timeout=30_000)
    expect(chat).to_contain_text("[1] ML Performance Architect › Salary Ranges (US Market, 2024)")
    chat.get_by_role("button", name="Dislike").last.click()
    deadline = time.monotonic() + 30
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


def test_a_background_told_over_two_turns_gets_the_roles_that_fit(page: Page, app_url: str) -> None:
    page.goto(app_url + "/", wait_until="load")
    chat = page.locator("#chat")
    _ask_in_chat(page, "Which role fits me? I have a master's degree in robotics.")
    expect(chat).to_contain_text("what I read: a master's degree in robotics", timeout=30_000)
    # More background, with no question: the whole profile is ranked again.
    _ask_in_chat(page, "I've also spent 10 years building object detection models with PyTorch")
    expect(chat).to_contain_text("10 years of experience; skills: PyTorch", timeout=30_000)
    expect(chat).to_contain_text("1. Senior Computer Vision Engineer: fits", timeout=30_000)


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


class SlowAdvisor:
    """The real advisor, answering only once the test lets it: a slow server, without a clock in the test."""

    def __init__(self, advisor: Advisor) -> None:
        self.advisor = advisor
        self.go = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.advisor, name)

    def ask(self, *args: Any, **kwargs: Any) -> Any:
        self.go.wait(timeout=60)
        return self.advisor.ask(*args, **kwargs)


@pytest.fixture
def slow_server(advisor: Advisor, tmp_path: Path) -> Iterator[tuple[str, SlowAdvisor]]:
    slow = SlowAdvisor(advisor)
    settings = ServerSettings(feedback_db=tmp_path / "f.sqlite3", rate_limit_per_minute=1000)
    with serve_app(create_app(slow, settings)) as url:  # type: ignore[arg-type]  # quacks like an Advisor
        yield url, slow


@pytest.fixture
def strict_server(advisor: Advisor, tmp_path: Path) -> Iterator[str]:
    settings = ServerSettings(feedback_db=tmp_path / "f.sqlite3", rate_limit_per_minute=2)
    with serve_app(create_app(advisor, settings)) as url:
        yield url


def _on_first_screen(page: Page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], f"{selector} below the fold: {box}"


def test_first_screen_is_about_asking_at_desktop_and_phone_sizes(sized_page: Page, app_url: str) -> None:
    page = sized_page
    page.goto(app_url + "/", wait_until="load")
    box = page.get_by_role("textbox", name="Your question")
    expect(box).to_be_visible()
    _on_first_screen(page, "#question textarea")
    _on_first_screen(page, "#ask")
    # Phones zoom into inputs under 16 px; touch targets at least 44 px.
    assert box.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
    for target in ("#ask", "#new-chat"):
        size = page.locator(target).bounding_box()
        assert size is not None and size["height"] >= 44 and size["width"] >= 44, (target, size)
    # Example questions sit inside the empty conversation, and one click asks one.
    example = page.locator("#chat").get_by_role("button", name=re.compile(re.escape(EXAMPLES[0])))
    expect(example).to_be_visible()
    _on_first_screen(page, "#chat .examples")
    # Nothing for maintainers on the public page.
    assert page.locator("#admin-token").count() == 0
    assert page.get_by_text("Rebuild", exact=False).count() == 0
    assert serious_violations(page) == []
    example.click()
    chat = page.locator("#chat")
    expect(chat.locator("li").first).to_be_visible(timeout=30_000)
    expect(chat).to_contain_text(EXAMPLES[0])
    assert serious_violations(page) == []


def test_answers_are_formatted_and_each_marker_opens_its_source(sized_page: Page, app_url: str) -> None:
    page = sized_page
    page.goto(app_url + "/", wait_until="load")
    _ask_in_chat(page, "What degree does a Senior Cloud Engineer need?")
    chat = page.locator("#chat")
    answer = chat.locator(".message.bot, [data-testid=bot]").last
    expect(answer).to_contain_text("Bachelor's degree", timeout=30_000)
    assert "**" not in answer.inner_text()
    source = chat.locator("details.source").first
    expect(source).not_to_have_attribute("open", "")
    expect(page.locator(".pending")).to_have_count(0)  # the answer is in place (and scrolled to) before the click
    chat.locator("a.cite").first.click()
    expect(source).to_have_attribute("open", "")
    expect(source.locator("mark").first).to_be_visible()
    expect(source.locator("mark").first).to_be_in_viewport()
    expect(source.locator("summary")).to_be_focused()
    # A list answer is a list, not lines of dashes.
    _ask_in_chat(page, "How much does an ML Performance Architect make?")
    expect(chat.locator("li", has_text="Salary Range: $150,000 - $230,000").first).to_be_visible(timeout=30_000)
    assert not re.search(r"(?m)^- ", chat.inner_text())
    assert serious_violations(page) == []


def test_the_question_shows_at_once_and_typing_while_waiting_is_never_lost(
    sized_page: Page, slow_server: tuple[str, SlowAdvisor]
) -> None:
    page = sized_page
    url, slow = slow_server
    page.goto(url + "/", wait_until="load")
    _ask_in_chat(page, "How much does an ML Performance Architect make?")
    chat = page.locator("#chat")
    expect(chat).to_contain_text("How much does an ML Performance Architect make?")
    expect(chat).to_contain_text("Finding the passages")
    box = page.locator("#question textarea")
    box.fill("And what degree do I need?")
    box.press("Enter")  # while the first answer is pending: never a cancel, never a lost question
    slow.go.set()
    expect(chat).to_contain_text("$185,000 - $205,000", timeout=30_000)
    expect(chat).not_to_contain_text("Finding the passages")
    expect(box).to_have_value("And what degree do I need?")


def test_a_refused_question_stays_with_retry(sized_page: Page, strict_server: str) -> None:
    page = sized_page
    page.goto(strict_server + "/", wait_until="load")
    chat = page.locator("#chat")
    _ask_in_chat(page, "What does a Senior Cloud Engineer do?")
    expect(chat.locator("details.source").first).to_be_attached(timeout=30_000)
    _ask_in_chat(page, "How much does an ML Performance Architect make?")
    expect(chat).to_contain_text("$185,000", timeout=30_000)
    _ask_in_chat(page, "What degree does a Senior Cloud Engineer need?")
    expect(chat).to_contain_text("faster than this service allows", timeout=30_000)
    expect(chat).to_contain_text("What degree does a Senior Cloud Engineer need?")
    retry = chat.get_by_role("button", name="Retry")
    expect(retry.last).to_be_visible()
    retry.last.click()
    # Asked again, in place: still one copy of the question and one refusal (the limit has not passed).
    expect(chat.get_by_text("What degree does a Senior Cloud Engineer need?")).to_have_count(1, timeout=30_000)
    expect(chat.get_by_text(re.compile("faster than this service allows"))).to_have_count(1)


def test_keyboard_focus_is_visible_and_leaving_the_role_picker_closes_it(page: Page, app_url: str) -> None:
    page.goto(app_url + "/", wait_until="load")
    page.locator("#question textarea").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#ask")).to_be_focused()
    ring = page.locator("#ask").evaluate(
        "b => getComputedStyle(b).outlineWidth + ' ' + getComputedStyle(b).outlineStyle"
    )
    assert ring == "3px solid"
    page.keyboard.press("Tab")
    picker = page.get_by_role("combobox", name="Role (optional)")
    expect(picker).to_be_focused()
    expect(page.get_by_role("listbox")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator("#new-chat")).to_be_focused()
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(picker).to_have_attribute("aria-expanded", "false")


def test_the_maintainers_page_is_separate_and_guarded(page: Page, app_url: str) -> None:
    page.goto(app_url + "/maintainers", wait_until="load")
    page.locator("#admin-token input").fill("guess")
    assert serious_violations(page) == []
    page.locator("#rebuild").click()
    status = page.get_by_text("Rebuilding from the web is turned off")
    expect(status).to_be_visible(timeout=30_000)
    assert serious_violations(page) == []


def test_the_chat_greets_explains_and_lists_the_roles(page: Page, app_url: str) -> None:
    page.goto(app_url + "/", wait_until="load")
    chat = page.locator("#chat")
    _ask_in_chat(page, "hi!")
    expect(chat).to_contain_text("Hello! I answer questions about 5 job roles", timeout=30_000)
    _ask_in_chat(page, "what can you do?")
    expect(chat).to_contain_text("For example:", timeout=30_000)
    _ask_in_chat(page, "which roles do you know?")
    expect(chat).to_contain_text("I know 5 roles:", timeout=30_000)
    for role in ("ML Performance Architect", "Senior Credit Risk Analyst"):
        expect(chat).to_contain_text(role)
    expect(chat).not_to_contain_text("Not covered by the role documents")
