"""The web chat (Gradio Blocks): streaming answers, collapsible sources with the cited sentences highlighted,
a role picker, example questions, thumbs up/down, and a "new chat" button. It calls Advisor and nothing below it.

Text from documents and questions is escaped before display, so it is always shown as text; Gradio's HTML
sanitizing stays on as a second line of defence.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from typing import Any

import gradio as gr
from starlette.concurrency import run_in_threadpool

from ..ask import Advisor
from ..errors import AdvisorError
from ..records import Answer, Citation
from ..text.units import printable_unicode
from .answers_store import Store
from .limits import AdmissionGate, Busy, ClientLimiter, client_address, too_fast_message

EXAMPLES = [
    "How much does an ML Performance Architect make?",
    "What degree does a Senior Cloud Engineer need?",
    "What is the career path for a Senior Credit Risk Analyst?",
    "What does a Senior Computer Vision Engineer do?",
]
ANY_ROLE = "Any role"
NOT_COVERED = "⚠️ **Not covered by the role documents**"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()!#|~])")
# What GFM turns into links without brackets: scheme://..., www...., name@host.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=\bwww)(\.)|(?<=\w)(@)(?=\w)")
# Accordion titles use a lighter Markdown renderer: without [ ] ! no link or image can form.
_TITLE_SPECIAL = re.compile(r"([\\`*_\[\]!~])")


def as_text(text: str) -> str:
    """Text shown literally by a Markdown renderer: no HTML, no links (bare URLs and addresses included), no
    emphasis of its own."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(printable_unicode(text), quote=False))
    return _AUTOLINK.sub(lambda m: "\\" + m.group(), escaped)


def highlighted(citation: Citation) -> str:
    """The passage with the sentences the answer cites marked, each line kept as a line."""
    out, pos = [], 0
    for start, end in sorted(citation.sentences):
        out.append(as_text(citation.text[pos:start]))
        out.append("<mark>" + as_text(citation.text[start:end]) + "</mark>")
        pos = end
    out.append(as_text(citation.text[pos:]))
    return "".join(out).replace("\n", "  \n")


def answer_messages(answer: Answer) -> list[dict[str, Any]]:
    """The answer as chat messages: the text, then one collapsible message per cited passage."""
    if answer.abstained:
        return [{"role": "assistant", "content": f"{NOT_COVERED}\n\n{as_text(answer.text)}"}]
    messages: list[dict[str, Any]] = [{"role": "assistant", "content": as_text(answer.text).replace("\n", "  \n")}]
    for c in answer.citations:
        title = _TITLE_SPECIAL.sub(r"\\\1", html.escape(f"[{c.n}] {c.role} › {c.section} — {c.source}", quote=False))
        # Imported public data carries its license text, shown with every passage from it.
        content = highlighted(c) + (f"\n\n*{as_text(c.attribution)}*" if c.attribution else "")
        messages.append({"role": "assistant", "content": content, "metadata": {"title": title, "status": "done"}})
    return messages


class ChatHandlers:
    """What the page's events and the API function do. limiter is the server's one per-client rate limit
    (shared with the HTTP API and MCP); gate bounds the answers computed at once for the API function, which runs
    outside Gradio's queue."""

    def __init__(
        self,
        get_advisor: Callable[[], Advisor],
        store: Store | None,
        rebuilder: Any,
        limiter: ClientLimiter | None,
        gate: AdmissionGate | None,
    ) -> None:
        self.get_advisor = get_advisor
        self.store = store
        self.rebuilder = rebuilder
        self.limiter = limiter
        self.gate = gate

    def too_fast(self, request: gr.Request | None) -> str | None:
        if self.limiter is None or request is None:
            return None
        wait = self.limiter.check(client_address(request))
        return too_fast_message(wait) if wait else None

    def respond(
        self, message: str, chat: list[dict[str, Any]], role: str | None, state: dict[str, Any], request: gr.Request
    ) -> Iterator[tuple[list[dict[str, Any]], str, dict[str, Any]]]:
        """The question shown at once, then the answer streamed word by word, then its sources."""
        chat = [*chat, {"role": "user", "content": as_text(message)}]
        yield chat, "", state
        refusal = self.too_fast(request)
        if refusal:
            yield [*chat, {"role": "assistant", "content": "⚠️ " + refusal}], "", state
            return
        current = self.get_advisor()
        try:
            answer = current.ask(message, state["turns"], None if role in (None, "", ANY_ROLE) else role)
        except AdvisorError as exc:
            yield [*chat, {"role": "assistant", "content": "⚠️ " + as_text(str(exc))}], "", state
            return
        answer_id = self.store.record_answer(message, answer, current.generation) if self.store else None
        messages = answer_messages(answer)
        words = re.findall(r"\S+\s*", messages[0]["content"])
        for i in range(0, len(words), 4):
            yield [*chat, {**messages[0], "content": "".join(words[: i + 4])}], "", state
        yield [*chat, *messages], "", _remember(state, message, answer, answer_id, first=len(chat), count=len(messages))

    def on_like(self, state: dict[str, Any], data: gr.LikeData) -> None:
        answer_id = state["answers"].get(str(data.index if isinstance(data.index, int) else data.index[0]))
        if self.store is None or answer_id is None or data.liked is None or data.liked == "":
            return
        self.store.record_feedback(answer_id, "up" if data.liked is True else "down")

    async def ask_role_advisor(
        self, question: str, role: str = "", request: gr.Request | None = None
    ) -> dict[str, Any]:
        """Answer a question about a job role (requirements, pay, career growth, responsibilities) from the
        role documents. Returns the answer text, whether the documents do not cover it (abstained), and the
        cited passages (role, section, source file, passage text) that every statement is taken from.

        Args:
            question: The question, e.g. "How much does an ML Performance Architect make?"
            role: Optional role to assume when the question names none (one of the roles in the index).
        """
        # Runs in the server process for Gradio's API and for MCP alike (queue=False): no call ever leaves
        # the process for a URL built from a request's Host header, and the API's limits apply.
        refusal = self.too_fast(request)
        if refusal:
            return {"error": refusal}
        try:
            async with self.gate.slot() if self.gate is not None else nullcontext():
                answer = await run_in_threadpool(self.get_advisor().ask, question, None, role or None)
        except Busy:
            return {"error": "The advisor is busy right now. Please try again in a moment."}
        except AdvisorError as exc:
            return {"error": str(exc)}
        return answer.to_dict()

    def rebuild_index(self, token: str, request: gr.Request) -> str:
        """Rebuild the index from the corpus (maintainers only: needs the admin token)."""
        if self.rebuilder is None:
            return "Rebuilding from the web is turned off on this server."
        refusal = self.too_fast(request)
        if refusal:
            return refusal
        client = client_address(request)
        if self.limiter is not None and (wait := self.limiter.failures_wait(client)):
            return f"Too many wrong tokens. Please wait {max(1, round(wait))} s."
        try:
            report = self.rebuilder.run(token)
        except PermissionError as exc:
            if self.limiter is not None:
                self.limiter.failed(client)
            return f"Refused: {as_text(str(exc))}"
        except AdvisorError as exc:
            return f"Rebuild failed: {as_text(str(exc))}"
        return (
            f"Serving generation {report['serving']}: {report['added']} added, {report['updated']} updated, "
            f"{len(report['removed'])} removed, {report['embedded']} chunks embedded, {report['reused']} re-used."
        )

    def role_choices(self) -> Any:
        # Roles come from the generation being served, which can change while the server runs.
        return gr.Dropdown(choices=[ANY_ROLE, *self.get_advisor().roles])


