"""What runs in a worker process: analyse a batch of articles with the
process's own copy of the model, one bad article failing alone."""

from __future__ import annotations

from typing import Optional, Union

from dateline.model import Analysis, Article

# An analysis, or the one-line reason the article could not be analysed.
Outcome = Union[Analysis, str]


def load_model() -> None:
    """Load the model now (once per process; later calls are free)."""
    from dateline.analyze.pipeline import warm_up

    # Also sets up what spaCy and the components build lazily, so a fresh
    # worker's first batch is not slower than the rest.
    warm_up()


def analyze_batch(articles: list[Article], components: Optional[tuple[str, ...]] = None) -> list[Outcome]:
    from dateline.analyze.pipeline import DEFAULT_COMPONENTS, analyze_articles

    components = components or DEFAULT_COMPONENTS
    if not articles:
        return []
    try:
        return list(analyze_articles(articles, 1, batch_size=len(articles), components=components))
    except Exception:
        pass
    # Something in the batch broke the stream: find it by analysing each alone.
    out: list[Outcome] = []
    for article in articles:
        try:
            out.append(next(iter(analyze_articles([article], 1, components=components))))
        except Exception as exc:
            out.append(f"analysis failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}")
    return out
