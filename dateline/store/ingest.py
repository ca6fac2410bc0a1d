"""Ingest: the articles read from folders, files, feeds and WARC archives
(dateline.ingest.sources), analyse the new ones and keep them in the store.

Idempotent and resumable: an article already stored (same id, or same
normalised text from the same outlet) is skipped before it is analysed, and
every article is committed in its own transaction as soon as its analysis is
done, so a killed run loses at most the articles in flight and a re-run picks
up the rest. Syndicated copies are stored with `duplicate_of` set to the
original: identical texts from another outlet reuse the original's analysis,
near-copies (MinHash) are analysed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional, Union

from dateline import timing
from dateline.errors import AnalysisError, StoreError
from dateline.ingest import InputError, dedup
from dateline.ingest.sources import expand, read_inputs  # noqa: F401  (re-exported: what ingest reads)
from dateline.model import Article
from dateline.scale.pool import analyze_records

Record = Union[Article, InputError]


@dataclass
class IngestStats:
    added: int = 0
    near_duplicates: int = 0  # added as syndicated copies (identical or near) of a stored article
    skipped: int = 0       # already stored (or repeated within this run)
    failed: int = 0
    errors: list = field(default_factory=list)


def ingest(store, records: Iterable[Record], *, workers: int = 1, batch: int = 32,
           on_result: Optional[Callable[[str, object], None]] = None,
           analyzer: Optional[Callable[[Iterator[Record]], Iterator[Record]]] = None) -> IngestStats:
    """Analyse and store the articles not yet stored. `on_result(kind, item)`
    is called for each record with kind in added | duplicate | skipped | failed.
    `analyzer` replaces the analysis: it maps the new articles (and read
    errors) to analyses (and errors), in order, one at a time."""
    stats = IngestStats()
    report = on_result or (lambda kind, item: None)
    seen: set[str] = set()
    outlets: dict[str, list[Optional[str]]] = {}  # content hash -> outlets read in this run
    reprints: list[Article] = []  # of an article analysed in this run: stored once it is

    def skip(record: Article) -> None:
        stats.skipped += 1
        report("skipped", record)

    def new_articles() -> Iterator[Record]:
        for record in records:
            if isinstance(record, InputError):
                yield record
                continue
            digest = dedup.content_hash(record.text)
            if record.id is None:
                record = record.model_copy(update={"id": "sha256:" + digest[:16]})
            if record.id in seen or store.has(record.id):
                skip(record)
                continue
            seen.add(record.id)
            stored = store.same_text(digest)
            if stored or digest in outlets:
                # The same text: from the same outlet it is the same article; from
                # another, a syndicated copy that needs no analysis of its own.
                known = [r["source"] for r in stored] + outlets.get(digest, [])
                if any(same_outlet(record.source, o) for o in known):
                    skip(record)
                elif stored:
                    store_copy(record, stored[0]["duplicate_of"] or stored[0]["id"])
                else:
                    reprints.append(record)
                outlets.setdefault(digest, []).append(record.source)
                continue
            outlets[digest] = [record.source]
            yield record

    def store_copy(record: Article, original: str) -> None:
        analysis = next(iter(store.analyses_of([original])), None)
        if analysis is not None:
            article = record.model_copy(update={"language": record.language or analysis.article.language})
            analysis = analysis.model_copy(update={"article": article})
        try:
            store.add_copy(record, analysis, original)
        except StoreError:  # stored meanwhile by another process
            skip(record)
            return
        stats.added += 1
        stats.near_duplicates += 1
        report("duplicate", (record, original))

    # Several workers share one persistent pool of processes for the whole run (dateline.scale.pool).
    results = analyzer(new_articles()) if analyzer else analyze_records(new_articles(), workers, chunk=batch)
    for result in results:
        if isinstance(result, InputError):
            stats.failed += 1
            stats.errors.append(result)
            report("failed", result)
            continue
        if result.error:
            err = AnalysisError(result.error, id=result.article.id)
            stats.failed += 1
            stats.errors.append(err)
            report("failed", err)
            continue
        try:
            with timing.stage("store"):
                original = store.add(result.article, result)
        except StoreError:  # stored meanwhile by another process
            stats.skipped += 1
            report("skipped", result.article)
            continue
        stats.added += 1
        if original:
            stats.near_duplicates += 1
            report("duplicate", (result.article, original))
        else:
            report("added", result.article)
    for record in reprints:
        stored = store.same_text(record.text)
        if stored:
            store_copy(record, stored[0]["duplicate_of"] or stored[0]["id"])
        else:  # its original could not be analysed
            skip(record)
    return stats


def same_outlet(a: Optional[str], b: Optional[str]) -> bool:
    """'Reuters' and 'www.reuters.com' are one outlet; an unknown outlet may be any."""
    from dateline.merge.stories import outlet_key

    if not (a or "").strip() or not (b or "").strip():
        return True
    return outlet_key(a) == outlet_key(b)


def rebuild_stories(store, *, full: bool = False) -> Optional[int]:
    """Bring the stored stories up to date (dateline.merge): merge the reports
    that are in no story yet with their stored neighbourhood, or (full) every
    report from scratch. Returns the number of stored stories; None when the
    merge module is not available."""
    try:
        from dateline.merge.update import rebuild_all, update_stories
    except ImportError:
        return None
    with timing.stage("stories"):
        if full:
            return rebuild_all(store)
        update_stories(store)
        return store.count("stories")


def refresh_stories(store, *, due_only: bool = False) -> Optional[int]:
    """Remake the records of the stories marked stale (an update adding
    articles to a large story leaves its record to this; docs/stories.md);
    due_only: only those whose article count has changed by `record_lag`
    since. Returns the number remade; None when the merge module is not available."""
    try:
        from dateline.merge.update import refresh_records
    except ImportError:
        return None
    with timing.stage("stories"):
        return refresh_records(store, due_only=due_only)
