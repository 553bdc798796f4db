"""Origin policy and request limits, enforced on the server for every route (API and chat UI alike).

- Allowed origins are an exact list from configuration; the server's own origin is always allowed and every
  other origin is denied (403), so a disallowed page can neither call the API nor drive the chat.
- CORS (FastAPI's CORSMiddleware) echoes only listed origins, never "*".
- Every response carries `Content-Security-Policy: frame-ancestors` with the same list.
- Request bodies of the API are capped (413).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UI_BODY_BYTES = 1_000_000  # the chat's own requests carry its history; uploads are not accepted at all


def install(app: FastAPI, allowed_origins: Sequence[str], max_body_bytes: int) -> None:
    # Starlette runs the middleware added last first: origin check, then CORS (so that even a 413 carries
    # the CORS headers an allowed page needs to read it), then the body limits.
    app.add_middleware(BodyLimit, max_bytes=UI_BODY_BYTES, prefix="/")
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes, prefix="/api/")
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(allowed_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        allow_credentials=False,
        max_age=600,
    )
    app.add_middleware(OriginPolicy, allowed=tuple(allowed_origins))


async def _reply(send: Send, status: int, detail: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


class OriginPolicy:
    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = allowed
        ancestors = " ".join(("'self'", *allowed))
        self.csp = f"frame-ancestors {ancestors}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        origin = headers.get(b"origin", b"").decode("latin-1")
        refused = None
        if origin == "null":
            refused = "Requests from opaque origins are not allowed."
        elif origin and origin not in self.allowed and origin != _own_origin(scope, headers):
            refused = f"Origin {origin} is not allowed to use this advisor."
        if refused:
            if scope["type"] == "http":
                await _reply(send, 403, refused, self._extra())
            else:
                await send({"type": "websocket.close", "code": 1008})
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self._extra()]}
            await send(message)

        await self.app(scope, receive, send_with_policy)

    def _extra(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"content-security-policy", self.csp),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
        ]


def _own_origin(scope: Scope, headers: dict[bytes, bytes]) -> str:
    scheme = "https" if scope.get("scheme") in ("https", "wss") else "http"
    host = headers.get(b"host", b"").decode("latin-1")
    return f"{scheme}://{host}"


class BodyLimit:
    """Refuses bodies over max_bytes with 413, whether they declare their length or not: the body is read
    (up to the limit) before the app sees it."""

    def __init__(self, app: ASGIApp, max_bytes: int, prefix: str) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix) or scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        message = f"The request body is larger than the limit of {self.max_bytes} bytes."
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _reply(send, 413, message)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            chunks.append(msg.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await _reply(send, 413, message)
                return
            if not msg.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
