"""The JSON API under /api/: reads of the corpus store, exports, analysis of
a pasted article, and storing new articles (with the API key)."""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Literal, Optional

import anyio
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from dateline import __version__
from dateline.ingest import InputError, read_bytes
from dateline.ingest.common import load_json
from dateline.ingest import dedup
from dateline.ingest.jsonl import article_from_json
from dateline.model import Analysis, Article, EventStatus, EventType, SpeakerKind, Story
from dateline.serve.rows import (ArticleDetail, ArticleRow, EntityRow, EventRow, Health, Page, PersonRow, PlaceRow,
                                 QuoteRow, SearchHits, Stored, StoryRow)
from dateline.serve.responses import SafeJSONResponse
from dateline.serve.security import has_key, read_access, write_access
from dateline.store import Store, StoreError, StoreUnavailable

log = logging.getLogger("dateline.serve")

MAX_LIMIT = 500
EXPORT_LIMIT = 100_000
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
ARTICLE_FIELDS = {"id", "title", "source", "url", "published", "language", "text", "html"}

router = APIRouter(prefix="/api")
reads = APIRouter(dependencies=[Depends(read_access)])
writes = APIRouter(dependencies=[Depends(write_access)])


def _store(request: Request) -> Store:
    try:
        return Store.open(request.app.state.db, readonly=True)
    except StoreError as exc:
        raise HTTPException(503, str(exc)) from None


def _page(request: Request, rows: list, limit: int, offset: int) -> SafeJSONResponse:
    """A page of rows fetched with limit + 1, so the extra row tells whether another page follows.
    The rows are the store's plain values, already in the documented shape: they
    are written out as they are rather than validated again, a third of a page's time."""
    more = len(rows) > limit
    nxt = None
    if more:  # relative: an absolute link would repeat the Host header the client sent
        following = request.url.include_query_params(offset=offset + limit)
        nxt = f"{following.path}?{following.query}"
    return SafeJSONResponse({"items": rows[:limit], "limit": limit, "offset": offset, "next": nxt})


def _event(row: dict) -> dict:
    row = {k: v for k, v in row.items() if k != "id"}
    row["event_id"] = f"{row['article_id']}#{row['idx']}"
    return row


Limit = Query(50, ge=1, le=MAX_LIMIT, description=f"rows per page (at most {MAX_LIMIT})")
Offset = Query(0, ge=0, le=10_000_000, description="rows to skip")
Since = Query(None, pattern=DATE, description="ISO date, e.g. 2025-07-01")
Until = Query(None, pattern=DATE, description="ISO date (inclusive)")


class EventFilters:
    def __init__(self, type: Optional[EventType] = Query(None, description="PLOVER type, e.g. ASSAULT"),
                 mode: Optional[str] = Query(None, max_length=100, description="e.g. airstrike"),
                 country: Optional[str] = Query(None, max_length=3, description="ISO code, e.g. UA"),
                 place: Optional[str] = Query(None, max_length=200, description="location or first-level region"),
                 since: Optional[str] = Since, until: Optional[str] = Until,
                 actor: Optional[str] = Query(None, max_length=200, description="words of the actor or target"),
                 status: Optional[EventStatus] = None,
                 text: Optional[str] = Query(None, max_length=200, description="words of the event's sentence"),
                 article_id: Optional[str] = Query(None, max_length=500),
                 include_duplicates: bool = Query(True, description="keep events of syndicated copies"),
                 min_confidence: Optional[float] = Query(None, ge=0, le=1,
                                                         description="only events at least this confident")):
        self.values = dict(type=type, mode=mode, country=country, place=place, since=since, until=until, actor=actor,
                           status=status, text=text, article_id=article_id, include_duplicates=include_duplicates,
                           min_confidence=min_confidence)


# --- reading -----------------------------------------------------------------

@reads.get("/health", response_model=Health, summary="Server status and store totals")
def health(request: Request):
    with _store(request) as s:
        return {"status": "ok", "version": __version__, "articles": s.count("articles"), "events": s.count("events"),
                "stories": s.count("stories")}


@reads.get("/events", response_model=Page[EventRow],
           summary="Stored events, filtered, latest date first (undated last)")
def events(request: Request, filters: EventFilters = Depends(), limit: int = Limit, offset: int = Offset):
    with _store(request) as s:
        rows = s.events(**filters.values, limit=limit + 1, offset=offset, newest_first=True)
    return _page(request, [_event(r) for r in rows], limit, offset)


