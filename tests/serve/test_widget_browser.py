"""The embeddable widget on host pages, in a real headless Chromium (Debian's chromium, no download), against real
servers: the allowed host page (examples/host.html), pages of our own built from data- options, a server whose
answers wait behind a gate the test opens, a rate-limited one, a refused origin and a server that is down."""

from __future__ import annotations

import html
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from advisor import Advisor
from advisor.config import ServerSettings
from advisor.serve.app import STATIC, create_app

from ..servers import free_port, serve_app, serve_pages
from .conftest import DESKTOP, XSS_QUESTION, host_page, serious_violations

pytestmark = pytest.mark.browser

ML_PAY = "How much does an ML Performance Architect make?"
CLOUD_PAY = "What is the salary of a Senior Cloud Engineer?"
CLOUD_DUTIES = "What does a Senior Cloud Engineer do?"
ANSWERED = 30_000  # ms: the first answer of a fresh server loads the model


# --- Pages and servers of our own ------------------------------------------------------------------------------


class GatedAdvisor:
    """The product advisor behind a gate: while the test keeps it shut, answers wait on the server (a real slow
    server, without sleeping)."""

    def __init__(self, advisor: Advisor) -> None:
        self._advisor = advisor
        self.gate = threading.Event()
        self.gate.set()

    def ask(self, *args: Any, **kwargs: Any) -> Any:
        if not self.gate.wait(60):
            raise RuntimeError("the test never opened the gate")
        return self._advisor.ask(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._advisor, name)


class Site:
    """Static pages on one origin that our servers allow; pages are written on demand."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.folder = folder
        self.origin = url

    def page(self, name: str, advisor: str, body: str = "", src: str | None = None, **data: str) -> str:
        """A page with one widget tag (data-* from keyword arguments, '_' read as '-'); its URL."""
        attrs = "".join(f' data-{k.replace("_", "-")}="{html.escape(v)}"' for k, v in data.items())
        tag = f'<script src="{src or advisor + "/widget.js"}"{attrs} async></script>'
        text = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{name}</title></head><body><main><h1>{name}</h1>{body}</main>{tag}</body></html>"
        )
        (self.folder / name).write_text(text, encoding="utf-8")
        return f"{self.url}/{name}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("site")
    with serve_pages({}, folder) as url:
        yield Site(url, folder)


def _settings(site: Site, folder: Path, **changes: Any) -> ServerSettings:
    return ServerSettings(
        allowed_origins=(site.origin,), feedback_db=folder / "f.sqlite3", rate_limit_per_minute=1000, **changes
    )


@pytest.fixture(scope="module")
def gated(advisor: Advisor) -> Iterator[GatedAdvisor]:
    gated = GatedAdvisor(advisor)
    yield gated
    gated.gate.set()


@pytest.fixture(scope="module")
def server(gated: GatedAdvisor, site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The product advisor (behind the gate, open unless a test shuts it), allowing the site's origin."""
    with serve_app(create_app(gated, _settings(site, tmp_path_factory.mktemp("srv")))) as url:  # type: ignore[arg-type]
        yield url


@pytest.fixture
def shut(gated: GatedAdvisor) -> Iterator[threading.Event]:
    """The gate, shut for this test: answers wait until it is set."""
    gated.gate.clear()
    yield gated.gate
    gated.gate.set()


# --- Looking at the widget -------------------------------------------------------------------------------------


def launcher_widget(page: Page) -> Locator:
    return page.locator("body > div[data-role-advisor]")


def inline_widget(page: Page) -> Locator:
    return page.locator("#advisor-inline div[data-role-advisor]")


def open_launcher(page: Page) -> Locator:
    widget = launcher_widget(page)
    widget.locator("button.launcher").click()
    expect(widget.locator("section.panel")).to_be_visible()
    return widget


def ask(widget: Locator, question: str) -> Locator:
    """Types the question and presses Enter; the last answer box, once it is no longer pending."""
    box = widget.locator("textarea")
    box.fill(question)
    box.press("Enter")
    return widget.locator(".msg.bot:not(.pending)").last


