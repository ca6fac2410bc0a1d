"""The SQLite backend of the corpus store: every SQL statement of dateline is here."""

from __future__ import annotations

import json
import re
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Union

from dateline.ingest import dedup
from dateline.model import Analysis, Article

MIGRATION_NAME = re.compile(r"^(\d{4})_([\w-]+)\.sql$")


class StoreError(Exception):
    """A store that cannot be opened or written (one-line message)."""


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped with dateline, in order."""
    out = []
    for entry in resources.files("dateline.store").joinpath("migrations").iterdir():
        m = MIGRATION_NAME.match(entry.name)
        if m:
            out.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    return sorted(out)


class SQLiteStore:
    """One SQLite file (WAL mode, foreign keys on). Every `add` is its own
    transaction: a process killed mid-ingest keeps every article committed."""

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path

    # --- open / close --------------------------------------------------------

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
                conn.execute("PRAGMA journal_mode=WAL")
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
            self.conn.close()
            self.conn = None

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- schema ----------------------------------------------------------------

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
        return applied

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return row[0] or 0

    # --- writing ---------------------------------------------------------------

    def has(self, key: str) -> bool:
        """True when an article with this id, or this content hash, is stored."""
        row = self.conn.execute("SELECT 1 FROM articles WHERE id = ? OR content_hash = ? LIMIT 1", (key, key)).fetchone()
        return row is not None

    def has_text(self, text: str) -> bool:
        return self.has(dedup.content_hash(text))

    def find_near_duplicate(self, signature: Optional[bytes], threshold: float = dedup.NEAR_DUPLICATE) -> Optional[str]:
        """The id of the original of a stored near-copy of this signature, if any."""
        if signature is None:
            return None
        best, best_sim = None, threshold
        seen = set()
        for band, h in dedup.bands(signature):
            for row in self.conn.execute(
                    "SELECT a.id, a.signature, a.duplicate_of FROM article_bands b JOIN articles a ON a.id = b.article_id "
                    "WHERE b.band = ? AND b.hash = ?", (band, h)):
                if row["id"] in seen or row["signature"] is None:
                    continue
                seen.add(row["id"])
                sim = dedup.similarity(signature, row["signature"])
                if sim >= best_sim:
                    best, best_sim = row["duplicate_of"] or row["id"], sim
        return best

    def add(self, article: Article, analysis: Optional[Analysis] = None) -> Optional[str]:
        """Store one article (and its analysis) in one transaction. Returns the
        id of the original when the article is a near-copy of a stored one,
        None otherwise. Raises StoreError when the article (by id or content
        hash) is already stored."""
        article_id = article.id or dedup.content_hash(article.text)[:16]
        digest = dedup.content_hash(article.text)
        signature = dedup.minhash(article.text)
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            if self.has(article_id) or self.has(digest):
                raise StoreError(f"{article_id}: already stored")
            original = self.find_near_duplicate(signature)
            c.execute("INSERT INTO articles(id, title, source, url, published, language, text, content_hash, signature, "
                      "duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (article_id, article.title, article.source, article.url, article.published, article.language,
                       article.text, digest, signature, original))
            # Only originals are indexed: a copy is found through its original, and
            # the candidates of a lookup stay few however often a wire story is reprinted.
            if signature is not None and original is None:
                c.executemany("INSERT INTO article_bands(band, hash, article_id) VALUES (?, ?, ?)",
                              [(b, h, article_id) for b, h in dedup.bands(signature)])
            if analysis is not None:
                self._insert_analysis(article_id, analysis)
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        return original

    def _insert_analysis(self, article_id: str, analysis: Analysis) -> None:
        c = self.conn
        p = analysis.pipeline
        c.execute("INSERT INTO analyses(article_id, pipeline_version, schema_version, model, json) VALUES (?, ?, ?, ?, ?)",
                  (article_id, p.version, p.schema_version, p.model, analysis.model_dump_json(exclude={"article": {"text"}})))
        c.executemany("INSERT INTO entities(article_id, name, type, aliases, mentions) VALUES (?, ?, ?, ?, ?)",
                      [(article_id, e.name, e.type, json.dumps(e.aliases, ensure_ascii=False), len(e.mentions))
                       for e in analysis.entities])
        c.executemany("INSERT INTO places(article_id, name, start, \"end\", geonameid, lat, lon, country, admin1, precision) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [(article_id, p.name, p.start, p.end, p.geonameid, p.lat, p.lon, p.country, p.admin1, p.precision)
                       for p in analysis.places])
        c.executemany("INSERT INTO quotes(article_id, idx, speaker, speaker_kind, speaker_role, cue, content, direct, start, "
                      "\"end\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [(article_id, i, q.speaker, q.speaker_kind, q.speaker_role, q.cue, q.content, int(q.direct), q.start,
                        q.end) for i, q in enumerate(analysis.quotes)])
        self.insert_events([event_row(article_id, i, e) for i, e in enumerate(analysis.events)])

    def insert_events(self, rows: Iterable[dict]) -> None:
        """Insert event rows (dicts with the events table's columns); no transaction of its own."""
        rows = list(rows)
        if rows:
            cols = list(EVENT_COLUMNS)
            self.conn.executemany(
                f"INSERT INTO events({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [tuple(r.get(k) for k in cols) for r in rows])

    def transaction(self):
        return _Transaction(self.conn)

    def replace_stories(self, stories: Iterable[Any]) -> int:
        """Replace every stored story. Takes dateline.model.Story objects or
        plain dicts with the same fields (evidence: a list of dicts with
        article_id and event_index)."""
        stories = [s.model_dump(mode="json") if hasattr(s, "model_dump") else dict(s) for s in stories]
        with self.transaction():
            self.conn.execute("DELETE FROM story_events")
            self.conn.execute("DELETE FROM stories")
            for s in stories:
                self.conn.execute(
                    "INSERT INTO stories(id, type, mode, summary, location, country, date, killed, injured, arrested, "
                    "displaced, status, corroboration, outlets, conflicts, first_reported, last_reported, json) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (s["id"], s.get("type"), s.get("mode"), s.get("summary"), s.get("location"), s.get("country"),
                     s.get("date"), s.get("killed"), s.get("injured"), s.get("arrested"), s.get("displaced"),
                     s.get("status"), s.get("corroboration"), json.dumps(s.get("outlets") or [], ensure_ascii=False),
                     json.dumps(s.get("conflicts") or [], ensure_ascii=False), s.get("first_reported"),
                     s.get("last_reported"), json.dumps(s, ensure_ascii=False)))
                self.conn.executemany(
                    "INSERT OR IGNORE INTO story_events(story_id, article_id, event_index) VALUES (?, ?, ?)",
                    [(s["id"], r["article_id"], r.get("event_index", 0)) for r in s.get("evidence") or []])
        return len(stories)

    # --- reading ---------------------------------------------------------------

    def count(self, table: str) -> int:
        if table not in {"articles", "analyses", "entities", "places", "quotes", "events", "stories", "story_events"}:
            raise ValueError(table)
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def article(self, article_id: str) -> Optional[dict]:
        row = self.conn.execute("SELECT id, title, source, url, published, language, text, content_hash, duplicate_of "
                                "FROM articles WHERE id = ?", (article_id,)).fetchone()
        return dict(row) if row else None

    def articles(self) -> Iterator[dict]:
        for row in self.conn.execute("SELECT id, title, source, url, published, language, content_hash, duplicate_of "
                                     "FROM articles ORDER BY rowid"):
            yield dict(row)

    def duplicates(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")}

    def analyses(self) -> Iterator[Analysis]:
        """Every stored Analysis, with its article text put back."""
        for row in self.conn.execute("SELECT a.text, n.json FROM analyses n JOIN articles a ON a.id = n.article_id "
                                     "ORDER BY a.rowid"):
            data = json.loads(row["json"])
            data["article"]["text"] = row["text"]
            yield Analysis.model_validate(data)

    def events(self, *, type: Optional[str] = None, country: Optional[str] = None, since: Optional[str] = None,
               until: Optional[str] = None, place: Optional[str] = None, article_id: Optional[str] = None,
               include_duplicates: bool = True, limit: Optional[int] = None) -> list[dict]:
        where, params = [], []
        if type:
            where.append("e.type = ?"); params.append(type.upper())
        if country:
            where.append("e.country = ?"); params.append(country.upper())
        if since:
            where.append("e.date >= ?"); params.append(since)
        if until:
            where.append("e.date <= ?"); params.append(until + "\uffff")
        if place:
            where.append("(e.location = ? COLLATE NOCASE OR e.admin1 = ? COLLATE NOCASE)"); params += [place, place]
        if article_id:
            where.append("e.article_id = ?"); params.append(article_id)
        if not include_duplicates:
            where.append("a.duplicate_of IS NULL")
        sql = ("SELECT e.*, a.source, a.url, a.published, a.title, a.duplicate_of FROM events e "
               "JOIN articles a ON a.id = e.article_id")
        return [dict(r) for r in self._select(sql, where, params, "e.date IS NULL, e.date, e.article_id, e.idx", limit)]

    def _select(self, sql: str, where: list[str], params: list, order: str, limit: Optional[int]):
        """Run a SELECT with its filters, order and optional limit."""
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY " + order
        if limit:
            sql += " LIMIT ?"
            params = [*params, limit]
        return self.conn.execute(sql, params)

    def quotes(self, *, speaker: Optional[str] = None, article_id: Optional[str] = None,
               limit: Optional[int] = None) -> list[dict]:
        where, params = [], []
        if speaker:
            # A word of the name ("Ushakov") finds "Yuri Ushakov".
            where.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            params.append("speaker : " + _fts_phrase(speaker))
        if article_id:
            where.append("q.article_id = ?"); params.append(article_id)
        sql = ("SELECT q.*, a.source, a.url, a.published, a.title FROM quotes q JOIN articles a ON a.id = q.article_id")
        return [dict(r) for r in self._select(sql, where, params, "a.published, q.article_id, q.idx", limit)]

    def search(self, query: str, limit: int = 20) -> dict[str, list[dict]]:
        """Full-text search over article titles and texts and over quotes."""
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

    def stories(self, *, country: Optional[str] = None, since: Optional[str] = None, limit: Optional[int] = None) -> list[dict]:
        where, params = [], []
        if country:
            where.append("country = ?"); params.append(country.upper())
        if since:
            where.append("date >= ?"); params.append(since)
        sql = ("SELECT id, type, mode, summary, location, country, date, killed, injured, arrested, displaced, status, "
               "corroboration, outlets, conflicts, first_reported, last_reported FROM stories")
        rows = []
        for r in self._select(sql, where, params, "date IS NULL, date, id", limit):
            d = dict(r)
            d["outlets"] = json.loads(d["outlets"] or "[]")
            d["conflicts"] = json.loads(d["conflicts"] or "[]")
            rows.append(d)
        return rows

    def story(self, story_id: str) -> Optional[dict]:
        row = self.conn.execute("SELECT json FROM stories WHERE id = ?", (story_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def integrity_check(self) -> str:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]


EVENT_COLUMNS = (
    "article_id", "idx", "type", "mode", "summary", "actor", "target", "location", "country", "admin1", "lat", "lon",
    "geonameid", "geo_precision", "date", "date_precision", "killed", "injured", "arrested", "displaced", "status",
    "reported_by", "trigger_text", "trigger_start", "trigger_end", "sentence_start", "sentence_end",
)


def event_row(article_id: str, idx: int, e) -> dict:
    p = e.place
    return {
        "article_id": article_id, "idx": idx, "type": e.type, "mode": e.mode, "summary": e.summary, "actor": e.actor,
        "target": e.target, "location": e.location or (p.name if p else None),
        "country": e.country or (p.country if p else None), "admin1": p.admin1 if p else None,
        "lat": p.lat if p else None, "lon": p.lon if p else None, "geonameid": p.geonameid if p else None,
        "geo_precision": p.precision if p else None, "date": e.date, "date_precision": e.date_precision,
        "killed": e.killed, "injured": e.injured, "arrested": e.arrested, "displaced": e.displaced, "status": e.status,
        "reported_by": e.reported_by, "trigger_text": e.trigger_text,
        "trigger_start": e.trigger.start if e.trigger else None, "trigger_end": e.trigger.end if e.trigger else None,
        "sentence_start": e.sentence.start if e.sentence else None,
        "sentence_end": e.sentence.end if e.sentence else None,
    }


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, *rest):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


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
