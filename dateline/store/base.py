"""What every store backend shares: the public methods and the SQL that both
SQLite and PostgreSQL understand. A backend supplies the connection, the
migrations, full-text search and the few fragments that differ (see the
attributes and methods marked "backend" below). `Store` is abstract: it
imports no backend; `dateline.store.open_store` picks one by the target.

SQL here uses `?` placeholders; the PostgreSQL connection rewrites them.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
import re
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Union

from dateline.ingest import dedup
from dateline.errors import StoreError, StoreFull, StoreUnavailable
from dateline.model import Analysis, Article
from dateline.store.persons import PersonLinks
from dateline.store.story_queries import StoryQueries

# The migration that adds the persons table; quotes stored before it are linked then.
PERSONS_MIGRATION = 6
MIGRATION_NAME = re.compile(r"^(\d{4})_([\w-]+)\.sql$")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
TABLES = {"articles", "analyses", "entities", "places", "quotes", "events", "stories", "story_events", "story_articles",
          "persons"}


# SQLite's result codes for a full disk and for a failed read or write (the
# extended I/O codes share the low byte).
SQLITE_FULL, SQLITE_IOERR = 13, 10


def write_failure(path: str, exc: Exception) -> Optional[StoreFull]:
    """StoreFull for an SQLite error that means the disk gave out, else None."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(exc, sqlite3.OperationalError) and code is not None and code & 0xFF in (SQLITE_FULL, SQLITE_IOERR):
        return StoreFull(f"{path}: the write could not be saved ({exc}: is the disk full?); nothing of it was kept")
    return None


def is_postgres(target: Union[str, Path]) -> bool:
    return isinstance(target, str) and target.lower().startswith(POSTGRES_SCHEMES)


