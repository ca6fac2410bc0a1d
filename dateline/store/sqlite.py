"""The SQLite backend of the corpus store: one file (WAL mode, foreign keys
on), FTS5 full-text search. The SQL both backends share is in
dateline.store.base; this module holds what only SQLite says."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import Union

from dateline.store.base import PERSONS_MIGRATION, EVENT_COLUMNS, Store, StoreError, event_row, migrations

__all__ = ["SQLiteStore", "StoreError", "EVENT_COLUMNS", "event_row", "migrations"]


class SQLiteStore(Store):
    """One SQLite file. Writers take the write lock when their transaction
    begins (BEGIN IMMEDIATE), so an `add` sees every earlier one."""

    BEGIN = "BEGIN IMMEDIATE"
    ARTICLE_ORDER = "rowid"
    NO_LIMIT = -1

    @classmethod
    def open(cls, path: Union[str, Path] = "dateline.db", *, readonly: bool = False) -> "SQLiteStore":
        path = str(path)
        try:
            if readonly:
                if not Path(path).exists():
                    raise StoreError(f"{path}: no such store (run `dateline ingest` first)")
                conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            else:
                conn = sqlite3.connect(path, isolation_level=None, timeout=30)
            conn.row_factory = sqlite3.Row
            if not readonly:
                _set_wal(conn)
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the store ({exc})") from None
        store = cls(conn, path)
        if not readonly:
            store.migrate()
        return store

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
        super().close()

    def migrate(self) -> list[int]:
        """Apply the migrations not yet applied, each in its own transaction."""
        c = self.conn
        c.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                  "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))")
        done = {r[0] for r in c.execute("SELECT version FROM schema_migrations")}
        applied = []
        for version, name, sql in migrations():
            if version in done:
                continue
            try:
                c.execute("BEGIN IMMEDIATE")
                # Re-check under the write lock: another process may have just migrated.
                if c.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone():
                    c.execute("COMMIT")
                    continue
                for statement in _statements(sql):
                    c.execute(statement)
                c.execute("INSERT INTO schema_migrations(version, name) VALUES (?, ?)", (version, name))
                c.execute("COMMIT")
            except sqlite3.Error as exc:
                c.execute("ROLLBACK")
                raise StoreError(f"{self.path}: migration {version:04d}_{name} failed ({exc})") from None
            applied.append(version)
        if PERSONS_MIGRATION in applied:
            self.link_stored_quotes()
        return applied

    def _same_text(self, column: str) -> str:
        return f"{column} = ? COLLATE NOCASE"

    def _contains(self, column: str) -> str:
        return f"{column} LIKE ? ESCAPE '\\'"  # LIKE ignores ASCII case in SQLite

    def _words_match(self, column: str, words: str, in_order: bool) -> tuple[str, str]:
        return ("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)",
                f"{column} : (" + _fts_phrase(words, any_order=not in_order) + ")")

    def search(self, query: str, limit: int = 20) -> dict[str, list[dict]]:
        """Full-text search over article titles and texts and over quotes (an
        FTS5 query, or the words of anything else)."""
        out: dict[str, list[dict]] = {}
        for expr in (query, _fts_phrase(query, any_order=True)):
            try:
                out["articles"] = [dict(r) for r in self.conn.execute(
                    "SELECT a.id, a.title, a.source, a.published, a.url, "
                    "snippet(articles_fts, 1, '[', ']', '...', 12) AS snippet FROM articles_fts "
                    "JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ? "
                    "ORDER BY rank LIMIT ?", (expr, limit))]
                out["quotes"] = [dict(r) for r in self.conn.execute(
                    "SELECT q.article_id, q.idx, q.speaker, q.content, a.source, a.published FROM quotes_fts "
                    "JOIN quotes q ON q.id = quotes_fts.rowid JOIN articles a ON a.id = q.article_id "
                    "WHERE quotes_fts MATCH ? ORDER BY rank LIMIT ?", (expr, limit))]
                return out
            except sqlite3.OperationalError:
                continue  # not valid FTS5 syntax: search the words instead
        return {"articles": [], "quotes": []}

    def integrity_check(self) -> str:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]


def _fts_phrase(text: str, any_order: bool = False) -> str:
    """User words as a safe FTS5 expression: each word quoted; a phrase, or
    (any_order) all words anywhere."""
    words = re.findall(r"\w+", text)
    if not words:
        return '""'
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    return " ".join(quoted) if any_order else "(" + " + ".join(quoted) + ")"


def _statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    out, current = [], []
    for line in sql.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("--")):
            continue
        current.append(line)
        text = "\n".join(current)
        if stripped.endswith(";") and sqlite3.complete_statement(text):
            out.append(text)
            current = []
    if current and "\n".join(current).strip():
        out.append("\n".join(current))
    return out


def _set_wal(conn: sqlite3.Connection, seconds: float = 30.0) -> None:
    """Switch to WAL, waiting for other openers: the switch can report
    'database is locked' at once, without SQLite's busy handler, while a new
    store's first connections race each other."""
    deadline = time.monotonic() + seconds
    delay = 0.01
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
