"""Running the pipeline over many articles, in one process.

Everything that analyses more than one article goes through here: the
`dateline analyze` and `dateline ingest` commands, the worker processes of
`dateline.scale.pool` and the Dask tasks of `dateline.scale.cluster`. This
module owns:

- batching: articles are parsed `batch_size` at a time with nlp.pipe;
- the per-article limits (`dateline.analyze.limits`): an article over a limit
  comes back as an Analysis with `error` set, and the batch goes on;
- the one-at-a-time fallback: if a batch breaks (its parse overruns the time
  limit, or the analysis raises), the rest of it is analysed one article at a
  time, so that only the culprit is lost.
"""

from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator, Union

from dateline import timing
from dateline.analyze import limits, nlp as nlp_loader
from dateline.analyze.pipeline import DEFAULT_COMPONENTS, failed, run_components, to_analysis, warm_up
from dateline.errors import AnalysisError, InputError, one_line
from dateline.model import Analysis, Article

BATCH = 32   # articles parsed together by nlp.pipe
CHUNK = 256  # articles of a record stream analysed before their results are handed on

# An analysis, or the one-line reason the article could not be analysed.
Outcome = Union[Analysis, str]
Result = Union[Analysis, InputError]


def analyze_article(article: Article, components: Iterable[str] = DEFAULT_COMPONENTS) -> Analysis:
    """One article, under the per-article limits: an article over them comes
    back with `error` set. An analysis that raises, raises."""
    nlp = nlp_loader.load()
    return _analyze_batch(nlp, nlp_loader.describe(nlp), [article], tuple(components))[0]


def analyze_articles(articles: Iterable[Article], batch_size: int = BATCH,
                     components: Iterable[str] = DEFAULT_COMPONENTS) -> Iterator[Analysis]:
    """Analyses in input order, `batch_size` articles parsed at a time. An
    analysis that raises ends the stream (see `outcomes` for one that goes on)."""
    components = tuple(components)
    nlp = nlp_loader.load()
    model = nlp_loader.describe(nlp)
    articles = iter(articles)
    while batch := list(islice(articles, max(1, batch_size))):
        yield from _analyze_batch(nlp, model, batch, components)


def outcomes(articles: list[Article], components: Iterable[str] = DEFAULT_COMPONENTS,
             batch_size: int = BATCH) -> Iterator[Outcome]:
    """An outcome per article, in order, as they are ready. If the batched
    stream raises, the articles it had not yet given back are analysed one at
    a time: each that still raises becomes a one-line reason, the others
    their analysis. This is the one place the fallback is written."""
    components = tuple(components)
    done = 0
    try:
        for analysis in analyze_articles(articles, batch_size, components):
            done += 1
            yield analysis
        return
    except Exception:  # noqa: BLE001 - any failure of the batch sends its articles through one by one
        pass
    for article in articles[done:]:
        try:
            yield analyze_article(article, components)
        except Exception as exc:  # noqa: BLE001
            yield failure(exc)


def analyze_batch(articles: list[Article], components: Iterable[str] = DEFAULT_COMPONENTS) -> list[Outcome]:
    """`outcomes` as a list: what a worker process or a Dask task sends back."""
    return list(outcomes(articles, components or DEFAULT_COMPONENTS))


def analyze_records(records: Iterable[Union[Article, InputError]], chunk: int = CHUNK,
                    components: Iterable[str] = DEFAULT_COMPONENTS) -> Iterator[Result]:
    """Analyses and the input's read errors, in input order. Articles are
    taken `chunk` at a time (so read errors keep their place without the
    whole input being held); one whose analysis raised comes back as an
    AnalysisError."""
    records = iter(records)
    while group := list(islice(records, max(1, chunk))):
        results = outcomes([r for r in group if isinstance(r, Article)], components)
        for record in group:
            yield record if isinstance(record, InputError) else as_result(record, next(results))
        results.close()


def as_result(article: Article, outcome: Outcome) -> Result:
    """An outcome as a command reports it: the analysis, or an AnalysisError."""
    return outcome if isinstance(outcome, Analysis) else AnalysisError(outcome, id=article.id)


def failure(exc: BaseException) -> str:
    return f"analysis failed: {type(exc).__name__}: {one_line(exc, 300)}"


def load_model() -> None:
    """Load the model and what the components build lazily, once per process,
    so that a fresh worker's first batch is not slower than the rest."""
    warm_up()


def _analyze_batch(nlp, model: str, batch: list[Article], components: tuple[str, ...]) -> list[Analysis]:
    """Analyses of a batch under the per-article limits. The batch is parsed
    together (nlp.pipe); if that parse overruns the time limit, the culprit
    is unknown, so the rest of the batch is parsed one article at a time and
    the limit falls on the article that needs it."""
    warm_up(nlp, components)
    started = timing.clock()
    checked = [limits.check(article) for article in batch]
    timing.add("checks", started)
    todo = [article for article, refusal in checked if refusal is None]
    nlp.max_length = max(nlp.max_length, max((len(a.text) for a in todo), default=0) + 1)
    docs = nlp.pipe((a.text for a in todo), batch_size=len(todo) or 1)
    out = []
    for article, refusal in checked:
        if refusal:
            out.append(failed(article, refusal, model))
            continue
        doc = None
        if docs is not None:
            started = timing.clock()
            try:
                with limits.time_limit():
                    doc = next(docs)  # the first call parses the whole batch
            except limits.AnalysisTimeout:
                docs.close()
                docs = None
            timing.add("parse", started)
        try:
            with limits.time_limit():
                if doc is None:
                    started = timing.clock()
                    doc = nlp(article.text)
                    timing.add("parse", started)
                state = run_components(doc, article, components)
        except limits.AnalysisTimeout as exc:
            out.append(failed(article, str(exc), model))
            continue
        out.append(to_analysis(state, model))
    return out


__all__ = ["analyze_article", "analyze_articles", "outcomes", "analyze_batch", "analyze_records", "as_result",
           "load_model", "Outcome", "Result", "BATCH", "CHUNK"]
