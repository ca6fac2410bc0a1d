"""Corpus store benchmark (not a test).

1. Ingest throughput: articles/s for ingest + analyze + store into SQLite on a
   synthetic corpus generated from samples/ (each article a sample with its
   own opening paragraph and shuffled paragraphs, so none is a byte copy),
   against analyze alone (dateline.analyze_many) on the same articles.
2. Query latency of the `dateline events / quotes / search / stories`
   queries on a store with 100,000 synthetic events (rows inserted directly).

    .venv/bin/python benchmarks/ingest.py                 # 2,000 articles
    .venv/bin/python benchmarks/ingest.py --articles 10000
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dateline  # noqa: E402
from dateline.model import Article  # noqa: E402
from dateline.store import Store  # noqa: E402
from dateline.store.ingest import expand, ingest, read_inputs  # noqa: E402

PLACES = [("Kyiv", "UA", "Kyiv City", 50.45, 30.52), ("Kharkiv", "UA", "Kharkiv", 49.99, 36.23),
          ("Odesa", "UA", "Odesa", 46.48, 30.72), ("Gaza City", "PS", "Gaza Strip", 31.5, 34.47),
          ("Belgorod", "RU", "Belgorod", 50.6, 36.6), ("Khartoum", "SD", "Khartoum", 15.5, 32.56),
          ("Porto", "PT", "Porto", 41.15, -8.61), ("Manila", "PH", "Metro Manila", 14.6, 120.98)]
TYPES = ["ASSAULT", "PROTEST", "CONSULT", "ACCUSE", "COERCE", "AGREE", "AID", "MOBILIZE", "THREATEN", "OTHER"]
ADDED_ONE_BY_ONE = 20
SPEAKERS = ["Yuri Ushakov", "Dmitry Peskov", "Vitali Klitschko", "Rita Moreira", "Vyacheslav Gladkov", "Mahmoud Bassal"]


def samples() -> list[Article]:
    return [r for r in read_inputs(expand([str(ROOT / "samples")])) if isinstance(r, Article)]


def synthetic_corpus(n: int, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    base = samples()
    out = []
    for i in range(n):
        a = base[i % len(base)]
        paras = [p for p in a.text.split("\n") if p.strip()]
        head, rest = paras[:1], paras[1:]
        rng.shuffle(rest)
        opening = f"Bulletin {i}: the {rng.choice(['morning', 'evening', 'night'])} desk filed report {i * 13 % 9973}."
        out.append(a.model_copy(update={"id": f"syn-{i:06d}", "source": f"Outlet {i % 50}",
                                        "text": "\n".join([opening] + head + rest)}))
    return out


def bench_ingest(n: int, workers: int) -> dict:
    articles = synthetic_corpus(n)
    from dateline.analyze import nlp

    nlp.load()
    list(dateline.analyze_many(articles[:8]))  # warm up
    t = time.perf_counter()
    for _ in dateline.analyze_many(articles, n_process=workers):
        pass
    analyze_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(Path(tmp) / "bench.db") as store:
            t = time.perf_counter()
            stats = ingest(store, articles, workers=workers, batch=64)
            ingest_s = time.perf_counter() - t
            size = (Path(tmp) / "bench.db").stat().st_size
            from dateline.store.ingest import rebuild_stories

            t = time.perf_counter()
            n_stories = rebuild_stories(store)  # incremental: everything is new
            stories_s = time.perf_counter() - t
            t = time.perf_counter()
            rebuild_stories(store, full=True)
            full_s = time.perf_counter() - t
            t = time.perf_counter()
            again = ingest(store, articles, workers=workers, batch=64)
            rerun_s = time.perf_counter() - t
            # Articles arriving one at a time (as POST /api/articles adds them):
            # the story merge after each, next to its own ingest.
            one_ingest, one_merge = [], []
            for article in synthetic_corpus(n + ADDED_ONE_BY_ONE)[n:]:
                t = time.perf_counter()
                ingest(store, [article])
                one_ingest.append(time.perf_counter() - t)
                t = time.perf_counter()
                rebuild_stories(store)
                one_merge.append(time.perf_counter() - t)
    return {"articles": n, "analyze_per_s": n / analyze_s, "ingest_per_s": n / ingest_s,
            "ratio": (n / ingest_s) / (n / analyze_s), "added": stats.added, "near_copies": stats.near_duplicates,
            "rerun_s": rerun_s, "stories": n_stories, "stories_s": stories_s, "full_s": full_s,
            "ratio_with_stories": (n / (ingest_s + stories_s)) / (n / analyze_s),
            "one_ingest_ms": statistics.median(one_ingest) * 1000, "one_merge_ms": statistics.median(one_merge) * 1000,
            "rerun_skipped": again.skipped, "db_mb": size / 2**20}


def fill_events(store: Store, n_events: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    n_articles = n_events // 5
    conn = store.conn
    with store.transaction():
        for a in range(n_articles):
            aid = f"bench-{a:06d}"
            text = f"Synthetic article {a} about {rng.choice(PLACES)[0]} and the draft office in district {a % 97}."
            conn.execute("INSERT INTO articles(id, title, source, published, language, text, content_hash) "
                         "VALUES (?, ?, ?, ?, 'en', ?, ?)",
                         (aid, f"Title {a}", f"Outlet {a % 50}", f"2025-{1 + a % 12:02d}-{1 + a % 28:02d}", text,
                          f"h{a}"))
            conn.executemany(
                "INSERT INTO quotes(article_id, idx, speaker, speaker_kind, cue, content, direct) "
                "VALUES (?, ?, ?, 'person', 'said', ?, 1)",
                [(aid, q, rng.choice(SPEAKERS), f"Quote {q} of article {a} on the talks") for q in range(2)])
            rows = []
            for i in range(5):
                name, cc, admin1, lat, lon = rng.choice(PLACES)
                rows.append({"article_id": aid, "idx": i, "type": rng.choice(TYPES), "summary": f"Event {i} of {a}",
                             "actor": "Russia", "target": "civilians", "location": name, "country": cc,
                             "admin1": admin1, "lat": lat, "lon": lon, "geo_precision": "place",
                             "date": f"2025-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}",
                             "date_precision": "day", "killed": rng.choice([None, 0, 1, 2, 5]), "status": "occurred"})
            store.insert_events(rows)
        stories = [{"id": f"story-{s:06d}", "type": rng.choice(TYPES), "summary": f"Story {s}",
                    "country": rng.choice(PLACES)[1], "date": f"2025-{1 + s % 12:02d}-{1 + s % 28:02d}",
                    "corroboration": 1 + s % 4, "outlets": ["A"],
                    "evidence": [{"article_id": f"bench-{s:06d}", "event_index": 0}]} for s in range(n_events // 10)]
    store.replace_stories(stories)
    conn.execute("ANALYZE")


def query_cases(s):
    """The corpus commands' queries, as (command, call) on an open store."""
    return [
        ("events --type ASSAULT --country UA --since 2025-07-01 --place Kyiv",
         lambda: s.events(type="ASSAULT", country="UA", since="2025-07-01", place="Kyiv")),
        ("events --country UA --since 2025-12-01", lambda: s.events(country="UA", since="2025-12-01")),
        ("events --place Kyiv --limit 100", lambda: s.events(place="Kyiv", limit=100)),
        ("quotes --speaker Ushakov", lambda: s.quotes(speaker="Ushakov")),
        ("search \"draft office\"", lambda: s.search("draft office")["articles"]),
        ("stories --country UA", lambda: s.stories(country="UA")),
        ("story ID", lambda: [s.story("story-000042")]),
    ]


