"""Reading articles from files: plain text, HTML, JSON and JSON Lines.

`read_path` yields Article objects and, for inputs that cannot be read,
InputError objects (not raised), so a batch goes on past a bad article:

    for record in read_path("batch.jsonl"):
        if isinstance(record, InputError):
            print(record)          # "batch.jsonl line 3: not JSON (...)"
        else:
            analyse(record)
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from dateline.model import Article
from dateline.ingest.common import DEFAULT_MAX_BYTES, InputError, decode, iso_date, size_label, text_id
from dateline.ingest.html import looks_like_html, read_html
from dateline.ingest.jsonl import count_lines, read_json, read_jsonl
from dateline.ingest.text import read_text

Record = Union[Article, InputError]
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


def is_jsonl(path: Union[str, Path]) -> bool:
    return Path(path).suffix.lower() in JSONL_SUFFIXES


def estimate_articles(files: list[str]) -> int:
    """Articles to expect, for a progress bar: a JSONL file's line count,
    one for any other file."""
    total = 0
    for name in files:
        try:
            total += count_lines(Path(name)) if is_jsonl(name) else 1
        except OSError:
            total += 1
    return total


def read_path(path: Union[str, Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Record]:
    path = Path(path)
    name = str(path)
    for record in _read_path(path, max_bytes):
        if isinstance(record, InputError):
            record.at(name)
        yield record


def read_paths(paths: Iterable[Union[str, Path]], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Record]:
    for path in paths:
        yield from read_path(path, max_bytes)


def _read_path(path: Path, max_bytes: int) -> Iterator[Record]:
    try:
        if path.is_dir():
            yield InputError("is a directory")
            return
        size = path.stat().st_size
        if is_jsonl(path):
            yield from read_jsonl(path, max_bytes)
            return
        # Refuse before reading: a 50 MB file is never loaded whole.
        if size > max_bytes:
            yield InputError(f"file is {size_label(size)}, over the {size_label(max_bytes)} limit", id=path.stem)
            return
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)  # stat can lie (pipes, /proc)
    except FileNotFoundError:
        yield InputError("no such file")
        return
    except OSError as exc:
        yield InputError(exc.strerror or type(exc).__name__)
        return
    if len(data) > max_bytes:
        yield InputError(f"file is over the {size_label(max_bytes)} limit", id=path.stem)
        return
    yield from read_bytes(data, path.suffix.lower(), path.stem)


def read_bytes(data: bytes, suffix: str = "", stem: Optional[str] = None) -> Iterator[Record]:
    """Articles from a file's content; `suffix` picks the format (".json",
    ".html"...), and unknown suffixes are sniffed for HTML."""
    if not data.strip():
        yield InputError("empty file", id=stem)
        return
    try:
        text = decode(data)
    except InputError as err:
        yield err.at(None, id=stem)
        return
    if not text.strip():
        yield InputError("empty file", id=stem)
        return
    if suffix == ".json":
        yield from read_json(text, stem or text_id(text))
        return
    try:
        if suffix in HTML_SUFFIXES or looks_like_html(text):
            yield read_html(text, id=stem or text_id(text))
        else:
            yield read_text(text, id=stem or text_id(text))
    except InputError as err:
        yield err.at(None, id=stem)


__all__ = [
    "Article", "InputError", "Record", "DEFAULT_MAX_BYTES", "read_path", "read_paths",
    "read_bytes", "read_text", "read_html", "is_jsonl", "count_lines", "estimate_articles", "iso_date",
]
