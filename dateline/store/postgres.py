"""The PostgreSQL backend of the corpus store (psycopg 3), for teams and for
several writers at once. Opened by `Store.open("postgresql://...")`.

What differs from SQLite: `?` placeholders become `%s`; full-text search is a
tsvector with GIN indexes queried with websearch_to_tsquery; the ingestion
order is a `seq` identity column; the migrations are in migrations/postgres/;
writers serialise their `add`s, story rebuilds and migrations with
transaction-level advisory locks (held until COMMIT), so a duplicate is
refused and a near-copy is linked exactly as with one SQLite writer.
"""

from __future__ import annotations

import re
from functools import lru_cache

import psycopg
from psycopg import errors

from dateline.store.base import PERSONS_MIGRATION, Store, StoreError, StoreFull, StoreUnavailable, migrations

# What may not be stored as PostgreSQL text: NUL. Replaced by U+FFFD, one
# character for one, so that every stored offset still points at the same text.
NUL, REPLACEMENT = "\x00", "\ufffd"


class PostgresStore(Store):
    BEGIN = "BEGIN"
    ARTICLE_ORDER = "seq"
    NO_LIMIT = None  # LIMIT NULL is no limit
    CONFLICT_ERRORS = (errors.UniqueViolation,)

    @classmethod
    def open(cls, url: str, *, readonly: bool = False) -> "PostgresStore":
        shown = redact(str(url))
        try:
            raw = psycopg.connect(str(url), autocommit=True, row_factory=_rows, connect_timeout=10,
                                  application_name="dateline")
        except psycopg.Error as exc:
            raise StoreError(f"{shown}: cannot open the store ({_one_line(exc)})") from None
        store = cls(_Connection(raw, shown), shown)
        try:
            if readonly:
                raw.execute("SET default_transaction_read_only = on")
                if raw.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
                    raise StoreError(f"{shown}: no such store (run `dateline ingest` first)")
            else:
                store.migrate()
        except BaseException:
            store.close()
            raise
        return store

    def migrate(self) -> list[int]:
        """Apply the migrations not yet applied, each in its own transaction,
        holding a lock so that writers opening a new database at once migrate it once."""
        c = self.conn
        done = set()
        if c.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is not None:
            done = {r[0] for r in c.execute("SELECT version FROM schema_migrations").fetchall()}
        applied = []
        for version, name, sql in migrations("migrations/postgres"):
            if version in done:
                continue
            try:
                with self.transaction():
                    self._lock("migrations")
                    c.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                              "name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT "
                              "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))")
                    # Re-check under the lock: another writer may have just migrated.
                    if c.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone():
                        continue
                    c.execute(sql)
                    c.execute("INSERT INTO schema_migrations(version, name) VALUES (?, ?)", (version, name))
            except psycopg.Error as exc:
                raise StoreError(f"{self.path}: migration {version:04d}_{name} failed ({_one_line(exc)})") from None
            applied.append(version)
        if PERSONS_MIGRATION in applied:
            self.link_stored_quotes()
        return applied

    def _lock(self, what: str) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(hashtext(?))", ("dateline:" + what,))

    def _same_text(self, column: str) -> str:
        return f"lower({column}) = lower(?)"

    def _contains(self, column: str) -> str:
        return f"{column} ILIKE ? ESCAPE '\\'"

    def _words_match(self, column: str, words: str, in_order: bool) -> tuple[str, str]:
        if column == "speaker":  # names: word for word, no stemming
            vector, config = "to_tsvector('simple', coalesce(q.speaker, ''))", "simple"
        else:
            vector, config = f"to_tsvector('english', q.{column})", "english"
        query = "phraseto_tsquery" if in_order else "plainto_tsquery"
        return f"{vector} @@ {query}('{config}', ?)", words

    def search(self, query: str, limit: int = 20) -> dict[str, list[dict]]:
        """Full-text search over article titles and texts and over quotes: web
        search syntax (words, "a phrase", or, -word); English stemming."""
        articles = self.conn.execute(
            "SELECT a.id, a.title, a.source, a.published, a.url, "
            "ts_headline('english', a.text, query, 'StartSel=\"[\", StopSel=\"]\", MaxWords=12, MinWords=4, "
            "MaxFragments=1, FragmentDelimiter=\"...\"') AS snippet "
            "FROM articles a, websearch_to_tsquery('english', ?) query WHERE a.search @@ query "
            "ORDER BY ts_rank_cd(a.search, query) DESC, a.seq LIMIT ?", (query, limit)).fetchall()
        quotes = self.conn.execute(
            "SELECT q.article_id, q.idx, q.speaker, q.content, a.source, a.published "
            "FROM (SELECT q.*, to_tsvector('english', coalesce(q.speaker, '') || ' ' || q.content) AS search "
            "      FROM quotes q) q JOIN articles a ON a.id = q.article_id, websearch_to_tsquery('english', ?) query "
            "WHERE q.search @@ query ORDER BY ts_rank_cd(q.search, query) DESC, a.seq, q.idx LIMIT ?",
            (query, limit)).fetchall()
        return {"articles": [dict(r) for r in articles], "quotes": [dict(r) for r in quotes]}

    def integrity_check(self) -> str:
        """"ok", or what is wrong: rows whose article is gone (the constraints
        may have been bypassed) and indexes left invalid."""
        c = self.conn
        problems = []
        for table in ("analyses", "entities", "places", "quotes", "events", "article_bands"):
            n = c.execute(f"SELECT COUNT(*) FROM {table} t WHERE NOT EXISTS "
                          f"(SELECT 1 FROM articles a WHERE a.id = t.article_id)").fetchone()[0]
            if n:
                problems.append(f"{n} {table} rows without their article")
        for row in c.execute("SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
                             "WHERE t.relnamespace = current_schema()::regnamespace AND NOT i.indisvalid").fetchall():
            problems.append(f"index {row[0]} is invalid")
        return "; ".join(problems) or "ok"


