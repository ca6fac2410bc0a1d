"""The analysis pipeline: a spaCy Doc goes through small named components.

Each component is a function taking the shared `State` and filling one part
of it (entities, places, dates, quotes, events). Components are registered by
name, as spaCy registers its pipes, and run in the order of `DEFAULT_COMPONENTS`.
Running them over articles (batches, limits, failures) is `dateline.analyze.runner`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

from spacy.tokens import Doc

from dateline import timing
from dateline.version import __version__
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


def failed(article: Article, reason: str, model: str) -> Analysis:
    """The record of an article that was not analysed, and why."""
    return Analysis(article=article, error=reason, pipeline=PipelineInfo(version=__version__, model=model))
