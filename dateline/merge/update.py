"""Keep a store's stories up to date as articles arrive, re-grouping only the
connected sets of articles that the new ones are linked to.

Two articles' link depends on their two sketches alone (no corpus
statistics), so a stored article's links never change, and the connected sets
of linked articles only ever merge. Each stored sketch carries the id of its
set. A new article is compared with the stored articles that share one of its
heaviest terms inside the time window (`store.sketch_candidates`: exactly the
articles it can be linked to); the sets it is linked to, with the new
articles, are grouped again with the same code a full rebuild runs, which
gives the same stories a full rebuild gives. Nothing else is read or written.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Optional

from dateline.merge.articles import Sketch, connected, linked, settings, sketch
from dateline.merge.stories import reports_from_analysis, stories_of


def update_stories(store, *, attempts: int = 3) -> int:
    """Merge the stored articles that are in no story yet into the stored
    stories. Returns the number of stories written (0: nothing was new)."""
    with _no_cycle_collection():
        if store.count("story_articles") == 0 and store.count("stories"):
            return rebuild_all(store)  # stories of an older store: made of events alone
        for _ in range(attempts):
            written = _update(store)
            if written is not None:
                return written
    from dateline.store import StoreError

    raise StoreError("stories kept changing while being merged (another writer?); run `dateline stories --rebuild`")


def rebuild_all(store) -> int:
    """Group every stored article from scratch and replace every story."""
    duplicates = {a["id"]: a["duplicate_of"] for a in store.articles() if a["duplicate_of"]}
    with _no_cycle_collection():
        analyses = store.analyses_of(a["id"] for a in store.articles())
        sketches = [sketch(a, a.article.id, duplicates.get(a.article.id)) for a in analyses]
        reports = [r for a in analyses if not a.error for r in reports_from_analysis(a, duplicates.get(a.article.id))]
        return store.replace_stories(stories_of(sketches, reports), _with_components(sketches))


def _with_components(sketches: list[Sketch]) -> list[tuple[Sketch, str]]:
    return [(s, component[0].article_id) for component in connected(sketches) for s in component]


@contextmanager
def _no_cycle_collection():
    """A merge makes many small objects that all live until it ends; the cycle
    collector would rescan them again and again. It runs again afterwards."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _window(s: Sketch) -> tuple[Optional[date], Optional[date]]:
    try:
        day = date.fromisoformat((s.published or "")[:10])
    except ValueError:
        return None, None
    days = timedelta(days=settings()["window_days"])
    return day - days, day + days


def _update(store) -> Optional[int]:
    """One attempt; None when another writer changed the stories meanwhile."""
    pending = store.unmerged_articles()
    if not pending:
        return 0
    new = {}
    for analysis in store.analyses_of(pending):
        key = analysis.article.id
        new[key] = sketch(analysis, key, pending[key])
    components: set[str] = set()
    for s in new.values():
        for text, component in store.sketch_candidates(s.indexed(), *_window(s)):
            if component not in components and linked(Sketch.from_json(text), s):
                components.add(component)
        if s.duplicate_of and s.duplicate_of not in new:
            original = store.sketch_component(s.duplicate_of)
            if original is not None:
                components.add(original)
    members = {x.article_id: x for x in map(Sketch.from_json, store.component_sketches(components))}
    members.update(new)
    sketches = list(members.values())
    analyses = store.analyses_of(members)
    reports = [r for a in analyses if not a.error
               for r in reports_from_analysis(a, members[a.article.id].duplicate_of)]
    old = store.stories_of_articles(members)
    return store.rewrite_stories(sorted(old), stories_of(sketches, reports), _with_components(sketches))

