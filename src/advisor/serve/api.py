"""The HTTP API: ask (JSON and Server-Sent Events), feedback, roles and health, with server-side limits."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer
from starlette.concurrency import run_in_threadpool

from ..ask import Advisor
from ..errors import BadQuestionError, UnknownRoleError
from ..records import Answer
from ..text.units import has_lone_surrogate
from .answers_store import Store, UnknownAnswer
from .formatting import answer_dict
from .limits import AdmissionGate, Busy, ClientLimiter, client_address, too_fast_message

MAX_HISTORY = 40


def _unicode(text: str) -> str:
    if has_lone_surrogate(text):
        raise ValueError("contains a character that is not valid Unicode (half of a surrogate pair)")
    return text


# Text fields: JSON can carry lone surrogates (\ud800), which no encoder downstream accepts.
Text = Annotated[str, AfterValidator(_unicode)]


class Message(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["user", "assistant"]
    content: Annotated[Text, Field(max_length=20_000)]


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: Annotated[Text, Field(description="The question, at most ADVISOR_MAX_QUESTION_CHARS characters.")]
    history: Annotated[list[Message], Field(default_factory=list, max_length=MAX_HISTORY)]
    role: Annotated[Text | None, Field(default=None, description="Role to assume when the question names none.")]


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    background: Annotated[
        Text,
        Field(
            description="The person's background in their own words (degree and field, years, skills, titles, "
            "interests), at most ADVISOR_MAX_QUESTION_CHARS characters."
        ),
    ]
    history: Annotated[
        list[Message],
        Field(default_factory=list, max_length=MAX_HISTORY, description="Earlier messages; user turns add to it."),
    ]
    limit: Annotated[int, Field(default=3, ge=1, le=20, description="How many roles to report.")]


class _Sparse(BaseModel):
    """Serialized without the fields it does not have (a span is text or a marker, never both)."""

    @model_serializer(mode="wrap")
    def _without_nulls(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {k: v for k, v in handler(self).items() if v is not None}


class SpanOut(_Sparse):
    model_config = ConfigDict(
        json_schema_extra={
            "description": 'Text (`{"text", "bold"?, "mark"?}`) or a marker for citation n (`{"cite": n}`).'
        }
    )
    text: str | None = None
    bold: bool | None = None
    mark: bool | None = Field(default=None, description="A sentence the answer cites.")
    cite: int | None = None


class BlockOut(_Sparse):
    type: Literal["paragraph", "list"]
    spans: list[SpanOut] | None = Field(default=None, description="A paragraph's spans.")
    items: list[list[SpanOut]] | None = Field(default=None, description="A list's items, each a list of spans.")


class CitationOut(BaseModel):
    n: int
    role: str
    section: str
    source: str
    text: str
    score: float
    attribution: str | None = Field(default=None, description="License text, for documents made from public data.")
    blocks: list[BlockOut] = Field(description="The passage formatted, the sentences the answer cites marked.")


class AskResponse(BaseModel):
    answer: str = Field(description="Plain text: lines, '- ' list items and [n] citation markers.")
    blocks: list[BlockOut] = Field(
        description="The same answer formatted (paragraphs, lists, bold, citation markers), for safe rendering."
    )
    citations: list[CitationOut]
    role: str | None
    intent: str | None
    abstained: bool
    not_mentioned: list[str] = Field(
        default_factory=list, description="What was asked that the role's document does not mention or give."
    )
    answer_id: str | None = Field(default=None, description="Id to send with POST /api/feedback.")
    act: str = Field(
        default="answer",
        description='What the reply is: "answer" (to a question about roles), "greeting", "thanks", "goodbye", '
        '"help", "catalogue" (the roles known) or "fit" (which roles fit a background).',
    )
    ranking: list[str] = Field(
        default_factory=list,
        description='For "fit": the roles that fit the background, best first (when none does, those that come close).',
    )


class DegreeOut(BaseModel):
    level: str = Field(
        description='"doctorate", "master", "bachelor", "associate", "certificate", "high school", "none".'
    )
    field: str


class ProfileOut(BaseModel):
    """What was read from the background: the ranking uses this and nothing else (and stores none of it)."""

    degrees: list[DegreeOut]
    years: float | None
    skills: list[str]
    titles: list[str]
    certifications: list[str]
    interests: list[str]
    areas: list[str]


class PointOut(BaseModel):
    status: Literal["matches", "missing", "not known"]
    aspect: str = Field(description='"degree", "preferred degree", "field of study", "experience", "skills", ...')
    requirement: str = Field(description="The requirement as the document says it (quoted).")
    citation: int = Field(description="The n of the citation that states it.")
    note: str = Field(description="How the background compares with it.")


class RoleFitOut(BaseModel):
    role: str
    score: float
    fits: bool
    close: bool = Field(description="Does not fit yet, but lacks only more years or a higher degree.")
    points: list[PointOut]


class MatchResponse(BaseModel):
    answer: str = Field(description="Plain text: the roles, best first, each point with its [n] citation.")
    blocks: list[BlockOut]
    citations: list[CitationOut]
    ranking: list[str] = Field(
        description="The roles that fit, best first; when none does, those that come close; else empty."
    )
    profile: ProfileOut
    roles: list[RoleFitOut] = Field(description="The best roles checked (fitting or not), with every point.")


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answer_id: Annotated[Text, Field(min_length=1, max_length=64)]
    rating: Literal["up", "down"]
    comment: Annotated[Text | None, Field(default=None, max_length=1000)]


class RoleOut(BaseModel):
    name: str
    sections: list[str]


class RolesResponse(BaseModel):
    roles: list[RoleOut]


class FactOut(BaseModel):
    kind: str = Field(description='"pay.median", "pay.range", "experience.years", "education.master", ...')
    label: str = Field(description='The kind in words: "Median pay", "Years of experience".')
    value: str = Field(description="As the document says it.")
    low: float | None = Field(description="The lowest figure in it (dollars, years or percent), if any.")
    high: float | None
    qualifier: str = Field(description='"required", "preferred" or "" as the document words it.')
    section: str = Field(description="Heading path of the passage that states it.")
    source: str
    quote: str = Field(description="The sentence or list item that states it.")


class RoleFactsResponse(BaseModel):
    name: str
    sections: list[str]
    facts: list[FactOut]


class Health(BaseModel):
    status: str
    generation: str
    chunks: int
    roles: int
    model: str


class ErrorOut(BaseModel):
    detail: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorOut, "description": "The request comes from an origin that is not allowed."},
    413: {"model": ErrorOut, "description": "Request body too large."},
    400: {"model": ErrorOut, "description": "The body is not JSON that can be read, or the Host is not served."},
    422: {"description": "Invalid request (empty or too long question, wrong types, malformed JSON)."},
    429: {"model": ErrorOut, "description": "Too many requests from this client; see Retry-After."},
    503: {"model": ErrorOut, "description": "The advisor is busy; try again shortly."},
}


def api_router(
    get_advisor: Callable[[], Advisor], store: Store | None, limiter: ClientLimiter, gate: AdmissionGate
) -> APIRouter:
    """/api/ask (JSON and Server-Sent Events), /api/feedback, /api/roles, /api/roles/{role} and /healthz. Every
    POST, and GET /api/roles/{role}, counts against the client's rate limit, shared with the chat and MCP."""
    router = APIRouter()
    limited = [Depends(rate_limit(limiter))]
    _add_ask_routes(router, Answering(get_advisor, store, gate), limited)
    _add_match_route(router, get_advisor, gate, limited)
    _add_feedback_route(router, store, limited)
    _add_index_routes(router, get_advisor, limited)
    return router


