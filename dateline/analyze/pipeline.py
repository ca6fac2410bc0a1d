"""The analysis pipeline: a spaCy Doc goes through small named components.

Each component is a function taking the shared `State` and filling one part
of it (entities, places, dates, quotes, events). Components are registered by
name, as spaCy registers its pipes, and run in the order of `DEFAULT_COMPONENTS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Optional

from spacy.tokens import Doc

from dateline import __version__, timing
from dateline.model import Analysis, Article, DateMention, Entity, Event, PipelineInfo, Place, Quote
from dateline.analyze import limits, nlp as nlp_loader


@dataclass
class State:
    doc: Doc
    article: Article
    published: Optional[dt.date]
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Working data shared between components, not part of the output.
    scratch: dict[str, Any] = field(default_factory=dict)


Component = Callable[[State], None]
COMPONENTS: dict[str, Component] = {}
DEFAULT_COMPONENTS = ("entities", "places", "dates", "quotes", "events")


def register(name: str) -> Callable[[Component], Component]:
    def wrap(func: Component) -> Component:
        COMPONENTS[name] = func
        return func

    return wrap


def _load_components() -> None:
    # Importing the modules registers their components.
    from dateline.analyze import entities, places, dates, quotes, events  # noqa: F401


def parse_date(value: Optional[str]) -> Optional[dt.date]:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def run_components(doc: Doc, article: Article, components: Iterable[str] = DEFAULT_COMPONENTS) -> State:
    _load_components()
    state = State(doc=doc, article=article, published=parse_date(article.published))
    for name in components:
        started = timing.clock()
        COMPONENTS[name](state)
        timing.add(name, started)
    return state


def to_analysis(state: State, model: str) -> Analysis:
    return Analysis(
        article=state.article,
        entities=state.entities,
        places=state.places,
        dates=state.dates,
        quotes=state.quotes,
        events=state.events,
        pipeline=PipelineInfo(version=__version__, model=model),
    )


def analyze_article(article: Article, components: Iterable[str] = DEFAULT_COMPONENTS) -> Analysis:
    """One article, under the per-article limits (dateline.analyze.limits):
    an article over them comes back with `error` set."""
    nlp = nlp_loader.load()
    return _analyze_batch(nlp, nlp_loader.describe(nlp), [article], tuple(components))[0]


def analyze_articles(
    articles: Iterable[Article], n_process: int = 1, batch_size: int = 32,
    components: Iterable[str] = DEFAULT_COMPONENTS,
) -> Iterator[Analysis]:
    """Analyses in input order. With n_process > 1 each worker process loads
    the model once and runs the whole pipeline, so the rule components scale
    with the parser."""
    components = tuple(components)
    if n_process > 1:
        yield from _analyze_parallel(articles, n_process, batch_size, components)
        return
    nlp = nlp_loader.load()
    model = nlp_loader.describe(nlp)
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= batch_size:
            yield from _analyze_batch(nlp, model, batch, components)
            batch = []
    if batch:
        yield from _analyze_batch(nlp, model, batch, components)


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
            out.append(_failed(article, refusal, model))
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
            out.append(_failed(article, str(exc), model))
            continue
        out.append(to_analysis(state, model))
    return out


_WARM: set[tuple[str, ...]] = set()


def warm_up(nlp=None, components: tuple[str, ...] = DEFAULT_COMPONENTS) -> None:
    """Load what the components load lazily (the gazetteer, lexicons) and
    allocate the pipeline's working memory before any article's clock starts,
    so the first article is not charged for it. Once per process."""
    if components in _WARM:
        return
    nlp = nlp if nlp is not None else nlp_loader.load()
    _WARM.add(components)
    text = "Police in Kyiv said on Monday that two people were killed."
    run_components(nlp(text), Article(text=text), components)


def _failed(article: Article, reason: str, model: str) -> Analysis:
    return Analysis(article=article, error=reason, pipeline=PipelineInfo(version=__version__, model=model))


def _analyze_parallel(articles, n_process, batch_size, components) -> Iterator[Analysis]:
    # One persistent pool of processes for the whole input (dateline.scale.pool).
    from dateline.scale.pool import analyze_in_order

    for result in analyze_in_order(articles, n_process, batch=max(1, batch_size // 2), components=components):
        if isinstance(result, Exception):
            raise RuntimeError(str(result))
        yield result
