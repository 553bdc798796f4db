"""A minimal web chat over Advisor (Gradio). It calls Advisor and nothing below it."""

from __future__ import annotations

import os
from typing import Any

# No calls home: the server runs offline and sends nothing about its users anywhere.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

from .advisor import Advisor
from .errors import AdvisorError
from .records import Answer

EXAMPLES = [
    "How much does an ML Performance Architect make?",
    "What degree does a Senior Cloud Engineer need?",
    "What is the career path for a Senior Credit Risk Analyst?",
    "What does a Senior Computer Vision Engineer do?",
]


def render(answer: Answer) -> str:
    """The answer, then its sources: role, section, file and the passage, quoted as text."""
    if answer.abstained:
        return "**Not covered by the role documents.** " + answer.text
    parts = [answer.text, "", "**Sources**"]
    for c in answer.citations:
        passage = "\n".join("> " + line for line in c.text.splitlines())
        parts.append(f"\n[{c.n}] **{c.role}** › {c.section} — `{c.source}`\n\n{passage}")
    return "\n".join(parts)


def build_ui(advisor: Advisor) -> gr.ChatInterface:
    def respond(message: str, history: list[dict[str, Any]]) -> str:
        turns = [{"role": m["role"], "content": _text(m.get("content"))} for m in history or []]
        try:
            return render(advisor.ask(message, turns))
        except AdvisorError as exc:
            return f"⚠️ {exc}"

    return gr.ChatInterface(
        fn=respond,
        title="Role Advisor",
        description=f"Answers about {len(advisor.roles)} roles, cited from the role documents: "
        + ", ".join(advisor.roles),
        examples=EXAMPLES,
        cache_examples=False,
        api_name="ask",
    )


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(_text(c) for c in content)
    if isinstance(content, dict):
        return str(content.get("text", ""))
    return ""


def launch(advisor: Advisor, host: str = "127.0.0.1", port: int = 7860) -> None:
    build_ui(advisor).launch(server_name=host, server_port=port, show_error=False)
