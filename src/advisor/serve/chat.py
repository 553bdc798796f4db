"""The web chat (Gradio Blocks): formatted answers whose [n] open and scroll to their source, collapsible
sources with the cited sentences highlighted, a role picker, example questions inside the empty conversation,
thumbs up/down, Retry, and a "new chat" button; the maintainers' rebuild on its own page. It calls Advisor and
nothing below it.

Answers and passages go through the one renderer (formatting.py), which escapes all text from documents and
questions; Gradio's HTML sanitizing stays on as a second line of defence.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from typing import Any

import gradio as gr
from starlette.concurrency import run_in_threadpool

from ..ask import Advisor
from ..errors import AdvisorError
from ..records import Answer
from ..text.units import printable_unicode
from .answers_store import Store
from .formatting import answer_blocks, passage_blocks, to_html
from .limits import AdmissionGate, Busy, ClientLimiter, client_address, too_fast_message

log = logging.getLogger("advisor")
EXAMPLES = [
    "How much does an ML Performance Architect make?",
    "What degree does a Senior Cloud Engineer need?",
    "What is the career path for a Senior Credit Risk Analyst?",
    "What does a Senior Computer Vision Engineer do?",
]
ANY_ROLE = "Any role"
NOT_COVERED = "<p><strong>⚠️ Not covered by the role documents</strong></p>"
FINDING = "Finding the passages…"
REBUILD_PATH = "maintainers"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()!#|~])")
# What GFM turns into links without brackets: scheme://..., www...., name@host.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=\bwww)(\.)|(?<=\w)(@)(?=\w)")


def as_text(text: str) -> str:
    """Text shown literally by a Markdown renderer: no HTML, no links (bare URLs and addresses included), no
    emphasis of its own."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(printable_unicode(text), quote=False))
    return _AUTOLINK.sub(lambda m: "\\" + m.group(), escaped)


MAX_ROLES_NAMED = 12


def _roles_line(roles: tuple[str, ...]) -> str:
    if len(roles) <= MAX_ROLES_NAMED:
        return "Roles: " + as_text(", ".join(roles))
    return as_text(f"{len(roles):,} roles: ask “which roles do you know?” or “roles about nursing”.")


def shown_examples(advisor: Advisor) -> list[str]:
    """The example questions of the empty chat: those of EXAMPLES the index answers (they are written for the
    product's roles), else questions found to work on the indexed roles, and a request for the role list."""
    working = [q for q in EXAMPLES if _answered_as_asked(advisor, q)]
    if len(working) < 2:
        working = list(advisor.examples())
    return [*working, "Which roles do you know?"] if len(advisor.roles) > MAX_ROLES_NAMED else working


def _answered_as_asked(advisor: Advisor, question: str) -> bool:
    try:
        answer = advisor.plan(question).answer  # what the question resolves to; nothing is asked of a user
    except Exception:  # an example that fails is left out; the page is still served
        log.warning("The example question %r could not be answered; it is not shown.", question, exc_info=True)
        return False
    return bool(answer.citations) and answer.role is not None and answer.role.lower() in question.lower()


def answer_message(answer: Answer, turn: int) -> dict[str, Any]:
    """The answer as one chat message: the formatted text, then one collapsed section per cited passage with
    the cited sentences marked. turn numbers the answers of a conversation, so that each [n] links to its own
    answer's source n."""
    body = to_html(answer_blocks(answer), cite_link=f"source-{turn}-")
    if answer.abstained:
        return {"role": "assistant", "content": NOT_COVERED + body}
    sources = []
    for c in answer.citations:
        title = html.escape(f"[{c.n}] {c.role} › {c.section} — {c.source}", quote=False)
        # Imported public data carries its license text, shown with every passage from it.
        license_text = f'<p class="license">{html.escape(c.attribution, quote=False)}</p>' if c.attribution else ""
        sources.append(
            f'<details class="source" id="source-{turn}-{c.n}"><summary>{title}</summary>'
            f"{to_html(passage_blocks(c))}{license_text}</details>"
        )
    heading = f'<p class="sources-heading">Sources ({len(sources)})</p>' if sources else ""
    return {"role": "assistant", "content": body + heading + "".join(sources)}


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
    ) -> Iterator[tuple[Any, Any, dict[str, Any]]]:
        """The question and a "finding the passages" indicator at once, then the answer and its sources. A
        refused or failed question stays in the conversation with Retry under it; the box is cleared only
        when the question is taken, so that what someone types while waiting is never lost."""
        if not message.strip():
            yield gr.skip(), gr.skip(), state
            return
        at = len(chat)
        chat = [*chat, {"role": "user", "content": as_text(message)}]
        state = {**state, "asked": {**state["asked"], str(at): message}}
        yield (
            [*chat, {"role": "assistant", "content": "", "metadata": {"title": FINDING, "status": "pending"}}],
            "",
            state,
        )
        refusal = self.too_fast(request)
        if refusal:
            yield [*chat, _failure(refusal)], gr.skip(), state
            return
        current = self.get_advisor()
        try:
            answer = current.ask(message, state["turns"], None if role in (None, "", ANY_ROLE) else role)
        except AdvisorError as exc:
            yield [*chat, _failure(str(exc))], gr.skip(), state
            return
        answer_id = self.store.record_answer(message, answer, current.generation) if self.store else None
        yield [*chat, answer_message(answer, turn=at)], gr.skip(), _remember(state, at, message, answer, answer_id)

    def retry(
        self,
        chat: list[dict[str, Any]],
        role: str | None,
        state: dict[str, Any],
        request: gr.Request,
        data: gr.RetryData,
    ) -> Iterator[tuple[Any, Any, dict[str, Any]]]:
        """Ask the question at data.index again, as if what followed it had not been said."""
        index = data.index if isinstance(data.index, int) else data.index[0]
        question = state["asked"].get(str(index))
        if question is None:
            yield gr.skip(), gr.skip(), state
            return
        yield from self.respond(question, chat[:index], role, _forget_from(state, index), request)

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


