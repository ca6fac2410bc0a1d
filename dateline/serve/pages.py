"""HTML pages of the web app, rendered on the server from the store.

Every page opens the store read-only for the request and renders a Jinja2
template with autoescaping on: article text, headlines, names and quotes are
data, never markup. The pages' own scripts (static/*.js) build the DOM from
text nodes, and a Content-Security-Policy allows no inline script at all.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from dateline import when
from dateline.serve import storylist
from dateline.serve.highlight import context, highlight, spans_for
from dateline.serve.security import read_access
from dateline.serve.storylist import FIGURES, TYPE_COLOURS
from dateline.store import Store, StoreError

# Pages are reads: when the server locks reads, they need the API key too.
router = APIRouter(dependencies=[Depends(read_access)])

TEMPLATES = Path(__file__).parent / "templates"
env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True),
                  trim_blocks=True, lstrip_blocks=True)

# No inline script runs on any page, so a script tag that slipped into the
# markup would be inert even if escaping failed. Leaflet sets inline styles.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                               "frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

QUOTES_PAGE = 50    # quotes a page
TOP_SPEAKERS = 12   # speakers offered as filters above the quotes

env.globals.update(colours=TYPE_COLOURS, figures=FIGURES, event_types=list(TYPE_COLOURS),
                   timeline_limit=storylist.TIMELINE_LIMIT, map_limit=storylist.MAP_LIMIT,
                   low_confidence=storylist.LOW_CONFIDENCE)


def safe_url(url: Optional[str]) -> Optional[str]:
    """Only http(s) links leave the app: a javascript: or data: URL from an
    article would run script when clicked, escaped or not."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


env.filters["safe_url"] = safe_url
env.filters["when"] = when.human


def render(name: str, status: int = 200, **values) -> HTMLResponse:
    html = env.get_template(name).render(**values)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


@contextmanager
def open_store(request: Request) -> Iterator[Store]:
    store = Store.open(request.app.state.db, readonly=True)
    try:
        yield store
    finally:
        store.close()


def not_found(what: str) -> HTMLResponse:
    return render("error.html", 404, title="Not found", message=what)


def page(view):
    """A page whose store cannot be opened says so in one line, with 503."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except StoreError as exc:
            return render("error.html", 503, title="Store unavailable", message=str(exc))
    return wrapper


# --- stories: the map, the timeline and their filters ---------------------------

@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@page
def home(request: Request):
    f = storylist.filters(request.query_params)
    with open_store(request) as store:
        rows = storylist.newest_first(storylist.filtered(store, f))
        points = storylist.map_points(rows)
    return render("home.html", filters=f, days=storylist.by_day(rows), months=storylist.by_month(rows, f),
                  points=points, total=len(rows), page="home")


@router.get("/stories", response_class=HTMLResponse, include_in_schema=False)
@page
def stories_page(request: Request):
    f = storylist.filters(request.query_params)
    with open_store(request) as store:
        rows = storylist.newest_first(storylist.filtered(store, f))
    return render("stories.html", filters=f, days=storylist.by_day(rows), months=storylist.by_month(rows, f),
                  total=len(rows), page="stories")


@router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
@page
def story_page(request: Request, story_id: str):
    with open_store(request) as store:
        story = store.story(story_id)
        if story is None:
            return not_found(f"There is no story {story_id!r}.")
        titles = {}
        for report in story.get("evidence") or []:
            if report["article_id"] not in titles:
                article = store.article(report["article_id"])
                titles[report["article_id"]] = (article or {}).get("title")
    place = story.get("place") or {}
    points = [storylist.map_point(story, place)] if place.get("lat") is not None else []
    return render("story.html", story=story, titles=titles, claims=storylist.figure_table(story), points=points,
                  page="stories")


# --- quotes and articles ------------------------------------------------------------

@router.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
@page
def quotes_page(request: Request):
    """One page of QUOTES_PAGE quotes, most recently stored first, read from
    the store with limit and offset; grouped by speaker within the page."""
    speaker = (request.query_params.get("speaker") or "").strip()[:200]
    said = (request.query_params.get("said") or "").strip()[:200]
    offset = _offset(request.query_params.get("offset"))
    with open_store(request) as store:
        rows = store.quotes(speaker=speaker or None, text=said or None, limit=QUOTES_PAGE + 1, offset=offset,
                            newest_first=True)
        more, rows = len(rows) > QUOTES_PAGE, rows[:QUOTES_PAGE]
        speakers = store.speakers(limit=TOP_SPEAKERS) if not speaker else []
        texts: dict[str, str] = {}
        groups: "OrderedDict[str, list[dict]]" = OrderedDict()
        for q in rows:
            if q["article_id"] not in texts:
                texts[q["article_id"]] = (store.article(q["article_id"]) or {}).get("text") or ""
            q["context"] = context(texts[q["article_id"]], q.get("start") or 0, q.get("end") or 0) \
                if q.get("start") is not None else ("", q["content"], "")
            groups.setdefault(q.get("speaker") or "", []).append(q)
    # Most-quoted speakers of the page first; the unattributed quotes at the end.
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "", -len(kv[1]), kv[0].lower()))
    query = {k: v for k, v in (("speaker", speaker), ("said", said)) if v}
    pages = {"first": offset + 1, "last": offset + len(rows),
             "previous": {**query, "offset": max(0, offset - QUOTES_PAGE)} if offset else None,
             "next": {**query, "offset": offset + QUOTES_PAGE} if more else None}
    return render("quotes.html", groups=ordered, speaker=speaker, said=said, shown=len(rows), pages=pages,
                  speakers=speakers, page="quotes")


def _offset(value: Optional[str]) -> int:
    """A page's offset from the address: a bad or negative value is the first page."""
    try:
        return min(max(0, int(value or 0)), 10_000_000)
    except ValueError:
        return 0


@router.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
@page
def article_page(request: Request, article_id: str):
    with open_store(request) as store:
        article = store.article(article_id)
        if article is None:
            return not_found(f"There is no article {article_id!r}.")
        quotes = store.quotes(article_id=article_id)
        weak = (request.query_params.get("weak") or "") in ("1", "on", "true")
        found = store.events(article_id=article_id)
        # Weak events (little evidence) are left out of the list and the text unless asked for.
        events = [e for e in found if weak or (e.get("confidence") or 0) >= storylist.LOW_CONFIDENCE]
        original = store.article(article["duplicate_of"]) if article.get("duplicate_of") else None
        stories = storylist.stories_of(store, article_id, events)
        analysis = store.analysis(article_id)
    marked = highlight(article["text"], spans_for(quotes, events))
    return render("article.html", article=article, text=marked, quotes=quotes, events=events, original=original,
                  stories=stories, weak=weak, weak_count=sum((e.get("confidence") or 0) < storylist.LOW_CONFIDENCE
                                                             for e in found),
                  places=places_of(analysis), page="article")


def places_of(analysis) -> list[dict]:
    """The article's resolved places, each once (first mention), with why it
    was read so: the reason and score the places stage kept, shown on hover."""
    out, seen = [], set()
    for p in (analysis.places if analysis is not None else []):
        key = (p.name, p.country, p.admin1)
        if p.lat is None or key in seen:
            continue
        seen.add(key)
        why = p.reason or ""
        if p.score is not None:
            why = f"{why} (score {p.score:.1f})" if why else f"score {p.score:.1f}"
        out.append({"name": p.name, "where": ", ".join(x for x in (p.admin1, p.country) if x and x != p.name),
                    "why": why})
    return out


@router.get("/paste", response_class=HTMLResponse, include_in_schema=False)
def paste_page(request: Request):
    return render("paste.html", page="paste")