def ask_and_wait(widget: Locator, question: str, expected: str) -> Locator:
    answer = ask(widget, question)
    expect(answer).to_contain_text(expected, timeout=ANSWERED)
    return answer


def focused(widget: Locator) -> dict[str, Any]:
    """What has the keyboard focus, seen from the widget's shadow root."""
    return widget.evaluate(
        """host => {
            const a = host.shadowRoot.activeElement, panel = host.shadowRoot.querySelector('section.panel');
            return {inPage: document.activeElement === host, inPanel: !!a && panel.contains(a),
                    launcher: !!a && a.classList.contains('launcher'), tag: a ? a.tagName : null,
                    text: a ? (a.getAttribute('aria-label') || a.textContent) : null};
        }"""
    )


def rgb(css: str) -> tuple[float, ...]:
    values = [float(v) for v in re.findall(r"[\d.]+", css)[:3]]
    assert len(values) == 3, css
    return tuple(values)


def contrast(a: str, b: str) -> float:
    def lum(color: str) -> float:
        c = [v / 255 for v in rgb(color)]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def style(node: Locator, prop: str) -> str:
    return node.evaluate(f"n => getComputedStyle(n).{prop}")


# --- The demo page on an allowed origin ------------------------------------------------------------------------


def test_widget_on_an_allowed_origin_answers_cites_and_survives_reload(page: Page, allowed_host: str) -> None:
    page.goto(allowed_host + "/index.html", wait_until="load")
    widget = open_launcher(page)
    answer = ask_and_wait(widget, ML_PAY, "$185,000 - $205,000")
    answer.locator("summary").click()
    expect(answer.locator(".cite-head").first).to_contain_text("ML Performance Architect (Estimated)")
    # The host page's aggressive CSS does not reach into the widget.
    assert style(widget.locator("button.launcher"), "backgroundColor") == "rgb(31, 78, 140)"
    assert style(widget.locator("textarea"), "fontSize") == "16px"
    page.reload(wait_until="load")
    widget = open_launcher(page)
    expect(widget.locator(".msg.user")).to_contain_text(ML_PAY)
    expect(widget.locator(".msg.bot").last).to_contain_text("$185,000 - $205,000")
    # Follow-ups carry the history: "it" is the role asked about before the reload.
    ask_and_wait(widget, "And how many years of experience does it take?", "5+ years")


def test_a_background_over_two_turns_gets_the_roles_that_fit_in_the_widget(page: Page, allowed_host: str) -> None:
    page.goto(allowed_host + "/index.html", wait_until="load")
    widget = open_launcher(page)
    ask_and_wait(widget, "Which role would suit me? My background is in finance.", "what I read: background in finance")
    answer = ask_and_wait(widget, "I also have 6 years as a loan underwriter", "6 years of experience")
    expect(answer).to_contain_text("1. Senior Credit Risk Analyst: fits")
    answer.locator("summary").click()
    expect(answer.locator(".cite-head").first).to_contain_text("Senior Credit Risk Analyst")


def test_inline_widget_and_abstention(page: Page, allowed_host: str) -> None:
    page.goto(allowed_host + "/index.html", wait_until="load")
    inline = inline_widget(page).locator("section.panel")
    expect(inline).to_be_visible()
    answer = ask_and_wait(inline, CLOUD_PAY, "no information on pay")
    expect(answer).to_have_class(re.compile(r"\babstained\b"))
    expect(answer.locator(".note")).to_have_text("Not covered by the role documents")
    # Shift+Enter is a new line, not a question.
    box = inline.locator("textarea")
    box.fill("first line")
    box.press("Shift+Enter")
    box.type("second line")
    expect(box).to_have_value("first line\nsecond line")
    expect(inline.locator(".msg.user")).to_have_count(1)


