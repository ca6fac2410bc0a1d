"""The corpus store: articles, their analyses and what was extracted, kept in
one database that a person can open with the sqlite3 shell or datasette.

    from dateline.store import Store

    with Store.open("dateline.db") as store:
        if not store.has(article.id):
            store.add(article, analysis)
        for row in store.events(type="ASSAULT", country="UA", since="2025-07-01"):
            ...

All SQL is in `dateline.store.sqlite` (the only backend for now); a PostgreSQL
backend would implement the same `Store` methods. The schema is versioned:
numbered migrations in `migrations/NNNN_name.sql` are applied in order when a
store is opened, and recorded in the `schema_migrations` table.
"""

from __future__ import annotations

from dateline.store.sqlite import SQLiteStore as Store, StoreError

DEFAULT_DB = "dateline.db"

__all__ = ["Store", "StoreError", "DEFAULT_DB"]
