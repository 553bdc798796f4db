"""The web chat, served for real on loopback and called through the official gradio_client."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from gradio_client import Client

from advisor import Advisor
from advisor.web import build_ui, render


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chat_url(advisor: Advisor) -> Iterator[str]:
    ui = build_ui(advisor)
    port = _free_port()
    ui.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        ui.close()


def test_chat_answers_with_sources(chat_url: str) -> None:
    client = Client(chat_url, verbose=False)
    reply = client.predict("How much does an ML Performance Architect make?", api_name="/ask")
    assert "$185,000 - $205,000 [1]" in reply
    assert "**Sources**" in reply and "ml-performance-architect.md" in reply


def test_chat_shows_abstentions_and_bad_input_plainly(chat_url: str) -> None:
    client = Client(chat_url, verbose=False)
    reply = client.predict("What is the salary of a Senior Cloud Engineer?", api_name="/ask")
    assert reply.startswith("**Not covered by the role documents.**") and "$" not in reply
    too_long = client.predict("x" * 3000, api_name="/ask")
    assert "limit is 2000" in too_long


def test_render_quotes_passages_as_text(advisor: Advisor) -> None:
    text = render(advisor.ask("What certifications help a Senior Cloud Engineer?"))
    assert "> - **Certifications**" in text
