"""Keep a store's stories up to date as articles arrive, re-merging only the
neighbourhood of the new reports.

`cluster` puts a report into a story only when some member scores it above
zero, so a story never reaches past the reports linked to it by such scores.
Reports that no chain of links joins to a new report keep their stories. The
neighbourhood is therefore: the new reports (events in no story yet), every
stored story with a member linked to a report of the neighbourhood (found
through `store.story_candidates`, which blocks on type, country and time and
never misses a possible link), and so on until nothing is added. Clustering
that set with the same code gives the same stories a full rebuild gives.
"""

from __future__ import annotations

import gc
import json
from collections import OrderedDict
from contextlib import contextmanager
from datetime import date
from typing import Optional

from dateline.merge.stories import (
    _REACH, _event_country, _span, across_articles, build_stories, comparison_key, compatibility,
    reports_from_analysis,
    stories_from_analyses,
)
from dateline.model import Report


def update_stories(store, *, attempts: int = 3) -> int:
    """Merge the stored reports that are in no story yet into the stored
    stories. Returns the number of stories written (0: nothing was new)."""
    with _no_cycle_collection():
        for _ in range(attempts):
            written = _update(store)
            if written is not None:
                return written
    from dateline.store import StoreError

    raise StoreError("stories kept changing while being merged (another writer?); run `dateline stories --rebuild`")


def rebuild_all(store) -> int:
    """Merge every stored report from scratch and replace every story."""
    duplicates = {a["id"]: a["duplicate_of"] for a in store.articles()}
    with _no_cycle_collection():
        stories = stories_from_analyses(store.analyses_of(duplicates), {k: v for k, v in duplicates.items() if v})
        return store.replace_stories(stories)


@contextmanager
def _no_cycle_collection():
    """A merge makes many small objects that all live until it ends; the cycle
    collector would rescan them (and the stories read earlier) again and
    again, a third of the time of a merge. It runs again afterwards."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _update(store) -> Optional[int]:
    """One attempt; None when another writer changed the stories meanwhile."""
    pending = store.unmerged_articles()
    if not pending:
        return 0
    reports: dict[tuple[str, int], Report] = {}
    for analysis in store.analyses_of(pending):
        if not analysis.error:
            for r in reports_from_analysis(analysis, pending[analysis.article.id]):
                reports[(r.article_id, r.event_index)] = r
    old: set[str] = set()
    loaded: dict[str, list[Report]] = {}
    found: dict[tuple, list[str]] = {}
    links = _Links()
    frontier = list(reports.values())
    while frontier:
        r = frontier.pop()
        block = _block(r)
        if block not in found:
            found[block] = store.story_candidates(*block)
        for sid in found[block]:
            if sid in old:
                continue
            if sid not in loaded:
                loaded[sid] = _members(store, sid)
            if links.joins(r, sid, loaded[sid]):
                old.add(sid)
                for m in loaded[sid]:
                    if (m.article_id, m.event_index) not in reports:
                        reports[(m.article_id, m.event_index)] = m
                        frontier.append(m)
    stories = build_stories(reports.values())
    return store.rewrite_stories(sorted(old), stories)


def _block(r: Report) -> tuple[str, Optional[str], Optional[date], Optional[date]]:
    """The stored events that could be linked to r: its type, its country, and
    the days within reach of its time span."""
    span = _span(r)
    since = until = None
    if span:
        since, until = date.fromordinal(span[0] - _REACH), date.fromordinal(span[1] + _REACH)
    return r.event.type, _event_country(r.event), since, until


# Stories read lately, by id: (their stored JSON, their reports). A story whose
# JSON is unchanged is not parsed again (a long-running server adds articles
# one at a time next to the same stories).
_READ: OrderedDict[str, tuple[str, list[Report]]] = OrderedDict()
_READ_MAX = 20_000


def _members(store, story_id: str) -> list[Report]:
    text = store.story_json(story_id)
    if text is None:
        return []
    hit = _READ.get(story_id)
    if hit is not None and hit[0] == text:
        _READ.move_to_end(story_id)
        return hit[1]
    members = [Report.model_validate(r) for r in json.loads(text).get("evidence") or []]
    _READ[story_id] = (text, members)
    if len(_READ) > _READ_MAX:
        _READ.popitem(last=False)
    return members


class _Links:
    """Whether a report is linked to a story: scores above zero, either way,
    with one of its members. Reports of different articles compare by their
    comparison keys alone, so each pair of keys is scored once (a wire
    story's reprints share one key)."""

    def __init__(self):
        self.key_ids: dict[tuple, int] = {}
        self.pairs: dict[tuple[int, int], bool] = {}
        self.stories: dict[str, tuple[dict[str, list[Report]], dict[int, tuple[Report, set[str]]]]] = {}

    def key(self, r: Report) -> int:
        return self.key_ids.setdefault(comparison_key(r), len(self.key_ids))

    def joins(self, r: Report, story_id: str, members: list[Report]) -> bool:
        if story_id not in self.stories:
            by_article: dict[str, list[Report]] = {}
            by_key: dict[int, tuple[Report, set[str]]] = {}
            for m in members:
                by_article.setdefault(m.article_id, []).append(m)
                by_key.setdefault(self.key(m), (m, set()))[1].add(m.article_id)
            self.stories[story_id] = by_article, by_key
        by_article, by_key = self.stories[story_id]
        if any(_linked(r, m) for m in by_article.get(r.article_id, ())):  # r's own article: its own rules
            return True
        own = self.key(r)
        for k, (m, articles) in by_key.items():
            if articles == {r.article_id}:
                continue
            if (own, k) not in self.pairs:
                self.pairs[own, k] = _linked_across(m, r)
            if self.pairs[own, k]:
                return True
        return False


def _linked_across(a: Report, b: Report) -> bool:
    """_linked for reports taken to be of different articles."""
    if a.event.type != b.event.type:
        return False
    return (across_articles(a, b) or 0) > 0 or (across_articles(b, a) or 0) > 0


def _linked(a: Report, b: Report) -> bool:
    return (compatibility(a, b) or 0) > 0 or (compatibility(b, a) or 0) > 0
