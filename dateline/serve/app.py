"""The FastAPI application: settings on `app.state`, the API and pages routers,
the static files, and the guards every request passes (body size, rate)."""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from dateline import __version__
from dateline.store import Store, StoreError, StoreUnavailable

STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_MAX_BODY = 5_000_000
DEFAULT_RATE = 50.0    # requests per second per client, sustained
DEFAULT_BURST = 200    # requests a client may send at once


def create_app(db: str, *, api_key: Optional[str] = None, lock_reads: bool = False,
               max_body_bytes: int = DEFAULT_MAX_BODY, rate: float = DEFAULT_RATE, burst: int = DEFAULT_BURST,
               analysis_queue: int = 4, write_queue: int = 16, load_model: bool = True) -> FastAPI:
    """The web app over the store at `db`.

    api_key: needed for every write (Authorization: Bearer KEY or X-API-Key);
    without one, writes are refused. lock_reads: reads need the key too.
    max_body_bytes: larger request bodies get 413. rate/burst: per-client
    token bucket (rate 0 turns it off). analysis_queue: anonymous analyses
    running or waiting at once before new ones get 503; write_queue: the same
    for keyed writes and analyses, which have their own capacity and go
    first. load_model: load spaCy at start-up
    so the first analysis is not slow."""
    from dateline.serve import api, pages
    from dateline.serve.limits import BodySizeLimit, QuietDisconnects, RateLimit
    from dateline.serve.responses import (HeadAndRelativeRedirects, SafeJSONResponse, SecurityHeaders, http_error,
                                          validation_error)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if load_model:
            from dateline.analyze import nlp as nlp_loader

            try:
                nlp_loader.load()
            except nlp_loader.ModelNotFound:
                pass  # reads still work; POST /api/analyze answers 503 with the reason
            else:
                # The first analysis allocates the pipeline's working memory (about
                # 200 MB): do it now, so the first user does not wait for it and the
                # server's memory is at its working size from the start.
                from dateline.analyze.pipeline import warm_up

                warm_up()
        _migrate(app.state.db)
        app.state.stories.recover()
        yield
        app.state.stories.stop()

    # No /docs or /redoc: FastAPI's pages load Swagger UI and ReDoc from a CDN, and the app works offline.
    app = FastAPI(title="dateline", version=__version__, lifespan=lifespan, default_response_class=SafeJSONResponse,
                  docs_url=None, redoc_url=None,
                  description="News articles in, a structured and sourced record out: events, quotes, "
                              "entities and places of a corpus store, and stories merged across outlets.")
    app.state.db = str(db)
    app.state.api_key = api_key or None
    app.state.lock_reads = lock_reads
    app.state.max_body_bytes = max_body_bytes
    # SQLite has one writer: the app's writes go one at a time.
    app.state.write_lock = threading.Lock()
    app.state.analysis = api.AnalysisSlots(analysis_queue, write_queue)
    app.state.stories = api.StoryUpdater(str(db))

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.include_router(api.router)
    app.include_router(pages.router)
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # The middleware added last runs first: a flood is turned away before its body is read.
    app.add_middleware(HeadAndRelativeRedirects)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(SecurityHeaders)
    if rate > 0:
        app.add_middleware(RateLimit, rate=rate, burst=burst)
    app.add_middleware(QuietDisconnects)
    return app


def _migrate(db: str) -> None:
    """Bring an existing store's schema up to date, so that the pages' reads
    find the columns they select (a store is otherwise migrated when it is
    first opened for writing). A missing store is not created."""
    from dateline.store.base import is_postgres

    if not is_postgres(db) and not Path(db).exists():
        return
    try:
        Store.open(db).close()
    except (StoreError, StoreUnavailable):
        pass  # read-only media or a server that refuses writes: reads report what is wrong


def open_store(request: Request) -> Store:
    """A read-only store for one request (use it as a context manager, in the
    thread that opened it)."""
    return Store.open(request.app.state.db, readonly=True)


__all__ = ["create_app", "open_store", "StoreError"]
