"""Every exception dateline raises on purpose, in one tree.

    DatelineError                 anything dateline refuses or cannot do; the message is one line
    ├── InputError                an input that cannot become an Article (file, JSONL line, URL, feed item)
    │   └── AnalysisError         the article was read but its analysis raised: a bug to report, not bad input
    ├── AnalysisTimeout           an article overran the per-article time limit (dateline.analyze.limits)
    ├── ModelNotFound             no spaCy model is installed (also a RuntimeError)
    ├── LexiconError              a lexicon data file is malformed, found when it is loaded (also a ValueError)
    ├── StoreError                a store that cannot be opened or written
    ├── StoreUnavailable          the database went away in the middle of a command
    │   └── StoreFull             a write failed for want of space; nothing of it was kept
    └── ClusterError              Dask is missing, or the cluster cannot be reached

A command turns any of them into `dateline: error: <message>` (or one line
per skipped article) and an exit status, never a traceback. The classes are
also importable from the modules that raise them (`dateline.ingest`,
`dateline.store`, `dateline.analyze.limits`, ...).
"""

from __future__ import annotations

from typing import Optional


class DatelineError(Exception):
    """The root: an error dateline reports in one line."""


class InputError(DatelineError):
    """An input that cannot become an Article. The message is one line; the
    file, line and article id say where, when known."""

    def __init__(self, message: str, *, source_file: Optional[str] = None,
                 line: Optional[int] = None, id: Optional[str] = None):
        self.message = " ".join(str(message).split())
        self.source_file = source_file
        self.line = line
        self.id = id
        super().__init__(self.message)

    def at(self, source_file: Optional[str], line: Optional[int] = None, id: Optional[str] = None) -> "InputError":
        """Fill in where the error happened, keeping what is already known."""
        self.source_file = self.source_file or source_file
        self.line = self.line or line
        self.id = self.id or id
        return self

    def __str__(self) -> str:
        # An article analysed from a batch has no file to name, only its id
        # (which comes from the input, so may hold line breaks).
        where = self.source_file or (f"article {one_line(self.id)}" if self.id and not self.line else "")
        if self.line:
            where += f" line {self.line}"
        return f"{where}: {self.message}" if where else self.message

    def to_json(self) -> dict:
        record = {"id": self.id, "source_file": self.source_file}
        if self.line:
            record["line"] = self.line
        record["error"] = self.message
        return record


class AnalysisError(InputError):
    """The article was read but the analysis raised: a bug to report, not bad input."""


class AnalysisTimeout(DatelineError):
    """An article took longer than the per-article time limit."""


class ModelNotFound(DatelineError, RuntimeError):
    """No spaCy model dateline can use is installed; the message says how to install one."""


class LexiconError(DatelineError, ValueError):
    """A lexicon data file is malformed (checked when it is loaded)."""


class StoreError(DatelineError):
    """A store that cannot be opened or written (one-line message)."""


class StoreUnavailable(DatelineError):
    """The database went away in the middle of a command (a server restarted,
    a network dropped): one-line message. Not a StoreError, which an ingest
    takes to mean "stored meanwhile by another writer"."""


class StoreFull(StoreUnavailable):
    """A write failed for want of space (or on an I/O error): the transaction
    was rolled back and nothing of it kept; the store is as before."""


class ClusterError(DatelineError):
    """Dask is missing, or the cluster cannot be reached (one-line message)."""


def one_line(value, limit: int = 200) -> str:
    """`value` as text on one line, cut at `limit` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit] + "..."


__all__ = ["DatelineError", "InputError", "AnalysisError", "AnalysisTimeout", "ModelNotFound", "LexiconError",
           "StoreError", "StoreUnavailable", "StoreFull", "ClusterError", "one_line"]
