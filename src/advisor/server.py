"""One FastAPI app: the HTTP API, widget.js, and the Gradio chat mounted at / (with its MCP server).

It serves from an AdvisorHolder, which swaps in new index generations while the server runs."""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Header, HTTPException
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from . import security
from .advisor import Advisor
from .api import api_router
from .config import ServerSettings
from .errors import AdvisorError
from .indexer import build
from .limits import RateLimiter
from .live import AdvisorHolder
from .store import Store

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
        report = build(self.holder.settings, embedder=self.holder.embedder)
        self.holder.reload_if_changed()
        return {**report.to_dict(), "serving": self.holder.current().generation}


def create_app(
    source: Advisor | AdvisorHolder, settings: ServerSettings | None = None, store: Store | None = None
) -> FastAPI:
    settings = settings or ServerSettings.from_env()
    if store is None and settings.store_questions:
        store = Store(settings.feedback_db, settings.retention_days)
    holder = source if isinstance(source, AdvisorHolder) else None
    get_advisor = holder.current if holder is not None else (lambda: source)
    rebuilder = Rebuilder(holder, settings.admin_token)
    if holder is not None:
        holder.start_watching(settings.reload_interval)

    app = FastAPI(
        title="Role Advisor API",
        version="1.0",
        description="Answers about job roles, cited from role documents. See the README for the widget.",
    )
    app.include_router(api_router(get_advisor, store, settings))

    @app.post("/api/admin/rebuild", tags=["admin"], responses={403: {"description": "No or wrong admin token."}})
    async def rebuild(authorization: str | None = Header(default=None)) -> dict[str, Any]:
        """Rebuild the index from the corpus and serve the new generation (needs `Authorization: Bearer TOKEN`)."""
        token = authorization.removeprefix("Bearer ").strip() if authorization else None
        try:
            return await run_in_threadpool(rebuilder.run, token)
        except PermissionError as exc:
            raise HTTPException(403, str(exc)) from None
        except AdvisorError as exc:
            raise HTTPException(409, str(exc)) from None

    @app.get("/widget.js", include_in_schema=False)
    async def widget() -> FileResponse:
        return FileResponse(
            STATIC / "widget.js", media_type="text/javascript", headers={"Cache-Control": "public, max-age=300"}
        )

    security.install(app, settings.allowed_origins, settings.max_body_bytes)

    import gradio as gr

    from .web import build_ui

    ui = build_ui(get_advisor, store, rebuilder, RateLimiter(settings.rate_limit_per_minute))
    # The chat's queue is bounded like the API's: a clean "busy" beyond it rather than a pile-up.
    ui.queue(default_concurrency_limit=settings.max_concurrent, max_size=settings.max_concurrent + settings.max_waiting)
    return gr.mount_gradio_app(
        app, ui, path="/", mcp_server=True, show_error=False, max_file_size=security.UI_BODY_BYTES
    )


def serve(
    source: Advisor | AdvisorHolder, host: str = "127.0.0.1", port: int = 7860, settings: ServerSettings | None = None
) -> None:
    import uvicorn

    uvicorn.run(create_app(source, settings), host=host, port=port, log_level="info")
