"""Questions to the corpus store, as Python functions and readable tables.

    from dateline import query
    rows = query.events("dateline.db", type="ASSAULT", country="UA", since="2025-07-01", place="Kyiv")
    rows = query.quotes("dateline.db", speaker="Ushakov")
    hits = query.search("dateline.db", "draft office")      # {"articles": [...], "quotes": [...]}
    query.stories("dateline.db"); query.story("dateline.db", "story-...")

Each function takes a store (a SQLite path or a postgresql:// URL) or an open
Store, and returns plain dicts.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional, Sequence, Union

from dateline.store import DEFAULT_DB, Store

StoreLike = Union[str, Path, Store]


@contextmanager
def _opened(store: StoreLike) -> Iterator[Store]:
    if isinstance(store, (str, Path)):
        s = Store.open(store, readonly=True)
        try:
            yield s
        finally:
            s.close()
    else:
        yield store


def events(store: StoreLike = DEFAULT_DB, **filters) -> list[dict]:
    """Filters: type, country, since, until (ISO dates), place (location or
    admin1, any case), article_id, include_duplicates, limit."""
    with _opened(store) as s:
        return s.events(**filters)


def quotes(store: StoreLike = DEFAULT_DB, speaker: Optional[str] = None, **filters) -> list[dict]:
    with _opened(store) as s:
        return s.quotes(speaker=speaker, **filters)


def search(store: StoreLike, text: str, limit: int = 20) -> dict[str, list[dict]]:
    with _opened(store) as s:
        return s.search(text, limit=limit)


def stories(store: StoreLike = DEFAULT_DB, **filters) -> list[dict]:
    with _opened(store) as s:
        return s.stories(**filters)


def story(store: StoreLike, story_id: str) -> Optional[dict]:
    with _opened(store) as s:
        return s.story(story_id)


# --- readable tables -----------------------------------------------------------

EVENT_TABLE = (("date", 10), ("type", 9), ("mode", 10), ("location", 16), ("country", 3), ("actor", 18),
               ("target", 18), ("killed", 4), ("source", 14), ("article_id", 20))
QUOTE_TABLE = (("published", 10), ("speaker", 22), ("cue", 12), ("content", 70), ("source", 14))
PERSON_TABLE = (("id", 36), ("name", 28), ("kind", 12), ("quotes", 6), ("articles", 8))
STORY_TABLE = (("id", 18), ("date", 10), ("type", 9), ("location", 16), ("country", 3), ("killed", 4),
               ("corroboration", 3), ("summary", 60))


def table(rows: Sequence[dict], columns: Sequence[tuple[str, int]]) -> str:
    """Fixed-width text table; long cells are cut with an ellipsis."""
    def cell(value, width):
        text = "" if value is None else " ".join(str(value).split())
        return text if len(text) <= width else text[:width - 1] + "…"

    widths = []
    for name, width in columns:
        width = max(width, len(name))
        longest = max([len(cell(r.get(name), max(width, len(name)))) for r in rows] + [len(name)])
        widths.append((name, longest))
    lines = ["  ".join(cell(n, w).ljust(w) for n, w in widths).rstrip(),
             "  ".join("-" * w for _, w in widths)]
    for r in rows:
        lines.append("  ".join(cell(r.get(n), w).ljust(w) for n, w in widths).rstrip())
    return "\n".join(lines)
