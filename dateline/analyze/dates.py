"""Date expressions, resolved against the publication date.

Every expression the article uses for a point or period of time ("Monday",
"yesterday", "early June", "last month", "this week", "in 2017", "May 10,
2024", "2025-07-03") becomes a `DateMention` with an ISO date and a
precision. Weeks, months and years give the period's first day (a week's
Monday). Weekdays and month names without a year are read as the latest one
not after publication, unless the clause is about the future ("will meet on
Monday", "next week").

The rules are regular expressions over the text plus spaCy's DATE entities
for spans they miss; nothing here parses again or calls dateparser per
sentence (dateparser is the fallback for odd DATE entities only, cached).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc

from dateline import lexicons
from dateline.analyze.nlp import text_of
from dateline.analyze.pipeline import State, register
from dateline.model import DateMention

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
        r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))"
_QUAL = r"(?:(?i:early|late|mid|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|the\s+middle\s+of)[\s-]*)"
_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("mdy", re.compile(rf"\b(?P<q>{_QUAL})?(?P<mon>{_MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>{_YEAR})\b)?")),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})\b(?:,?\s+(?P<y>{_YEAR})\b)?")),
    ("my", re.compile(rf"\b(?P<q>{_QUAL})?(?P<mon>{_MON})(?:,?\s+(?P<y>{_YEAR}))?\b")),
    ("wd", re.compile(rf"\b(?P<rel>(?i:last|next|this|earlier|later|early|late)\s+)?(?P<wd>{_WD})(?:'s|’s)?(?P<part>{_PART})?\b")),
    ("wdweek", re.compile(rf"\b(?P<wd>{_WD})\s+(?P<rel>(?i:last|this|next))\s+(?i:week)\b")),
    ("rel", re.compile(r"(?i)\b(?P<rel>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow"
                       r"|tonight|last\s+night|overnight|this\s+(?:morning|afternoon|evening))\b")),
    ("period", re.compile(r"(?i)\b(?P<rel>earlier\s+this|later\s+this|earlier\s+in\s+the|later\s+in\s+the|this|last|next|the\s+past|the\s+previous|past|the\s+coming|previous|the\s+following)"
                          r"\s+(?P<unit>week|month|year)\b")),
    ("weekend", re.compile(r"(?i)\b(?P<rel>over\s+the|during\s+the|on\s+the|at\s+the|last|this\s+past|the\s+past|past|next)\s+weekend\b(?!\s+(?:edition|editions|market|markets|shift|shifts|show|shows|break|getaway|trip|special|papers?)\b)")),
    ("ago", re.compile(rf"(?i)\b(?P<n>{_NUM})\s+(?P<unit>day|week|fortnight|month|year)s?\s+(?P<dir>ago)\b")),
    ("anchor", re.compile(r"(?i)\b(?P<rel>a\s+day\s+(?:after|later|earlier|before)|the\s+(?:previous|next|following)\s+day"
                          r"|the\s+day\s+(?:before|after)|hours?\s+(?:after|before|later|earlier))\b")),
    ("year", re.compile(rf"(?i)\b(?P<prep>in|since|from|by|until|till|during|of|before|after|early|late|mid-|mid|the|its|this|last)\s+(?P<y>{_YEAR})\b(?!\s*(?:GMT|UTC|hours|hrs|local|people|soldiers|troops|residents|civilians|km|kilometres|kilometers|miles|votes)\b)")),
    ("yearnoun", re.compile(rf"\b(?P<y>{_YEAR})\s+(?P<noun>election|elections|presidential|parliamentary|general|war|vote|referendum|census|budget|season|campaign|games|olympics|world|summit|invasion)\b", re.I)),
]

PRIORITY = {"iso": 0, "mdy": 0, "dmy": 0, "wd": 1, "wdweek": 1, "rel": 1, "my": 2, "period": 2, "weekend": 2, "ago": 2, "anchor": 3, "year": 3, "yearnoun": 3}

FUTURE_AUX = {"will", "'ll", "shall", "wo"}
FUTURE_LEMMAS = {"plan", "expect", "schedule", "due", "set", "intend", "hope", "aim", "prepare", "propose", "agree"}
MAY_CONTEXT = {"in", "since", "of", "until", "by", "from", "last", "next", "this", "early", "late", "mid", "before",
               "after", "during", "end", "start", "beginning", "middle"}


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def shift_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def weekday_date(wd: int, published: dt.date, future: bool, strict: bool = False) -> dt.date:
    if future:
        delta = (wd - published.weekday()) % 7
        if strict and delta == 0:
            delta = 7
        return published + dt.timedelta(days=delta)
    delta = (published.weekday() - wd) % 7
    if strict and delta == 0:
        delta = 7
    return published - dt.timedelta(days=delta)


def month_year(month: int, day: int, published: dt.date, future: bool) -> int:
    if future:
        return published.year if (month, day) >= (published.month, published.day) else published.year + 1
    return published.year if (month, day) <= (published.month, published.day) else published.year - 1


def _safe_date(y: int, m: int, d: int) -> Optional[dt.date]:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


Resolved = Optional[tuple[Optional[dt.date], Optional[str]]]


def resolve(kind: str, m: re.Match, published: Optional[dt.date], future: bool) -> Resolved:
    """(date, precision) for one match; None when it is not a date at all."""
    g = m.groupdict()
    if kind == "iso":
        day = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return (day, "day") if day else None
    if kind in ("mdy", "dmy"):
        month = MONTHS[g["mon"].lower().rstrip(".")]
        d = int(g["d"])
        if g.get("y"):
            year = int(g["y"])
        elif published:
            year = month_year(month, d, published, future)
        else:
            return (None, None)
        day = _safe_date(year, month, d)
        return (day, "day") if day else None
    if kind == "my":
        month = MONTHS[g["mon"].lower().rstrip(".")]
        if g["y"]:
            year = int(g["y"])
        elif published:
            year = month_year(month, 1, published, future)
        else:
            return (None, None)
        return (dt.date(year, month, 1), "month")
    if kind == "wd":
        if not published:
            return (None, None)
        rel = (g.get("rel") or "").strip().lower()
        wd = WEEKDAYS[g["wd"].lower()]
        if rel == "next":
            return (weekday_date(wd, published, True, strict=True), "day")
        if rel == "last":
            return (weekday_date(wd, published, False, strict=True), "day")
        return (weekday_date(wd, published, future), "day")
    if kind == "wdweek":
        # "on Thursday last week": that day of the week before (written on a Sunday, of the working
        # week just ended, as "last week" alone)
        if not published:
            return (None, None)
        rel = g["rel"].lower()
        n = {"last": -1, "this": 0, "next": 1}[rel]
        if n == -1 and published.weekday() == 6:
            n = 0
        return (monday(published) + dt.timedelta(weeks=n, days=WEEKDAYS[g["wd"].lower()]), "day")
    if kind == "rel":
        if not published:
            return (None, None)
        rel = " ".join(g["rel"].lower().split())
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "last night": -1, "overnight": 0,
                  "the day before yesterday": -2, "the day after tomorrow": 2}.get(rel, 0)
        return (published + dt.timedelta(days=offset), "day")
    if kind == "period":
        if not published:
            return (None, None)
        rel = " ".join(g["rel"].lower().split())
        unit = g["unit"].lower()
        if rel in ("this", "earlier this", "later this", "earlier in the", "later in the"):
            n = 0
        elif rel in ("last", "the past", "past", "the previous", "previous"):
            n = -1
            if rel != "last":  # "the past week" is the last seven days, not a calendar period
                return (None, None) if unit != "year" else (dt.date(published.year - 1, 1, 1), "year")
        else:
            n = 1
        if unit == "week":
            if n == -1 and published.weekday() == 6:
                n = 0  # written on a Sunday, "last week" is the working week just ended
            return (monday(published) + dt.timedelta(weeks=n), "week")
        if unit == "month":
            return (shift_months(published, n), "month")
        return (dt.date(published.year + n, 1, 1), "year")
    if kind == "weekend":
        # a weekend is told at week precision, as the week it ends ("over the weekend", "last weekend"): the
        # one just past, or the one under way when written on a Saturday or Sunday; "next weekend" is ahead
        if not published:
            return (None, None)
        rel = " ".join(g["rel"].lower().split())
        if rel == "next" or (future and rel in ("over the", "during the", "on the", "at the")):
            return (monday(published) + dt.timedelta(weeks=0 if published.weekday() < 5 else 1), "week")
        return (monday(published) - dt.timedelta(weeks=0 if published.weekday() >= 5 else 1), "week")
    if kind == "ago":
        if not published or g["dir"].lower() not in ("ago",):
            return (None, None)
        n = int(g["n"]) if g["n"].isdigit() else NUMBER_WORDS[g["n"].lower()]
        unit = g["unit"].lower()
        if unit == "day":
            return (published - dt.timedelta(days=n), "day")
        if unit in ("week", "fortnight"):
            return (monday(published - dt.timedelta(weeks=n * (2 if unit == "fortnight" else 1))), "week")
        if unit == "month":
            return (shift_months(published, -n), "month")
        return (dt.date(published.year - n, 1, 1), "year")
    if kind in ("year", "yearnoun"):
        prep = (g.get("prep") or "").lower()
        year = int(g["y"])
        if prep == "the" and kind == "year":
            return None  # "the 2024 ..." is handled by yearnoun; "the 1970s" is a decade
        return (dt.date(year, 1, 1), "year")
    return None


def _future_context(doc: Doc, start: int, text: str) -> bool:
    """Whether the clause a date expression belongs to speaks of the future."""
    before = text[max(0, start - 12):start].lower()
    if re.search(r"\bnext\s*$", before):
        return True
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or not len(span):
        return re.search(r"\b(until|from)\s*$", before) is not None
    token = span[0]
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX") or token.dep_ == "ROOT":
            break
        token = token.head
    if re.search(r"\b(until|from)\s*$", before):
        # "will run from March 3", but "paid a visit from February 17 to 19": a verb in the past tells a past span
        return not (token.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in token.children))
    for _ in range(3):
        for child in token.children:
            if child.dep_ == "aux" and child.lower_ in FUTURE_AUX:
                return True
            if child.dep_ == "aux" and child.lower_ == "would" and token.dep_ == "ccomp" \
                    and token.head.lemma_.lower() in lexicons.reporting_verbs() and not any(
                        c.dep_ == "aux" and c.lower_ == "have" for c in token.children):
                return True  # "said Lavrov would visit Minsk on June 19": the future seen from then
            if child.dep_ == "aux" and child.lower_ == "to" and token.head.lemma_ in FUTURE_LEMMAS:
                return True
        if token.lemma_ in ("plan", "schedule") and token.tag_ in ("VBN",) and token.dep_ != "ROOT":
            return True
        if token.dep_ in ("xcomp", "ccomp", "advcl", "relcl") and token.head.i != token.i:
            if token.dep_ == "xcomp" and token.head.lemma_ in FUTURE_LEMMAS:
                return True
            token = token.head
            continue
        break
    return False


def _anchor(kind: str, m: re.Match, mentions: list[tuple[int, int, Optional[dt.date], Optional[str]]],
            published: Optional[dt.date], sentence_start: int) -> Resolved:
    rel = " ".join(m.group("rel").lower().split())
    base = None
    for start, _, day, precision in reversed(mentions):
        if start >= sentence_start and start < m.start() and precision == "day" and day:
            base = day
            break
    if base is None:
        base = published
    if base is None:
        return (None, None)
    if rel.startswith("hour"):
        return (base, "day")
    if rel in ("a day after",):
        sign = -1  # "X said Thursday, a day after Y": Y is the day before
    elif rel in ("a day before",):
        sign = 1
    else:
        sign = 1 if any(w in rel for w in ("after", "later", "next", "following")) else -1
    return (base + dt.timedelta(days=sign), "day")


def find_dates(doc: Doc, published: Optional[dt.date]) -> list[DateMention]:
    text = text_of(doc)
    candidates: list[tuple[int, int, int, str, re.Match]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if kind == "my" and m.group("mon") == "May" and not m.group("y") and not m.group("q"):
                prev = text[max(0, m.start() - 12):m.start()].split()
                if not prev or prev[-1].lower() not in MAY_CONTEXT:
                    continue
            if kind == "my" and m.group("mon") in ("March", "Mar", "Mar.") and not m.group("y") and not m.group("q"):
                prev = text[max(0, m.start() - 12):m.start()].split()
                if not prev or prev[-1].lower() not in MAY_CONTEXT:
                    continue
            candidates.append((m.start(), m.end(), PRIORITY[kind], kind, m))
    # Longest first, then by kind priority; no overlaps.
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen = []
    for c in candidates:
        if any(c[0] < e and s < c[1] for s, e in taken):
            continue
        taken.append((c[0], c[1]))
        chosen.append(c)
    chosen.sort(key=lambda c: c[0])

    sent_starts = [s.start_char for s in doc.sents]
    resolved: list[tuple[int, int, Optional[dt.date], Optional[str]]] = []
    kinds: list[str] = []
    for start, end, _, kind, m in chosen:
        if kind == "anchor":
            sstart = max([s for s in sent_starts if s <= start], default=0)
            r = _anchor(kind, m, resolved, published, sstart)
        else:
            needs_future = kind in ("wd", "my", "mdy", "dmy", "weekend") and published is not None
            future = _future_context(doc, start, text) if needs_future else False
            r = resolve(kind, m, published, future)
        if r is None:
            continue
        mstart, mend = start, end
        if kind in ("year",) and m.group("prep"):
            mstart = m.start("y") if m.group("prep").lower() not in ("early", "late", "mid", "mid-") else start
        if kind == "yearnoun":
            mend = m.end("y")
        resolved.append((mstart, mend, r[0], r[1]))
        kinds.append(kind)

    # "yesterday (Friday)": the named weekday is the writer's own correction.
    merged: list[tuple[int, int, Optional[dt.date], Optional[str]]] = []
    i = 0
    while i < len(resolved):
        cur = resolved[i]
        if i + 1 < len(resolved) and kinds[i] == "rel" and kinds[i + 1] == "wd":
            nxt = resolved[i + 1]
            between = text[cur[1]:nxt[0]]
            if re.fullmatch(r"\s*\(\s*", between) and text[nxt[1]:nxt[1] + 1] == ")":
                merged.append((cur[0], nxt[1] + 1, nxt[2], nxt[3]))
                i += 2
                continue
        merged.append(cur)
        i += 1

    # spaCy DATE entities the patterns missed ("the past two days", "recent weeks").
    covered = [(s, e) for s, e, _, _ in merged]
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        if any(ent.start_char < e and s < ent.end_char for s, e in covered):
            continue
        day, precision = _fallback(ent.text, published)
        merged.append((ent.start_char, ent.end_char, day, precision))
    merged.sort(key=lambda r: r[0])
    return [
        DateMention(text=text[s:e], start=s, end=e, date=day.isoformat() if day else None, precision=p if day else None)
        for s, e, day, p in merged
    ]


VAGUE = re.compile(r"(?i)\b(recent|recently|past|coming|several|few|many|hours?|minutes?|annual|decades?|centur|"
                   r"\d+-year|-year|years?|months?|weeks?|days?|ago|age|old|era|s$)")


@lru_cache(maxsize=2048)
def _fallback_cached(text: str, published: Optional[dt.date]) -> tuple[Optional[dt.date], Optional[str]]:
    if VAGUE.search(text) or not published:
        return (None, None)
    try:  # the odd form the patterns do not know ("the 3rd of July")
        import dateparser

        settings = {"RELATIVE_BASE": dt.datetime(published.year, published.month, published.day),
                    "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
        value = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # pragma: no cover - dateparser is optional at run time
        return (None, None)
    return (value.date(), "day") if value else (None, None)


def _fallback(text: str, published: Optional[dt.date]) -> tuple[Optional[dt.date], Optional[str]]:
    text = text.strip()
    if not re.search(r"\d", text) or re.fullmatch(r"(?i)(the\s+)?[\d,.]+s?", text):
        return (None, None)  # words the patterns did not know, bare numbers, decades
    return _fallback_cached(text, published)


@register("dates")
def dates_component(state: State) -> None:
    state.dates = find_dates(state.doc, state.published)
