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

from dateline import __version__
from dateline.model import Analysis, Article, DateMention, Entity, Event, PipelineInfo, Place, Quote
from dateline.analyze import nlp as nlp_loader


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
        COMPONENTS[name](state)
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
    nlp = nlp_loader.load()
    doc = nlp(article.text)
    return to_analysis(run_components(doc, article, components), nlp_loader.describe(nlp))


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
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield to_analysis(run_components(doc, article, components), model)


def _analyze_parallel(articles, n_process, batch_size, components) -> Iterator[Analysis]:
    # One persistent pool of processes for the whole input (dateline.scale.pool).
    from dateline.scale.pool import analyze_in_order

    for result in analyze_in_order(articles, n_process, batch=max(1, batch_size // 2), components=components):
        if isinstance(result, Exception):
            raise RuntimeError(str(result))
        yield result
