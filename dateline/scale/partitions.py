"""Cutting the input into partitions that workers read on their own.

A partition is a few small files, or a range of lines of a large JSONL file,
or a range of records of a large WARC file: about PARTITION articles, so the
work spreads evenly and a checkpoint loses little. Ranges are byte offsets
found by a quick scan (line ends, WARC record starts), so a worker seeks
straight to its range instead of reading the file from the top.

Reading a partition gives exactly the records that reading its files whole
gives, in the same order, with the same ids and line numbers.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator, Optional

from dateline.ingest import Record, is_jsonl
from dateline.ingest.sources import read_inputs
from dateline.ingest.warc import GZIP_MAGIC, is_warc

PARTITION = 64  # articles per partition


@dataclass(frozen=True)
class Piece:
    """A whole file (stop None), or the bytes [start, stop) of a JSONL or WARC file."""
    path: str
    start: int = 0
    stop: Optional[int] = None
    first_line: int = 1  # JSONL: the number of the range's first line

    def describe(self) -> str:
        return self.path if self.stop is None else f"{self.path} bytes {self.start}-{self.stop}"


@dataclass(frozen=True)
class Partition:
    index: int
    pieces: tuple[Piece, ...]
    key: str  # names this content: path, size, modification time and range

    def describe(self) -> str:
        first = self.pieces[0].describe()
        return first if len(self.pieces) == 1 else f"{first} and {len(self.pieces) - 1} more files"


def split(files: list[str], size: int = PARTITION) -> list[Partition]:
    """Partitions of these files, in input order."""
    groups: list[list[Piece]] = []
    small: list[Piece] = []
    for name in files:
        path = os.path.abspath(name)
        ranges = _warc_ranges(path, size) if is_warc(path) else _jsonl_ranges(path, size) if is_jsonl(path) else []
        if len(ranges) < 2:
            small.append(Piece(path))
            if len(small) >= size:
                groups.append(small)
                small = []
            continue
        if small:
            groups.append(small)
            small = []
        groups += [[piece] for piece in ranges]
    if small:
        groups.append(small)
    return [Partition(i, tuple(pieces), _key(pieces)) for i, pieces in enumerate(groups)]


def read(partition: Partition, max_bytes: int) -> Iterator[Record]:
    """The partition's records: articles and read errors, in file order."""
    for piece in partition.pieces:
        if piece.stop is None:
            yield from read_inputs([piece.path], max_bytes=max_bytes)
        elif is_warc(piece.path):
            yield from _read_warc_range(piece, max_bytes)
        else:
            yield from _read_jsonl_range(piece, max_bytes)


def _key(pieces: list[Piece]) -> str:
    parts = []
    for p in pieces:
        try:
            st = os.stat(p.path)
            stamp = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            stamp = "missing"
        parts.append(f"{p.path}:{stamp}:{p.start}:{p.stop}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


# JSONL: ranges of lines ------------------------------------------------------

LINE_CHUNK = 1024 * 1024


def _jsonl_ranges(path: str, size: int) -> list[Piece]:
    """Ranges of `size` non-blank lines each."""
    pieces: list[Piece] = []
    start, first_line, lineno, filled = 0, 1, 0, 0
    try:
        with open(path, "rb") as f:
            while True:
                line_blank, raw = True, b""
                while True:  # one line, read in chunks so a huge line is never held
                    raw = f.readline(LINE_CHUNK)
                    line_blank = line_blank and not raw.strip()
                    if not raw or raw.endswith(b"\n"):
                        break
                if not raw and line_blank:
                    break
                lineno += 1
                filled += not line_blank
                if filled >= size:
                    end = f.tell()
                    pieces.append(Piece(path, start, end, first_line))
                    start, first_line, filled = end, lineno + 1, 0
            if filled:
                pieces.append(Piece(path, start, f.tell(), first_line))
    except OSError:
        return []
    return pieces


def _read_jsonl_range(piece: Piece, max_bytes: int) -> Iterator[Record]:
    from dateline.ingest.common import InputError
    from dateline.ingest.jsonl import read_jsonl_stream

    with open(piece.path, "rb") as f:
        lines = _LineRange(f, piece.start, piece.stop, piece.first_line)
        for record in read_jsonl_stream(lines, Path(piece.path).stem, max_bytes):
            yield record.at(piece.path) if isinstance(record, InputError) else record


class _LineRange:
    """The lines of a byte range, numbered as in the whole file: the lines
    before the range read as blank lines, which the JSONL reader counts and skips."""

    def __init__(self, f: BinaryIO, start: int, stop: int, first_line: int):
        f.seek(start)
        self.f, self.stop, self.blank = f, stop, first_line - 1

    def readline(self, limit: int = -1) -> bytes:
        if self.blank:
            self.blank -= 1
            return b"\n"
        if self.f.tell() >= self.stop:
            return b""
        return self.f.readline(limit)


# WARC: ranges of records -------------------------------------------------------

def _warc_ranges(path: str, size: int) -> list[Piece]:
    """Ranges of `size` records each, cut where a record starts. Only for an
    uncompressed WARC or a .warc.gz with one gzip member per record (the
    standard); anything else is read whole."""
    try:
        from warcio.archiveiterator import ArchiveIterator

        offsets = []
        with open(path, "rb") as f:
            gzipped = f.read(3) == GZIP_MAGIC
            f.seek(0)
            records = ArchiveIterator(f)
            for _ in records:
                offsets.append(records.get_record_offset())
            end = f.seek(0, io.SEEK_END)
            if gzipped:
                for offset in offsets[::size]:
                    f.seek(offset)
                    if f.read(3) != GZIP_MAGIC:
                        return []
    except Exception:  # unreadable here: a worker reads it whole and reports why
        return []
    cuts = offsets[::size] + [end]
    return [Piece(path, a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _read_warc_range(piece: Piece, max_bytes: int) -> Iterator[Record]:
    from dateline.ingest.common import InputError
    from dateline.ingest.warc import read_warc_stream

    with open(piece.path, "rb") as f:
        window = io.BufferedReader(_Window(f, piece.start, piece.stop))
        for record in read_warc_stream(window, max_bytes):
            yield record.at(piece.path) if isinstance(record, InputError) else record


class _Window(io.RawIOBase):
    """The bytes [start, stop) of a file, at their offsets in the file."""

    def __init__(self, f: BinaryIO, start: int, stop: int):
        self.f, self.start, self.stop = f, start, stop
        f.seek(start)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = max(0, min(len(buffer), self.stop - self.f.tell()))
        data = self.f.read(n)
        buffer[:len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.f.tell(), io.SEEK_END: self.stop}[whence]
        return self.f.seek(min(max(base + offset, self.start), self.stop))

    def tell(self) -> int:
        return self.f.tell()
