"""RSS and Atom feeds (feedparser), from a local file or, when fetching is
allowed, a URL. Each entry becomes an Article: its content (or summary) as
text, its link as url, its guid (else link) as id, the feed title as source.

URLs are fetched by dateline.ingest.fetch, under its limits.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path
from typing import Iterator, Optional, Union

from dateline.ingest.common import DEFAULT_MAX_BYTES, InputError, iso_date, size_label, text_id
from dateline.model import Article

FEED_SUFFIXES = {".rss", ".atom", ".xml"}
# [^<>] rather than [^>]: on a run of "<" with no ">" each match attempt
# stops at the next "<" instead of scanning to the end (quadratic).
_TAG = re.compile(r"<[^<>]*>")
_BLOCK = re.compile(r"</?(p|br|div|li|h\d)\b[^<>]*>", re.I)
_HIDDEN = re.compile(r"<(script|style)\b", re.I)


def looks_like_feed(data: Union[bytes, str]) -> bool:
    head = data[:2048] if isinstance(data, str) else data[:2048].decode("utf-8", "replace")
    head = head.lstrip("\ufeff \t\r\n").lower()
    return head.startswith("<?xml") and ("<rss" in head or "<feed" in head or "<rdf:rdf" in head) \
        or head.startswith(("<rss", "<feed"))


def read_feed_file(path: Union[str, Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Union[Article, InputError]]:
    path = Path(path)
    try:
        if path.stat().st_size > max_bytes:
            yield InputError(f"file is over the {size_label(max_bytes)} limit", source_file=str(path))
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(exc.strerror or type(exc).__name__, source_file=str(path))
        return
    for record in read_feed_bytes(data):
        yield record.at(str(path)) if isinstance(record, InputError) else record


def read_feed_bytes(data: bytes, base_url: Optional[str] = None) -> Iterator[Union[Article, InputError]]:
    import feedparser

    # feedparser's HTML sanitiser is quadratic on some tag soup (200 KB of
    # "<" takes minutes); the text is stripped of tags below anyway.
    from dateline.analyze import limits

    try:
        with limits.time_limit(what="reading the feed"):
            parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except limits.AnalysisTimeout as exc:
        yield InputError(str(exc))
        return
    except Exception as exc:  # feedparser mostly reports problems as `bozo`, but not all (fuzzing)
        yield InputError(f"not a readable feed ({type(exc).__name__})")
        return
    if not parsed.entries:
        if parsed.bozo:
            yield InputError(f"not a readable feed ({type(parsed.bozo_exception).__name__})")
        else:
            yield InputError("feed has no entries")
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for n, entry in enumerate(parsed.entries, 1):
        try:
            yield entry_article(entry, outlet)
        except InputError as err:
            yield err.at(None, id=entry.get("id") or entry.get("link") or f"entry {n}")


def entry_article(entry, outlet: Optional[str] = None) -> Article:
    body = ""
    for content in entry.get("content") or []:
        if len(content.get("value") or "") > len(body):
            body = content["value"]
    summary = entry.get("summary") or ""
    if len(summary) > len(body):
        body = summary
    text = html_to_text(body)
    if not text:
        raise InputError("feed entry has no text")
    published = None
    for key in ("published_parsed", "updated_parsed"):
        if entry.get(key):
            published = "%04d-%02d-%02d" % tuple(entry[key][:3])
            break
    if not published:
        published = iso_date(entry.get("published") or entry.get("updated"))
    link = entry.get("link")
    return Article(id=entry.get("id") or link or text_id(text), title=html_to_text(entry.get("title") or "") or None,
                   source=outlet, url=link, published=published, text=text)


def html_to_text(fragment: str) -> str:
    if "<" not in fragment:
        return "\n".join(line.strip() for line in htmllib.unescape(fragment).strip().splitlines() if line.strip())
    text = _BLOCK.sub("\n", _drop_hidden(fragment))
    text = htmllib.unescape(_TAG.sub("", text))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _drop_hidden(fragment: str) -> str:
    """Without the content of <script> and <style> elements. A scan rather
    than a regex, so that unclosed elements cost linear time."""
    lower = fragment.lower()
    out, pos = [], 0
    while match := _HIDDEN.search(lower, pos):
        out.append(fragment[pos:match.start()])
        end = lower.find("</" + match.group(1).lower(), match.end())
        close = lower.find(">", end) if end >= 0 else -1
        pos = close + 1 if close >= 0 else len(fragment)
    out.append(fragment[pos:])
    return "".join(out)