@reads.get("/quotes", response_model=Page[QuoteRow],
           summary="Stored quotes with their speakers, most recently stored first")
def quotes(request: Request, speaker: Optional[str] = Query(None, max_length=200, description="words of the name"),
           kind: Optional[SpeakerKind] = None,
           text: Optional[str] = Query(None, max_length=200, description="words of what was said"),
           article_id: Optional[str] = Query(None, max_length=500),
           person: Optional[str] = Query(None, max_length=300, description="a person id from /persons"),
           limit: int = Limit, offset: int = Offset):
    with _store(request) as s:
        rows = s.quotes(speaker=speaker, kind=kind, text=text, article_id=article_id, limit=limit + 1, offset=offset,
                        newest_first=True, person=person)
    for r in rows:
        r.pop("id", None)
        r["direct"] = bool(r["direct"])
    return _page(request, rows, limit, offset)


@reads.get("/stories", response_model=Page[StoryRow], summary="Stories: one event merged across outlets")
def stories(request: Request, type: Optional[EventType] = None, country: Optional[str] = Query(None, max_length=3),
            since: Optional[str] = Since, until: Optional[str] = Until,
            min_confidence: Optional[float] = Query(None, ge=0, le=1,
                                                    description="only stories whose best report is this confident"),
            limit: int = Limit, offset: int = Offset):
    with _store(request) as s:
        rows = s.stories(type=type, country=country, since=since, until=until, min_confidence=min_confidence,
                         limit=limit + 1, offset=offset)
    return _page(request, rows, limit, offset)


