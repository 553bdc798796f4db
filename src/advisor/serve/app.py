"""One FastAPI app: the HTTP API, widget.js, and the Gradio chat mounted at / (with its MCP server).

It serves from an AdvisorHolder, which swaps in new index generations while the server runs."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from ..ask import Advisor
from ..config import ServerSettings
from ..errors import AdvisorError
from ..logs import quiet_repeats
from . import security
from .answers_store import Store, open_store
from .api import api_router, install_error_handlers
from .connections import ConnectionGuard, fit_to_descriptors, protocol_factory
from .hosts import served_hosts
from .limits import AdmissionGate, ClientLimiter, client_address, too_fast_message
from .live import AdvisorHolder

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("advisor")


class Rebuilder:
    """The admin rebuild action: refused unless the caller presents the configured token."""

    def __init__(self, holder: AdvisorHolder | None, token: str | None) -> None:
        self.holder = holder
        self.token = token

    def check(self, presented: str | None) -> None:
        if self.holder is None or not self.token:
            raise PermissionError("Rebuilding from the web is turned off on this server (set ADVISOR_ADMIN_TOKEN).")
        if not presented or not hmac.compare_digest(presented.encode(), self.token.encode()):
            raise PermissionError("A valid admin token is required to rebuild the index.")

    def run(self, presented: str | None) -> dict[str, Any]:
        self.check(presented)
        assert self.holder is not None
        report = self.holder.library.build()
        self.holder.reload_if_changed()
        return {**report.to_dict(), "serving": self.holder.current().generation}


def create_app(
    source: Advisor | AdvisorHolder, settings: ServerSettings | None = None, store: Store | None = None
) -> FastAPI:
    settings = settings or ServerSettings.from_env()
    if store is None and settings.store_questions:
        store = open_store(settings)
    holder: AdvisorHolder | None = None
    if isinstance(source, AdvisorHolder):
        holder, get_advisor = source, source.current
    else:
        get_advisor = _fixed(source)
    rebuilder = Rebuilder(holder, settings.admin_token)
    if holder is not None:
        holder.start_watching(settings.reload_interval)
    # One rate limit per client and one bound on answers at once, whichever surface a request comes through.
    limiter = ClientLimiter(settings.rate_limit_per_minute, settings.rate_limit_storage)
    gate = AdmissionGate(settings.max_concurrent, settings.max_waiting)

    app = FastAPI(
        title="Role Advisor API",
        version="1.0",
        description="Answers about job roles, cited from role documents. The widget and this API: docs/site-owners.md.",
        redoc_url=None,
    )
    install_error_handlers(app)
    app.include_router(api_router(get_advisor, store, limiter, gate))

    @app.post(
        "/api/admin/rebuild",
        tags=["admin"],
        responses={403: {"description": "No or wrong admin token."}, 429: {"description": "Too many attempts."}},
    )
    async def rebuild(request: Request, authorization: str | None = Header(default=None)) -> dict[str, Any]:
        """Rebuild the index from the corpus and serve the new generation (needs `Authorization: Bearer TOKEN`)."""
        client = client_address(request)
        wait = limiter.check(client) or limiter.failures_wait(client)
        if wait:
            seconds = max(1, round(wait))
            raise HTTPException(429, too_fast_message(seconds), headers={"Retry-After": str(seconds)})
        token = authorization.removeprefix("Bearer ").strip() if authorization else None
        try:
            return await run_in_threadpool(rebuilder.run, token)
        except PermissionError as exc:
            limiter.failed(client)
            raise HTTPException(403, str(exc)) from None
        except AdvisorError as exc:
            raise HTTPException(409, str(exc)) from None

    @app.get("/widget.js", include_in_schema=False)
    async def widget() -> FileResponse:
        return FileResponse(
            STATIC / "widget.js", media_type="text/javascript", headers={"Cache-Control": "public, max-age=300"}
        )

    security.install(app, settings)

    import gradio as gr

    from .chat import CSS, HEAD, build_ui, theme

    ui = build_ui(get_advisor, store, rebuilder, limiter, gate)
    # The chat's queue is bounded like the API's: a clean "busy" beyond it rather than a pile-up; its REST
    # routes do not skip the queue (api_open=False).
    ui.queue(
        default_concurrency_limit=settings.max_concurrent,
        max_size=settings.max_concurrent + settings.max_waiting,
        api_open=False,
    )
    return gr.mount_gradio_app(
        app,
        ui,
        path="/",
        mcp_server=True,
        show_error=False,
        max_file_size=security.UI_BODY_BYTES,
        theme=theme(),
        css=CSS,
        head=HEAD,
        ssr_mode=False,  # client-side rendering: no Node process, and the only mode with two pages
    )


def _fixed(advisor: Advisor) -> Callable[[], Advisor]:
    """The advisor getter of a server that answers from one Advisor (no live reload)."""
    return lambda: advisor


def server_config(app: FastAPI, settings: ServerSettings, log_level: str = "info") -> uvicorn.Config:
    """uvicorn, as the server runs: connection limits and read timeouts (connections.py), forwarded headers
    left to the app's policy (never uvicorn's default trust of 127.0.0.1), no WebSocket upgrades (nothing
    uses them), and a shutdown that waits at most settings.shutdown_timeout for open requests."""
    max_connections = fit_to_descriptors(settings.max_connections)
    guard = ConnectionGuard(
        max_connections=max_connections,
        max_per_client=settings.max_connections_per_client,
        header_timeout=settings.header_timeout,
        body_timeout=settings.body_timeout,
        trusted_proxies=settings.trusted_proxies,
    )
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        http=protocol_factory(guard),
        # asyncio accepts up to `backlog` connections in one go before reading any: no more than are kept.
        backlog=min(2048, max_connections),
        ws="none",
        proxy_headers=False,
        server_header=False,
        timeout_keep_alive=settings.keepalive_timeout,  # type: ignore[arg-type]  # uvicorn takes any number
        timeout_graceful_shutdown=settings.shutdown_timeout,  # type: ignore[arg-type]
    )
    quiet_repeats()  # after uvicorn has set up its loggers
    return config


def serve(source: Advisor | AdvisorHolder, settings: ServerSettings | None = None) -> None:
    settings = settings or ServerSettings.from_env()
    app = create_app(source, settings)
    server = uvicorn.Server(server_config(app, settings))
    hosts = served_hosts(settings.allowed_hosts, settings.host)
    log.info("Answering to host names: %s (ADVISOR_ALLOWED_HOSTS)", ", ".join(hosts))
    server.run()
