"""Keep a store's stories up to date as articles arrive, re-deciding only the
articles whose decision can change.

Story detection (dateline.merge.articles.assign) is one pass in article
order where each article's story depends on the latest few articles before
it on each of its indexed terms (its candidates) and on their stories. So an
added article is decided from its candidates alone; the articles whose
decision it can change are the few that have it among their candidates (the
first `candidates_per_term` after it on each of its terms), and those are
decided again, in article order, and so on from each article whose story
changed. An article added after all others (the usual case) changes nothing
else; a syndicated copy follows its original.

An article that fits several stories makes them one (articles.merged); each
stored article keeps the story it joined in the pass (`component`, what the
decisions read) and the others it fits (its sketch's `also`). What is
regrouped is every stored story that holds a re-decided article or a story
one names: a merge made or undone elsewhere cannot reach further. The
stories written are the ones a full rebuild gives, in any order or batching.
"""

from __future__ import annotations

import gc
import heapq
from collections import Counter
from dataclasses import replace
from contextlib import contextmanager
from typing import Optional

from dateline.merge.articles import Sketch, choose, copies, decide, merged, settings, sketch
from dateline.merge.stories import article_story_id, reports_from_analysis, stories_of, story_of_articles


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
    from dateline.errors import StoreError

    raise StoreError("stories kept changing while being merged (another writer?); run `dateline stories --rebuild`")


def rebuild_all(store) -> int:
    """Decide every stored article from scratch and replace every story."""
    duplicates = {a["id"]: a["duplicate_of"] for a in store.articles() if a["duplicate_of"]}
    with _no_cycle_collection():
        analyses = store.analyses_of(a["id"] for a in store.articles())
        sketches = [sketch(a, a.article.id, duplicates.get(a.article.id)) for a in analyses]
        reports = [r for a in analyses if not a.error for r in reports_from_analysis(a, duplicates.get(a.article.id))]
        by_id = {s.article_id: s for s in sketches}
        decisions, copy_of = decide(sketches), copies(by_id)
        return store.replace_stories(stories_of(sketches, reports, merged(decisions)),
                                     [(replace(s, also=decisions[k][1]), decisions[k][0], k in copy_of)
                                      for k, s in by_id.items()])


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


def _neighbours(store, s: Sketch, index: dict[str, dict[str, Sketch]], seen: dict[str, tuple[Sketch, str]],
                *, after: bool) -> list[Sketch]:
    """The latest k articles before s (after: the first k after it) on each
    of its indexed terms, stored or new (copies are never among them).
    `index`: term -> the sketches read or new with it among their indexed
    terms; what is read from the store is added to it and to `seen`."""
    k = settings()["candidates_per_term"]
    # the sketches read before are not read again (a re-decided article's
    # neighbours are mostly those of the article that made it re-decided)
    for key, text, story in store.sketch_neighbours(s.indexed(), s.order(), k, after=after, known=frozenset(seen)):
        if key not in seen:
            x = Sketch.from_json(text)
            seen[key] = (x, story)
            _index(index, x)
    out: dict[str, Sketch] = {}
    for term in s.indexed():
        on_term = sorted(index.get(term, {}).values(), key=Sketch.order)
        if after:
            out.update((x.article_id, x) for x in [x for x in on_term if x.order() > s.order()][:k])
        else:
            out.update((x.article_id, x) for x in [x for x in on_term if x.order() < s.order()][-k:])
    return list(out.values())


def _index(index: dict[str, dict[str, Sketch]], x: Sketch) -> None:
    for term in x.indexed():
        index.setdefault(term, {}).setdefault(x.article_id, x)