@reads.get("/stories/{story_id}", response_model=Story, summary="One story with its evidence (each report)")
def story(request: Request, story_id: str):
    with _store(request) as s:
        found = s.story(story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return found


@reads.get("/articles", response_model=Page[ArticleRow], summary="Stored articles, in the order they were stored")
def articles(request: Request, source: Optional[str] = Query(None, max_length=200), since: Optional[str] = Since,
             until: Optional[str] = Until, limit: int = Limit, offset: int = Offset):
    with _store(request) as s:
        rows = list(s.articles(source=source, since=since, until=until, limit=limit + 1, offset=offset))
    return _page(request, rows, limit, offset)


# Article ids may hold slashes (URLs): the analysis route is matched first.
@reads.get("/articles/{article_id:path}/analysis", response_model=Analysis, summary="The stored analysis of an article")
def article_analysis(request: Request, article_id: str):
    with _store(request) as s:
        found = s.analysis(article_id)
    if found is None:
        raise HTTPException(404, f"no analysis of article {article_id!r}")
    return found


@reads.get("/articles/{article_id:path}", response_model=ArticleDetail, summary="One stored article with its text")
def article(request: Request, article_id: str):
    with _store(request) as s:
        found = s.article(article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return found


@reads.get("/persons", response_model=Page[PersonRow],
           summary="Quoted people and organisations across articles (one id each), most quoted first")
def persons(request: Request, name: Optional[str] = Query(None, max_length=200, description="words of the name"),
            kind: Optional[SpeakerKind] = None, limit: int = Limit, offset: int = Offset):
    with _store(request) as s:
        rows = s.persons(name=name, kind=kind, limit=limit + 1, offset=offset)
    return _page(request, rows, limit, offset)


@reads.get("/entities", response_model=Page[EntityRow], summary="People, organisations and places named, by reach")
def entities(request: Request, name: Optional[str] = Query(None, max_length=200),
             type: Optional[str] = Query(None, max_length=20),
             limit: int = Limit, offset: int = Offset):
    with _store(request) as s:
        rows = s.entities(name=name, type=type, limit=limit + 1, offset=offset)
    return _page(request, rows, limit, offset)


@reads.get("/places", response_model=Page[PlaceRow], summary="Places resolved to coordinates, by reach")
def places(request: Request, name: Optional[str] = Query(None, max_length=200),
           country: Optional[str] = Query(None, max_length=3),
           limit: int = Limit, offset: int = Offset):
    with _store(request) as s:
        rows = s.places(name=name, country=country, limit=limit + 1, offset=offset)
    return _page(request, rows, limit, offset)


@reads.get("/search", response_model=SearchHits, summary="Full-text search over articles and quotes")
def search(request: Request, q: str = Query(..., min_length=1, max_length=500),
           limit: int = Query(20, ge=1, le=MAX_LIMIT)):
    with _store(request) as s:
        return s.search(q, limit=limit)


EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "acled": "text/csv; charset=utf-8", "geojson": "application/geo+json", "jsonl": "application/x-ndjson",
                "plover": "application/json"}


@reads.get("/export/{fmt}", summary="Export events: CSV, ACLED's CSV, GeoJSON, JSON Lines or PLOVER JSON",
           response_class=StreamingResponse,
           responses={200: {"content": {t.split(";")[0]: {} for t in EXPORT_TYPES.values()}}})
def export(request: Request, fmt: Literal["csv", "acled", "geojson", "jsonl", "plover"], filters: EventFilters = Depends(),
           limit: int = Query(EXPORT_LIMIT, ge=1, le=EXPORT_LIMIT)):
    from dateline.export import write

    # Exports leave syndicated copies out unless asked, like `dateline export`.
    asked = "include_duplicates" in request.query_params
    values = filters.values | {"include_duplicates": asked and filters.values["include_duplicates"]}
    # Written to a spooled file first: a broken store shows as an error status,
    # not as a cut-off download, and the connection is not held while rows are read.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 2**20, mode="w+", encoding="utf-8", newline="")
    with _store(request) as s:
        write(s.events(**values, limit=limit), fmt, out)
    out.seek(0)

    def chunks():
        with out:
            while block := out.read(64 * 1024):
                yield block

    suffix = {"plover": "json", "acled": "acled.csv"}.get(fmt, fmt)
    return StreamingResponse(chunks(), media_type=EXPORT_TYPES[fmt],
                             headers={"Content-Disposition": f'attachment; filename="dateline-events.{suffix}"'})


# --- analysing and storing -----------------------------------------------------

class AnalysisSlots:
    """Analyses run one at a time in a worker thread (spaCy is CPU-bound).
    Anonymous analyses (POST /api/analyze without the key) and keyed work
    (writes, and analyses sent with the key) queue separately, each with its
    own capacity: when `size` anonymous (or `keyed_size` keyed) requests are
    already running or waiting, the next of that kind gets 503 at once. Keyed
    work waiting goes first, so anonymous traffic cannot crowd out writes."""

    def __init__(self, size: int, keyed_size: int = 16):
        self.capacity = {False: max(1, size), True: max(1, keyed_size)}
        self.pending = {False: 0, True: 0}
        self.waiting: dict[bool, collections.deque] = {False: collections.deque(), True: collections.deque()}
        self.busy = False

    async def run(self, fn: Callable, *args, keyed: bool = False):
        if self.pending[keyed] >= self.capacity[keyed]:
            raise HTTPException(503, "the server is busy analysing other articles; retry shortly",
                                headers={"Retry-After": "2"})
        self.pending[keyed] += 1
        try:
            await self._acquire(keyed)
            try:
                return await anyio.to_thread.run_sync(fn, *args)
            finally:
                self._release()
        finally:
            self.pending[keyed] -= 1

    async def _acquire(self, keyed: bool) -> None:
        if not self.busy:
            self.busy = True
            return
        turn = asyncio.get_running_loop().create_future()
        self.waiting[keyed].append(turn)
        try:
            await turn
        except BaseException:
            if turn.done() and not turn.cancelled():
                self._release()  # given the turn as it was cancelled: pass it on
            else:
                self.waiting[keyed].remove(turn)
            raise

    def _release(self) -> None:
        for keyed in (True, False):
            while self.waiting[keyed]:
                turn = self.waiting[keyed].popleft()
                if not turn.done():
                    turn.set_result(None)  # busy stays True: the turn is handed over
                    return
        self.busy = False


async def read_article(request: Request) -> Article:
    """An article from a JSON object ({text or html, title?, published?, source?,
    url?, id?}), a multipart form with a `file` (HTML, JSON or text) and optional
    metadata fields, or a raw text/plain or text/html body."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if ctype == "multipart/form-data":
            form = await request.form(max_files=1, max_fields=len(ARTICLE_FIELDS))
            fields = {k: v for k, v in form.items() if isinstance(v, str) and k in ARTICLE_FIELDS and v}
            upload = form.get("file")
            if upload is not None and not isinstance(upload, str):
                # Read as `dateline analyze` reads a file: the format from the suffix (.html, .json,
                # .txt) or sniffed, and the form's title, source and published over the file's own.
                # The id is the text's hash, not the file's name: two people's "article.html" differ.
                name = Path(upload.filename or "upload")
                records = list(read_bytes(await upload.read(), name.suffix.lower(), None))
                article = _first_article(records)
                meta = {k: v for k, v in fields.items() if k not in ("text", "html")}
                return article_from_json({**article.model_dump(exclude_none=True), **meta}, None)
            return article_from_json(fields, None)
        if ctype in ("text/plain", "text/html"):
            return _first_article(list(read_bytes(await request.body(), ".html" if ctype == "text/html" else ".txt")))
        try:
            body = await request.body()
            obj = load_json(body.decode(json.detect_encoding(body)))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise HTTPException(400, f"the body is not JSON ({exc})") from None
        if isinstance(obj, dict):
            unknown = set(obj) - ARTICLE_FIELDS
            if unknown:
                raise HTTPException(422, f"unknown field(s): {', '.join(sorted(unknown))} "
                                         f"(use {', '.join(sorted(ARTICLE_FIELDS))})")
        return article_from_json(obj, None)
    except InputError as err:
        raise HTTPException(422, err.message) from None
    except ValueError as exc:  # pydantic validation of the Article
        raise HTTPException(422, " ".join(str(exc).split())[:300]) from None


def _article_body() -> dict:
    """The request body of the routes that take an article, for the OpenAPI
    document (the body is read by read_article, so FastAPI cannot see it)."""
    fields = {"type": "string"}
    schema = Article.model_json_schema()
    schema["properties"]["html"] = {"type": "string", "description": "The article's HTML page, instead of text."}
    schema.pop("required", None)
    form = {"type": "object", "properties": {"file": {"type": "string", "format": "binary",
                                                      "description": "an .html, .json or .txt file"},
                                             **{k: fields for k in ("id", "title", "source", "url", "published")}}}
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": schema}, "multipart/form-data": {"schema": form},
        "text/plain": {"schema": fields}, "text/html": {"schema": fields}}}}


def _first_article(records: list) -> Article:
    for r in records:
        if isinstance(r, Article):
            return r
    raise InputError(records[0].message if records else "no article found")


def _analyze(article: Article) -> Analysis:
    from dateline.analyze import nlp as nlp_loader
    from dateline.analyze.pipeline import analyze_article

    try:
        return analyze_article(article)
    except nlp_loader.ModelNotFound as exc:
        raise HTTPException(503, str(exc)) from None


@reads.post("/analyze", response_model=Analysis, summary="Analyse an article without storing it",
            openapi_extra=_article_body(),
            description="JSON {text, title?, published?, source?, url?}, a multipart upload (`file`: HTML or text, "
                        "plus those fields), or a text/plain or text/html body.")
async def analyze(request: Request):
    article = await read_article(request)
    analysis = await request.app.state.analysis.run(_analyze, article, keyed=has_key(request))
    if analysis.error:
        raise HTTPException(422, f"the article could not be analysed: {analysis.error}")
    return analysis


@writes.post("/articles", response_model=Stored, status_code=201, summary="Analyse and store an article (API key)",
             openapi_extra=_article_body(),
             responses={200: {"model": Stored, "description": "already stored"}})
async def add_article(request: Request):
    article = await read_article(request)
    digest = dedup.content_hash(article.text)
    if not article.id:
        article = article.model_copy(update={"id": "sha256:" + digest[:16]})
    known = await run_in_threadpool(_known, request.app.state.db, article.id, digest)
    if known == "id":
        return SafeJSONResponse(Stored(id=article.id, added=False, stored_as=article.id).model_dump(), status_code=200)
    analysis = None
    if known is None:  # a new text: analyse it (an identical text reuses its original's analysis)
        analysis = await request.app.state.analysis.run(_analyze, article, keyed=True)
        if analysis.error:
            raise HTTPException(422, f"the article could not be analysed: {analysis.error}")
    stored = await run_in_threadpool(_store_one, request.app, article, analysis)
    if not stored.added:
        return SafeJSONResponse(stored.model_dump(), status_code=200)
    request.app.state.stories.touch()
    return stored


def _known(db: str, article_id: str, digest: str) -> Optional[str]:
    """"id" when the article is stored, "text" when the same text is, else None."""
    try:
        with Store.open(db, readonly=True) as s:
            return "id" if s.has(article_id) else "text" if s.same_text(digest) else None
    except StoreError:
        return None  # no store yet: the write creates it


def _store_one(app, article: Article, analysis: Optional[Analysis]) -> Stored:
    """Store through dateline.store.ingest, the rules `dateline ingest` follows:
    the same article again is skipped, an identical reprint from another outlet
    is stored as a copy of its original, a near-copy is linked to it."""
    from dateline.store.ingest import ingest

    outcome: dict = {}

    def analyzer(records):
        for record in records:  # only when the text was not stored after all
            yield analysis if analysis is not None else _analyze(record)

    def on_result(kind, item):
        outcome["kind"], outcome["item"] = kind, item

    with app.state.write_lock:
        try:
            with Store.open(app.state.db) as s:
                ingest(s, [article], analyzer=analyzer, on_result=on_result)
                kind, item = outcome.get("kind"), outcome.get("item")
                if kind == "skipped":
                    return Stored(id=article.id, added=False, stored_as=_stored_as(s, article))
        except StoreError as exc:
            raise HTTPException(503, f"the store cannot be written: {exc}") from None
        except StoreUnavailable as exc:  # a full disk, or PostgreSQL gone: nothing was stored
            log.warning("write refused: %s", exc)
            raise HTTPException(503, f"the store cannot be written: {exc}", headers={"Retry-After": "30"}) from None
    if kind == "failed":
        raise HTTPException(422, f"the article could not be analysed: {item}")
    if kind not in ("added", "duplicate"):
        return Stored(id=article.id, added=False)
    counts = {"events": len(analysis.events), "quotes": len(analysis.quotes)} if analysis else {}
    return Stored(id=article.id, added=True, duplicate_of=item[1] if kind == "duplicate" else None, **counts)


def _stored_as(store: Store, article: Article) -> Optional[str]:
    """The id of the stored article this one was taken to be: its own, or the
    one of the same text from the same outlet."""
    from dateline.store.ingest import same_outlet

    if store.has(article.id):
        return article.id
    rows = store.same_text(article.text)
    return next((r["id"] for r in rows if same_outlet(article.source, r["source"])), None)


class StoryUpdater:
    """Re-merges stories after writes, in the background and at most once
    per `pause` seconds however many articles arrive, so a write returns as
    soon as its article is committed. Work still wanted at shutdown is done
    before the server exits (within `drain` seconds); work lost to a crash is
    found at the next start-up (events in no story) and done then."""

    def __init__(self, db: str, pause: float = 1.0, drain: float = 30.0):
        self.db, self.pause, self.drain = db, pause, drain
        self.wanted = threading.Event()
        self.stopping = threading.Event()
        self.dirty = False
        self.thread: Optional[threading.Thread] = None
        self.lock = threading.Lock()

    def touch(self) -> None:
        with self.lock:
            self.dirty = True
            if self.thread is None:
                self.thread = threading.Thread(target=self._loop, name="dateline-stories", daemon=True)
                self.thread.start()
        self.wanted.set()

    def recover(self) -> None:
        """Merge the stored events that are in no story: writes whose story
        update was lost when the server was killed, or made by `dateline
        ingest --no-stories`."""
        try:
            with Store.open(self.db, readonly=True) as s:
                behind = s.count("events") > s.count("story_events")
        except StoreError:
            return  # no store yet
        if behind:
            log.info("merging stored events that are in no story yet")
            self.touch()

    def stop(self) -> None:
        self.stopping.set()
        self.wanted.set()
        if self.thread is not None:
            self.thread.join(self.drain)

    def _loop(self) -> None:
        from dateline.store.ingest import rebuild_stories, refresh_stories

        while True:
            self.wanted.wait()
            self.wanted.clear()
            with self.lock:
                work, self.dirty = self.dirty, False
            if work:
                try:
                    with Store.open(self.db) as s:
                        rebuild_stories(s)
                        refresh_stories(s, due_only=True)  # large stories' records, grown by an eighth
                except Exception as exc:  # the articles are stored; only the story view is stale
                    log.warning("stories not rebuilt (%s: %s)", type(exc).__name__, exc)
            if self.stopping.is_set():
                with self.lock:
                    if not self.dirty:
                        return
                self.wanted.set()  # touched while merging: once more, then stop
                continue
            self.stopping.wait(self.pause)


router.include_router(reads)
router.include_router(writes)
