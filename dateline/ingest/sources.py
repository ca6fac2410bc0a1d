"""Where articles come from: files, folders, feeds, WARC archives and URLs,
read into a stream of articles and read errors (what `dateline ingest` reads)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Union

from dateline.ingest import DEFAULT_MAX_BYTES, InputError, read_bytes, read_path
from dateline.ingest.feeds import FEED_SUFFIXES, looks_like_feed, read_feed_bytes, read_feed_file
from dateline.ingest.fetch import DEFAULT_TIMEOUT, fetch, is_url
from dateline.ingest.warc import is_warc, read_warc
from dateline.model import Article

ARTICLE_SUFFIXES = {".txt", ".html", ".htm", ".json", ".jsonl", ".ndjson"}
FOLDER_SUFFIXES = ARTICLE_SUFFIXES | FEED_SUFFIXES
Record = Union[Article, InputError]


def expand(paths: Iterable[str]) -> list[str]:
    """Folders become their article, feed and WARC files (recursively, sorted)."""
    out = []
    for name in paths:
        p = Path(name)
        if not is_url(name) and p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not f.name.startswith(".") and (f.suffix.lower() in FOLDER_SUFFIXES or is_warc(f)):
                    out.append(str(f))
        else:
            out.append(str(name))
    return out


def read_inputs(files: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES, fetch_urls: bool = False,
                allow_private: bool = False, timeout: float = DEFAULT_TIMEOUT) -> Iterator[Record]:
    for name in files:
        if is_url(name):
            if not fetch_urls:
                yield InputError("fetching is off (use --fetch to read URLs)", source_file=name)
                continue
            yield from _read_url(name, max_bytes, allow_private, timeout)
        elif is_warc(name):
            yield from read_warc(name, max_bytes)
        elif Path(name).suffix.lower() in FEED_SUFFIXES or _sniff_feed(name):
            yield from read_feed_file(name, max_bytes)
        else:
            yield from read_path(name, max_bytes)


def _read_url(url: str, max_bytes: int, allow_private: bool, timeout: float) -> Iterator[Record]:
    try:
        data = fetch(url, allow_private=allow_private, max_bytes=max_bytes, timeout=timeout)
    except InputError as err:
        yield err.at(url)
        return
    if looks_like_feed(data):
        records = read_feed_bytes(data, base_url=url)
    else:  # an article page
        records = (r if isinstance(r, InputError) else r.model_copy(update={"url": r.url or url, "id": r.id or url})
                   for r in read_bytes(data, ".html", None))
    for record in records:
        yield record.at(url) if isinstance(record, InputError) else record


def _sniff_feed(name: str) -> bool:
    if Path(name).suffix.lower() in ARTICLE_SUFFIXES:
        return False
    try:
        with open(name, "rb") as f:
            return looks_like_feed(f.read(2048))
    except OSError:
        return False


__all__ = ["expand", "read_inputs", "ARTICLE_SUFFIXES", "FOLDER_SUFFIXES"]
