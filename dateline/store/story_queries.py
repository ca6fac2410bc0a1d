"""The store's SQL for keeping stories up to date one neighbourhood at a time,
and for identical reprints stored as copies. Plain SQL that SQLite and
PostgreSQL both understand (`?` placeholders); mixed into every Store."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Iterable, Optional

from dateline.errors import StoreError
from dateline.ingest import dedup
from dateline.model import Analysis, Article



class StoryQueries:
    """Methods of dateline.store.Store (needs conn, transaction(), lock() and insert_analysis())."""

    # --- identical texts -----------------------------------------------------------

    def same_text(self, text_or_hash: str) -> list[dict]:
        """Stored articles with this text (or sha256 content hash), oldest first:
        id, source and duplicate_of."""
        digest = text_or_hash if _is_hash(text_or_hash) else dedup.content_hash(text_or_hash)
        return [dict(r) for r in self.conn.execute(
            f"SELECT id, source, duplicate_of FROM articles WHERE content_hash = ? ORDER BY {self.ARTICLE_ORDER}",
            (digest,)).fetchall()]

    def add_copy(self, article: Article, analysis: Optional[Analysis], original: str) -> None:
        """Store an identical reprint from another outlet as its own article,
        a copy of `original`, with the original's analysis re-keyed to it.
        Raises StoreError when an article with its id is stored."""
        article_id = article.id or dedup.content_hash(article.text)[:16]
        try:
            with self.transaction():
                self.lock("articles")
                if self.article(article_id) is not None:
                    raise StoreError(f"{article_id}: already stored")
                # No MinHash bands: a copy is found through its original.
                self.conn.execute(
                    "INSERT INTO articles(id, title, source, url, published, language, text, content_hash, signature, "
                    "duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (article_id, article.title, article.source, article.url, article.published, article.language,
                     article.text, dedup.content_hash(article.text), None, original))
                if analysis is not None:
                    self.insert_analysis(article_id, analysis)
        except self.CONFLICT_ERRORS:  # another writer stored it first
            raise StoreError(f"{article_id}: already stored") from None

    # --- incremental stories -------------------------------------------------------

    def unmerged_articles(self) -> dict[str, Optional[str]]:
        """Analysed articles that are in no story yet: id -> duplicate_of."""
        rows = self.conn.execute("SELECT a.id, a.duplicate_of FROM articles a "
                                 "WHERE a.id IN (SELECT article_id FROM story_pending)").fetchall()
        return {r[0]: r[1] for r in rows}

    def analyses_of(self, article_ids: Iterable[str]) -> list[Analysis]:
        """The stored analyses of these articles (text put back, and the
        article's stored id as its id), in the order they were stored."""
        ids = list(dict.fromkeys(article_ids))
        out = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = self.conn.execute(
                "SELECT a.id, a.text, n.json FROM analyses n JOIN articles a ON a.id = n.article_id "
                f"WHERE a.id IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
            out += [(r["id"], self.analysis_from_row(r)) for r in rows]
        order = {k: i for i, k in enumerate(ids)}
        out.sort(key=lambda t: order[t[0]])
        return [a if a.article.id == k else a.model_copy(update={"article": a.article.model_copy(update={"id": k})})
                for k, a in out]

    # An article's place in article order (dateline.merge.articles.Sketch.order):
    # its publication day, undated last, then its id.
    _ORDER = "(COALESCE(t.published, '9999'), t.article_id)"

    def sketch_neighbours(self, terms: list[str], key: tuple[str, str], k: int, *, after: bool = False,
                          known: frozenset = frozenset()) -> list[tuple]:
        """(article id, sketch JSON, story) of the latest k articles before
        `key` in article order (after: the first k after it) on each of these
        terms, in one query; of those not in `known` (read already)."""
        op, direction = (">", "ASC") if after else ("<", "DESC")
        one = ("SELECT * FROM (SELECT t.article_id FROM sketch_terms t "
               f"WHERE t.term = ? AND {self._ORDER} {op} (?, ?) "
               f"ORDER BY COALESCE(t.published, '9999') {direction}, t.article_id {direction} LIMIT ?) AS q{{}}")
        terms = list(terms)
        if not terms:
            return []
        ids = {r[0] for r in self.conn.execute(" UNION ALL ".join(one.format(i) for i in range(len(terms))),
                                                [p for term in terms for p in (term, key[0], key[1], k)])}
        return [(r[0], r[1], r[2]) for r in self._rows_in(
            "SELECT article_id, json, component FROM article_sketches WHERE article_id IN ({})", ids - known)]

    def stored_sketches(self, article_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """article id -> (sketch JSON, story) of these articles, if stored."""
        return {r[0]: (r[1], r[2]) for r in self._rows_in(
            "SELECT article_id, json, component FROM article_sketches WHERE article_id IN ({})", article_ids)}

    def copies_of(self, article_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE duplicate_of = ?", (article_id,))]

    def stories_of_articles(self, article_ids: Iterable[str]) -> set[str]:
        return {r[0] for r in self._rows_in("SELECT story_id FROM story_articles WHERE article_id IN ({})", article_ids)}

    def _rows_in(self, sql: str, keys: Iterable[str]) -> list:
        """Rows of `sql` whose `IN ({})` takes the keys, 500 at a time (SQLite's
        limit on parameters is lower than a large story's member count)."""
        ids = sorted(set(keys))
        rows: list = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows += self.conn.execute(sql.format(", ".join("?" * len(chunk))), chunk).fetchall()
        return rows

    def _write_sketches(self, sketches: Iterable[tuple[Any, str, bool]]) -> None:
        """Store (sketch, story, is a copy) triples, replacing what an article
        had. A copy's terms are not indexed: it is found through its original."""
        rows = list(sketches)
        self.conn.executemany("DELETE FROM sketch_terms WHERE article_id = ?", [(s.article_id,) for s, _, _ in rows])
        self.conn.executemany("DELETE FROM article_sketches WHERE article_id = ?", [(s.article_id,) for s, _, _ in rows])
        self.conn.executemany("INSERT INTO article_sketches(article_id, component, json, also, day) VALUES (?, ?, ?, ?, ?)",
                              [(s.article_id, c, s.to_json(), json.dumps(list(s.also)) if s.also else None,
                                (s.published or "")[:10] or None) for s, c, _ in rows])
        self.conn.executemany("INSERT INTO sketch_terms(term, published, article_id) VALUES (?, ?, ?)",
                              [(t, (s.published or "")[:10] or None, s.article_id) for s, _, copy in rows
                               if not copy for t in s.indexed()])

    def story_json(self, story_id: str) -> Optional[str]:
        """A stored story as the JSON text it was stored as."""
        row = self.conn.execute("SELECT json FROM stories WHERE id = ?", (story_id,)).fetchone()
        return row[0] if row else None

    def story_membership(self, story_ids: Iterable[str]) -> dict[str, tuple[str, str, tuple[str, ...], Optional[str]]]:
        """article id -> (story, the story it joined in the pass, the others
        it fitted, its publication day) of every article in these stories:
        all that grouping them reads, without their sketches' JSON."""
        return {r[0]: (r[1], r[2], tuple(json.loads(r[3])) if r[3] else (), r[4]) for r in self._rows_in(
            "SELECT s.article_id, s.story_id, k.component, k.also, k.day FROM story_articles s "
            "JOIN article_sketches k ON k.article_id = s.article_id WHERE s.story_id IN ({})", story_ids)}

    def articles_of(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """story id -> the ids of its articles now, in article order."""
        out: dict[str, list[str]] = {}
        for r in self._rows_in(
                "SELECT s.story_id, s.article_id, k.day FROM story_articles s "
                "JOIN article_sketches k ON k.article_id = s.article_id WHERE s.story_id IN ({})", story_ids):
            out.setdefault(r[0], []).append((r[2] or "9999", r[1]))
        return {k: [a for _, a in sorted(v)] for k, v in out.items()}

    def story_counts(self, story_ids: Iterable[str]) -> dict[str, tuple[int, int, Optional[str], str, bool]]:
        """story id -> (its article count, its article count when its record
        was made, its first article's day and id, whether its record is
        stale), of the stored ones."""
        return {r[0]: (r[1], r[2], r[3], r[4], bool(r[5])) for r in self._rows_in(
            "SELECT story_id, articles_n, record_n, first_day, first_article, stale FROM story_counts "
            "WHERE story_id IN ({})", story_ids)}

    def stale_stories(self) -> dict[str, tuple[int, int]]:
        """story id -> (its article count, its article count when its record
        was made) of the stories whose record waits to be remade."""
        return {r[0]: (r[1], r[2]) for r in self.conn.execute(
            "SELECT story_id, articles_n, record_n FROM story_counts WHERE stale = 1 ORDER BY story_id")}

    def refresh_record(self, story_id: str, members: list[str], record: Any) -> bool:
        """Store a stale story's record made from `members`, unless its
        articles are no longer those (then it stays stale: False)."""
        r = record.model_dump(mode="json") if hasattr(record, "model_dump") else dict(record)
        with self.transaction():
            self.lock("stories")
            now = {row[0] for row in self.conn.execute("SELECT article_id FROM story_articles WHERE story_id = ?",
                                                       (story_id,))}
            if now != set(members) or r["id"] != story_id:
                return False
            self.conn.execute(f"UPDATE stories SET {', '.join(c + ' = ?' for c in _RECORD)} WHERE id = ?",
                              (*_record_values(r), story_id))
            self.conn.execute("UPDATE story_counts SET record_n = ?, stale = 0 WHERE story_id = ?",
                              (len(members), story_id))
        return True

    def story_of_each(self, article_ids: Iterable[str]) -> dict[str, str]:
        """article id -> its story, of those in one."""
        return {r[0]: r[1] for r in self._rows_in(
            "SELECT article_id, story_id FROM story_articles WHERE article_id IN ({})", article_ids)}

    def update_membership(self, old_ids: Iterable[str], counts: dict[str, tuple[int, Optional[str], str]],
                          moved: dict[str, str], records: Iterable[Any] = (),
                          sketches: Iterable[tuple[Any, str, bool]] = (), *, stale: Iterable[str] = (),
                          carry: Optional[dict[str, str]] = None) -> Optional[int]:
        """In one transaction: put each article of `moved` (id -> story id) in
        its story (story_articles, and its events in story_events); set each
        story's (article count, first article's day, first article) of
        `counts`; store the records given (Story objects or dicts); a story of
        `counts` not stored yet either has one of them or takes, as a stale
        record, the record of the old story `carry` names for it; mark the
        stories of `stale` as stale (their record is remade later, by
        refresh_record) and those whose record is given as fresh; delete the
        stories of `old_ids` not in `counts`; store the articles' (sketch,
        story, is a copy) triples. Nothing else of a story is rewritten.
        Returns None, writing nothing, when another writer changed the
        stories since they were read (an old story is gone, or a moved
        article is in another story)."""
        records = [r.model_dump(mode="json") if hasattr(r, "model_dump") else dict(r) for r in records]
        recorded = {r["id"]: len(r.get("articles") or []) for r in records}
        carry = {k: v for k, v in (carry or {}).items() if k not in recorded}
        old = set(old_ids)
        stale = (set(stale) | set(carry)) - set(recorded)
        try:
            with self.transaction():
                self.lock("stories")
                have = self.story_counts(old | set(counts))
                if (not old <= set(have) or not set(counts) - set(have) <= set(recorded) | set(carry)
                        or not set(carry.values()) <= old):
                    raise _Changed
                for row in self._rows_in("SELECT story_id FROM story_articles WHERE article_id IN ({})", moved):
                    if row[0] not in old:
                        raise _Changed
                self._write_sketches(sketches)
                for r in records:
                    if r["id"] in have:
                        self.conn.execute(f"UPDATE stories SET {', '.join(c + ' = ?' for c in _RECORD)} WHERE id = ?",
                                          (*_record_values(r), r["id"]))
                    else:
                        self._insert_record(r)
                for new_id, old_id in sorted(carry.items()):  # copied in SQL: a large record is never read
                    if new_id not in have:
                        self.conn.execute(f"INSERT INTO stories(id, {', '.join(_RECORD)}) "
                                          f"SELECT ?, {', '.join(_RECORD)} FROM stories WHERE id = ?", (new_id, old_id))
                recorded.update((i, have[o][1]) for i, o in carry.items() if i not in have)  # the carried record's count
                self.conn.executemany(
                    "UPDATE story_counts SET articles_n = ?, record_n = ?, first_day = ?, first_article = ?, stale = ? "
                    "WHERE story_id = ?", [(n, recorded.get(i, have[i][1]), day, first,
                                            int(i in stale or (i not in recorded and have[i][4])), i)
                                           for i, (n, day, first) in counts.items() if i in have])
                self.conn.executemany(
                    "INSERT INTO story_counts(story_id, articles_n, record_n, first_day, first_article, stale) "
                    "VALUES (?, ?, ?, ?, ?, ?)", [(i, n, recorded[i], day, first, int(i in stale))
                                                  for i, (n, day, first) in counts.items() if i not in have])
                pairs = sorted(moved.items())
                self.conn.executemany("DELETE FROM story_pending WHERE article_id = ?", [(k,) for k, _ in pairs])
                self.conn.executemany("DELETE FROM story_articles WHERE article_id = ?", [(k,) for k, _ in pairs])
                self.conn.executemany("DELETE FROM story_events WHERE article_id = ?", [(k,) for k, _ in pairs])
                self.conn.executemany("INSERT INTO story_articles(article_id, story_id) VALUES (?, ?)",
                                      [(k, i) for k, i in pairs])
                self.conn.executemany("INSERT INTO story_events(story_id, article_id, event_index) "
                                      "SELECT ?, article_id, idx FROM events WHERE article_id = ?", [(i, k) for k, i in pairs])
                gone = sorted(old - set(counts))
                self.conn.executemany("DELETE FROM story_events WHERE story_id = ?", [(i,) for i in gone])
                self.conn.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in gone])
        except _Changed:
            return None
        return len(counts)

    def _insert_record(self, s: dict) -> None:
        self.conn.execute(f"INSERT INTO stories(id, {', '.join(_RECORD)}) VALUES (?, {', '.join('?' * len(_RECORD))})",
                          (s["id"], *_record_values(s)))

    def _insert_story(self, s: dict, first_day: Optional[str] = None) -> None:
        """A story with its record, articles and events, made from all its articles."""
        self._insert_record(s)
        articles = s.get("articles") or []
        if articles:
            self.conn.execute("INSERT INTO story_counts(story_id, articles_n, record_n, first_day, first_article) "
                              "VALUES (?, ?, ?, ?, ?)", (s["id"], len(articles), len(articles), first_day, articles[0]))
        self.conn.executemany(
            "INSERT INTO story_events(story_id, article_id, event_index) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(s["id"], r["article_id"], r.get("event_index", 0)) for r in s.get("evidence") or []])
        self.conn.executemany("INSERT INTO story_articles(article_id, story_id) VALUES (?, ?)",
                              [(a, s["id"]) for a in articles])


# the columns of a story's record, beside its id and article counts
_RECORD = ("type", "mode", "summary", "location", "country", "date", "killed", "injured", "arrested", "displaced",
           "status", "corroboration", "outlets", "conflicts", "first_reported", "last_reported", "json",
           "headline", "date_precision", "confidence", "lat", "lon")


def _record_values(s: dict) -> tuple:
    return (s.get("type"), s.get("mode"), s.get("summary"), s.get("location"), s.get("country"), s.get("date"),
            s.get("killed"), s.get("injured"), s.get("arrested"), s.get("displaced"), s.get("status"),
            s.get("corroboration"), json.dumps(s.get("outlets") or [], ensure_ascii=False),
            json.dumps(s.get("conflicts") or [], ensure_ascii=False), s.get("first_reported"),
            s.get("last_reported"), json.dumps(s, ensure_ascii=False), s.get("headline"), s.get("date_precision"),
            story_confidence(s), (s.get("place") or {}).get("lat"), (s.get("place") or {}).get("lon"))


def story_confidence(story: dict) -> float:
    """A story is as confident as its best-supported report (0.5, neutral, without one)."""
    values = [(r.get("event") or {}).get("confidence", 0.5) for r in story.get("evidence") or []]
    return max(values, default=0.5)


class _Changed(Exception):
    """The stories changed under an incremental update."""


def _is_hash(s: str) -> bool:
    return len(s) == 64 and all(c in "0123456789abcdef" for c in s)