def _update(store) -> Optional[int]:
    """One attempt; None when another writer changed the stories meanwhile."""
    pending = store.unmerged_articles()
    if not pending:
        return 0
    new: dict[str, Sketch] = {}
    for analysis in store.analyses_of(pending):
        key = analysis.article.id
        new[key] = sketch(analysis, key, pending[key])
    originals = {s.duplicate_of for s in new.values() if s.duplicate_of}
    seen = {k: (Sketch.from_json(text), story) for k, (text, story) in store.stored_sketches(originals).items()}
    copy_of = copies({**{k: x for k, (x, _) in seen.items()}, **new})
    copy_of = {k: v for k, v in copy_of.items() if k in new}
    indexed = {k: s for k, s in new.items() if k not in copy_of}
    before = {k: story for k, (_, story) in seen.items()}  # stored stories of the articles read
    index: dict[str, dict[str, Sketch]] = {}
    for x in [x for x, _ in seen.values()] + list(indexed.values()):
        _index(index, x)
    decided: dict[str, tuple[str, tuple[str, ...]]] = {}  # the decisions made now

    def story_now(article_id: str) -> str:
        return decided[article_id][0] if article_id in decided else before[article_id]

    queue = [(s.order(), s.article_id) for s in indexed.values()]
    heapq.heapify(queue)
    done: set[str] = set()
    while queue:
        _, key = heapq.heappop(queue)
        if key in done:
            continue
        done.add(key)
        s = indexed.get(key) or seen[key][0]
        candidates = _neighbours(store, s, index, seen, after=False)
        for c in candidates:
            before.setdefault(c.article_id, seen[c.article_id][1] if c.article_id in seen else c.article_id)
        best, also = choose(s, candidates, {c.article_id: story_now(c.article_id) for c in candidates})
        decided[key] = (best or key, also)
        # the stories fitted (`also`) decide no other article: only a changed story is passed on
        if key in indexed or decided[key][0] != before.get(key):
            for x in _neighbours(store, s, index, seen, after=True):
                if x.article_id not in done:
                    before.setdefault(x.article_id, seen[x.article_id][1] if x.article_id in seen else x.article_id)
                    heapq.heappush(queue, (x.order(), x.article_id))
    changed = {k: v for k, v in decided.items() if k in indexed or v != (before.get(k), seen[k][0].also)}
    for k, original in copy_of.items():
        changed[k] = (story_now(original), ())
    for k in [k for k in changed if k not in new]:  # the stored copies follow their original
        for c in store.copies_of(k):
            changed[c] = (changed[k][0], ())
    sketch_of = {**{k: x for k, (x, _) in seen.items() if k in changed}, **new}
    missing = [k for k in changed if k not in sketch_of]  # stored copies of a re-decided article
    sketch_of.update((k, Sketch.from_json(t)) for k, (t, _) in store.stored_sketches(missing).items())
    stored_copies = {k for k in changed if k not in new and k not in seen}
    triples = [(replace(sketch_of[k], also=v[1]), v[0], k in copy_of or k in stored_copies) for k, v in changed.items()]
    old, counts, moved, members, partial, touched, carry = (_joins(store, changed, sketch_of, new)
                                                            or _regroup(store, changed, sketch_of, new))
    have = store.story_counts(counts)
    # A story's record is made here only while the story is small (or new,
    # with no record to carry over): a large one is marked stale and remade
    # later by refresh_records, so that no update costs what a story's size does.
    small = settings()["record_exact_below"]
    due = [s for s in sorted(touched) if counts[s][0] < small or (s not in have and s not in carry)]
    stale = touched - set(due)
    for s in set(due) & partial:  # a story's record is made of all its articles
        members[s] = sorted(set(store.story_membership([s])) | set(members[s]))
    return store.update_membership(old, counts, moved, _records(store, [members[s] for s in due], sketch_of), triples,
                                   stale=stale, carry={s: carry[s] for s in stale if s in carry and s not in have})


def refresh_records(store, *, due_only: bool = False) -> int:
    """Remake the records of the stories marked stale, each from all its
    articles (due_only: only those whose article count has changed by
    `record_lag` since their record was made, or that have none of their
    own). Returns the number of records remade."""
    lag = settings()["record_lag"]
    made = 0
    with _no_cycle_collection():
        for story_id, (n, recorded) in store.stale_stories().items():
            if due_only and recorded and abs(n - recorded) < recorded * lag:
                continue
            members = store.articles_of([story_id]).get(story_id)
            if members:
                made += store.refresh_record(story_id, members, _records(store, [members], {})[0])
    return made


