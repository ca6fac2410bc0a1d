"""Scaling benchmark (not a test): ingest (read + analyse + store into
SQLite) of articles of realistic length written as one JSONL file (the
synthetic corpus of benchmarks/corpus.py, lognormal word counts with median
330 and mean 524 words, or --corpus FILE), with

  1. one process (`dateline ingest --workers 1`),
  2. a pool of N local worker processes (`--workers N`),
  3. a Dask LocalCluster of N single-threaded worker processes (`--dask local`),

each as articles/s, words/s and as a ratio to the single-process figure of
the same run, and a check that the three stores hold identical rows. The
one-process run also prints each stage's CPU time per 1,000 words (parse,
checks, the components, store) and the stories update that follows it.

Wall-clock ratios need an otherwise idle machine; the load average is printed
next to them. The CPU time each run spent (parent and workers) is printed
too: from it follows what the run would reach on idle cores ("projected").

    .venv/bin/python benchmarks/scale.py                    # 2,000 articles, 2 workers
    .venv/bin/python benchmarks/scale.py --articles 500 --workers 2 --no-dask
    .venv/bin/python benchmarks/scale.py --corpus my-articles.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus as corpora  # noqa: E402  (benchmarks/corpus.py: realistic lengths)
from throughput import STAGES, stage_table  # noqa: E402

import dateline  # noqa: E402
from dateline import timing  # noqa: E402
from dateline.store import Store  # noqa: E402
from dateline.store.ingest import ingest, read_inputs, rebuild_stories  # noqa: E402

TABLES = ("articles", "analyses", "entities", "places", "quotes", "events", "article_bands")


def cpu_seconds(who) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def store_rows(db: Path) -> dict:
    conn = sqlite3.connect(db)
    out = {}
    for table in TABLES:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "ingested_at"]
        out[table] = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid").fetchall()
    conn.close()
    return out


def run_local(files: list[str], db: Path, workers: int) -> dict:
    parent, children = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
    timing.reset()
    start = time.perf_counter()
    with Store.open(db) as store:
        stats = ingest(store, read_inputs(files), workers=workers)
        wall = time.perf_counter() - start
        # The pool's workers have exited and been waited for, so their time is in RUSAGE_CHILDREN.
        out = {"wall": wall, "added": stats.added, "parent_cpu": cpu_seconds(resource.RUSAGE_SELF) - parent,
               "worker_cpu": cpu_seconds(resource.RUSAGE_CHILDREN) - children}
        if workers == 1:  # every stage ran in this process; then the stories, as `dateline ingest` does
            rebuild_stories(store)
            out["stages"] = timing.snapshot()
    return out


def run_dask(files: list[str], db: Path, workers: int) -> dict:
    import psutil

    from dateline.scale.cluster import connect, close, ingest_on_dask

    start = time.perf_counter()
    client = connect("local", workers)
    startup = time.perf_counter() - start
    procs = [psutil.Process(pid) for pid in client.run(os.getpid).values()]
    before = [sum(p.cpu_times()[:2]) for p in procs]
    parent = cpu_seconds(resource.RUSAGE_SELF)
    start = time.perf_counter()
    with Store.open(db) as store:
        stats = ingest_on_dask(store, files, client)
    wall = time.perf_counter() - start
    parent = cpu_seconds(resource.RUSAGE_SELF) - parent
    worker_cpu = sum(sum(p.cpu_times()[:2]) - b for p, b in zip(procs, before))
    close(client)
    return {"wall": wall, "added": stats.added, "parent_cpu": parent, "worker_cpu": worker_cpu, "startup": startup}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2_000, help="synthetic articles (or the first N of --corpus)")
    ap.add_argument("--corpus", type=Path, help="JSON Lines, one article a line with \"text\"")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-dask", action="store_true", help="leave out the Dask LocalCluster run")
    args = ap.parse_args()
    w = args.workers
    cores = os.cpu_count() or 1

    from dateline.analyze import nlp

    nlp.load()
    articles = corpora.load(args.articles, args.corpus)
    n, words = len(articles), sum(len(a.text.split()) for a in articles)
    list(dateline.analyze_many(articles[:8]))  # warm up
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(a.model_dump(exclude_none=True)) + "\n" for a in articles),
                          encoding="utf-8")
        files = [str(corpus)]
        load_before = os.getloadavg()
        runs = {"1 process": run_local(files, Path(tmp) / "one.db", 1)}
        runs[f"{w} local workers"] = run_local(files, Path(tmp) / "pool.db", w)
        if not args.no_dask:
            runs[f"Dask LocalCluster, {w} workers"] = run_dask(files, Path(tmp) / "dask.db", w)
        load_after = os.getloadavg()
        reference = store_rows(Path(tmp) / "one.db")
        identical = {name: store_rows(Path(tmp) / db) == reference
                     for name, db in zip(list(runs)[1:], ["pool.db", "dask.db"])}

    single = runs["1 process"]
    single_rate = n / single["wall"]
    single_cpu = (single["parent_cpu"] + single["worker_cpu"]) / n
    print(f"Ingest (read + analyse + store into SQLite), {cores} cores: {corpora.describe(articles, args.corpus)}")
    print(f"  load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min); "
          f"{load_after[2]:.2f} (15 min)")
    print(f"  {'':34} {'articles/s':>10} {'words/s':>8} {'ratio':>6} {'cpu ms/article':>15} {'parent share':>12} "
          f"{'projected':>9}")
    for name, r in runs.items():
        rate = n / r["wall"]
        cpu = (r["parent_cpu"] + r["worker_cpu"]) / n
        parent_share = r["parent_cpu"] / max(r["parent_cpu"] + r["worker_cpu"], 1e-9)
        # On idle cores a run is bound by the cores (all CPU time), by the
        # parent (its own share, serial) and by the workers (their share, on w processes).
        if name == "1 process":
            projected = 1.0
        else:
            bound = max(cpu / cores, r["parent_cpu"] / n, r["worker_cpu"] / n / w)
            projected = (1 / bound) / (1 / single_cpu)
        print(f"  {name:34} {rate:10.1f} {words / r['wall']:8.0f} {rate / single_rate:5.2f}x {cpu * 1000:15.1f} "
              f"{parent_share:11.1%} {projected:8.2f}x")
        if "startup" in r:
            print(f"  {'':34} (cluster start-up and model loading: {r['startup']:.1f}s, not counted)")
    print("Stages of the one-process run (CPU), then the stories update of its store:")
    print("\n".join(stage_table(single["stages"], words, STAGES)))
    for name, same in identical.items():
        print(f"  {name}: stored rows {'identical to' if same else 'DIFFER from'} the single process's")
    if not all(identical.values()) or any(r["added"] != n for r in runs.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
