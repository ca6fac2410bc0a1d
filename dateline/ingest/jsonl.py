"""JSON article objects and JSON Lines batches.

Fields: id, title, source, url, published, language, and text or html.
Other fields are ignored, so exports from other tools can be read as they are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO, Iterator, Union

from dateline.model import Article
from dateline.ingest.common import InputError, check_id, check_unicode, decode, iso_date, load_json, size_label

STRING_FIELDS = ("title", "source", "url", "language")


def article_from_json(obj, default_id: str) -> Article:
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object, got {type(obj).__name__}")
    for key, value in obj.items():
        if isinstance(value, str):
            check_unicode(key, value)
    id = obj.get("id")
    if id not in (None, ""):
        id = str(id)
        check_id(id)
    else:
        id = default_id
    text, html = obj.get("text"), obj.get("html")
    if text not in (None, ""):
        if not isinstance(text, str):
            raise InputError("'text' is not a string", id=id)
        if not text.strip():
            raise InputError("'text' is blank", id=id)
        fields = {"text": text.strip()}
    elif html not in (None, ""):
        if not isinstance(html, str):
            raise InputError("'html' is not a string", id=id)
        from dateline.ingest.html import read_html

        try:
            fields = read_html(html).model_dump(exclude_none=True)
        except InputError as err:
            raise err.at(None, id=id)
    else:
        raise InputError("no 'text' or 'html' field", id=id)
    # The object's own metadata wins over what was found in its HTML.
    for key in STRING_FIELDS:
        if obj.get(key) not in (None, ""):
            fields[key] = str(obj[key])
    # As a reader says them: "Reuters", not "Reuters_Co_Uk"; no "| DW | 19.01.2020".
    from dateline.ingest.outlets import clean_title, outlet_name

    if fields.get("source") or fields.get("url"):
        fields["source"] = outlet_name(fields.get("source"), fields.get("url"))
    if fields.get("title"):
        fields["title"] = clean_title(fields["title"], fields.get("source"), fields.get("url"))
    published = fields.get("published")
    if obj.get("published") not in (None, ""):
        # Only dates are taken: stored as given, a word like "Tuesday" sorted after every ISO date and so
        # matched date filters.
        published = iso_date(obj["published"])
        if published is None:
            raise InputError(f"'published' is not a date: {str(obj['published'])[:40]!r} (use YYYY-MM-DD)", id=id)
    fields.update(id=id, published=published)
    return Article(**fields)


def read_json(text: str, stem: str) -> Iterator[Union[Article, InputError]]:
    """One article object, or a list of them."""
    try:
        data = load_json(text)
    except InputError as err:
        yield err
        return
    except json.JSONDecodeError as exc:
        yield InputError(f"not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})")
        return
    items = data if isinstance(data, list) else [data]
    if not items:
        yield InputError("empty JSON list")
    for n, obj in enumerate(items, 1):
        try:
            yield article_from_json(obj, stem if len(items) == 1 else f"{stem}-{n}")
        except InputError as err:
            yield err


def read_jsonl(path: Path, max_bytes: int) -> Iterator[Union[Article, InputError]]:
    """One article per line, each read on its own: a bad line is an error
    record (with its line number) and the next line goes on. The file is
    streamed, so its size does not matter, only each line's."""
    with open(path, "rb") as f:
        yield from read_jsonl_stream(f, path.stem, max_bytes)


def read_jsonl_stream(f: BinaryIO, stem: str, max_bytes: int) -> Iterator[Union[Article, InputError]]:
    seen_any = False
    lineno = 0
    while True:
        raw = f.readline(max_bytes + 1)
        if not raw:
            break
        lineno += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            _skip_rest_of_line(f)
            yield InputError(f"line longer than the {size_label(max_bytes)} limit", line=lineno)
            continue
        if not raw.strip():
            continue
        seen_any = True
        yield _jsonl_record(raw, lineno, stem)
    if not seen_any:
        yield InputError("empty file")


def _jsonl_record(raw: bytes, lineno: int, stem: str) -> Union[Article, InputError]:
    default_id = f"{stem}-{lineno}"
    try:
        obj = load_json(decode(raw))
    except InputError as err:
        return err.at(None, line=lineno)
    except json.JSONDecodeError as exc:
        return InputError(f"not JSON ({exc.msg} at column {exc.colno})", line=lineno)
    try:
        return article_from_json(obj, default_id)
    except InputError as err:
        return err.at(None, line=lineno, id=obj.get("id") if isinstance(obj, dict) else None)


def _skip_rest_of_line(f) -> None:
    while True:
        chunk = f.readline(1024 * 1024)
        if not chunk or chunk.endswith(b"\n"):
            return


def count_lines(path: Path) -> int:
    """Lines in a file without holding it in memory, for progress totals."""
    n, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(1024 * 1024):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


