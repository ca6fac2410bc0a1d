"""dateline's finders as spaCy pipeline components, on the real model."""

import spacy

import dateline
import dateline.spacy_pipes  # noqa: F401  (registers the factories)
from dateline.analyze import nlp as nlp_loader
from dateline.model import Event, Quote

TEXT = (
    "Police in Kharkiv said on Monday that two people were killed when a missile hit a school.\n\n"
    '"We will rebuild it," the mayor, Ihor Terekhov, told reporters.'
)


def _pipeline():
    # A fresh copy of the English pipeline, as a spaCy user would load it.
    nlp = spacy.load(nlp_loader.load().path)
    nlp.add_pipe("dateline_quotes")
    nlp.add_pipe("dateline_events", config={"published": "2024-05-20"})
    return nlp


def test_components_put_quotes_and_events_on_the_doc():
    nlp = _pipeline()
    assert nlp.pipe_names[-2:] == ["dateline_quotes", "dateline_events"]
    doc = nlp(TEXT)
    assert doc._.quotes and all(isinstance(q, Quote) for q in doc._.quotes)
    assert doc._.events and all(isinstance(e, Event) for e in doc._.events)
    quote = next(q for q in doc._.quotes if q.direct)
    assert quote.content.startswith("We will rebuild it")
    assert quote.speaker == "Ihor Terekhov"
    # The same findings as the library's own pipeline.
    analysis = dateline.analyze_text(TEXT, published="2024-05-20")
    assert [q.model_dump() for q in doc._.quotes] == [q.model_dump() for q in analysis.quotes]
    assert [e.type for e in doc._.events] == [e.type for e in analysis.events]
    assert [e.date for e in doc._.events] == [e.date for e in analysis.events]


def test_each_doc_gets_its_own_results():
    nlp = _pipeline()
    first, second = nlp.pipe([TEXT, "The weather was mild and nobody said anything."])
    assert first._.quotes and not second._.quotes
    assert second._.events == []


def test_the_loaded_pipeline_lemmatises_staged_as_stage():
    doc = nlp_loader.load()("Protesters staged a rally and are staging another.")
    assert [t.lemma_ for t in doc if t.lower_.startswith("stag")] == ["stage", "stage"]
