"""Refresh the screenshots in docs/ (the chat and the widget, at desktop 1280x800 and phone 390x844 sizes): serve
the app and the demo host page on loopback, and capture them in Debian's chromium. Run from the repository root
after ./run.sh has built the index:
    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import http.server
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from advisor import Advisor
from advisor.config import ServerSettings
from advisor.serve.app import create_app

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.serve.conftest import CHROMIUM_ARGS, DESKTOP, PHONE  # noqa: E402  # one list of flags and sizes


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    app_port, host_port = _port(), _port()
    tmp = Path(tempfile.mkdtemp())
    settings = ServerSettings(allowed_origins=(f"http://127.0.0.1:{host_port}",), feedback_db=tmp / "f.sqlite3")
    server = uvicorn.Server(uvicorn.Config(create_app(Advisor.load(), settings), port=app_port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    page_html = (
        (ROOT / "examples" / "host.html").read_text().replace("http://127.0.0.1:7860", f"http://127.0.0.1:{app_port}")
    )
    (tmp / "index.html").write_text(page_html)
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp), **k)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", host_port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    app, host = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{host_port}/index.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for size, context in (("", DESKTOP), ("-phone", PHONE)):
            page = browser.new_context(**context).new_page()
            _chat(page, app, ROOT / "docs" / f"chat{size}.png")
            _widget(page, host, ROOT / "docs" / f"widget{size}.png")
            page.context.close()
        browser.close()
    httpd.shutdown()
    server.should_exit = True
    print("wrote docs/chat.png, docs/chat-phone.png, docs/widget.png and docs/widget-phone.png")
    return 0


def _chat(page: Page, url: str, path: Path) -> None:
    """An answer with its first marker clicked: the source open, the cited sentences marked."""
    page.goto(url + "/", wait_until="load")
    box = page.locator("#question textarea")
    box.fill("How much does an ML Performance Architect make?")
    box.press("Enter")
    page.locator("#chat a.cite").first.wait_for(timeout=30_000)
    page.locator("#chat a.cite").first.click()
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))


def _widget(page: Page, url: str, path: Path) -> None:
    """The launcher widget open on the demo page, an answer with its sources shown."""
    page.goto(url, wait_until="load")
    launcher = page.locator("body > div[data-role-advisor]")
    launcher.locator("button.launcher").click()
    panel = launcher.locator("section.panel")
    panel.locator("textarea").fill("What degree does a Senior Cloud Engineer need?")
    panel.locator("textarea").press("Enter")
    panel.locator("button.cite-ref").first.wait_for(timeout=30_000)
    panel.locator("button.cite-ref").first.click()
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))


if __name__ == "__main__":
    sys.exit(main())
