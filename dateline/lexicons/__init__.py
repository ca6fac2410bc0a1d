"""Lexicons are data files in this folder; this module reads them once."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """A one-word-per-line lexicon, lower-cased."""
    return frozenset(line.lower() for line in _lines(name))


@lru_cache(maxsize=None)
def table(name: str) -> dict[str, list[str]]:
    """A tab-separated lexicon: key, then space-separated values."""
    result: dict[str, list[str]] = {}
    for line in _lines(name):
        key, _, rest = line.partition("\t")
        result[key.strip().lower()] = rest.split()
    return result


@lru_cache(maxsize=None)
def groups(name: str) -> dict[str, frozenset[str]]:
    """Each word mapped to the set of words on its line."""
    result: dict[str, frozenset[str]] = {}
    for line in _lines(name):
        group = frozenset(line.lower().split())
        for word in group:
            result[word] = result.get(word, frozenset()) | group
    return result
