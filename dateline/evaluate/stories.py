"""Scores the stories (which articles tell one real-world story) against an
article clustering such as ECB+'s: JSON Lines with an "id" and the gold
story's label, "subtopic" (or "story"); "topic" is optional and splits the
false links into those between two stories of one topic (two earthquakes)
and those across topics. With the articles' "text" (and "title",
"published", "source"), the articles are ingested into a new store first;
with `db`, an existing store's stories are scored as they are.

Figures, over the gold file's articles (an article in no story counts as a
story of its own):
  pairwise  two articles are linked when they share a story; precision,
            recall and F1 over article pairs.
  B-cubed   per article, the share of its story that shares its gold label
            (precision) and of its gold label's articles in its story
            (recall), averaged.

    python -m dateline.evaluate.stories GOLD.jsonl [--db STORE] [--part tuning|held-out]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from itertools import islice
from pathlib import Path
from typing import Optional, TextIO

from dateline.evaluate.matching import read_jsonl


def gold_labels(rows: list[dict]) -> tuple[dict[str, str], dict[str, str]]:
    """article id -> gold story label, article id -> topic (when given)."""
    labels, topics = {}, {}
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise ValueError(f"line {n}: a gold row is a JSON object")
        label = row.get("subtopic", row.get("story"))
        if not isinstance(row.get("id"), str) or label is None:
            raise ValueError(f"line {n}: a gold row needs an \"id\" and a \"subtopic\" (or \"story\")")
        labels[row["id"]] = str(label)
        if row.get("topic") is not None:
            topics[row["id"]] = str(row["topic"])
    return labels, topics


def _prf(tp: float, n_sys: float, n_gold: float) -> dict[str, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _pairs(counts: Counter) -> int:
    """Pairs of articles within each group of these sizes."""
    return sum(n * (n - 1) // 2 for n in counts.values())


def score(gold: dict[str, str], system: dict[str, str], topics: Optional[dict[str, str]] = None) -> dict:
    """Pairwise and B-cubed figures of the system's stories (article id ->
    story; an article missing is a story of its own) against `gold`. Pairs
    are counted from group sizes, so a large corpus costs what its articles
    do, not what its pairs do."""
    ids = sorted(gold)
    story = {a: system.get(a, f"alone:{a}") for a in ids}
    by_story, by_gold = Counter(story.values()), Counter(gold.values())
    both = Counter((story[a], gold[a]) for a in ids)
    linked, right = _pairs(by_story), _pairs(both)
    out = {"articles": len(ids), "stories": len(by_story), "gold_stories": len(by_gold),
           "pairwise": _prf(right, linked, _pairs(by_gold))}
    if topics:
        # a false link is within a topic when both articles have that topic
        in_topic = Counter((story[a], topics[a]) for a in ids if topics.get(a) is not None)
        right_in_topic = Counter((story[a], topics[a], gold[a]) for a in ids if topics.get(a) is not None)
        within = _pairs(in_topic) - _pairs(right_in_topic)
        out["false_links"] = {"within_topic": within, "across_topics": linked - right - within}
    precision = sum(both[story[a], gold[a]] / by_story[story[a]] for a in ids) / len(ids) if ids else 0.0
    recall = sum(both[story[a], gold[a]] / by_gold[gold[a]] for a in ids) / len(ids) if ids else 0.0
    out["bcubed"] = {"p": precision, "r": recall,
                     "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0}
    return out


def stories_of(path: str, db: Optional[str], ids: list[str], limit: Optional[int] = None) -> dict[str, str]:
    """article id -> story: from the store `db`, else from a new store the
    gold file's articles are ingested into."""
    from dateline.store import open_store

    if db is not None:
        store = open_store(db, readonly=True)
        try:
            return store.story_of_each(ids)
        finally:
            store.close()
    from dateline.store.ingest import ingest, read_inputs, rebuild_stories

    with tempfile.TemporaryDirectory(prefix="dateline-stories-") as folder:
        store = open_store(Path(folder) / "stories.db")
        try:
            ingest(store, islice(read_inputs([path]), limit))
            rebuild_stories(store)
            return store.story_of_each(ids)
        finally:
            store.close()


def report(figures: dict, name: str = "all") -> str:
    pw, b3 = figures["pairwise"], figures["bcubed"]
    line = (f"{name}: articles {figures['articles']}, stories {figures['stories']} (gold {figures['gold_stories']}) | "
            f"pairwise P {pw['p']:.3f} R {pw['r']:.3f} F1 {pw['f1']:.3f} | "
            f"B-cubed P {b3['p']:.3f} R {b3['r']:.3f} F1 {b3['f1']:.3f}")
    if "false_links" in figures:
        fl = figures["false_links"]
        line += f" | false links {fl['within_topic']} within a topic, {fl['across_topics']} across topics"
    return line


def main(path: str, out: TextIO = sys.stdout, limit: Optional[int] = None, part: str = "all",
         db: Optional[str] = None) -> int:
    """Print the figures of the whole file and of the part asked for (every
    third line, 3, 6, 9, ..., is the held-out part)."""
    try:
        rows = read_jsonl(path, limit)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON Lines ({exc.msg}, line {exc.lineno})") from None
    labels, topics = gold_labels(rows)
    if not labels:
        raise ValueError("no articles to score")
    system = stories_of(path, db, list(labels), limit)
    print(report(score(labels, system, topics), "all"), file=out)
    if part != "all":
        keep = {r["id"] for i, r in enumerate(rows) if (i % 3 == 2) == (part == "held-out")}
        print(report(score({k: v for k, v in labels.items() if k in keep}, system, topics), part), file=out)
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--db", help="score the stories of this store instead of ingesting the articles")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--part", choices=("all", "tuning", "held-out"), default="all")
    a = ap.parse_args()
    sys.exit(main(a.path, limit=a.limit, part=a.part, db=a.db))