def timed(fn, repeat: int = 5) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        n = len(fn())
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, n


def bench_queries(n_events: int) -> list[tuple[str, float, int]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "q.db"
        with Store.open(path) as store:
            t = time.perf_counter()
            fill_events(store, n_events)
            print(f"  (filled {n_events:,} events in {time.perf_counter() - t:.1f}s)", file=sys.stderr)
        with Store.open(path, readonly=True) as s:
            return [(name, *timed(fn)) for name, fn in query_cases(s)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--skip-ingest", action="store_true")
    args = ap.parse_args()
    if not args.skip_ingest:
        r = bench_ingest(args.articles, args.workers)
        print(f"Ingest ({r['articles']:,} synthetic articles, {args.workers} process(es))")
        print(f"  analyze_many alone:           {r['analyze_per_s']:.1f} articles/s")
        print(f"  ingest + analyze + store:     {r['ingest_per_s']:.1f} articles/s")
        print(f"  ratio ingest / analyze:       {r['ratio']:.2f}x")
        print(f"  stored {r['added']:,} ({r['near_copies']:,} linked as near-copies), store {r['db_mb']:.1f} MB")
        print(f"  merging their stories:        {r['stories_s']:.1f}s ({r['stories']} stories), "
              f"ratio ingest + stories / analyze {r['ratio_with_stories']:.2f}x")
        print(f"  full rebuild of the stories:  {r['full_s']:.1f}s")
        print(f"  one more article at a time:   story merge {r['one_merge_ms']:.0f} ms after an ingest of "
              f"{r['one_ingest_ms']:.0f} ms (median of {ADDED_ONE_BY_ONE})")
        print(f"  re-run over the same corpus:  {r['rerun_s']:.1f}s, {r['rerun_skipped']:,} skipped")
    print(f"Query latency on {args.events:,} events (median of 5)")
    for name, ms, n in bench_queries(args.events):
        print(f"  {ms:8.1f} ms  {n:6,} rows  dateline {name}")


if __name__ == "__main__":
    main()
