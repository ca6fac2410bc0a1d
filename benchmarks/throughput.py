"""Throughput: the bare spaCy pipeline vs the whole dateline analysis.

    .venv/bin/python benchmarks/throughput.py [--articles 200] [--processes 1,2]

Builds a corpus from samples/ (each article varied: other numbers, other
weekdays, paragraphs reordered), then times `nlp.pipe` with the model from
dateline.analyze.nlp.load() and `dateline.analyze_many` on the same texts,
for each process count, in this one run. The ratio column is analyze_many's
articles/s over the bare pipeline's: 1.00x means dateline's own components
cost nothing; the target is 0.8x or more. "Bare" is the stock model as
spacy.load gives it.
Not a test; takes a minute or two.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dateline  # noqa: E402
from dateline.analyze import nlp as nlp_loader  # noqa: E402
from dateline.ingest import read_path  # noqa: E402
from dateline.model import Article  # noqa: E402

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def sample_articles() -> list[Article]:
    paths = sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "samples").glob("*.html"))
    paths += sorted((ROOT / "samples").glob("*.jsonl"))
    return [r for p in paths for r in read_path(p) if isinstance(r, Article)]


def vary(article: Article, i: int) -> Article:
    """A different but equally newsy text: same sentences, new numbers and
    days, paragraphs after the first shuffled."""
    rng = random.Random(i)
    text = re.sub(r"\b\d+\b", lambda m: str(int(m.group()) + rng.randint(1, 9)), article.text)
    text = re.sub("|".join(DAYS), lambda m: rng.choice(DAYS), text)
    paragraphs = text.split("\n\n")
    rest = paragraphs[1:]
    rng.shuffle(rest)
    return article.model_copy(update={"id": f"{article.id}-{i}", "text": "\n\n".join([paragraphs[0], *rest])})


def corpus(n: int) -> list[Article]:
    base = sample_articles()
    return [vary(base[i % len(base)], i) for i in range(n)]


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--processes", default="1,2", help="comma-separated process counts")
    args = parser.parse_args()
    processes = [int(p) for p in args.processes.split(",")]

    articles = corpus(args.articles)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    import spacy

    nlp = spacy.load(nlp_loader.model_name() or nlp_loader.DEFAULT_MODELS[0])
    print(f"{len(articles)} articles, {words} words, model {nlp_loader.describe(nlp)}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (a busy machine flattens the 2-process gain)",
          file=sys.stderr)

    # Warm up: model load, lexicons, gazetteer, first-call caches.
    list(nlp.pipe(texts[:10]))
    list(dateline.analyze_many(articles[:10]))

    rows = []
    for n in processes:
        bare = timed(lambda: list(nlp.pipe(texts, batch_size=32, n_process=n)))
        full = timed(lambda: list(dateline.analyze_many(articles, n_process=n, batch_size=32)))
        rows.append((n, bare, full))
        print(f"  done: {n} process(es)", file=sys.stderr)

    print(f"{'processes':>9}  {'pipeline':<14} {'seconds':>8} {'articles/s':>11} {'words/s':>9} {'ratio':>6}")
    for n, bare, full in rows:
        for name, secs in (("bare nlp.pipe", bare), ("analyze_many", full)):
            ratio = f"{bare / full:5.2f}x" if name == "analyze_many" else ""
            print(f"{n:>9}  {name:<14} {secs:8.2f} {len(texts) / secs:11.1f} {words / secs:9.0f} {ratio:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
