"""What every request passes before the app sees it, enforced on the server for every route (API, chat, MCP).

From the outside in:
- SecurityHeaders: every response carries `Content-Security-Policy: frame-ancestors` (the allowed origins),
  `X-Frame-Options: SAMEORIGIN` (for browsers without CSP), `nosniff` and a referrer policy, and an error
  inside the app becomes a JSON 500 with those headers, never a bare text page.
- ForwardedHeaders: X-Forwarded-* are believed only from ADVISOR_TRUSTED_PROXIES (the client address and scheme
  then come from them); from anyone else they are removed, so nothing downstream (Gradio included) reads them.
- HostCheck: a Host (or forwarded host) not in ADVISOR_ALLOWED_HOSTS gets 400 before any routing.
- OriginPolicy: an Origin must be one of ADVISOR_ALLOWED_ORIGINS or one of the server's own, which come from
  the allowed hosts and the listening port, never from the request; others get 403 (a GET's refusal is readable by
  the refused page, so that the widget can tell its owner which setting to change).
- RouteAllowlist: only the routes the API, the chat, gradio_client and MCP use; Gradio's others (uploads, file
  serving, its proxy, dev tools) answer 404.
- CORS (FastAPI's CORSMiddleware) echoes only listed origins, never "*".
- BodyLimit: request bodies are capped (413).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import Any, cast

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from ..addresses import in_networks, parse_networks
from ..config import ServerSettings
from .hosts import HostPolicy, served_hosts

UI_BODY_BYTES = 1_000_000  # the chat's own requests carry its history; uploads are not accepted at all
FORWARDED = (
    b"forwarded",
    b"x-forwarded-for",
    b"x-forwarded-host",
    b"x-forwarded-port",
    b"x-forwarded-prefix",
    b"x-forwarded-proto",
    b"x-real-ip",
)
# Deny by default: of Gradio's routes, the chat page, gradio_client and MCP (streamable HTTP; not the legacy SSE
# transport, whose sessions hold connections open) need only these.
ALLOWED_PATHS = frozenset(
    {
        "/",
        "/maintainers",
        "/config",
        "/config/",
        "/theme.css",
        "/favicon.ico",
        "/healthz",
        "/widget.js",
        "/openapi.json",
        "/docs",
        "/gradio_api/info",
        "/gradio_api/info/",
        "/gradio_api/queue/join",
        "/gradio_api/queue/data",
        "/gradio_api/cancel",
        "/gradio_api/reset",
        "/gradio_api/reset/",
        "/gradio_api/mcp",
        "/gradio_api/mcp/",
        "/gradio_api/mcp/schema",
    }
)
ALLOWED_PREFIXES = (
    "/api/",
    "/assets/",
    "/static/",
    "/gradio_api/heartbeat/",
    "/gradio_api/call/",
)
log = logging.getLogger("advisor")


def install(app: FastAPI, settings: ServerSettings) -> HostPolicy:
    """Adds the request policy to app; returns the host names it answers to."""
    hosts = HostPolicy(served_hosts(settings.allowed_hosts, settings.host))
    # Starlette runs the middleware added last first, so this list reads from the inside out.
    app.add_middleware(BodyLimit, max_bytes=UI_BODY_BYTES, prefix="/")
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, prefix="/api/")
    # After the origin check, so that even a 413 carries the CORS headers an allowed page needs to read it.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.allowed_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        expose_headers=["Retry-After"],  # the widget tells how long to wait after a 429
        allow_credentials=False,
        max_age=600,
    )
    app.add_middleware(RouteAllowlist)
    app.add_middleware(OriginPolicy, allowed=tuple(settings.allowed_origins), hosts=hosts)
    app.add_middleware(HostCheck, hosts=hosts)
    app.add_middleware(ForwardedHeaders, trusted=settings.trusted_proxies)
    app.add_middleware(SecurityHeaders, allowed=tuple(settings.allowed_origins))
    return hosts


async def _reply(send: Send, status: int, detail: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    # ASCII JSON: whatever a request carried (lone surrogates included) can be quoted back.
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _refuse(scope: Scope, send: Send, status: int, detail: str) -> None:
    if scope["type"] == "http":
        await _reply(send, status, detail)
    else:
        await send({"type": "websocket.close", "code": 1008})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value.decode("latin-1")
    return None


def _server_port(scope: Scope) -> int | None:
    server = scope.get("server")
    return server[1] if server and len(server) > 1 else None


class SecurityHeaders:
    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        ancestors = " ".join(("'self'", *allowed))
        self.headers = [
            (b"content-security-policy", f"frame-ancestors {ancestors}".encode()),
            (b"x-frame-options", b"SAMEORIGIN"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *self.headers]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except asyncio.CancelledError:
            # Only the server cancels a request's task: at shutdown, after ADVISOR_SHUTDOWN_TIMEOUT, for
            # responses that never end (a chat page's event stream). Ending quietly keeps a traceback per open
            # page out of every shutdown's log.
            log.debug("Request cancelled at shutdown: %s %s", scope.get("method"), scope.get("path", "")[:200])
        except Exception:
            log.exception("Error while answering %s %s", scope.get("method"), scope.get("path", "")[:200])
            if not started:
                await _reply(send_with_headers, 500, "The server could not answer this request; it keeps serving.")


class ForwardedHeaders:
    def __init__(self, app: ASGIApp, trusted: tuple[str, ...]) -> None:
        self.app = app
        self.networks = parse_networks(trusted)
        # uvicorn's own middleware takes the client address (the first untrusted hop) and scheme from a proxy.
        # uvicorn types its middleware with its own ASGI types; the app is the same ASGI callable.
        self.proxied: Any = ProxyHeadersMiddleware(cast(Any, app), trusted_hosts=list(trusted)) if trusted else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        if self.proxied is not None and peer and in_networks(peer[0], self.networks):
            await self.proxied(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope.get("headers") or () if k not in FORWARDED]
        await self.app({**scope, "headers": headers}, receive, send)


class HostCheck:
    def __init__(self, app: ASGIApp, hosts: HostPolicy) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        scheme, port = scope.get("scheme", "http"), _server_port(scope)
        named = [_header(scope, b"host") or ""]
        forwarded = _header(scope, b"x-forwarded-host")  # present only when a trusted proxy sent it
        if forwarded is not None:
            named.append(forwarded.split(",")[0].strip())
        for host in named:
            if not self.hosts.allows_host(host, scheme, port):
                await _refuse(
                    scope,
                    send,
                    400,
                    f"This server does not answer to the host name {host[:100]!r}. Its operator can add it to "
                    "ADVISOR_ALLOWED_HOSTS.",
                )
                return
        await self.app(scope, receive, send)


class OriginPolicy:
    def __init__(self, app: ASGIApp, allowed: tuple[str, ...], hosts: HostPolicy) -> None:
        self.app = app
        self.allowed = allowed
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        origin = _header(scope, b"origin")
        refused = None
        if origin == "null":
            refused = "Requests from opaque origins are not allowed."
        elif origin and origin not in self.allowed and not self.hosts.own_origin(origin, _server_port(scope)):
            refused = (
                f"Origin {origin[:200]} is not allowed to use this advisor. Its operator can add it to "
                "ADVISOR_ALLOWED_ORIGINS."
            )
        if refused and scope["type"] == "http" and scope["method"] == "GET" and origin and origin != "null":
            # A refused page may read why from a GET (the widget's probe tells its owner in the console); the
            # reply carries nothing but the refusal, and nothing that changes state is answered this way.
            await _reply(
                send, 403, refused, [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin")]
            )
            return
        if refused:
            await _refuse(scope, send, 403, refused)
            return
        await self.app(scope, receive, send)


class RouteAllowlist:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path not in ALLOWED_PATHS and not path.startswith(ALLOWED_PREFIXES):
            await _reply(send, 404, "Not found.")
            return
        await self.app(scope, receive, send)


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