def migrations(folder: str = "migrations") -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration in a folder of dateline.store, in order."""
    out = []
    root = resources.files("dateline.store")
    for part in folder.split("/"):
        root = root.joinpath(part)
    for entry in root.iterdir():
        m = MIGRATION_NAME.match(entry.name)
        if m:
            out.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    return sorted(out)


class Store(StoryQueries, PersonLinks, ABC):
    """The corpus store, abstract: `dateline.store.open_store(target)` (or
    `Store.open(target)`) opens a PostgreSQL database for a postgresql:// (or
    postgres://) URL and a SQLite file for anything else.
    Every `add` is its own transaction: a process killed mid-ingest keeps
    every article committed."""

    # backend: the column that orders articles by ingestion
    ARTICLE_ORDER = "rowid"
    # backend: exceptions meaning "a unique key is taken"
    CONFLICT_ERRORS: tuple = ()

    def __init__(self, conn, path: str):
        self.conn = conn
        self.path = path

    # --- open / close --------------------------------------------------------

    @classmethod
    def open(cls, target: Union[str, Path] = "dateline.db", *, readonly: bool = False) -> "Store":
        """Backend: open (and, for writing, migrate) the store at `target`.
        On this abstract class, `Store.open(target)` is the shorthand for
        `dateline.store.open_store(target)`, which picks the backend."""
        if cls is not Store:
            raise NotImplementedError(f"{cls.__name__}.open")
        from dateline.store import open_store  # the package knows the backends; this module names none

        return open_store(target, readonly=readonly)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @abstractmethod
    def migrate(self) -> list[int]:
        """Backend: apply the migrations not yet applied; their versions."""

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return row[0] or 0

    # --- transactions (backend: the statement that starts a write) -------------

    BEGIN = "BEGIN"

    def transaction(self):
        return _Transaction(self)

    def lock(self, what: str) -> None:
        """Backend: inside a transaction, wait for the other writers of `what`
        (articles, stories, migrations) until this transaction ends. SQLite has
        one writer at a time anyway."""

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
        bands = dedup.bands(signature)
        # One query for every band: a round trip per band is what a networked database feels.
        rows = self.conn.execute(
            "SELECT b.band, a.id, a.signature, a.duplicate_of FROM article_bands b JOIN articles a ON a.id = b.article_id "
            "WHERE " + " OR ".join(["(b.band = ? AND b.hash = ?)"] * len(bands)) + " ORDER BY b.band",
            [v for pair in bands for v in pair]).fetchall()
        for row in rows:
            if row["id"] in seen or row["signature"] is None:
                continue
            seen.add(row["id"])
            sim = dedup.similarity(signature, bytes(row["signature"]))
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
        try:
            with self.transaction():
                self.lock("articles")
                if self.conn.execute("SELECT 1 FROM articles WHERE id IN (?, ?) OR content_hash IN (?, ?) LIMIT 1",
                                     (article_id, digest, article_id, digest)).fetchone():
                    raise StoreError(f"{article_id}: already stored")
                original = self.find_near_duplicate(signature)
                c.execute("INSERT INTO articles(id, title, source, url, published, language, text, content_hash, "
                          "signature, duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          (article_id, article.title, article.source, article.url, article.published, article.language,
                           article.text, digest, signature, original))
                # Only originals are indexed: a copy is found through its original, and
                # the candidates of a lookup stay few however often a wire story is reprinted.
                if signature is not None and original is None:
                    c.executemany("INSERT INTO article_bands(band, hash, article_id) VALUES (?, ?, ?)",
                                  [(b, h, article_id) for b, h in dedup.bands(signature)])
                if analysis is not None:
                    self.insert_analysis(article_id, analysis)
        except self.CONFLICT_ERRORS:  # another writer stored it first
            raise StoreError(f"{article_id}: already stored") from None
        return original

    def insert_analysis(self, article_id: str, analysis: Analysis) -> None:
        c = self.conn
        p = analysis.pipeline
        c.execute("INSERT INTO analyses(article_id, pipeline_version, schema_version, model, json) VALUES (?, ?, ?, ?, ?)",
                  (article_id, p.version, p.schema_version, p.model, analysis.model_dump_json(exclude={"article": {"text"}})))
        c.execute("INSERT INTO story_pending(article_id) VALUES (?) ON CONFLICT DO NOTHING", (article_id,))  # in no story yet
        c.executemany("INSERT INTO entities(article_id, name, type, aliases, mentions) VALUES (?, ?, ?, ?, ?)",
                      [(article_id, e.name, e.type, json.dumps(e.aliases, ensure_ascii=False), len(e.mentions))
                       for e in analysis.entities])
        c.executemany("INSERT INTO places(article_id, name, start, \"end\", geonameid, lat, lon, country, admin1, precision) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [(article_id, p.name, p.start, p.end, p.geonameid, p.lat, p.lon, p.country, p.admin1, p.precision)
                       for p in analysis.places])
        persons = {(q.speaker, q.speaker_kind): None for q in analysis.quotes}
        for name, kind in sorted(persons, key=lambda s: -len(s[0] or "")):  # full names before short forms
            persons[(name, kind)] = self.link_person(name, kind)
        c.executemany("INSERT INTO quotes(article_id, idx, speaker, speaker_kind, speaker_role, cue, content, direct, start, "
                      "\"end\", person_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [(article_id, i, q.speaker, q.speaker_kind, q.speaker_role, q.cue, q.content, int(q.direct), q.start,
                        q.end, persons[(q.speaker, q.speaker_kind)]) for i, q in enumerate(analysis.quotes)])
        self.insert_events([event_row(article_id, i, e) for i, e in enumerate(analysis.events)])

    def insert_events(self, rows: Iterable[dict]) -> None:
        """Insert event rows (dicts with the events table's columns); no transaction of its own."""
        rows = list(rows)
        if rows:
            cols = list(EVENT_COLUMNS)
            self.conn.executemany(
                f"INSERT INTO events({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [tuple(r.get(k) for k in cols) for r in rows])

    def replace_stories(self, stories: Iterable[Any], sketches: Iterable[tuple[Any, str, bool]] = ()) -> int:
        """Replace every stored story, and every article sketch with these
        (sketch, story, is a copy) triples. Takes dateline.model.Story objects or plain
        dicts with the same fields (evidence: a list of dicts with article_id
        and event_index; articles: article ids)."""
        stories = [s.model_dump(mode="json") if hasattr(s, "model_dump") else dict(s) for s in stories]
        sketches = list(sketches)
        day = {s.article_id: (s.published or "")[:10] or None for s, _, _ in sketches}
        with self.transaction():
            self.lock("stories")
            self.conn.execute("DELETE FROM sketch_terms")
            self.conn.execute("DELETE FROM article_sketches")
            self._write_sketches(sketches)
            self.conn.executemany("DELETE FROM story_pending WHERE article_id = ?",
                                  [(a,) for s in stories for a in s.get("articles") or []])
            self.conn.execute("DELETE FROM story_articles")
            self.conn.execute("DELETE FROM story_events")
            self.conn.execute("DELETE FROM stories")
            for s in stories:
                self._insert_story(s, day.get((s.get("articles") or [None])[0]))
        return len(stories)

    # --- reading ---------------------------------------------------------------

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(table)
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def article(self, article_id: str) -> Optional[dict]:
        row = self.conn.execute("SELECT id, title, source, url, published, language, text, content_hash, duplicate_of "
                                "FROM articles WHERE id = ?", (article_id,)).fetchone()
        return dict(row) if row else None

    def articles(self, *, source: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
                 limit: Optional[int] = None, offset: int = 0) -> Iterator[dict]:
        """Stored articles in the order they were stored; source is any case, since/until bound `published`."""
        where, params = [], []
        if source:
            where.append(self._same_text("source")); params.append(source)
        if since:
            where.append("published >= ?"); params.append(since)
        if until:
            where.append("published <= ?"); params.append(until + "\uffff")
        sql = "SELECT id, title, source, url, published, language, content_hash, duplicate_of FROM articles"
        for row in self._select(sql, where, params, self.ARTICLE_ORDER, limit, offset):
            yield dict(row)

    @staticmethod
    def analysis_from_row(row) -> Analysis:
        """The stored analysis of a row holding its `json` and the article's `text`."""
        data = json.loads(row["json"])
        data["article"]["text"] = row["text"]
        return Analysis.model_validate(data)

    def analysis(self, article_id: str) -> Optional[Analysis]:
        """One stored Analysis, with its article text put back."""
        row = self.conn.execute("SELECT a.text, n.json FROM analyses n JOIN articles a ON a.id = n.article_id "
                                "WHERE n.article_id = ?", (article_id,)).fetchone()
        return self.analysis_from_row(row) if row else None

    def duplicates(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")}

    def analyses(self) -> Iterator[Analysis]:
        """Every stored Analysis, with its article text put back."""
        for row in self.conn.execute("SELECT a.text, n.json FROM analyses n JOIN articles a ON a.id = n.article_id "
                                     f"ORDER BY a.{self.ARTICLE_ORDER}"):
            yield self.analysis_from_row(row)

    def events(self, *, type: Optional[str] = None, country: Optional[str] = None, since: Optional[str] = None,
               until: Optional[str] = None, place: Optional[str] = None, article_id: Optional[str] = None,
               include_duplicates: bool = True, limit: Optional[int] = None, mode: Optional[str] = None,
               actor: Optional[str] = None, status: Optional[str] = None, text: Optional[str] = None,
               offset: int = 0, newest_first: bool = False, min_confidence: Optional[float] = None) -> list[dict]:
        """Filters: mode and status exactly (any case); actor and text are
        words inside the actor or target, and the summary; min_confidence
        keeps events at least that confident. Oldest date first (undated
        last), or newest_first (undated last too)."""
        where, params = [], []
        if min_confidence:
            where.append("e.confidence >= ?"); params.append(min_confidence)
        if type:
            where.append("e.type = ?"); params.append(type.upper())
        if country:
            where.append("e.country = ?"); params.append(country.upper())
        if since:
            where.append("e.date >= ?"); params.append(since)
        if until:
            where.append("e.date <= ?"); params.append(until + "\uffff")
        if place:
            where.append(f"({self._same_text('e.location')} OR {self._same_text('e.admin1')})"); params += [place, place]
        if article_id:
            where.append("e.article_id = ?"); params.append(article_id)
        if mode:
            where.append(self._same_text("e.mode")); params.append(mode)
        if status:
            where.append("e.status = ?"); params.append(status.lower())
        if actor:
            where.append(f"({self._contains('e.actor')} OR {self._contains('e.target')})"); params += [_like(actor)] * 2
        if text:
            where.append(self._contains("e.summary")); params.append(_like(text))
        if not include_duplicates:
            where.append("NOT EXISTS (SELECT 1 FROM articles d WHERE d.id = e.article_id AND d.duplicate_of IS NOT NULL)")
        order = "e.date DESC NULLS LAST, e.id DESC" if newest_first else "e.date IS NULL, e.date, e.article_id, e.idx"
        # The page is picked from events alone and then joined: newest first,
        # the planner walks a (type|country, date) index and stops at the page
        # instead of joining and sorting every match.
        page = "SELECT e.* FROM events e"
        if where:
            page += " WHERE " + " AND ".join(where)
        page += " ORDER BY " + order
        if limit or offset:
            page += " LIMIT ? OFFSET ?"
            params += [limit or self.NO_LIMIT, offset]
        sql = (f"SELECT e.*, a.source, a.url, a.published, a.title, a.duplicate_of, a.ingested_at FROM ({page}) e "
               f"JOIN articles a ON a.id = e.article_id ORDER BY {order}")
        return [dict(r) for r in self.conn.execute(sql, params)]

    def _same_text(self, column: str) -> str:
        """Backend: `column` equals a `?` parameter, ignoring case."""
        return f"{column} = ? COLLATE NOCASE"

    def _contains(self, column: str) -> str:
        """Backend: `column` matches a `?` LIKE pattern from _like(), ignoring case."""
        return f"{column} LIKE ? ESCAPE '\\'"

    # backend: the LIMIT that means no limit
    NO_LIMIT: Optional[int] = -1

    def _select(self, sql: str, where: list[str], params: list, order: str, limit: Optional[int], offset: int = 0):
        """Run a SELECT with its filters, order and optional limit and offset."""
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY " + order
        if limit or offset:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit or self.NO_LIMIT, offset]
        return self.conn.execute(sql, params)

    def quotes(self, *, speaker: Optional[str] = None, article_id: Optional[str] = None,
               limit: Optional[int] = None, kind: Optional[str] = None, text: Optional[str] = None,
               offset: int = 0, newest_first: bool = False, person: Optional[str] = None) -> list[dict]:
        """Filters: speaker and text are words of the speaker and of what was
        said; person is a person id (see `persons`); kind is person,
        organization or anonymous. In order of publication, or newest_first:
        the most recently stored first."""
        where, params = [], []
        if speaker:
            # A word of the name ("Ushakov") finds "Yuri Ushakov"; and every
            # quote of the persons so named, under any form of their name in
            # any article ("Hadi Tjahjanto" finds another article's "Tjahjanto").
            condition, param = self._words_match("speaker", speaker, in_order=True)
            ids = self.person_ids(speaker)
            if ids:
                condition = f"({condition} OR q.person_id IN ({', '.join('?' * len(ids))}))"
            where.append(condition); params += [param, *ids]
        if person:
            row = self.conn.execute("SELECT id, same_as FROM persons WHERE id = ?", (person,)).fetchone()
            where.append("q.person_id = ?"); params.append((row["same_as"] or row["id"]) if row else person)
        if text:
            condition, param = self._words_match("content", text, in_order=False)
            where.append(condition); params.append(param)
        if kind:
            where.append("q.speaker_kind = ?"); params.append(kind.lower())
        if article_id:
            where.append("q.article_id = ?"); params.append(article_id)
        if newest_first:
            # The page is picked from quotes alone (by id), then joined.
            page = "SELECT q.* FROM quotes q"
            if where:
                page += " WHERE " + " AND ".join(where)
            page += " ORDER BY q.id DESC"
            if limit or offset:
                page += " LIMIT ? OFFSET ?"
                params += [limit or self.NO_LIMIT, offset]
            sql = (f"SELECT q.*, a.source, a.url, a.published, a.title FROM ({page}) q "
                   "JOIN articles a ON a.id = q.article_id ORDER BY q.id DESC")
            return [dict(r) for r in self.conn.execute(sql, params)]
        sql = ("SELECT q.*, a.source, a.url, a.published, a.title FROM quotes q JOIN articles a ON a.id = q.article_id")
        # NULLS FIRST spelled out: SQLite's default, not PostgreSQL's
        return [dict(r) for r in self._select(sql, where, params, "a.published NULLS FIRST, q.article_id, q.idx", limit,
                                              offset)]

    def speakers(self, limit: int = 20) -> list[dict]:
        """The most-quoted named speakers: [{"speaker", "n"}], most quotes first."""
        sql = "SELECT speaker, COUNT(*) AS n FROM quotes WHERE speaker IS NOT NULL AND speaker <> ''"
        return [dict(r) for r in self._select(sql + " GROUP BY speaker", [], [], "n DESC, speaker", limit, 0)]

    def _words_match(self, column: str, words: str, in_order: bool) -> tuple[str, str]:  # backend
        """(condition on quotes q, parameter): the column (speaker or content) holds
        these words, as a phrase when in_order."""
        raise NotImplementedError

    def entities(self, *, name: Optional[str] = None, type: Optional[str] = None, limit: Optional[int] = None,
                 offset: int = 0) -> list[dict]:
        """Entities across articles, one row per name and type, most widely reported first."""
        where, params = [], []
        if name:
            where.append(self._contains("name")); params.append(_like(name))
        if type:
            where.append("type = ?"); params.append(type.upper())
        sql = "SELECT name, type, COUNT(DISTINCT article_id) AS articles, SUM(mentions) AS mentions FROM entities"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [dict(r) for r in self._select(sql + " GROUP BY name, type", [], params, "articles DESC, name, type",
                                              limit, offset)]

    def places(self, *, name: Optional[str] = None, country: Optional[str] = None, limit: Optional[int] = None,
               offset: int = 0) -> list[dict]:
        """Places across articles, one row per place, most widely reported first."""
        where, params = [], []
        if name:
            where.append(f"({self._same_text('name')} OR {self._same_text('admin1')})"); params += [name, name]
        if country:
            where.append("country = ?"); params.append(country.upper())
        sql = ("SELECT MIN(name) AS name, country, admin1, geonameid, MIN(lat) AS lat, MIN(lon) AS lon, "
               "MIN(precision) AS precision, COUNT(DISTINCT article_id) AS articles FROM places")
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [dict(r) for r in self._select(sql + " GROUP BY lower(name), country, admin1, geonameid", [],
                                              params, "articles DESC, name", limit, offset)]

    def search(self, query: str, limit: int = 20) -> dict[str, list[dict]]:  # backend
        """Full-text search over article titles and texts and over quotes:
        {"articles": [id, title, source, published, url, snippet],
         "quotes": [article_id, idx, speaker, content, source, published]}."""
        raise NotImplementedError

    def stories(self, *, country: Optional[str] = None, since: Optional[str] = None, limit: Optional[int] = None,
                type: Optional[str] = None, until: Optional[str] = None, offset: int = 0,
                min_confidence: Optional[float] = None) -> list[dict]:
        """Stored stories, oldest date first (undated last); min_confidence
        keeps the stories whose best-supported report is at least that confident."""
        where, params = [], []
        if type:
            where.append("type = ?"); params.append(type.upper())
        if until:
            where.append("date <= ?"); params.append(until + "\uffff")
        if country:
            where.append("country = ?"); params.append(country.upper())
        if since:
            where.append("date >= ?"); params.append(since)
        if min_confidence is not None:
            where.append("confidence >= ?"); params.append(min_confidence)
        sql = ("SELECT id, type, mode, summary, location, country, date, killed, injured, arrested, displaced, status, "
               "corroboration, outlets, conflicts, first_reported, last_reported, headline, date_precision, "
               "confidence, lat, lon FROM stories")
        rows = []
        for r in self._select(sql, where, params, "date IS NULL, date, id", limit, offset):
            d = dict(r)
            d["outlets"] = json.loads(d["outlets"] or "[]")
            d["conflicts"] = json.loads(d["conflicts"] or "[]")
            rows.append(d)
        return rows

    def story(self, story_id: str) -> Optional[dict]:
        """The stored story; its articles are those in it now, in article
        order, even when its record was made with fewer (docs/stories.md)."""
        row = self.conn.execute("SELECT json FROM stories WHERE id = ?", (story_id,)).fetchone()
        if not row or not row[0]:
            return None
        story = json.loads(row[0])
        story["id"] = story_id  # a stale record can be carried over from a story merged into this one
        story["articles"] = self.articles_of([story_id]).get(story_id, [])
        counts = self.story_counts([story_id]).get(story_id)
        # the record (incidents, figures, headline) may lag the articles: made from record_articles of them
        story["record_stale"] = bool(counts and counts[4])
        story["record_articles"] = counts[1] if counts else len(story["articles"])
        return story

    def integrity_check(self) -> str:  # backend
        """"ok", or what is wrong."""
        raise NotImplementedError


EVENT_COLUMNS = (
    "article_id", "idx", "type", "mode", "summary", "actor", "target", "location", "country", "admin1", "lat", "lon",
    "geonameid", "geo_precision", "date", "date_precision", "killed", "injured", "arrested", "displaced", "status",
    "reported_by", "trigger_text", "trigger_start", "trigger_end", "sentence_start", "sentence_end", "confidence",
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
        "confidence": e.confidence,
    }


def _like(words: str) -> str:
    """A LIKE pattern finding the words as typed anywhere (escape character: backslash)."""
    escaped = " ".join(words.split()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class _Transaction:
    def __init__(self, store: Store):
        self.conn = store.conn
        self.begin = store.BEGIN
        self.path = store.path

    def __enter__(self):
        self.conn.execute(self.begin)
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        if not exc_type:
            try:
                self.conn.execute("COMMIT")
                return
            except (sqlite3.OperationalError, StoreFull) as failed:  # a full disk shows first at COMMIT
                exc = failed
        self._rollback()
        full = write_failure(self.path, exc)
        if full is not None:
            raise full from None
        if exc_type is None:
            raise exc

    def _rollback(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except (StoreUnavailable, sqlite3.OperationalError):
            pass  # the connection, or the transaction, is gone already: nothing was committed