class _Connection:
    """A psycopg connection that takes the shared SQL: `?` placeholders, rows
    readable by column name and by position, like sqlite3.Row."""

    def __init__(self, raw: psycopg.Connection, shown: str):
        self.raw = raw
        self.shown = shown

    def execute(self, sql: str, params=None):
        try:
            if not params:
                return self.raw.execute(sql)
            return self.raw.execute(_placeholders(sql), _storable(params))
        except psycopg.OperationalError as exc:
            self._raise_if_lost(exc)
            raise

    def executemany(self, sql: str, rows) -> None:
        rows = [_storable(r) for r in rows]
        if rows:
            try:
                with self.raw.cursor() as cur:
                    cur.executemany(_placeholders(sql), rows)
            except psycopg.OperationalError as exc:
                self._raise_if_lost(exc)
                raise

    def _raise_if_lost(self, exc: psycopg.OperationalError) -> None:
        if isinstance(exc, psycopg.errors.DiskFull):
            raise StoreFull(f"{self.shown}: the write could not be saved ({_one_line(exc)}); nothing of it was kept") \
                from None
        if self.raw.broken or self.raw.closed:
            raise StoreUnavailable(f"{self.shown}: lost the connection to the store ({_one_line(exc)})") from None

    def close(self) -> None:
        self.raw.close()


class Row(dict):
    """A row by column name, or by position (row[0]) as sqlite3.Row allows."""

    def __getitem__(self, key):
        if isinstance(key, int):
            return list(self.values())[key]
        return super().__getitem__(key)


def _rows(cursor):
    names = [c.name for c in cursor.description] if cursor.description else []
    return lambda values: Row(zip(names, values))


@lru_cache(maxsize=512)
def _placeholders(sql: str) -> str:
    """`?` becomes `%s` and `%` becomes `%%`, outside quoted literals."""
    return re.sub(r"'(?:[^']|'')*'|\?|%", lambda m: {"?": "%s", "%": "%%"}.get(m.group(0), m.group(0)), sql)


def _storable(params):
    if any(isinstance(p, str) and NUL in p for p in params):
        return [p.replace(NUL, REPLACEMENT) if isinstance(p, str) else p for p in params]
    return params


def redact(url: str) -> str:
    """The URL without its password, fit for messages."""
    url = re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", url, flags=re.IGNORECASE)


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or type(exc).__name__
