"""What every fuzz target shares: run atheris on a function of bytes, with
the readers' contract as the check. A reader may return articles and
InputError records for anything it is given; any other exception, or a
record of another type, is a crash that atheris reports with its input."""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Coverage guides the fuzzer through our code and the pure-Python parsers
# under it (lxml, the C part of trafilatura's parsing, is not instrumented).
with atheris.instrument_imports(include=["dateline", "trafilatura", "feedparser", "warcio", "htmldate", "justext"]):
    import feedparser  # noqa: F401
    import trafilatura  # noqa: F401
    import warcio.archiveiterator  # noqa: F401
    import dateline.ingest.feeds  # noqa: F401
    import dateline.ingest.warc  # noqa: F401
    from dateline.ingest.common import InputError
    from dateline.model import Article


def check(records) -> int:
    n = 0
    for record in records:
        if not isinstance(record, (Article, InputError)):
            raise TypeError(f"reader returned a {type(record).__name__}")
        if isinstance(record, InputError) and "\n" in str(record):
            raise ValueError("an error message spans several lines")
        if isinstance(record, Article):
            # A lone surrogate cannot be stored or sent as UTF-8: readers refuse it.
            record.model_dump_json().encode("utf-8")
        n += 1
    return n


def run(target) -> None:
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()
