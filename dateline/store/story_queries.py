"""The store's SQL for keeping stories up to date one neighbourhood at a time,
and for identical reprints stored as copies. Plain SQL that SQLite and
PostgreSQL both understand (`?` placeholders); mixed into every Store."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Iterable, Optional

from dateline.ingest import dedup
from dateline.model import Analysis, Article



class StoryQueries:
    """Methods of dateline.store.Store (needs conn, transaction() and _lock())."""

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
        from dateline.store.base import StoreError

        article_id = article.id or dedup.content_hash(article.text)[:16]
        try:
            with self.transaction():
                self._lock("articles")
                if self.article(article_id) is not None:
                    raise StoreError(f"{article_id}: already stored")
                # No MinHash bands: a copy is found through its original.
                self.conn.execute(
                    "INSERT INTO articles(id, title, source, url, published, language, text, content_hash, signature, "
                    "duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (article_id, article.title, article.source, article.url, article.published, article.language,
                     article.text, dedup.content_hash(article.text), None, original))
                if analysis is not None:
                    self._insert_analysis(article_id, analysis)
        except self.CONFLICT_ERRORS:  # another writer stored it first
            raise StoreError(f"{article_id}: already stored") from None

    # --- incremental stories -------------------------------------------------------

    def unmerged_articles(self) -> dict[str, Optional[str]]:
        """Analysed articles that are in no story yet: id -> duplicate_of."""
        rows = self.conn.execute(
            "SELECT a.id, a.duplicate_of FROM analyses n JOIN articles a ON a.id = n.article_id "
            "WHERE NOT EXISTS (SELECT 1 FROM story_articles s WHERE s.article_id = a.id)").fetchall()
        return {r[0]: r[1] for r in rows}

    def analyses_of(self, article_ids: Iterable[str]) -> list[Analysis]:
        """The stored analyses of these articles (text put back, and the
        article's stored id as its id), in the order they were stored."""
        from dateline.store.base import _analysis

        ids = list(dict.fromkeys(article_ids))
        out = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = self.conn.execute(
                "SELECT a.id, a.text, n.json FROM analyses n JOIN articles a ON a.id = n.article_id "
                f"WHERE a.id IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
            out += [(r["id"], _analysis(r)) for r in rows]
        order = {k: i for i, k in enumerate(ids)}
        out.sort(key=lambda t: order[t[0]])
        return [a if a.article.id == k else a.model_copy(update={"article": a.article.model_copy(update={"id": k})})
                for k, a in out]

    # An article's place in article order (dateline.merge.articles.Sketch.order):
    # its publication day, undated last, then its id.
    _ORDER = "(COALESCE(t.published, '9999'), t.article_id)"

    def sketch_neighbours(self, terms: list[str], key: tuple[str, str], k: int, *, after: bool = False) -> list[tuple]:
        """(sketch JSON, story) of the latest k articles before `key` in
        article order (after: the first k after it) on each of these terms."""
        op, direction = (">", "ASC") if after else ("<", "DESC")
        out: dict[str, tuple] = {}
        for term in terms:
            rows = self.conn.execute(
                "SELECT k.article_id, k.json, k.component FROM sketch_terms t "
                "JOIN article_sketches k ON k.article_id = t.article_id "
                f"WHERE t.term = ? AND {self._ORDER} {op} (?, ?) "
                f"ORDER BY COALESCE(t.published, '9999') {direction}, t.article_id {direction} LIMIT ?",
                (term, key[0], key[1], k)).fetchall()
            for r in rows:
                out[r[0]] = (r[1], r[2])
        return list(out.values())

    def stored_sketches(self, article_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """article id -> (sketch JSON, story) of these articles, if stored."""
        return {r[0]: (r[1], r[2]) for r in self._rows_in(
            "SELECT article_id, json, component FROM article_sketches WHERE article_id IN ({})", article_ids)}

    def copies_of(self, article_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE duplicate_of = ?", (article_id,))]

    def story_members(self, stories: Iterable[str]) -> list[tuple[str, str]]:
        """(sketch JSON, story) of every article in these stories."""
        return [(r[0], r[1]) for r in self._rows_in(
            "SELECT json, component FROM article_sketches WHERE component IN ({})", stories)]

    def articles_of_stories(self, story_ids: Iterable[str]) -> set[str]:
        """The ids of every article in these stories."""
        return {r[0] for r in self._rows_in("SELECT article_id FROM story_articles WHERE story_id IN ({})", story_ids)}

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
        self.conn.executemany("INSERT INTO article_sketches(article_id, component, json) VALUES (?, ?, ?)",
                              [(s.article_id, c, s.to_json()) for s, c, _ in rows])
        self.conn.executemany("INSERT INTO sketch_terms(term, published, article_id) VALUES (?, ?, ?)",
                              [(t, (s.published or "")[:10] or None, s.article_id) for s, _, copy in rows
                               if not copy for t in s.indexed()])

    def story_json(self, story_id: str) -> Optional[str]:
        """A stored story as the JSON text it was stored as."""
        row = self.conn.execute("SELECT json FROM stories WHERE id = ?", (story_id,)).fetchone()
        return row[0] if row else None

    def rewrite_stories(self, old_ids: Iterable[str], stories: Iterable[Any],
                        sketches: Iterable[tuple[Any, str, bool]] = ()) -> Optional[int]:
        """Delete the stories with these ids and store these, with the
        articles' (sketch, story, is a copy) triples, in one transaction.
        Takes dateline.model.Story objects or plain dicts with the same fields.
        Returns None, writing nothing, when another writer changed the stories
        since they were read (an old story is gone, or a report of the new
        ones is in another story)."""
        stories = [s.model_dump(mode="json") if hasattr(s, "model_dump") else dict(s) for s in stories]
        old = set(old_ids)
        try:
            with self.transaction():
                self._lock("stories")
                for story_id in old:
                    if self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
                        raise _Changed
                for s in stories:
                    for article_id in s.get("articles") or []:
                        row = self.conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?",
                                                (article_id,)).fetchone()
                        if row is not None and row[0] not in old:
                            raise _Changed
                self.conn.executemany("DELETE FROM story_events WHERE story_id = ?", [(i,) for i in old])
                self.conn.executemany("DELETE FROM story_articles WHERE story_id = ?", [(i,) for i in old])
                self.conn.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in old])
                for s in stories:
                    self._insert_story(s)
                self._write_sketches(sketches)
        except _Changed:
            return None
        return len(stories)

    def _insert_story(self, s: dict) -> None:
        self.conn.execute(
            "INSERT INTO stories(id, type, mode, summary, location, country, date, killed, injured, arrested, "
            "displaced, status, corroboration, outlets, conflicts, first_reported, last_reported, json, "
            "headline, date_precision, confidence, lat, lon) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (s["id"], s.get("type"), s.get("mode"), s.get("summary"), s.get("location"), s.get("country"),
             s.get("date"), s.get("killed"), s.get("injured"), s.get("arrested"), s.get("displaced"),
             s.get("status"), s.get("corroboration"), json.dumps(s.get("outlets") or [], ensure_ascii=False),
             json.dumps(s.get("conflicts") or [], ensure_ascii=False), s.get("first_reported"),
             s.get("last_reported"), json.dumps(s, ensure_ascii=False), s.get("headline"), s.get("date_precision"),
             story_confidence(s), (s.get("place") or {}).get("lat"), (s.get("place") or {}).get("lon")))
        self.conn.executemany(
            "INSERT INTO story_events(story_id, article_id, event_index) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(s["id"], r["article_id"], r.get("event_index", 0)) for r in s.get("evidence") or []])
        self.conn.executemany("INSERT INTO story_articles(article_id, story_id) VALUES (?, ?)",
                              [(a, s["id"]) for a in s.get("articles") or []])


def story_confidence(story: dict) -> float:
    """A story is as confident as its best-supported report (0.5, neutral, without one)."""
    values = [(r.get("event") or {}).get("confidence", 0.5) for r in story.get("evidence") or []]
    return max(values, default=0.5)


class _Changed(Exception):
    """The stories changed under an incremental update."""


def _is_hash(s: str) -> bool:
    return len(s) == 64 and all(c in "0123456789abcdef" for c in s)
