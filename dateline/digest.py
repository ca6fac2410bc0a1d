"""The human-readable digest of an Analysis (`dateline analyze --format text`):
who said what, what happened when, and where."""

from __future__ import annotations

import textwrap
from typing import Optional

from dateline.model import Analysis, Event, Place, Quote

WIDTH = 88
MAX_QUOTE = 400  # characters; a digest points at the article, it does not replace it


def render(analysis: Analysis) -> str:
    parts = [_header(analysis)]
    if analysis.error:
        parts.append(f"Could not analyse this article: {analysis.error}")
        return "\n\n".join(parts) + "\n"
    parts.append(_quotes(analysis.quotes))
    parts.append(_events(analysis.events))
    parts.append(_places(analysis.places))
    return "\n\n".join(parts) + "\n"


def _header(analysis: Analysis) -> str:
    article = analysis.article
    title = article.title or _first_words(article.text) or "(untitled)"
    meta = " · ".join(x for x in (article.source, article.published, article.id and f"id {article.id}") if x)
    lines = [title, "=" * min(len(title), WIDTH)]
    if meta:
        lines.append(meta)
    if article.url:
        lines.append(article.url)
    return "\n".join(lines)


def _first_words(text: str, n: int = 12) -> str:
    words = text.split()
    return " ".join(words[:n]) + (" ..." if len(words) > n else "")


# Who said what ---------------------------------------------------------------

def _quotes(quotes: list[Quote]) -> str:
    if not quotes:
        return "Who said what\n  (no quotes found)"
    # Grouped by speaker, speakers in order of their first quote, and each
    # speaker's quotes in text order: reads like the article, without repeats.
    groups: dict[str, list[Quote]] = {}
    for quote in sorted(quotes, key=lambda q: q.start):
        groups.setdefault(quote.speaker or "Unattributed", []).append(quote)
    lines = ["Who said what"]
    for speaker, items in groups.items():
        lines.append(f"  {_speaker_label(speaker, items)}")
        for quote in items:
            lines.extend(_wrap(f"- {quote.cue or 'said'}: {_content(quote)}", indent=4))
    return "\n".join(lines)


def _speaker_label(name: str, quotes: list[Quote]) -> str:
    # The role is told once, as the article first gives it.
    role = next((q.speaker_role for q in quotes if q.speaker_role), None)
    if role and role.lower() not in name.lower():
        return f"{name} ({role})"
    return name


def _content(quote: Quote) -> str:
    text = " ".join(quote.content.split())
    if len(text) > MAX_QUOTE:
        text = text[:MAX_QUOTE].rsplit(" ", 1)[0] + " ..."
    return f"\u201c{text}\u201d" if quote.direct else text


# What happened ---------------------------------------------------------------

def _events(events: list[Event]) -> str:
    if not events:
        return "What happened\n  (no events found)"
    # A timeline: dated events by date, then undated ones in text order.
    order = sorted(enumerate(events), key=lambda p: (p[1].date is None, p[1].date or "", _pos(p[1]), p[0]))
    lines = ["What happened"]
    for _, event in order:
        head = f"{_when(event):<12} {event.type}" + (f"/{event.mode}" if event.mode else "")
        who = " -> ".join(x for x in (event.actor, event.target) if x)
        details = [d for d in (who, _where(event), _counts(event)) if d]
        lines.extend(_wrap(head + ("  " + "; ".join(details) if details else ""), indent=2, hang=15))
        status = [event.status] if event.status != "occurred" else []
        if event.reported_by:
            status.append(f"reported by {event.reported_by}")
        if status:
            lines.extend(_wrap("[" + ", ".join(status) + "]", indent=15))
        lines.extend(_wrap(_trim(event.summary), indent=15))
    return "\n".join(lines)


def _pos(event: Event) -> int:
    span = event.sentence or event.trigger
    return span.start if span else 0


def _when(event: Event) -> str:
    if not event.date:
        return "(undated)"
    precision = event.date_precision or "day"
    if precision == "year":
        return event.date[:4]
    if precision == "month":
        return event.date[:7]
    if precision == "week":
        return f"wk {event.date}"
    return event.date


def _where(event: Event) -> Optional[str]:
    place = event.location or (event.place.name if event.place else None)
    country = event.country or (event.place.country if event.place else None)
    if place and country and country.lower() not in place.lower():
        return f"in {place}, {country}"
    return f"in {place or country}" if (place or country) else None


def _counts(event: Event) -> Optional[str]:
    counts = [
        f"{n} {label}" for n, label in (
            (event.killed, "killed"), (event.injured, "injured"),
            (event.arrested, "arrested"), (event.displaced, "displaced"),
        ) if n is not None
    ]
    return ", ".join(counts) or None


def _trim(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


# Places ---------------------------------------------------------------------

def _places(places: list[Place]) -> str:
    if not places:
        return "Places\n  (no places found)"
    seen: dict[str, tuple[Place, int]] = {}
    for place in places:
        key = place.name.lower()
        first, n = seen.get(key, (place, 0))
        seen[key] = (first, n + 1)
    lines = ["Places"]
    for place, n in seen.values():
        where = ", ".join(x for x in (place.admin1, place.country) if x and x != place.name)
        line = place.name + (f" ({where})" if where else "")
        if place.lat is not None and place.lon is not None:
            line += f"  {place.lat:.2f}, {place.lon:.2f}"
        if n > 1:
            line += f"  x{n}"
        lines.append("  " + line)
    return "\n".join(lines)


def _wrap(text: str, indent: int, hang: Optional[int] = None) -> list[str]:
    hang = indent + 2 if hang is None else hang
    return textwrap.wrap(text, WIDTH, initial_indent=" " * indent, subsequent_indent=" " * hang,
                         break_long_words=False, break_on_hyphens=False) or [" " * indent]