def build_ui(
    get_advisor: Callable[[], Advisor],
    store: Store | None = None,
    rebuilder: Any = None,
    limiter: ClientLimiter | None = None,
    gate: AdmissionGate | None = None,
) -> gr.Blocks:
    """The chat page, its Gradio API function (also the MCP tool) and the maintainers' rebuild action."""
    handlers = ChatHandlers(get_advisor, store, rebuilder, limiter, gate)
    advisor = get_advisor()
    hidden: dict[str, Any] = {"api_visibility": "undocumented"}
    # No calls home: the server runs offline and sends nothing about its users anywhere.
    with gr.Blocks(title="Role Advisor", analytics_enabled=False) as ui:
        gr.Markdown(
            "# Role Advisor\nAnswers about job roles — requirements, pay, career growth — taken only from the role "
            "documents, each statement with its source. Roles: " + as_text(", ".join(advisor.roles)) + "."
        )
        state = gr.State(_empty_state())
        role = gr.Dropdown([ANY_ROLE, *advisor.roles], value=ANY_ROLE, label="Role (optional filter)")
        chatbot = gr.Chatbot(label="Role Advisor", height=520, sanitize_html=True, elem_id="chat")
        with gr.Row():
            box = gr.Textbox(
                placeholder="Ask about a role's requirements, pay or career growth…",
                show_label=False,
                scale=8,
                max_length=advisor.settings.max_question_chars,
                elem_id="question",
            )
            send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
            clear = gr.Button("New chat", scale=1, elem_id="new-chat")
        gr.Examples(EXAMPLES, inputs=box, label="Try")
        for trigger in (box.submit, send.click):
            trigger(handlers.respond, [box, chatbot, role, state], [chatbot, box, state], **hidden)
        clear.click(lambda: ([], "", _empty_state()), None, [chatbot, box, state], **hidden)
        chatbot.like(handlers.on_like, [state], None, **hidden)
        # The chatbot's own trash button clears the display; the conversation it remembers goes with it.
        chatbot.clear(_empty_state, None, [state], **hidden)
        gr.api(handlers.ask_role_advisor, api_name="ask_role_advisor", queue=False)
        ui.load(handlers.role_choices, None, [role], **hidden)
        with gr.Accordion("Maintainers: rebuild the index", open=False):
            token = gr.Textbox(label="Admin token", type="password", elem_id="admin-token")
            rebuild = gr.Button("Rebuild index", elem_id="rebuild")
            status = gr.Markdown()
            rebuild.click(handlers.rebuild_index, [token], [status], api_name="rebuild_index", **hidden)
    return ui


def _remember(
    state: dict[str, Any], message: str, answer: Answer, answer_id: str | None, first: int, count: int
) -> dict[str, Any]:
    """The conversation with this turn added, and which chat messages belong to which stored answer (for
    thumbs up/down)."""
    return {
        "turns": [*state["turns"], {"role": "user", "content": message}, {"role": "assistant", "content": answer.text}],
        "answers": {**state["answers"], **{str(first + i): answer_id for i in range(count)}},
    }


def _empty_state() -> dict[str, Any]:
    return {"turns": [], "answers": {}}