def rate_limit(limiter: ClientLimiter) -> Callable[[Request], None]:
    def check(request: Request) -> None:
        # The address is used only in memory, to count requests; it is never stored.
        wait = limiter.check(client_address(request))
        if wait:
            seconds = max(1, round(wait))
            raise HTTPException(429, too_fast_message(seconds), headers={"Retry-After": str(seconds)})

    return check


T = TypeVar("T")


async def in_slot(gate: AdmissionGate, work: Callable[..., T], *args: Any) -> T:
    """Work of the advisor for one request, in a worker thread and at most the gate's number at once: 503 when
    the queue is full, 422 with the reason for a question or background it cannot take."""
    try:
        async with gate.slot():
            return await run_in_threadpool(work, *args)
    except Busy:
        raise HTTPException(
            503, "The advisor is busy right now. Please try again in a moment.", headers={"Retry-After": "2"}
        ) from None
    except BadQuestionError as exc:
        raise HTTPException(422, str(exc)) from None


class Answering:
    """An answer for an API request: at most the gate's number at once, recorded in the store if there is one."""

    def __init__(self, get_advisor: Callable[[], Advisor], store: Store | None, gate: AdmissionGate) -> None:
        self.get_advisor = get_advisor
        self.store = store
        self.gate = gate

    async def answer(self, body: AskRequest) -> tuple[Answer, str | None]:
        advisor = self.get_advisor()
        history = [m.model_dump() for m in body.history]
        result = await in_slot(self.gate, advisor.ask, body.question, history, body.role)
        answer_id = None
        if self.store is not None:
            # Outside the answering slot: a slow disk delays this request's id, not other people's answers.
            answer_id = await run_in_threadpool(self.store.record_answer, body.question, result, advisor.generation)
        return result, answer_id


