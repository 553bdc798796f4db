"""One FastAPI app: the HTTP API, widget.js, and the Gradio chat mounted at / (with its MCP server)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

from . import security
from .advisor import Advisor
from .api import api_router
from .config import ServerSettings
from .store import Store

STATIC = Path(__file__).parent / "static"


def create_app(advisor: Advisor, settings: ServerSettings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or ServerSettings.from_env()
    if store is None and settings.store_questions:
        store = Store(settings.feedback_db, settings.retention_days)

    def get_advisor() -> Advisor:
        return advisor

    app = FastAPI(
        title="Role Advisor API",
        version="1.0",
        description="Answers about job roles, cited from role documents. See the README for the widget.",
    )
    app.include_router(api_router(get_advisor, store, settings))

    @app.get("/widget.js", include_in_schema=False)
    async def widget() -> FileResponse:
        return FileResponse(
            STATIC / "widget.js", media_type="text/javascript", headers={"Cache-Control": "public, max-age=300"}
        )

    security.install(app, settings.allowed_origins, settings.max_body_bytes)

    import gradio as gr

    from .web import build_ui

    return gr.mount_gradio_app(app, build_ui(get_advisor, store), path="/", mcp_server=True, show_error=False)


def serve(advisor: Advisor, host: str = "127.0.0.1", port: int = 7860, settings: ServerSettings | None = None) -> None:
    import uvicorn

    uvicorn.run(create_app(advisor, settings), host=host, port=port, log_level="info")
