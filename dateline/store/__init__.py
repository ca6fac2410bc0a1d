"""The corpus store: articles, their analyses and what was extracted, kept in
one database that a person can open with the sqlite3 shell or datasette.

    from dateline.store import Store

    with Store.open("dateline.db") as store:
        if not store.has(article.id):
            store.add(article, analysis)
        for row in store.events(type="ASSAULT", country="UA", since="2025-07-01"):
            ...

`Store.open(target)` opens a SQLite file, or a PostgreSQL database for a
`postgresql://user:password@host:port/dbname` URL (for teams and several
writers at once). The SQL both share is in `dateline.store.base`; what only
one says is in `dateline.store.sqlite` and `dateline.store.postgres`. The
schema is versioned: numbered migrations in `migrations/NNNN_name.sql`
(PostgreSQL: `migrations/postgres/`) are applied in order when a store is
opened for writing, and recorded in the `schema_migrations` table.
"""

from __future__ import annotations

import os

from dateline.store.base import Store, StoreError, StoreFull, StoreUnavailable, is_postgres

# The store commands open when --db is not given: $DATELINE_DB, else a file here.
DEFAULT_DB = os.environ.get("DATELINE_DB") or "dateline.db"

__all__ = ["Store", "StoreError", "StoreFull", "StoreUnavailable", "DEFAULT_DB", "is_postgres"]
