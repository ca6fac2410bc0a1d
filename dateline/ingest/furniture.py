"""The page-furniture lexicon (lexicons/page_furniture.json), read once and
checked as it is read: a misspelt key or a word list that is not a list of
strings would otherwise switch a filter off without a word."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional, Union

NAME = "page_furniture.json"
WORD_LISTS = ("caption_labels", "link_labels", "section_headings", "share_words", "share_prefixes", "title_suffixes",
              "drop_lines", "photo_credits")
MAPPINGS = ("post_platforms", "outlets")


class FurnitureLexiconError(ValueError):
    """A page-furniture lexicon the cleaning filters cannot use as written."""


@dataclass(frozen=True)
class Furniture:
    caption_labels: frozenset[str]
    link_labels: frozenset[str]
    section_headings: frozenset[str]
    share_words: frozenset[str]
    share_prefixes: tuple[str, ...]
    title_suffixes: frozenset[str]
    drop_lines: frozenset[str]
    photo_credits: frozenset[str]
    post_platforms: dict[str, str]
    outlets: dict[str, str]

    @property
    def label_line(self) -> re.Pattern:
        return _label_pattern(self.caption_labels | self.link_labels)

    @property
    def credit_tail(self) -> re.Pattern:
        return _credit_pattern(self.photo_credits)


@lru_cache(maxsize=8)
def _label_pattern(labels: frozenset[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(labels, key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})\s*[:|>\u2013\u2014-]\s*\S", re.I)


@lru_cache(maxsize=8)
def _credit_pattern(agencies: frozenset[str]) -> re.Pattern:
    """A caption's closing credit: "REUTERS/Jane Doe", "(AP Photo/Jane Doe)",
    "(Photo: Jane Doe)", "Jane Doe/AFP via Getty Images"."""
    names = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(agencies, key=len, reverse=True))
    name = r"[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3}"  # a photographer's name, capitalised
    return re.compile(
        rf"(?:\b(?i:{names})(?:\s+(?i:photo))?\s*/\s*{name}"
        rf"|{name}\s*/\s*(?i:{names})(?:\s+(?i:via\s+getty\s+images))?"
        rf"|\((?i:photo|photograph|picture|image|file\s+photo|credit)\b[^)]{{0,80}}\)"
        rf"|\b(?i:via\s+getty\s+images))\)?\.?\s*$"
    )


def check(data: object, where: str = NAME) -> Furniture:
    if not isinstance(data, dict):
        raise FurnitureLexiconError(f"{where}: must be a JSON object")
    names = {k for k in data if not k.startswith("_")}
    missing = set(WORD_LISTS + MAPPINGS) - names
    unknown = names - set(WORD_LISTS + MAPPINGS)
    if missing:
        raise FurnitureLexiconError(f"{where}: missing list(s) {sorted(missing)}")
    if unknown:
        raise FurnitureLexiconError(f"{where}: unknown list(s) {sorted(unknown)}")
    lists: dict[str, list[str]] = {}
    for name in WORD_LISTS:
        value = data[name]
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            raise FurnitureLexiconError(f"{where}: {name!r} must be a list of non-empty strings")
        lists[name] = [" ".join(w.lower().split()) for w in value]
    maps: dict[str, dict[str, str]] = {}
    for name in MAPPINGS:
        value = data[name]
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip() for k, v in value.items()
        ):
            raise FurnitureLexiconError(f"{where}: {name!r} must map non-empty strings to non-empty strings")
        maps[name] = {k.strip().lower(): v.strip() for k, v in value.items()}
    return Furniture(
        caption_labels=frozenset(lists["caption_labels"]),
        link_labels=frozenset(lists["link_labels"]),
        section_headings=frozenset(lists["section_headings"]),
        share_words=frozenset(lists["share_words"]),
        share_prefixes=tuple(sorted(set(lists["share_prefixes"]), key=len, reverse=True)),
        title_suffixes=frozenset(lists["title_suffixes"]),
        drop_lines=frozenset(lists["drop_lines"]),
        photo_credits=frozenset(lists["photo_credits"]),
        post_platforms=maps["post_platforms"],
        outlets=maps["outlets"],
    )


def load(source: Optional[Union[str, Path]] = None) -> Furniture:
    """The packaged lexicon, or the file at `source`."""
    if source is None:
        text = resources.files("dateline.lexicons").joinpath(NAME).read_text(encoding="utf-8")
        where = NAME
    else:
        text = Path(source).read_text(encoding="utf-8")
        where = str(source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FurnitureLexiconError(f"{where}: not JSON ({exc.msg}, line {exc.lineno})") from None
    return check(data, where)


@lru_cache(maxsize=1)
def lexicon() -> Furniture:
    return load()
