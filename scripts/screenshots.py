"""Refresh docs/chat.png and docs/widget.png: serve the app and the demo host page on loopback, and capture
them in Debian's chromium. Run from the repository root after ./run.sh has built the index:
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
from playwright.sync_api import sync_playwright

from advisor import Advisor
from advisor.config import ServerSettings
from advisor.serve.app import create_app

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


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
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(f"http://127.0.0.1:{app_port}/", wait_until="load")
        box = page.locator("#question textarea")
        box.fill("How much does an ML Performance Architect make?")
        box.press("Enter")
        page.locator("#chat").get_by_text("[1] ML Performance Architect").first.wait_for(timeout=30_000)
        page.locator("#chat").get_by_text("[1] ML Performance Architect").first.click()
        page.wait_for_timeout(800)
        page.screenshot(path=str(ROOT / "docs" / "chat.png"), full_page=True)
        page.goto(f"http://127.0.0.1:{host_port}/index.html", wait_until="load")
        launcher = page.locator("body > div[data-role-advisor]")
        launcher.locator("button.launcher").click()
        panel = launcher.locator("section.panel")
        panel.locator("textarea").fill("What degree does a Senior Cloud Engineer need?")
        panel.locator("textarea").press("Enter")
        panel.locator(".msg.bot summary").first.wait_for(timeout=30_000)
        panel.locator(".msg.bot summary").last.click()
        inline = page.locator("#advisor-inline section.panel")
        inline.locator("textarea").fill("What is the salary of a Senior Cloud Engineer?")
        inline.locator("textarea").press("Enter")
        inline.locator(".msg.abstained").wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(ROOT / "docs" / "widget.png"), full_page=True)
        browser.close()
    httpd.shutdown()
    server.should_exit = True
    print("wrote docs/chat.png and docs/widget.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
