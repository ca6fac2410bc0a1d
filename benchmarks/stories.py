"""Story merge benchmark (not a test): what keeping stories up to date costs
on a large store, without analysing every article of it.

The store holds N synthetic articles (benchmarks/ingest.py's corpus); the
first --analysed are analysed and every later one is stored with the analysis
of article i % --analysed re-keyed to it, which is how the synthetic corpus
repeats its samples anyway (the merge reads only the stored events). Then:

1. the incremental merge of all N (every report new), against a full rebuild;
2. articles added one at a time, each followed by the incremental merge (as
   POST /api/articles does), against the analysis of that one article;
3. the record of the largest story made again from all its articles, which
   no update does: a story of `record_exact_below` articles or more is marked
   stale by the update that changes it, and its record is remade afterwards
   (`dateline stories --refresh`; the end of an ingest and the server's story
   updater, once its article count has changed by `record_lag`): its cost,
   and that cost spread over the articles joining the story between refreshes.

The slowest updates are listed with what they spent making records and
whether they regrouped stories; --profile prints where the slowest spent its time.

    .venv/bin/python benchmarks/stories.py --articles 10000
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import dateline  # noqa: E402
from dateline.merge.articles import settings  # noqa: E402
from dateline.merge.update import _no_cycle_collection, _records  # noqa: E402
from dateline.store import Store  # noqa: E402
from dateline.store.ingest import rebuild_stories  # noqa: E402
from ingest import synthetic_corpus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--analysed", type=int, default=500)
    ap.add_argument("--added", type=int, default=20, help="articles then added one at a time")
    ap.add_argument("--profile", action="store_true", help="print where the slowest update spent its time")
    ap.add_argument("--full-only", action="store_true",
                    help="make the stories with the full rebuild alone, not the incremental merge too (a large store)")
    args = ap.parse_args()
    corpus = synthetic_corpus(args.articles + args.added)
    base, later = corpus[:args.articles], corpus[args.articles:]
    analyses = list(dateline.analyze_many(base[:args.analysed]))
    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(Path(tmp) / "stories.db") as store:
            for i, article in enumerate(base):
                analysis = analyses[i % args.analysed]
                store.add(article, analysis.model_copy(update={"article": article}))
            print(f"stored {args.articles:,} articles", file=sys.stderr, flush=True)
            merge_s = None
            if not args.full_only:
                t = time.perf_counter()
                rebuild_stories(store)
                merge_s = time.perf_counter() - t
            t = time.perf_counter()
            n = rebuild_stories(store, full=True)
            full_s = time.perf_counter() - t
            print(f"stories made ({full_s:.0f}s)", file=sys.stderr, flush=True)
            analyse_ms, merge_ms = [], []
            trace = _Trace()
            for article in later:
                t = time.perf_counter()
                analysis = next(iter(dateline.analyze_many([article])))
                analyse_ms.append((time.perf_counter() - t) * 1000)
                store.add(article, analysis)
                profile = cProfile.Profile() if args.profile else None
                t = time.perf_counter()
                if profile:
                    profile.enable()
                rebuild_stories(store)
                merge_ms.append((time.perf_counter() - t) * 1000)
                if profile:
                    profile.disable()
                    if merge_ms[-1] == max(merge_ms):
                        slowest = profile
                trace.done(merge_ms[-1])
            trace.stop()
            events = store.count("events")
            sizes = store.story_counts(s["id"] for s in store.stories())
            largest = max(sizes, key=lambda k: sizes[k][0])
            members = list(store.story_membership([largest]))
            with _no_cycle_collection():  # as in an update
                t = time.perf_counter()
                _records(store, [members], {})
                record_s = time.perf_counter() - t
    print(f"Stories of {args.articles:,} synthetic articles ({events:,} events, {n:,} stories)")
    if merge_s is not None:
        print(f"  incremental merge, all new:   {merge_s:.1f}s ({merge_s / args.articles * 1000:.2f} ms per article)")
    print(f"  full rebuild:                 {full_s:.1f}s")
    lag = settings()["record_lag"]
    print(f"  one more article at a time:   merge {statistics.median(merge_ms):.0f} ms (median of {args.added}; "
          f"mean {statistics.mean(merge_ms):.0f}, max {max(merge_ms):.0f}), its analysis "
          f"{statistics.median(analyse_ms):.0f} ms (median)")
    print("  slowest updates (ms: records made inline, of how many articles; regrouped?):")
    for i, (ms, records_ms, sizes_made, regrouped) in sorted(enumerate(trace.rows), key=lambda t: -t[1][0])[:5]:
        print(f"    {ms:7.0f} ms (added article {i + 1}): records {records_ms:.0f} ms {sizes_made}, regrouped {regrouped}")
    if args.profile:
        pstats.Stats(slowest).sort_stats("cumulative").print_stats(25)
    print(f"  largest story's record:       {len(members):,} articles, remade (outside updates) in {record_s:.2f}s, due once per "
          f"{max(1, int(len(members) * lag)):,} joining: {record_s * 1000 / max(1, int(len(members) * lag)):.1f} ms "
          "per article")


class _Trace:
    """What each update spent making story records inline and whether it
    regrouped stories (patched around dateline.merge.update's helpers)."""

    def __init__(self) -> None:
        import dateline.merge.update as update

        self.update, self.rows = update, []
        self.records_ms, self.sizes, self.regrouped = 0.0, [], False
        self.saved = update._records, update._regroup

        def records(store, groups, known):
            t = time.perf_counter()
            try:
                return self.saved[0](store, groups, known)
            finally:
                self.records_ms += (time.perf_counter() - t) * 1000
                self.sizes += [len(g) for g in groups]

        def regroup(*a, **k):
            self.regrouped = True
            return self.saved[1](*a, **k)

        update._records, update._regroup = records, regroup

    def done(self, ms: float) -> None:
        self.rows.append((ms, self.records_ms, self.sizes, self.regrouped))
        self.records_ms, self.sizes, self.regrouped = 0.0, [], False

    def stop(self) -> None:
        self.update._records, self.update._regroup = self.saved


if __name__ == "__main__":
    main()