def test_answer_is_formatted_and_a_marker_opens_its_highlighted_passage(sized_page: Page, allowed_host: str) -> None:
    page = sized_page
    page.goto(allowed_host + "/index.html", wait_until="load")
    widget = open_launcher(page)
    answer = ask_and_wait(widget, ML_PAY, "$185,000 - $205,000")
    items = answer.locator(".answer li")
    assert items.count() >= 2
    expect(items.filter(has_text="Salary Range: $150,000 - $230,000")).to_have_count(1)
    text = answer.locator(".answer").inner_text()
    assert "**" not in text
    assert not any(line.lstrip().startswith("- ") for line in text.splitlines()), text
    passage = answer.locator(".cite[data-n='1']")
    expect(passage).to_be_hidden()
    answer.get_by_role("button", name="Source 1").first.click()
    expect(passage).to_be_visible()
    expect(passage).to_be_in_viewport()
    assert passage.evaluate("n => n.getRootNode().activeElement === n")
    marked = passage.locator("mark")
    expect(marked.first).to_contain_text("$185,000 - $205,000")
    # Only the cited sentences are marked, not the whole passage.
    assert len(marked.all_inner_texts()[0]) < len(passage.locator(".cite-text").inner_text())


def test_markup_in_documents_and_questions_is_shown_as_text_in_the_widget(
    page: Page, xss_server: tuple[str, int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, port = xss_server
    with serve_pages({"index.html": host_page(url)}, tmp_path_factory.mktemp("xh"), port=port) as host:
        page.goto(host + "/index.html", wait_until="load")
        inline = inline_widget(page).locator("section.panel")
        answer = ask_and_wait(inline, XSS_QUESTION, "<iframe srcdoc=")
        answer.locator("summary").click()
        expect(inline.locator(".msg.user").last).to_contain_text("<script>window.__xss = 6</script>")
        expect(answer.locator(".cite-text")).to_contain_text("<script>window.__xss = 1</script>")
        assert page.evaluate("window.__xss") is None
        assert inline.locator("img, iframe, script, a").count() == 0


# --- Waiting, stopping and failing -----------------------------------------------------------------------------


def test_waiting_shows_the_question_at_once_and_enter_never_cancels(
    sized_page: Page, site: Site, server: str, shut: threading.Event
) -> None:
    page = sized_page
    page.goto(site.page("wait.html", server), wait_until="load")
    widget = open_launcher(page)
    box = widget.locator("textarea")
    ask(widget, ML_PAY)
    expect(widget.locator(".msg.user")).to_have_text(ML_PAY)
    waiting = widget.locator(".msg.pending")
    expect(waiting).to_contain_text("Finding the passages")
    expect(waiting).to_have_attribute("aria-busy", "true")
    expect(widget.get_by_role("button", name="Stop waiting for this answer")).to_be_visible()
    # Enter while the answer is pending: no new question, no cancel, the typed text stays.
    box.fill(CLOUD_DUTIES)
    box.press("Enter")
    widget.get_by_role("button", name="Ask").click(force=True)  # greyed out, still clickable
    expect(box).to_have_value(CLOUD_DUTIES)
    expect(widget.locator(".msg.user")).to_have_count(1)
    expect(waiting).to_be_visible()
    shut.set()
    expect(widget.locator(".msg.bot").last).to_contain_text("$185,000 - $205,000", timeout=ANSWERED)
    expect(waiting).to_have_count(0)
    expect(box).to_have_value(CLOUD_DUTIES)
    expect(widget.get_by_role("button", name="Stop waiting for this answer")).to_be_hidden()
    box.press("Enter")
    expect(widget.locator(".msg.user")).to_have_count(2)
    expect(box).to_have_value("")


def test_waiting_dots_are_still_for_reduced_motion(page: Page, site: Site, server: str, shut: threading.Event) -> None:
    page.goto(site.page("wait.html", server), wait_until="load")
    widget = open_launcher(page)
    ask(widget, ML_PAY)
    dot = widget.locator(".msg.pending .dots span").first
    expect(dot).to_be_attached()
    assert style(dot, "animationName") == "blink"
    page.emulate_media(reduced_motion="reduce")
    assert style(dot, "animationName") == "none"


def test_stop_keeps_the_question_with_retry(page: Page, site: Site, server: str, shut: threading.Event) -> None:
    page.goto(site.page("wait.html", server), wait_until="load")
    widget = open_launcher(page)
    ask(widget, ML_PAY)
    widget.get_by_role("button", name="Stop waiting for this answer").click()
    stopped = widget.locator(".msg.error")
    expect(stopped).to_contain_text("Stopped")
    expect(widget.locator(".msg.pending")).to_have_count(0)
    expect(widget.locator(".msg.user")).to_have_text(ML_PAY)
    assert focused(widget)["tag"] == "TEXTAREA"
    shut.set()
    stopped.get_by_role("button", name="Retry").click()
    expect(widget.locator(".msg.bot").last).to_contain_text("$185,000 - $205,000", timeout=ANSWERED)
    expect(widget.locator(".msg.user")).to_have_count(1)
    expect(widget.locator(".msg.error")).to_have_count(0)


def test_a_rate_limited_question_is_kept_with_its_wait_and_retry(
    page: Page, advisor: Advisor, site: Site, tmp_path_factory: pytest.TempPathFactory
) -> None:
    settings = replace(_settings(site, tmp_path_factory.mktemp("rl")), rate_limit_per_minute=2)
    with serve_app(create_app(advisor, settings)) as url:
        page.goto(site.page("limited.html", url), wait_until="load")
        page.evaluate("window.errors = []; RoleAdvisor.on('error', d => errors.push(d))")
        widget = open_launcher(page)
        ask_and_wait(widget, ML_PAY, "$185,000")
        ask_and_wait(widget, CLOUD_PAY, "no information on pay")
        ask(widget, CLOUD_DUTIES)
        refused = widget.locator(".msg.error")
        expect(refused).to_contain_text(re.compile(r"Please wait \d+ s, then press Retry"), timeout=ANSWERED)
        wait = int(re.search(r"wait (\d+) s", refused.inner_text()).group(1))  # type: ignore[union-attr]
        assert 0 < wait <= 60
        # The question is kept on screen, once, and nothing is lost from the conversation.
        expect(widget.locator(".msg.user").last).to_have_text(CLOUD_DUTIES)
        expect(widget.locator(".msg.user")).to_have_count(3)
        errors = page.evaluate("errors")
        assert [(e["kind"], e["status"], e["question"]) for e in errors] == [("rate_limited", 429, CLOUD_DUTIES)]
        assert errors[0]["retry_after"] == wait
        # Retry sends it again (still too soon here: refused again, still kept once).
        refused.get_by_role("button", name="Retry").click()
        page.wait_for_function("errors.length === 2")
        expect(widget.locator(".msg.error")).to_have_count(1)
        expect(widget.locator(".msg.user").filter(has_text=CLOUD_DUTIES)).to_have_count(1)


def test_a_refused_origin_tells_the_visitor_and_the_site_owner(
    sized_page: Page, app_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    page = sized_page
    console: list[str] = []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    with serve_pages({"index.html": host_page(app_url)}, tmp_path_factory.mktemp("evil")) as evil:
        page.goto(evil + "/index.html", wait_until="load")
        widget = open_launcher(page)
        expect(widget.locator("section.panel")).to_contain_text("This assistant isn't available on this site.")
        expect(widget.locator("textarea")).to_be_hidden()
        inline = inline_widget(page)
        expect(inline).to_contain_text("This assistant isn't available on this site.")
        owner = [m for m in console if m.startswith("error: Role Advisor")]
        assert owner, console
        assert evil in owner[0] and "ADVISOR_ALLOWED_ORIGINS" in owner[0] and app_url in owner[0]
        assert "$185,000" not in page.content()


def test_the_chat_cannot_be_framed_by_a_refused_origin(
    page: Page, app_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    framing = f'<!doctype html><title>evil</title><iframe id="f" src="{app_url}/" width="600" height="400"></iframe>'
    refusals: list[str] = []
    page.on("console", lambda msg: refusals.append(msg.text))
    with serve_pages({"frame.html": framing}, tmp_path_factory.mktemp("frame")) as evil:
        page.goto(evil + "/frame.html", wait_until="load")
        deadline = time.monotonic() + 15
        while not any("frame-ancestors" in m for m in refusals):
            assert time.monotonic() < deadline, f"no frame-ancestors refusal; console: {refusals}"
            page.wait_for_timeout(100)
        frame = next(f for f in page.frames if f != page.main_frame)
        assert "Role Advisor" not in frame.content()


def test_a_self_hosted_widget_says_when_the_server_is_down_and_retries(
    sized_page: Page, advisor: Advisor, site: Site, tmp_path_factory: pytest.TempPathFactory
) -> None:
    page = sized_page
    shutil.copy(STATIC / "widget.js", site.folder / "widget.js")
    port = free_port()  # nothing listens here yet
    page.goto(site.page("down.html", "", src="/widget.js", server=f"http://127.0.0.1:{port}"), wait_until="load")
    widget = open_launcher(page)
    notice = widget.locator(".msg.error")
    expect(notice).to_contain_text("The advisor can't be reached right now")
    settings = _settings(site, tmp_path_factory.mktemp("back"))
    with serve_app(create_app(advisor, settings), settings, port=port):
        notice.get_by_role("button", name="Retry").click()
        expect(notice).to_have_count(0)
        ask_and_wait(widget, ML_PAY, "$185,000 - $205,000")


# --- The shell: close, focus, phone, sizes ---------------------------------------------------------------------


def test_close_button_focus_trap_escape_and_launcher_state(sized_page: Page, allowed_host: str) -> None:
    page = sized_page
    page.goto(allowed_host + "/index.html", wait_until="load")
    widget = launcher_widget(page)
    launcher = widget.locator("button.launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).to_have_text("Career help")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(widget.locator("section.panel")).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(launcher).to_have_text("×Close")
    assert focused(widget)["tag"] == "TEXTAREA"
    # Tab and Shift+Tab go round the panel's controls, never out to the page.
    seen = set()
    for _ in range(8):
        page.keyboard.press("Tab")
        where = focused(widget)
        assert where["inPage"] and where["inPanel"], where
        seen.add(where["text"])
    assert {"New chat", "Close the chat"} <= seen
    for _ in range(8):
        page.keyboard.press("Shift+Tab")
        where = focused(widget)
        assert where["inPage"] and where["inPanel"], where
    # The close button closes and gives focus back to the launcher, which says it is closed.
    widget.get_by_role("button", name="Close the chat").click()
    expect(widget.locator("section.panel")).to_be_hidden()
    assert focused(widget)["launcher"]
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(widget.locator("section.panel")).to_be_visible()
    page.keyboard.press("Escape")
    expect(widget.locator("section.panel")).to_be_hidden()
    assert focused(widget)["launcher"]


def test_full_screen_on_a_phone_a_card_on_a_desktop(sized_page: Page, allowed_host: str) -> None:
    page = sized_page
    page.goto(allowed_host + "/index.html", wait_until="load")
    widget = open_launcher(page)
    view = page.viewport_size
    assert view is not None
    box = widget.locator("section.panel").bounding_box()
    assert box is not None
    if view["width"] < 600:
        assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, view["width"], view["height"])
    else:
        assert box["width"] <= 400 and box["height"] <= 600
        assert box["x"] + box["width"] <= view["width"] - 20 and box["y"] > 0


def test_every_control_is_a_44px_target_and_the_input_is_16px(sized_page: Page, allowed_host: str) -> None:
    page = sized_page
    page.goto(allowed_host + "/index.html", wait_until="load")
    widget = open_launcher(page)
    answer = ask_and_wait(widget, ML_PAY, "$185,000 - $205,000")
    answer.locator("summary").click()
    assert style(widget.locator("textarea"), "fontSize") == "16px"
    controls = widget.locator("button:visible, summary:visible, textarea:visible")
    assert controls.count() >= 8  # new chat, close, markers, sources, thumbs, Ask (+ the launcher on a desktop)
    small = []
    for control in controls.all():
        box = control.bounding_box()
        assert box is not None
        if box["width"] < 43.5 or box["height"] < 43.5:  # layout rounding: 43.9997 is 44
            small.append(f"{control.evaluate('n => n.outerHTML.slice(0, 60)')} {box['width']}x{box['height']}")
    assert not small, "\n".join(small)


def test_feedback_buttons_record_the_rating(sized_page: Page, allowed_host: str, app_db: Path) -> None:
    page = sized_page
    page.goto(allowed_host + "/index.html", wait_until="load")
    page.evaluate("window.ratings = []; RoleAdvisor.on('feedback', d => ratings.push(d))")
    widget = open_launcher(page)
    answer = ask_and_wait(widget, ML_PAY, "$185,000 - $205,000")
    answer_id = answer.get_attribute("data-answer-id")
    assert answer_id
    up, down = (
        answer.get_by_role("button", name="Helpful", exact=True),
        answer.get_by_role("button", name="Not helpful"),
    )
    expect(up).to_have_attribute("aria-pressed", "false")
    up.click()
    expect(answer.locator(".feedback")).to_contain_text("Thanks for your feedback.")
    expect(up).to_have_attribute("aria-pressed", "true")
    down.click()
    page.wait_for_function("ratings.length === 2")
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(down).to_have_attribute("aria-pressed", "true")
    with sqlite3.connect(app_db) as db:
        rows = db.execute("SELECT rating FROM feedback WHERE answer_id = ? ORDER BY id", (answer_id,)).fetchall()
    assert rows == [("up",), ("down",)]
    assert page.evaluate("ratings.map(r => [r.answer_id, r.rating])") == [[answer_id, "up"], [answer_id, "down"]]
    # The rating is kept with the conversation.
    page.reload(wait_until="load")
    widget = open_launcher(page)
    expect(widget.locator(".msg.bot").last.get_by_role("button", name="Not helpful")).to_have_attribute(
        "aria-pressed", "true"
    )


# --- data- options ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("color", ["#ffd400", "#0b6e4f", "hotpink", "rgb(120, 170, 255)"])
def test_a_theme_colour_keeps_every_text_readable(page: Page, site: Site, server: str, color: str) -> None:
    page.goto(site.page("color.html", server, color=color, suggestions=ML_PAY), wait_until="load")
    widget = open_launcher(page)
    launcher, header = widget.locator("button.launcher"), widget.locator("header")
    expected = page.evaluate(
        "c => { const d = document.createElement('div'); d.style.color = c; document.body.append(d);"
        " return getComputedStyle(d).color; }",
        color,
    )
    assert style(launcher, "backgroundColor") == expected
    pairs = [
        (launcher, launcher),
        (header.locator("h2"), header),
        (widget.get_by_role("button", name="Ask"), widget.get_by_role("button", name="Ask")),
        (widget.locator(".suggestions button"), widget.locator(".suggestions button")),
    ]
    for text, background in pairs:
        ratio = contrast(style(text, "color"), style(background, "backgroundColor"))
        assert ratio >= 4.5, (color, text, ratio)


def test_suggested_questions_are_asked_in_one_click(sized_page: Page, site: Site, server: str) -> None:
    page = sized_page
    page.goto(site.page("suggest.html", server, suggestions=f"{ML_PAY} | {CLOUD_DUTIES}"), wait_until="load")
    widget = open_launcher(page)
    buttons = widget.locator(".suggestions button")
    expect(buttons).to_have_text([ML_PAY, CLOUD_DUTIES])
    buttons.first.click()
    expect(widget.locator(".msg.user")).to_have_text(ML_PAY)
    expect(widget.locator(".msg.bot").last).to_contain_text("$185,000 - $205,000", timeout=ANSWERED)
    expect(buttons).to_have_count(0)
    widget.get_by_role("button", name="New chat").click()
    expect(buttons).to_have_count(2)


def test_a_preset_role_is_shown_and_asked_about(page: Page, site: Site, server: str) -> None:
    page.goto(site.page("job.html", server, role="ML Performance Architect"), wait_until="load")
    page.evaluate("window.answers = []; RoleAdvisor.on('answer', d => answers.push(d))")
    widget = open_launcher(page)
    expect(widget.locator(".role-bar")).to_have_text("Role: ML Performance Architect")
    answer = ask_and_wait(widget, "How much does it pay?", "$185,000 - $205,000")
    expect(answer).not_to_contain_text("You did not name a role")
    assert page.evaluate("answers[0].role") == "ML Performance Architect"
    # The same question on a page without a preset role names no role.
    page.goto(site.page("nojob.html", server), wait_until="load")
    widget = open_launcher(page)
    expect(widget.locator(".role-bar")).to_have_count(0)
    ask_and_wait(widget, "How much does it pay?", "You did not name a role")


def test_position_offset_and_stacking(sized_page: Page, site: Site, server: str) -> None:
    page = sized_page
    overlay = (
        '<div id="banner" style="position:fixed;inset:auto 0 0 0;height:200px;z-index:4000;background:#eee">x</div>'
    )
    page.goto(
        site.page("left.html", server, body=overlay, position="bottom-left", offset="40px", z_index="5000"),
        wait_until="load",
    )
    widget = launcher_widget(page)
    launcher = widget.locator("button.launcher")
    box = launcher.bounding_box()
    view = page.viewport_size
    assert box is not None and view is not None
    assert box["x"] == 40 and box["y"] + box["height"] == view["height"] - 40
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    on_top = "([x, y]) => document.elementFromPoint(x, y).hasAttribute('data-role-advisor')"
    assert page.evaluate(on_top, centre)  # above the page's own z-index 4000 banner
    launcher.click()
    expect(widget.locator("section.panel")).to_be_visible()
    panel = widget.locator("section.panel").bounding_box()
    assert panel is not None
    assert panel["x"] == (40 if view["width"] >= 600 else 0)
    page.goto(site.page("low.html", server, body=overlay, z_index="10"), wait_until="load")
    box = launcher_widget(page).locator("button.launcher").bounding_box()
    assert box is not None
    assert box["x"] + box["width"] == view["width"] - 20  # default: bottom right, 20px
    assert not page.evaluate(on_top, (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))


@pytest.mark.parametrize("persist", [True, False])
def test_persist_keeps_the_conversation_across_visits(browser: Browser, site: Site, server: str, persist: bool) -> None:
    url = site.page(f"persist-{persist}.html", server, **({"persist": "true"} if persist else {}))
    context = browser.new_context(**DESKTOP)
    try:
        first = context.new_page()
        first.goto(url, wait_until="load")
        ask_and_wait(open_launcher(first), ML_PAY, "$185,000 - $205,000")
        first.close()
        later = context.new_page()  # a new visit: a new tab, its own session storage
        later.goto(url, wait_until="load")
        widget = open_launcher(later)
        if persist:
            expect(widget.locator(".msg.user")).to_have_text(ML_PAY)
            expect(widget.locator(".msg.bot").last).to_contain_text("$185,000 - $205,000")
        else:
            expect(widget.locator(".msg.bot")).to_have_count(1)  # the greeting
            expect(widget.locator(".msg.user")).to_have_count(0)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("lang", "title", "ask_label", "question"),
    [
        ("en", "Role Advisor", "Ask", "Your question"),
        ("es", "Asesor de puestos", "Preguntar", "Su pregunta"),
        ("fr", "Conseiller métiers", "Demander", "Votre question"),
        ("de", "Berufsberater", "Fragen", "Ihre Frage"),
        ("xx", "Role Advisor", "Ask", "Your question"),
    ],
)
def test_the_widgets_own_words_in_its_language(
    page: Page, site: Site, server: str, lang: str, title: str, ask_label: str, question: str
) -> None:
    warnings: list[str] = []
    page.on("console", lambda msg: warnings.append(msg.text) if msg.type == "warning" else None)
    page.goto(site.page(f"lang-{lang}.html", server, lang=lang), wait_until="load")
    widget = launcher_widget(page)
    expect(widget.locator("button.launcher")).to_have_text(title)
    widget.locator("button.launcher").click()
    expect(widget.get_by_role("button", name=ask_label, exact=True)).to_be_visible()
    expect(widget.get_by_label(question)).to_be_visible()
    expect(widget.locator("section.panel")).to_have_attribute("lang", "en" if lang == "xx" else lang)
    assert any("data-lang" in w for w in warnings) == (lang == "xx"), warnings


# --- The JavaScript API ----------------------------------------------------------------------------------------


def test_the_javascript_api_drives_the_launcher_and_reports_events(page: Page, allowed_host: str) -> None:
    page.goto(allowed_host + "/index.html", wait_until="load")
    page.wait_for_function("window.RoleAdvisor && RoleAdvisor.widgets.length === 2")
    assert page.evaluate("RoleAdvisor.widgets.map(w => w.inline).sort()") == [False, True]
    page.evaluate(
        """() => {
            window.seen = []; window.domAnswers = [];
            for (const name of ['open', 'close', 'ask', 'answer']) RoleAdvisor.on(name, d => seen.push([name, d]));
            window.addEventListener('role-advisor:answer', e => domAnswers.push(e.detail));
        }"""
    )
    widget = launcher_widget(page)
    page.evaluate("RoleAdvisor.open()")
    expect(widget.locator("section.panel")).to_be_visible()
    expect(widget.locator("button.launcher")).to_have_attribute("aria-expanded", "true")
    page.evaluate(f"RoleAdvisor.ask({ML_PAY!r})")
    expect(widget.locator(".msg.bot").last).to_contain_text("$185,000 - $205,000", timeout=ANSWERED)
    page.evaluate(f"RoleAdvisor.ask({CLOUD_PAY!r})")
    expect(widget.locator(".msg.bot").last).to_contain_text("no information on pay", timeout=ANSWERED)
    page.evaluate("RoleAdvisor.close()")
    expect(widget.locator("section.panel")).to_be_hidden()
    seen = page.evaluate("seen")
    assert [name for name, _ in seen] == ["open", "ask", "answer", "ask", "answer", "close"]
    answers = [d for name, d in seen if name == "answer"]
    assert [(a["abstained"], a["role"]) for a in answers] == [
        (False, "ML Performance Architect"),
        (True, "Senior Cloud Engineer"),
    ]
    assert all(a["answer_id"] and a["widget"] == "launcher" for a in answers)
    assert [d["answer_id"] for d in page.evaluate("domAnswers")] == [a["answer_id"] for a in answers]
    # The inline widget was not touched, and off() stops the calls.
    expect(inline_widget(page).locator(".msg.user")).to_have_count(0)
    page.evaluate("window.opened = []; window.onOpen = d => opened.push(d); RoleAdvisor.on('open', onOpen)")
    page.evaluate("RoleAdvisor.open(); RoleAdvisor.close(); RoleAdvisor.off('open', onOpen); RoleAdvisor.open()")
    expect(widget.locator("section.panel")).to_be_visible()
    assert page.evaluate("opened.length") == 1


def test_data_open_starts_open_and_an_inline_only_page_is_driven_by_it(page: Page, site: Site, server: str) -> None:
    page.goto(site.page("open.html", server, open="true"), wait_until="load")
    widget = launcher_widget(page)
    expect(widget.locator("section.panel")).to_be_visible()
    expect(widget.locator("button.launcher")).to_have_attribute("aria-expanded", "true")
    page.goto(site.page("inline.html", server, body='<div id="here" style="height:480px"></div>', target="#here"))
    page.wait_for_function("window.RoleAdvisor && RoleAdvisor.widgets.length === 1")
    page.evaluate(f"RoleAdvisor.ask({ML_PAY!r})")
    expect(page.locator("#here .msg.bot").last).to_contain_text("$185,000 - $205,000", timeout=ANSWERED)


# --- Accessibility ---------------------------------------------------------------------------------------------


def test_axe_finds_no_serious_violation_with_the_widget_open_and_an_answer(sized_page: Page, allowed_host: str) -> None:
    page = sized_page
    page.goto(allowed_host + "/index.html", wait_until="load")
    widget = open_launcher(page)
    answer = ask_and_wait(widget, ML_PAY, "$185,000 - $205,000")
    answer.get_by_role("button", name="Source 1").first.click()
    expect(answer.locator(".cite[data-n='1']")).to_be_visible()
    assert serious_violations(page) == []


def test_the_widget_greets_explains_and_lists_the_roles(page: Page, allowed_host: str) -> None:
    page.goto(allowed_host + "/index.html", wait_until="load")
    widget = open_launcher(page)
    ask_and_wait(widget, "hello", "Hello! I answer questions about 5 job roles")
    ask_and_wait(widget, "what can you do?", "For example:")
    listed = ask_and_wait(widget, "any roles in finance?", "1 role about finance")
    expect(listed).to_contain_text("Senior Credit Risk Analyst")
    expect(listed).not_to_contain_text("Senior Cloud Engineer")
