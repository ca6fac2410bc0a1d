"""WARC files (warcio): every `response` record whose HTTP Content-Type is
text/html becomes an Article through the HTML reader, with the record's
target URI as url and id.

A .warc.gz holds one gzip member per record. The members are inflated here,
one at a time and under a size limit, rather than by warcio: a few kilobytes
of gzip can inflate to gigabytes (a zip bomb), and a corrupt member should
cost that record only, not the rest of the file.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path
from typing import BinaryIO, Iterator, Optional, Union

from dateline.ingest.common import DEFAULT_MAX_BYTES, InputError, decode, size_label
from dateline.ingest.html import read_html
from dateline.model import Article

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
GZIP_MAGIC = b"\x1f\x8b\x08"
# WARC and HTTP headers come on top of the page itself.
HEADER_ALLOWANCE = 1024 * 1024
# Deflate tops out near 1032:1 on repeated bytes; web pages and WARC headers
# compress 3-15:1. A member inflating past the size limit at a higher ratio
# than this is a bomb, and the rest of the file is not worth inflating.
BOMB_RATIO = 200
CHUNK = 64 * 1024

Record = Union[Article, InputError]


def is_warc(path: Union[str, Path]) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES)


def read_warc(path: Union[str, Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Record]:
    name = str(path)
    try:
        stream = open(path, "rb")
    except OSError as exc:
        yield InputError(exc.strerror or type(exc).__name__, source_file=name)
        return
    with stream:
        for record in read_warc_stream(stream, max_bytes):
            yield record.at(name) if isinstance(record, InputError) else record


def read_warc_stream(stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Record]:
    """Articles and errors from a seekable binary stream of (W)ARC data."""
    start = stream.tell()
    gzipped = stream.read(3) == GZIP_MAGIC
    stream.seek(start)
    if not gzipped:
        yield from _records(stream, max_bytes)
        return
    for member in gzip_members(stream, max_bytes + HEADER_ALLOWANCE):
        if isinstance(member, InputError):
            yield member
        else:
            yield from _records(io.BytesIO(member), max_bytes)


def gzip_members(stream: BinaryIO, limit: int) -> Iterator[Union[bytes, InputError]]:
    """The inflated content of each gzip member, or an error for a member
    that is corrupt or inflates beyond `limit` bytes. Never holds more than
    `limit` bytes; after a corrupt member, reading resumes at the next gzip
    header."""
    offset = stream.tell()
    pending = b""
    while True:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        parts: list[bytes] = []
        size = fed = 0
        try:
            while not inflater.eof:
                data = pending or stream.read(CHUNK)
                pending = b""
                if not data:
                    break
                fed += len(data)
                while data and not inflater.eof:
                    piece = inflater.decompress(data, CHUNK)
                    data = inflater.unconsumed_tail
                    size += len(piece)
                    if size <= limit:
                        parts.append(piece)
                        continue
                    parts = []
                    used = fed - len(data)
                    if size > BOMB_RATIO * used:
                        yield InputError(f"gzip member at byte {offset} inflates over {size_label(size)} "
                                         f"from {size_label(used)} (a zip bomb?); rest of the file skipped")
                        return
        except zlib.error:
            yield InputError(f"corrupt gzip data at byte {offset}")
            pending = b""
            offset = _next_gzip_header(stream, offset + 1)
            if offset is None:
                return
            continue
        if not inflater.eof:
            if fed:
                yield InputError(f"truncated gzip data at byte {offset}")
            return
        pending = inflater.unused_data
        if size > limit:
            yield InputError(f"record at byte {offset} is over the {size_label(limit)} limit")
        else:
            yield b"".join(parts)
        offset += fed - len(pending)
        if not pending:
            pending = stream.read(CHUNK)
            if not pending:
                return
        if not pending.startswith(GZIP_MAGIC[:len(pending)]):
            # Trailing garbage or an uncompressed tail: look for more members.
            stream.seek(offset)
            pending = b""
            offset = _next_gzip_header(stream, offset)
            if offset is None:
                return


def _next_gzip_header(stream: BinaryIO, offset: int) -> Optional[int]:
    """Seek to the next gzip header at or after `offset`; its offset, or None."""
    stream.seek(offset)
    carry = b""
    base = offset
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return None
        window = carry + chunk
        at = window.find(GZIP_MAGIC)
        if at >= 0:
            stream.seek(base - len(carry) + at)
            return base - len(carry) + at
        carry = window[-(len(GZIP_MAGIC) - 1):]
        base += len(chunk)


def _records(stream: BinaryIO, max_bytes: int) -> Iterator[Record]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if "html" not in ctype:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            data = record.content_stream().read(max_bytes + 1)
            if len(data) > max_bytes:
                yield InputError(f"record is over the {size_label(max_bytes)} limit", id=uri)
                continue
            try:
                article = read_html(decode(data), id=uri)
                yield article.model_copy(update={"url": article.url or uri, "id": uri or article.id})
            except InputError as err:
                yield err.at(None, id=uri)
    except (ArchiveLoadFailed, OSError, ValueError, EOFError, zlib.error) as exc:
        yield InputError(f"not a readable WARC record ({_one_line(exc)})")
    except Exception as exc:  # warcio trips over some malformed headers (found by fuzzing)
        yield InputError(f"not a readable WARC record ({type(exc).__name__}: {_one_line(exc)})")


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return (text[:200] + "...") if len(text) > 200 else text or type(exc).__name__
