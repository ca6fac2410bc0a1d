"""Throughput: the bare spaCy pipeline vs the whole dateline analysis, on
articles of realistic length, with the cost of every stage.

    .venv/bin/python benchmarks/throughput.py [--articles 200] [--processes 1,2] [--corpus FILE.jsonl]

The corpus is synthetic with the lengths of real news (benchmarks/corpus.py:
lognormal word counts, median 330, mean 524 words), or the articles of a
JSON Lines file given with --corpus. For each process count, in this one run,
it times `nlp.pipe` with the stock model (as spacy.load gives it) and
`dateline.analyze_many` on the same texts and prints articles/s, words/s and
the ratio of analyze_many's rate to the bare pipeline's (1.00x: dateline's
own work costs nothing). Then, from the one-process run, the CPU time of each
stage (dateline.timing) in ms per 1,000 words and as a share of the parse:
the parse (spaCy plus dateline's paragraph rule), the checks (length,
language) and each component. Not a test; a few minutes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus as corpora  # noqa: E402  (benchmarks/corpus.py)

import dateline  # noqa: E402
from dateline import timing  # noqa: E402
from dateline.analyze import nlp as nlp_loader  # noqa: E402


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def stage_table(seconds: dict[str, float], words: int, order: list[str]) -> list[str]:
    parse = seconds.get("parse", 0.0) or 1e-9
    lines = [f"  {'stage':<13} {'CPU s':>7} {'ms/1000 words':>14} {'of parse':>9}"]
    for name in order + sorted(set(seconds) - set(order)):
        if name in seconds:
            s = seconds[name]
            lines.append(f"  {name:<13} {s:7.2f} {s / words * 1e6:14.1f} {s / parse:9.1%}")
    rest = sum(s for n, s in seconds.items() if n != "parse")
    lines.append(f"  {'all but parse':<13} {rest:7.2f} {rest / words * 1e6:14.1f} {rest / parse:9.1%}")
    return lines


STAGES = ["parse", "checks", "entities", "places", "dates", "quotes", "events", "store", "stories"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200, help="synthetic articles (or the first N of --corpus)")
    parser.add_argument("--processes", default="1,2", help="comma-separated process counts")
    parser.add_argument("--corpus", type=Path, help="JSON Lines, one article a line with \"text\"")
    args = parser.parse_args()
    processes = [int(p) for p in args.processes.split(",")]

    articles = corpora.load(args.articles, args.corpus)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    import spacy

    nlp = spacy.load(nlp_loader.model_name() or nlp_loader.DEFAULT_MODELS[0])
    print(corpora.describe(articles, args.corpus))
    print(f"model {nlp_loader.describe(nlp)}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} "
          "(a busy machine flattens the 2-process gain)")

    # Warm up: model load, lexicons, gazetteer, first-call caches.
    list(nlp.pipe(texts[:10]))
    list(dateline.analyze_many(articles[:10]))

    rows, stages = [], {}
    for n in processes:
        cpu = time.process_time()
        bare = timed(lambda: list(nlp.pipe(texts, batch_size=32, n_process=n)))
        bare_cpu = time.process_time() - cpu
        timing.reset()
        cpu = time.process_time()
        full = timed(lambda: list(dateline.analyze_many(articles, n_process=n, batch_size=32)))
        full_cpu = time.process_time() - cpu
        if n == 1:
            stages, bare_parse = timing.snapshot(), bare_cpu
        # With several processes the work is in the workers: this process's CPU time says nothing.
        rows.append((n, (bare, bare_cpu if n == 1 else None), (full, full_cpu if n == 1 else None)))
        print(f"  done: {n} process(es)", file=sys.stderr)

    print(f"{'processes':>9}  {'pipeline':<14} {'seconds':>8} {'articles/s':>11} {'words/s':>9} {'ratio':>6} "
          f"{'CPU s':>6} {'CPU ratio':>9}")
    for n, (bare, bare_cpu), (full, full_cpu) in rows:
        for name, secs, cpu in (("bare nlp.pipe", bare, bare_cpu), ("analyze_many", full, full_cpu)):
            ratio = f"{bare / full:5.2f}x" if name == "analyze_many" else ""
            cpu_ratio = f"{bare_cpu / full_cpu:8.2f}x" if name == "analyze_many" and cpu else ""
            cpu_s = f"{cpu:6.1f}" if cpu else ""
            print(f"{n:>9}  {name:<14} {secs:8.2f} {len(texts) / secs:11.1f} {words / secs:9.0f} {ratio:>6} "
                  f"{cpu_s:>6} {cpu_ratio:>9}")
    print("(ratio: analyze_many's rate over the bare pipeline's, by the wall clock; CPU ratio: by this process's "
          "CPU time, steadier on a shared machine)")
    if stages:
        print("Stages of analyze_many, one process:")
        print("\n".join(stage_table(stages, words, STAGES)))
        print(f"  (bare nlp.pipe: {bare_parse / words * 1e6:.1f} ms/1000 words of CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