# Contrast at least 4.5:1 for every text (Gradio's orange primary button and its pale placeholder fall short),
# and a focus ring that can be seen.
ACCENT, ACCENT_DARK = "#1f4e8c", "#173b6a"
# The maintainers' page is reached by its address only: Gradio's page navigation (which gr.Navbar(visible=False)
# does not remove in this version) is hidden.
CSS = """
.nav-holder { display: none !important; }
:focus-visible { outline: 3px solid #1f4e8c !important; outline-offset: 2px; }
#intro h1 { margin: 0 0 2px; font-size: 1.5rem; }
#question textarea { font-size: 16px; }  /* phones zoom into inputs under 16 px */
#ask, #new-chat { min-height: 44px; }  /* touch targets */
#intro p { margin: 0; }
#chat a.cite { font-weight: 600; text-decoration: underline; cursor: pointer; }
#chat mark { background: #fff1a8; color: inherit; }
#chat details.source { margin: 6px 0; padding: 4px 8px; border: 1px solid #d0d7e2; border-radius: 6px; }
#chat details.source summary { cursor: pointer; color: #1f4e8c; font-size: 0.9em; }
#chat .sources-heading { margin: 10px 0 2px; font-weight: 600; font-size: 0.9em; }
#chat .license { color: #4b5563; font-size: 0.85em; font-style: italic; }
footer, footer a, footer button, footer .built-with, footer .settings, footer .show-api { color: #4b5563 !important; }
@media (max-width: 600px) { #intro p { display: none; } }
"""
# [n] in an answer opens its source (the collapsible message titled "[n] ...") and scrolls it into view. The
# links are made by the server's renderer; nothing here reads text as HTML.
HEAD = """<script>
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("#chat a.cite");
  if (!link) return;
  event.preventDefault();
  var source = document.getElementById(link.getAttribute("href").slice(1));
  if (!source) return;
  source.open = true;
  source.scrollIntoView({ block: "start" });
  source.querySelector("summary").focus({ preventScroll: true });
  // The chat may still be finishing its own smooth scroll to the newest answer, which would carry the source
  // out of view again: once that is over, the source is put back in view.
  setTimeout(function () { source.scrollIntoView({ block: "start" }); }, 400);
});
// Gradio's dropdown stays open when Tab leaves it, its options drawn over the page: leaving closes it.
document.addEventListener("focusout", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("[role=combobox]")) return;
  var list = document.getElementById(input.getAttribute("aria-controls"));
  if (list && event.relatedTarget && list.contains(event.relatedTarget)) return;
  input.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
});
// Gradio's example list has role=list without list items; screen readers are told it is a group instead.
new MutationObserver(function () {
  document.querySelectorAll("#chat .examples[role=list]").forEach(function (list) {
    list.setAttribute("role", "group");
    list.setAttribute("aria-label", "Example questions");
  });
}).observe(document.documentElement, { childList: true, subtree: true });
</script>"""


def theme() -> gr.themes.Base:
    return gr.themes.Default().set(
        button_primary_background_fill=ACCENT,
        button_primary_background_fill_hover=ACCENT_DARK,
        button_primary_text_color="#ffffff",
        button_primary_border_color=ACCENT,
        input_placeholder_color="#5f6b7a",
        color_accent=ACCENT,
    )


