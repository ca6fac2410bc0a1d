"""Quotation marks paired at the character level: curly and straight double
quotes, the ``...'' of older wire text, a closing mark typed as an opening
one, a mark glued to the sentence before it, and a quote that runs over
several paragraphs where only the last one closes it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from spacy.tokens import Span, Token

from dateline import lexicons

OPENING = {"\u201c": "\u201d", "\u201e": "\u201d", "\u00ab": "\u00bb", "``": "''", "''": "''"}
CLOSING = {"\u201d", "\u00bb", "''"}
STRAIGHT = '"'


@dataclass
class Quotation:
    """Text between a pair of double quotation marks (content offsets)."""

    start: int
    end: int
    open_mark: int  # offset of the opening mark
    close_mark: int  # offset just after the closing mark


@dataclass
class Candidate:
    cue: Token
    cue_tokens: list[Token]
    speaker: Optional[Span]
    start: int
    end: int
    pieces: list[tuple[int, int]] = field(default_factory=list)
    speaker_name: Optional[str] = None


def find_quotations(text: str) -> list[Quotation]:
    quotations: list[Quotation] = []
    spans = paragraphs(text)
    open_at: Optional[int] = None
    open_mark = 0
    expected_close: Optional[str] = None
    for p_index, (p_start, p_end) in enumerate(spans):
        i = p_start
        if open_at is not None:
            # A quote left open at the end of a paragraph goes on when the
            # next paragraph opens with a quotation mark; otherwise it ends.
            mark = _opening_mark_at(text, i)
            if mark:
                i += len(mark)
            else:
                quotations.append(Quotation(open_at, spans[p_index - 1][1], open_mark, spans[p_index - 1][1]))
                open_at = None
        while i < p_end:
            ch = text[i]
            two = text[i:i + 2]
            if open_at is None:
                mark = two if two in ("``", "''") else ch if ch in OPENING or ch == STRAIGHT else None
                if mark is None and ch == "\u201d" and _glued_opening(text, i, p_end):
                    mark = ch  # 'the night.\u201dAll of us ...\u201d': an opening mark typed as a closing one
                if mark and (mark not in (STRAIGHT, "''") or _can_open(text, i, p_start)):
                    open_at, open_mark = i + len(mark), i
                    expected_close = OPENING.get(mark, "\u201d" if mark == "\u201d" else STRAIGHT)
                    i += len(mark)
                    continue
            else:
                mark = two if two == "''" else ch if ch in CLOSING or ch == STRAIGHT else None
                if mark is None and ch in OPENING and _can_close(text, i, open_at) and _closes_like(text, i):
                    mark = ch  # a closing quote typed as an opening one
                if mark and (mark == expected_close or (mark in CLOSING and expected_close in CLOSING)
                             or mark == STRAIGHT or ch in OPENING):
                    if mark != STRAIGHT or _can_close(text, i, open_at):
                        quotations.append(Quotation(open_at, i, open_mark, i + len(mark)))
                        open_at = None
                        i += len(mark)
                        continue
            i += 1
        if open_at is not None and p_index == len(spans) - 1:
            quotations.append(Quotation(open_at, p_end, open_mark, p_end))
            open_at = None
    return [q for q in quotations if q.end > q.start]


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            lead = len(line) - len(line.lstrip())
            spans.append((start + lead, end - (len(line) - len(line.rstrip()))))
        start = end + 1
    return spans


def _opening_mark_at(text: str, i: int) -> Optional[str]:
    if text[i:i + 2] in ("``", "''"):
        return text[i:i + 2]
    if i < len(text) and (text[i] in OPENING or text[i] == STRAIGHT):
        return text[i]
    return None


def _can_open(text: str, i: int, p_start: int) -> bool:
    before = text[i - 1] if i > p_start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{\u2014-:;,") and not after.isspace()


def _closes_like(text: str, i: int) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    return after.isspace() or after in ".,;:!?)"


def _can_close(text: str, i: int, open_at: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    return i > open_at and not before.isspace()


def _glued_opening(text: str, i: int, p_end: int) -> bool:
    """A closing mark where no quotation is open, glued to the end of the
    sentence before it and to a capital after it, with another closing mark
    later in the paragraph: it opens a quoted sentence ('night.\u201dAll of us
    ... return.\u201d'), a typing slip common in web copy."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in ".!?" and after.isupper() and "\u201d" in text[i + 1:p_end]


# "... outside the clinic. (Photo by John Smith/AFP)", "Photo: Ana Ruiz/Reuters",
# "REUTERS/Ana Ruiz", "Getty Images": a picture credit.
CREDIT = re.compile(r"\((?:photo|picture|image|credit)\b[^)]*\)|\b(?:photo|picture|image|credit)s?\s*:\s*\S[^.]*$",
                    re.IGNORECASE)
AGENCY_CREDIT = re.compile(r"(?:\b(?:AFP|AP|Reuters|REUTERS|Getty Images|EPA|Xinhua|Bloomberg)\s*(?:/\s*[A-Z][\w .'-]*)?\)?$"
                           r"|/\s*(?:AFP|AP|Reuters|REUTERS|Getty Images|EPA|Xinhua|Bloomberg)\b)")
END_OF_SENTENCE = (".", "!", "?", '"', "\u201d", "'", "\u2019", ")")


def furniture(text: str, title: Optional[str] = None) -> list[tuple[int, int]]:
    """The paragraphs that are page furniture rather than reporting: the
    headline (the first paragraph when it repeats the title, or is a short
    line with no full stop followed by the body) and photo captions and
    credits. Their names are never speakers of the article's quotes."""
    spans = paragraphs(text)
    found = []
    if len(spans) >= 2:
        start, end = spans[0]
        first = text[start:end]
        if (title and _same_words(first, title)) or (not first.rstrip().endswith(END_OF_SENTENCE)
                                                     and len(first.split()) <= 25):
            found.append((start, end))
    found += [(start, end) for start, end in spans if is_caption(text[start:end])]
    return sorted(set(found))


def is_caption(paragraph: str) -> bool:
    """A photo caption, a picture credit or a chart's source line."""
    return bool(_caption_opener().match(paragraph) or CREDIT.search(paragraph) or AGENCY_CREDIT.search(paragraph))


@lru_cache(maxsize=1)
def _caption_opener() -> re.Pattern:
    """A caption word (lexicons/caption_words.txt) then a colon, bar or dash,
    at the start: one pattern instead of one match per word and paragraph."""
    openers = sorted(lexicons.words("caption_words.txt"))
    if not openers:
        return re.compile(r"(?!)")
    return re.compile("(?:" + "|".join(re.escape(w) for w in openers) + r")\s*[:|\u2014\u2013-]", re.IGNORECASE)


def _same_words(a: str, b: str) -> bool:
    return re.findall(r"\w+", a.lower()) == re.findall(r"\w+", b.lower())

