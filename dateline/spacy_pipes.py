"""dateline's quote and event finders as spaCy pipeline components.

    import spacy
    import dateline.spacy_pipes  # registers the factories (the installed package also
                                 # declares them as spaCy entry points)

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("dateline_quotes")
    nlp.add_pipe("dateline_events")
    doc = nlp(text)
    doc._.quotes   # list[dateline.model.Quote]
    doc._.events   # list[dateline.model.Event]

Both need the tagger, parser and NER of an English pipeline before them.
Each runs the dateline components its finder depends on (entities and places
for quotes; dates and quotes too for events) once per Doc, sharing the work
when both are added. Relative dates ("on Monday") are resolved against the
factory's `published` setting, or `doc._.published` when a caller sets it.
"""

from __future__ import annotations

from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from dateline.model import Article

QUOTES_NEEDS = ("entities", "places", "quotes")
EVENTS_NEEDS = ("entities", "places", "dates", "quotes", "events")
# The dateline state of the Doc last seen, so that dateline_events reuses
# what dateline_quotes computed (kept here, not in doc.user_data, which
# spaCy serialises).
_LAST: list = [None, None, ()]

for _name in ("quotes", "events", "published"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class DatelinePipe:
    def __init__(self, needs: tuple[str, ...], result: str, published: Optional[str]):
        self.needs = needs
        self.result = result
        self.published = published

    def __call__(self, doc: Doc) -> Doc:
        from dateline.analyze.pipeline import COMPONENTS, State, _load_components, parse_date

        _load_components()
        state, done = (_LAST[1], _LAST[2]) if _LAST[0] is doc else (None, ())
        published = doc._.published or self.published
        published = str(published)[:10] if published else None
        if state is None:
            state = State(doc=doc, article=Article(text=doc.text), published=None)
        if published and not state.article.published and "dates" not in done:
            state.article = state.article.model_copy(update={"published": published})
            state.published = parse_date(published)
        for name in self.needs:
            if name not in done:
                COMPONENTS[name](state)
                done = done + (name,)
        _LAST[:] = [doc, state, done]
        doc._.set(self.result, list(getattr(state, self.result)))
        return doc


@Language.factory("dateline_quotes", default_config={"published": None})
def make_quotes(nlp: Language, name: str, published: Optional[str]) -> DatelinePipe:
    return DatelinePipe(QUOTES_NEEDS, "quotes", published)


@Language.factory("dateline_events", default_config={"published": None})
def make_events(nlp: Language, name: str, published: Optional[str]) -> DatelinePipe:
    return DatelinePipe(EVENTS_NEEDS, "events", published)