def build_ui(
    get_advisor: Callable[[], Advisor],
    store: Store | None = None,
    rebuilder: Any = None,
    limiter: ClientLimiter | None = None,
    gate: AdmissionGate | None = None,
) -> gr.Blocks:
    """The chat page, its Gradio API function (also the MCP tool) and the maintainers' rebuild page."""
    handlers = ChatHandlers(get_advisor, store, rebuilder, limiter, gate)
    advisor = get_advisor()
    hidden: dict[str, Any] = {"api_visibility": "undocumented"}
    # No calls home: the server runs offline and sends nothing about its users anywhere. fill_height: the
    # conversation takes what the screen has left, so the question box is on the first screen at any size.
    with gr.Blocks(title="Role Advisor", analytics_enabled=False, fill_height=True) as ui:
        gr.Markdown(
            "# Role Advisor\nAnswers about job roles, taken only from the role documents, each statement with its "
            "source.",
            elem_id="intro",
        )
        state = gr.State(_empty_state())
        chatbot = gr.Chatbot(
            label="Conversation",
            scale=1,
            min_height=260,
            sanitize_html=True,
            elem_id="chat",
            show_label=False,
            placeholder="**Ask about a role: requirements, pay, career growth.**  \n" + _roles_line(advisor.roles),
            examples=[{"text": q} for q in shown_examples(advisor)],
            buttons=["copy"],
        )
        with gr.Row(equal_height=True, elem_id="ask-row"):
            box = gr.Textbox(
                label="Your question",
                placeholder="Ask about a role…",
                show_label=False,
                scale=8,
                min_width=200,
                lines=1,
                max_length=advisor.settings.max_question_chars,
                autofocus=True,
                elem_id="question",
            )
            send = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="ask")
        with gr.Row(equal_height=True, elem_id="options-row"):
            role = gr.Dropdown(
                [ANY_ROLE, *advisor.roles], value=ANY_ROLE, label="Role (optional)", scale=4, min_width=200
            )
            clear = gr.Button("New chat", scale=1, min_width=120, elem_id="new-chat")
        io = [chatbot, box, state]
        for trigger in (box.submit, send.click):
            trigger(handlers.respond, [box, chatbot, role, state], io, trigger_mode="once", **hidden)
        chatbot.example_select(_example_text, None, box, **hidden).then(
            handlers.respond, [box, chatbot, role, state], io, **hidden
        )
        chatbot.retry(handlers.retry, [chatbot, role, state], io, **hidden)
        clear.click(lambda: ([], "", _empty_state()), None, io, **hidden)
        chatbot.like(handlers.on_like, [state], None, **hidden)
        # The chatbot's own trash button clears the display; the conversation it remembers goes with it.
        chatbot.clear(_empty_state, None, [state], **hidden)
        gr.api(handlers.ask_role_advisor, api_name="ask_role_advisor", queue=False)
        ui.load(handlers.role_choices, None, [role], **hidden)
    # Maintainers only: a page of its own, not linked from the public one (the token still guards the action).
    with ui.route("Rebuild the index", f"/{REBUILD_PATH}", show_in_navbar=False):
        gr.Markdown("# Rebuild the index\nFor maintainers: rebuilds from the corpus and serves the new generation.")
        token = gr.Textbox(label="Admin token", type="password", elem_id="admin-token")
        rebuild = gr.Button("Rebuild index", elem_id="rebuild")
        status = gr.Markdown()
        rebuild.click(handlers.rebuild_index, [token], [status], api_name="rebuild_index", **hidden)
    return ui


def _example_text(data: gr.SelectData) -> str:
    value = data.value
    return str(value.get("text", "") if isinstance(value, dict) else value)


def _failure(reason: str) -> dict[str, Any]:
    return {"role": "assistant", "content": f"<p>⚠️ {html.escape(reason, quote=False)} Use Retry to ask again.</p>"}


def _remember(state: dict[str, Any], at: int, message: str, answer: Answer, answer_id: str | None) -> dict[str, Any]:
    """The conversation with this turn added (its question at chat index at, its answer the next message), and
    which chat message is which stored answer (for thumbs up/down)."""
    return {
        **state,
        "turns": [*state["turns"], {"role": "user", "content": message}, {"role": "assistant", "content": answer.text}],
        "turn_at": [*state["turn_at"], at],
        "answers": {**state["answers"], str(at + 1): answer_id},
    }


def _forget_from(state: dict[str, Any], index: int) -> dict[str, Any]:
    """The state as it was before the chat message at index."""
    kept = [i for i, at in enumerate(state["turn_at"]) if at < index]
    return {
        "turns": [m for i in kept for m in state["turns"][2 * i : 2 * i + 2]],
        "turn_at": [state["turn_at"][i] for i in kept],
        "answers": {k: v for k, v in state["answers"].items() if int(k) < index},
        "asked": {k: v for k, v in state["asked"].items() if int(k) < index},
    }


def _empty_state() -> dict[str, Any]:
    return {"turns": [], "turn_at": [], "answers": {}, "asked": {}}
