"""Benchmark corpora with the article lengths of real news.

By default a synthetic corpus: article lengths (words) are drawn from a
lognormal distribution fitted to the word counts of the full texts of three
public news corpora (maximum likelihood on log word counts):

    PolNeAR train (US political news, 2015-16)   840 articles  median 566  mean 744
    ECB+ train (international news)               575 articles  median 218  mean 319
    LGL (US local news)                           588 articles  median 242  mean 316
    pooled                                       2,003 articles median 355  mean 496
                                                 5th percentile 65, 95th 1,391 words

    log(words) ~ Normal(MU = 5.80, SIGMA = 0.96): median 330, mean 524 words,
    5th / 95th percentiles 68 / 1,610; clipped to 30 .. 8,000 words.

Only these summary figures come from the corpora; the text is the project's
own samples/ (invented articles), cut into paragraphs and sentences and
reassembled, with numbers and weekdays varied, to each drawn length.

Or a JSON Lines file (`--corpus FILE`): one article a line with "text" (and
optionally id, title, published, source), read with dateline's reader.
"""

from __future__ import annotations

import math
import random
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dateline.ingest import read_path  # noqa: E402
from dateline.model import Article  # noqa: E402

MU, SIGMA = 5.80, 0.96
MIN_WORDS, MAX_WORDS = 30, 8000
DISTRIBUTION = (f"lognormal word counts, median {math.exp(MU):.0f}, mean {math.exp(MU + SIGMA ** 2 / 2):.0f} "
                "(fitted to PolNeAR, ECB+ and LGL article lengths)")
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘A-Z])")


def sample_articles() -> list[Article]:
    paths = sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "samples").glob("*.html"))
    paths += sorted((ROOT / "samples").glob("*.jsonl"))
    return [r for p in paths for r in read_path(p) if isinstance(r, Article)]


def _vary(text: str, rng: random.Random) -> str:
    text = re.sub(r"\b\d+\b", lambda m: str(int(m.group()) + rng.randint(1, 9)), text)
    return re.sub("|".join(DAYS), lambda m: rng.choice(DAYS), text)


def lengths(n: int, seed: int = 17) -> list[int]:
    rng = random.Random(seed)
    return [min(MAX_WORDS, max(MIN_WORDS, round(rng.lognormvariate(MU, SIGMA)))) for _ in range(n)]


def synthetic(n: int, seed: int = 17) -> list[Article]:
    """n articles of lognormal lengths. Each opens with a sample article's
    first paragraph, then paragraphs of any sample in random order; the last
    one is cut at a sentence end near the drawn length."""
    base = sample_articles()
    pool = [p for a in base for p in a.text.split("\n") if len(p.split()) >= 5]
    rng = random.Random(seed)
    out = []
    for i, target in enumerate(lengths(n, seed)):
        a = base[i % len(base)]
        first = next(p for p in a.text.split("\n") if p.strip())
        paragraphs, words = [], 0
        candidates = [first]
        while words < target:
            paragraph = _vary(candidates.pop() if candidates else rng.choice(pool), rng)
            size = len(paragraph.split())
            if words + size > target and words + size - target > size // 2:
                kept = []
                for sentence in SENTENCE_END.split(paragraph):
                    if words >= target and (kept or paragraphs):
                        break
                    kept.append(sentence)
                    words += len(sentence.split())
                paragraphs.append(" ".join(kept))
                break
            paragraphs.append(paragraph)
            words += size
        out.append(a.model_copy(update={"id": f"len-{i:06d}", "source": f"Outlet {i % 50}",
                                        "text": "\n\n".join(paragraphs)}))
    return out


def from_file(path: Path) -> list[Article]:
    articles = [r for r in read_path(str(path)) if isinstance(r, Article) and r.text.strip()]
    if not articles:
        sys.exit(f"no articles with a \"text\" in {path}")
    return articles


def load(n: int, corpus: Path | None = None, seed: int = 17) -> list[Article]:
    """The --corpus file's articles (the first n when n is given), else n synthetic ones."""
    if corpus is not None:
        articles = from_file(corpus)
        return articles[:n] if n else articles
    return synthetic(n, seed)


def describe(articles: list[Article], corpus: Path | None = None) -> str:
    counts = sorted(len(a.text.split()) for a in articles)
    q = statistics.quantiles(counts, n=20) if len(counts) > 1 else counts * 19
    source = corpus.name if corpus is not None else f"synthetic, {DISTRIBUTION}"
    return (f"{len(counts):,} articles, {sum(counts):,} words: mean {statistics.mean(counts):.0f}, "
            f"median {statistics.median(counts):.0f}, 5th-95th percentile {q[0]:.0f}-{q[-1]:.0f} words ({source})")


if __name__ == "__main__":  # a look at the corpus: `python benchmarks/corpus.py 1000`
    arts = synthetic(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    print(describe(arts))