def _add_ask_routes(router: APIRouter, answering: Answering, limited: list[Any]) -> None:
    @router.post("/api/ask", response_model=AskResponse, responses=_ERRORS, tags=["ask"], dependencies=limited)
    async def ask(body: AskRequest) -> dict[str, Any]:
        """Answer a question from the role documents, with its cited passages."""
        result, answer_id = await answering.answer(body)
        return {**answer_dict(result), "answer_id": answer_id}

    @router.post(
        "/api/ask/stream",
        responses={
            200: {"content": {"text/event-stream": {}}, "description": "events: sources, token..., done | error"},
            **_ERRORS,
        },
        tags=["ask"],
        dependencies=limited,
    )
    async def ask_stream(body: AskRequest) -> StreamingResponse:
        """The same answer as Server-Sent Events. The answer is computed whole first (in milliseconds), then
        sent: `sources` (the citations), `token` events with its text, and `done` (the whole answer as
        /api/ask gives it, with `answer_id`), or `error`. Render from `done`; the events before it only let a
        client show the text as it arrives."""
        result, answer_id = await answering.answer(body)
        return StreamingResponse(
            _events(result, answer_id),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )


def _add_match_route(
    router: APIRouter, get_advisor: Callable[[], Advisor], gate: AdmissionGate, limited: list[Any]
) -> None:
    @router.post("/api/match", response_model=MatchResponse, responses=_ERRORS, tags=["ask"], dependencies=limited)
    async def match(body: MatchRequest) -> dict[str, Any]:
        """Rank the roles by how well their documents' requirements match a background, best first: for each of
        the best `limit`, what matches, what is missing and what the documents ask that it does not mention,
        every requirement quoted and cited. The background is read from this request alone and recorded nowhere."""
        advisor = get_advisor()
        history = [m.model_dump() for m in body.history]
        report = await in_slot(gate, advisor.match_report, body.background, history, body.limit)
        data = report.to_dict()
        formatted = answer_dict(report.answer)
        return {**data, "blocks": formatted["blocks"], "citations": formatted["citations"]}


def _add_feedback_route(router: APIRouter, store: Store | None, limited: list[Any]) -> None:
    @router.post(
        "/api/feedback",
        status_code=204,
        responses={404: {"model": ErrorOut}, **_ERRORS},
        tags=["feedback"],
        dependencies=limited,
    )
    async def feedback(body: FeedbackRequest) -> None:
        """Thumbs up or down on an answer, by its answer_id."""
        if store is None:
            raise HTTPException(404, "Feedback is turned off on this server (ADVISOR_STORE_QUESTIONS=0).")
        try:
            await run_in_threadpool(store.record_feedback, body.answer_id, body.rating, body.comment)
        except UnknownAnswer as exc:
            raise HTTPException(404, str(exc)) from None


def _add_index_routes(router: APIRouter, get_advisor: Callable[[], Advisor], limited: list[Any]) -> None:
    @router.get("/api/roles", response_model=RolesResponse, tags=["index"])
    async def roles() -> dict[str, Any]:
        """The roles in the index and the sections each document covers."""
        advisor = get_advisor()
        return {"roles": [{"name": r, "sections": advisor.sections_of(r)} for r in advisor.roles]}

    @router.get(
        "/api/roles/{role}",
        response_model=RoleFactsResponse,
        responses={404: {"model": ErrorOut, "description": "No role document has that title."}, **_ERRORS},
        tags=["index"],
        dependencies=limited,  # a title no document has is looked up with the model
    )
    async def role_facts(role: Annotated[Text, Path(max_length=200)]) -> dict[str, Any]:
        """One role's typed facts (pay, years of experience, degrees, certifications, skills and tools), each
        with the passage that states it. The role may be named by its title, an abbreviation or an alternate
        title."""
        advisor = get_advisor()
        try:
            name = advisor.find_role(role)
        except UnknownRoleError as exc:
            raise HTTPException(404, str(exc)) from None
        facts = [f.to_dict() for f in advisor.role_facts(name)]
        return {"name": name, "sections": advisor.sections_of(name), "facts": facts}

    @router.get("/healthz", response_model=Health, tags=["index"])
    async def healthz() -> dict[str, Any]:
        """Which index generation is served, its size and model."""
        return {"status": "ok", **get_advisor().info().__dict__}


def install_error_handlers(app: FastAPI) -> None:
    """Validation errors as {"detail": [{"loc", "msg", "type"}]}: the offending input is not echoed back (it may
    be a lone surrogate or NaN, which JSON responses cannot carry), and the JSON is ASCII."""

    async def invalid(request: Request, exc: Exception) -> JSONResponse:
        errors = exc.errors() if isinstance(exc, RequestValidationError) else []
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in errors]
        return AsciiJSONResponse({"detail": detail}, status_code=422)

    app.add_exception_handler(RequestValidationError, invalid)


class AsciiJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode()


async def _events(answer: Answer, answer_id: str | None) -> AsyncIterator[bytes]:
    data = answer_dict(answer)
    try:
        yield _sse("sources", {k: data[k] for k in ("citations", "role", "intent", "abstained")})
        for token in re.findall(r"\S+\s*|\s+", answer.text):
            yield _sse("token", {"text": token})
        yield _sse("done", {**data, "answer_id": answer_id})
    except Exception as exc:  # the stream is already open: report in-band
        yield _sse("error", {"detail": f"The answer could not be sent: {exc}"})


def _sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()
