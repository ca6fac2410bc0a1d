"""The corpus store: articles, their analyses and what was extracted, kept in
one database that a person can open with the sqlite3 shell or datasette.

    from dateline.store import open_store

    with open_store("dateline.db") as store:
        if not store.has(article.id):
            store.add(article, analysis)
        for row in store.events(type="ASSAULT", country="UA", since="2025-07-01"):
            ...

`open_store(target)` (or `Store.open(target)`) opens a SQLite file, or a
PostgreSQL database for a `postgresql://user:password@host:port/dbname` URL
(for teams and several writers at once). The SQL both share is in the
abstract `dateline.store.base.Store`, which names no backend; what only one
says is in `dateline.store.sqlite` and `dateline.store.postgres`. The
schema is versioned: numbered migrations in `migrations/NNNN_name.sql`
(PostgreSQL: `migrations/postgres/`) are applied in order when a store is
opened for writing, and recorded in the `schema_migrations` table.
"""

from __future__ import annotations

import os

from pathlib import Path
from typing import Union

from dateline.store.base import Store, StoreError, StoreFull, StoreUnavailable, is_postgres
from dateline.store.sqlite import SQLiteStore

# The store commands open when --db is not given: $DATELINE_DB, else a file here.
DEFAULT_DB = os.environ.get("DATELINE_DB") or "dateline.db"


def open_store(target: Union[str, Path] = "dateline.db", *, readonly: bool = False) -> Store:
    """Open the store at `target`: PostgreSQL for a postgresql:// (or
    postgres://) URL, else a SQLite file. Opened for writing, its schema is
    migrated to the current version first."""
    if is_postgres(target):
        # Imported only for a PostgreSQL URL: psycopg is an optional dependency.
        from dateline.store.postgres import PostgresStore

        return PostgresStore.open(str(target), readonly=readonly)
    return SQLiteStore.open(target, readonly=readonly)


__all__ = ["open_store", "Store", "StoreError", "StoreFull", "StoreUnavailable", "DEFAULT_DB", "is_postgres"]
