"""PostgreSQL against SQLite, same machine, same run (not a test).

1. Writes: `Store.add` of pre-analysed articles (the samples' analyses under
   new ids and texts), one writer, then (PostgreSQL) several writer threads.
2. Queries: the latency of the `dateline events / quotes / search / stories`
   queries of benchmarks/ingest.py on the same 100,000 synthetic events.

Figures are ratios PostgreSQL / SQLite measured in this run.

    DATELINE_BENCH_PG=postgresql://user@host/db .venv/bin/python benchmarks/store_backends.py
    (the role must be allowed to CREATE DATABASE; a scratch database is made and dropped)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import psycopg  # noqa: E402

import dateline  # noqa: E402
from dateline.store import Store, StoreError  # noqa: E402
from ingest import fill_events, query_cases, samples, timed  # noqa: E402  (benchmarks/ingest.py)


def scratch_database(server: str) -> tuple[str, callable]:
    name = f"dateline_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    head = server.split("?")[0].rsplit("/", 1)[0]
    return f"{head}/{name}", drop


def work(n: int) -> list:
    """n (article, analysis) pairs with distinct ids and texts."""
    analyses = list(dateline.analyze_many(samples()))
    out = []
    for i in range(n):
        a = analyses[i % len(analyses)]
        article = a.article.model_copy(update={"id": f"w-{i:06d}", "text": f"Bulletin {i}. " + a.article.text})
        out.append((article, a.model_copy(update={"article": article})))
    return out


def bench_writes(target: str, items: list, writers: int = 1) -> float:
    """Articles stored per second by `writers` threads sharing the items."""
    with Store.open(target):
        pass  # migrate before the clock starts
    errors = []

    def writer(part):
        try:
            with Store.open(target) as store:
                for article, analysis in part:
                    try:
                        store.add(article, analysis)
                    except StoreError:
                        pass
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    t = time.perf_counter()
    threads = [threading.Thread(target=writer, args=(items[k::writers],)) for k in range(writers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t
    if errors:
        raise errors[0]
    with Store.open(target, readonly=True) as store:
        assert store.count("articles") == len(items)
    return len(items) / elapsed


def bench_queries(target: str, n_events: int) -> list[tuple[str, float, int]]:
    with Store.open(target) as store:
        fill_events(store, n_events)
    with Store.open(target, readonly=True) as s:
        return [(name, *timed(fn)) for name, fn in query_cases(s)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--writers", type=int, default=4)
    args = ap.parse_args()
    server = os.environ.get("DATELINE_BENCH_PG") or os.environ.get("DATELINE_TEST_PG")
    if not server:
        sys.exit("set DATELINE_BENCH_PG=postgresql://... (a role that may CREATE DATABASE)")
    items = work(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        drops = []
        try:
            def pg():
                url, drop = scratch_database(server)
                drops.append(drop)
                return url

            lite = bench_writes(str(Path(tmp) / "w.db"), items)
            post = bench_writes(pg(), items)
            post_n = bench_writes(pg(), items, args.writers)
            lite_n = bench_writes(str(Path(tmp) / "wn.db"), items, args.writers)
            print(f"Writes ({args.articles:,} pre-analysed articles, Store.add)")
            print(f"  SQLite, 1 writer:              {lite:8.1f} articles/s")
            print(f"  PostgreSQL, 1 writer:          {post:8.1f} articles/s  ({post / lite:.2f}x SQLite)")
            print(f"  SQLite, {args.writers} writer threads:      {lite_n:8.1f} articles/s  ({lite_n / lite:.2f}x 1 writer)")
            print(f"  PostgreSQL, {args.writers} writer threads:  {post_n:8.1f} articles/s  ({post_n / post:.2f}x 1 writer)")
            lq = bench_queries(str(Path(tmp) / "q.db"), args.events)
            pq = bench_queries(pg(), args.events)
            print(f"Query latency on {args.events:,} events (median of 5): SQLite ms, PostgreSQL ms, ratio")
            for (name, lms, ln), (_, pms, pn) in zip(lq, pq):
                same = "" if ln == pn else f"  (rows differ: {ln} vs {pn})"
                print(f"  {lms:8.1f} {pms:8.1f}  {pms / lms:5.2f}x  {ln:6,} rows  dateline {name}{same}")
        finally:
            for drop in drops:
                drop()


if __name__ == "__main__":
    main()
