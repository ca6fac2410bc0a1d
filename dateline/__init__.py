"""dateline: news articles in, a structured and sourced record out."""

from __future__ import annotations

__version__ = "0.1.0"

from typing import Iterable, Iterator, Optional, Union

from dateline.model import Analysis, Article

# The analysis subpackage is imported first so that the name `analyze` on this
# package is the function below, not the subpackage it shares its name with.
import dateline.analyze as _analysis  # noqa: E402,F401


def analyze(
    text: str, *, published: Optional[str] = None, source: Optional[str] = None,
    title: Optional[str] = None, url: Optional[str] = None, id: Optional[str] = None,
) -> Analysis:
    """Analyse one article's text and return its structured record."""
    from dateline.analyze.pipeline import analyze_article

    article = Article(id=id, title=title, source=source, url=url, published=_iso(published), text=text)
    return analyze_article(article)


def analyze_many(articles: Iterable[Union[Article, dict, str]], n_process: int = 1, batch_size: int = 32) -> Iterator[Analysis]:
    """Stream analyses, in input order, for articles given as Article objects,
    dicts with the Article fields, or plain strings."""
    from dateline.analyze.pipeline import analyze_articles

    return analyze_articles((_as_article(a) for a in articles), n_process=n_process, batch_size=batch_size)


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


__all__ = ["analyze", "analyze_many", "Analysis", "Article", "__version__"]