def _order(day: Optional[str], article_id: str) -> tuple[str, str]:
    return (day or "9999", article_id)  # Sketch.order


def _joins(store, changed: dict, sketch_of: dict[str, Sketch], new: dict) -> Optional[tuple]:
    """The usual case, new articles that each join a stored story (or start
    one) and fit no other, reads only those stories' counts: None otherwise,
    or when one would become its story's first article (its id changes).
    Of a stored story, only its new articles are among `members`."""
    if any(k not in new or also for k, (_, also) in changed.items()) or store.story_of_each(changed):
        return None
    stored = {c for c, _ in changed.values() if c not in changed}
    story_of_component = store.story_of_each(stored)
    old = set(story_of_component.values())
    counts = {s: (n, day, first) for s, (n, _, day, first, _) in store.story_counts(old).items()}
    if len(story_of_component) != len(stored) or len(counts) != len(old):
        return None
    members: dict[str, list[str]] = {}
    begun: dict[str, list[str]] = {}
    for k, (c, _) in changed.items():
        if c in changed:  # a story begun now, by c
            if changed[c][0] != c:
                return None
            begun.setdefault(c, []).append(k)
            continue
        story = story_of_component[c]
        n, day, first = counts[story]
        if sketch_of[k].order() < _order(day, first):
            return None
        counts[story] = (n + 1, day, first)
        members.setdefault(story, []).append(k)
    for g in begun.values():
        first = min(g, key=lambda k: sketch_of[k].order())
        story = article_story_id(first)
        counts[story] = (len(g), (sketch_of[first].published or "")[:10] or None, first)
        members[story] = g
    moved = {k: story for story, g in members.items() for k in g}
    return old, counts, moved, members, old, set(counts), {}


def _regroup(store, changed: dict, sketch_of: dict[str, Sketch], new: dict) -> tuple:
    """Every other case: the stored stories of the re-decided articles and of
    the stories they joined or fit (a story is named by its first article,
    which is in it) are grouped again from their articles' decisions."""
    named = {x for story, also in changed.values() for x in (story, *also)}
    old = store.stories_of_articles(named | {k for k in changed if k not in new})
    rows = store.story_membership(old)
    decisions = {k: (component, also) for k, (_, component, also, _) in rows.items()}
    day = {k: d for k, (_, _, _, d) in rows.items()}
    decisions.update(changed)
    for k in changed:
        day[k] = (sketch_of[k].published or "")[:10] or None
    groups: dict[str, list[str]] = {}
    for k, root in merged(decisions).items():
        groups.setdefault(root, []).append(k)
    counts: dict[str, tuple[int, Optional[str], str]] = {}
    members: dict[str, list[str]] = {}
    moved: dict[str, str] = {}
    carry: dict[str, str] = {}  # a story with a new id -> the old story most of its stored articles were in
    for g in groups.values():
        first = min(g, key=lambda k: _order(day[k], k))
        story = article_story_id(first)
        counts[story] = (len(g), day[first], first)
        members[story] = g
        moved.update((k, story) for k in g if k not in rows or rows[k][0] != story)
        was = Counter(rows[k][0] for k in g if k in rows)
        if was:
            carry[story] = min(was, key=lambda s: (-was[s], s))
    # the stories whose articles changed: those an article moved to or from
    touched = {moved[k] for k in moved} | {rows[k][0] for k in moved if k in rows}
    return old, counts, moved, members, set(), touched & set(counts), carry


def _records(store, groups: list[list[str]], known: dict[str, Sketch]) -> list:
    """The records of the stories of these articles (each group in article order)."""
    ids = [k for g in groups for k in g]
    sketches = dict(known)
    sketches.update((k, Sketch.from_json(t)) for k, (t, _) in
                    store.stored_sketches([k for k in ids if k not in known]).items())
    by_article: dict[str, list] = {}
    for a in store.analyses_of(ids):
        if not a.error:
            by_article[a.article.id] = reports_from_analysis(a, sketches[a.article.id].duplicate_of)
    return [story_of_articles([sketches[k] for k in g], [r for k in g for r in by_article.get(k, ())]) for g in groups]
