"""dateline: news articles in, a structured and sourced record out.

    import dateline

    analysis = dateline.analyze_text(text, published="2025-07-03", source="RTE.ie")
    for analysis in dateline.analyze_many(articles, n_process=2):
        ...

The functions here are the library's front door. The subpackages behind them
follow the data: `dateline.ingest` reads articles, `dateline.analyze` is the
analysis pipeline, `dateline.scale` runs it on many processes or machines,
`dateline.store` keeps a corpus, `dateline.merge` groups it into stories, and
`dateline.serve` is the web app; docs/architecture.md draws the map.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Optional, Union

from dateline.model import Analysis, Article
from dateline.version import __version__


def analyze_text(
    text: str, *, published: Optional[str] = None, source: Optional[str] = None,
    title: Optional[str] = None, url: Optional[str] = None, id: Optional[str] = None,
) -> Analysis:
    """Analyse one article's text and return its structured record."""
    # Imported here, not above, so that `import dateline` does not load spaCy.
    from dateline.analyze.runner import analyze_article

    article = Article(id=id, title=title, source=source, url=url, published=_iso(published), text=text)
    return analyze_article(article)


def analyze_many(articles: Iterable[Union[Article, dict, str]], n_process: int = 1, batch_size: int = 32) -> Iterator[Analysis]:
    """Stream analyses, in input order, for articles given as Article objects,
    dicts with the Article fields, or plain strings. With n_process > 1 a pool
    of processes (dateline.scale.pool) analyses them, each loading the model once."""
    articles = (_as_article(a) for a in articles)
    if n_process > 1:
        return _on_pool(articles, n_process, batch_size)
    from dateline.analyze.runner import analyze_articles

    return analyze_articles(articles, batch_size=batch_size)


def _on_pool(articles: Iterable[Article], n_process: int, batch_size: int) -> Iterator[Analysis]:
    from dateline.scale.pool import analyze_in_order

    for result in analyze_in_order(articles, n_process, batch=max(1, batch_size // 2)):
        if isinstance(result, Exception):
            raise RuntimeError(str(result))
        yield result


def _as_article(item: Union[Article, dict, str]) -> Article:
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return Article(text=item)
    data = dict(item)
    if "published" in data:
        data["published"] = _iso(data["published"])
    return Article.model_validate(data)


def _iso(value) -> Optional[str]:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


__all__ = ["analyze_text", "analyze_many", "Analysis", "Article", "__version__"]
