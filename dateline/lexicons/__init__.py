"""Lexicons are data files in this folder; this module reads them once."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from dateline.errors import LexiconError


def _lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def lines(name: str) -> list[str]:
    """A lexicon's lines, stripped, without blanks and '#' comments."""
    return _lines(name)


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


class CountryNamesError(LexiconError):
    """country_names.tsv has a malformed row."""


@lru_cache(maxsize=None)
def country_names() -> dict[str, tuple[str, str]]:
    """ISO code -> (name as news writes it, short form for a party), from
    country_names.tsv, checked on load: a two-letter upper-case code, a name,
    each code once."""
    return parse_country_names(_lines("country_names.tsv"))


def parse_country_names(lines: list[str]) -> dict[str, tuple[str, str]]:
    result: dict[str, tuple[str, str]] = {}
    for line in lines:
        cells = [c.strip() for c in line.split("\t")]
        code, name = cells[0], cells[1] if len(cells) > 1 else ""
        short = cells[2] if len(cells) > 2 and cells[2] else name
        if len(code) != 2 or not code.isalpha() or not code.isupper() or not name or len(cells) > 3:
            raise CountryNamesError(f"country_names.tsv: malformed row {line!r}")
        if code in result:
            raise CountryNamesError(f"country_names.tsv: {code} listed twice")
        result[code] = (name, short)
    return result


class CapitalsError(LexiconError):
    """capitals.tsv has a malformed row."""


@lru_cache(maxsize=None)
def capitals() -> dict[str, str]:
    """A capital's name as news writes it -> its country's ISO code, from
    capitals.tsv, checked on load: a two-letter upper-case code, a name, each
    name once."""
    return parse_capitals(_lines("capitals.tsv"))


def parse_capitals(lines: list[str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for line in lines:
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != 2 or len(cells[0]) != 2 or not cells[0].isalpha() or not cells[0].isupper() or not cells[1]:
            raise CapitalsError(f"capitals.tsv: malformed row {line!r}")
        if cells[1] in result:
            raise CapitalsError(f"capitals.tsv: {cells[1]} listed twice")
        result[cells[1]] = cells[0]
    return result


class PlaceBodyWordsError(LexiconError):
    """places_body_words.txt has a malformed line."""


@lru_cache(maxsize=None)
def place_body_words() -> frozenset[tuple[str, ...]]:
    """places_body_words.txt as word tuples, checked on load: one or two
    lower-case alphabetic words a line, each line once."""
    return parse_place_body_words(_lines("places_body_words.txt"))


def parse_place_body_words(lines: list[str]) -> frozenset[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for line in lines:
        words = tuple(line.split())
        if not 1 <= len(words) <= 2 or not all(w.isalpha() and w.islower() for w in words):
            raise PlaceBodyWordsError(f"places_body_words.txt: malformed line {line!r}")
        if words in out:
            raise PlaceBodyWordsError(f"places_body_words.txt: {line!r} listed twice")
        out.add(words)
    return frozenset(out)


class PlaceKindsError(LexiconError):
    """places_kinds.tsv has a malformed line."""


PLACE_KIND_ROLES = ("county", "parish", "street", "county-road")


@lru_cache(maxsize=None)
def place_kinds() -> dict[str, str]:
    """places_kinds.tsv: word -> role, checked on load: one lower-case word
    and a known role a line, each word once."""
    return parse_place_kinds(_lines("places_kinds.tsv"))


def parse_place_kinds(lines: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        cells = line.split("\t")
        if len(cells) != 2 or not cells[0].isalpha() or not cells[0].islower() or cells[1] not in PLACE_KIND_ROLES:
            raise PlaceKindsError(f"places_kinds.tsv: malformed line {line!r}")
        if cells[0] in out:
            raise PlaceKindsError(f"places_kinds.tsv: {cells[0]!r} listed twice")
        out[cells[0]] = cells[1]
    return out


# The frames the quote rules read (see reporting_verbs.tsv).
FRAME = re.compile(r"^(?:ccomp|dobj|xcomp|oprd|subject:document|prep:[a-z]+(?:\+xcomp)?)$")


class FrameError(LexiconError):
    """reporting_verbs.tsv names a frame the rules do not know."""


@lru_cache(maxsize=None)
def reporting_verbs() -> dict[str, list[str]]:
    """reporting_verbs.tsv, checked on load: every verb has frames, and every
    frame is one the rules read (a misspelt frame would silently never hold)."""
    verbs = table("reporting_verbs.tsv")
    check_frames(verbs)
    return verbs


def check_frames(verbs: dict[str, list[str]]) -> None:
    for verb, frames in verbs.items():
        bad = [f for f in frames if not FRAME.match(f)] or ([] if frames else ["(none)"])
        if bad:
            raise FrameError(f"reporting_verbs.tsv: {verb}: unknown frame {bad[0]!r}")

