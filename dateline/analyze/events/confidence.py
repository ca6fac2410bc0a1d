"""Confidence: how much of the evidence an event needs was found. A trigger
in a realis clause is the base; a named actor and target, a resolved place,
a date the text ties to the event, a place in the article's lead and figures
each add their weight (lexicons/events_confidence.json). Users hide the weak
ones (`--min-confidence`, the map) rather than losing them."""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from dateline.analyze.events.lexicon import LexiconError, Source, read_json
from dateline.model import Event

LOW = 0.5  # below: weak, off the map by default
HIGH = 0.75
_KEYS = {"base", "actor", "target", "place", "date", "lead", "figures", "hedged"}
_PLACE_LEVELS = {"place", "region", "country", "unresolved"}
_DATE_LEVELS = {"day", "week", "month", "year"}


@lru_cache(maxsize=None)
def weights(source: Source = None) -> dict:
    data = {k: v for k, v in read_json("events_confidence.json", source).items() if not k.startswith("_")}
    if set(data) != _KEYS:
        raise LexiconError(f"events_confidence.json: keys must be {sorted(_KEYS)}, not {sorted(data)}")
    for key, levels in (("place", _PLACE_LEVELS), ("date", _DATE_LEVELS)):
        if not isinstance(data[key], dict) or set(data[key]) != levels:
            raise LexiconError(f"events_confidence.json: {key!r} must give {sorted(levels)}")
    numbers = [v for v in data.values() if not isinstance(v, dict)]
    numbers += [v for key in ("place", "date") for v in data[key].values()]
    if not all(isinstance(v, (int, float)) and -1 <= v <= 1 for v in numbers):
        raise LexiconError("events_confidence.json: every weight is a number from -1 to 1")
    return data


def anchored(event: Event) -> bool:
    """An event names at least who acted, on whom, or where."""
    return bool(event.actor or event.target or event.location)


def score(event: Event, lead_end: int) -> float:
    """The event's confidence, 0-1. lead_end: where the article's lead ends
    (a trigger before it is the article's main news, not background)."""
    w = weights()
    value = w["base"]
    value += w["actor"] if event.actor else 0.0
    value += w["target"] if event.target else 0.0
    if event.place is not None and event.place.precision:
        value += w["place"][event.place.precision]
    elif event.location:
        value += w["place"]["unresolved"]
    if event.date and event.date_precision:
        value += w["date"][event.date_precision]
    if event.trigger is not None and event.trigger.start < lead_end:
        value += w["lead"]
    if any(getattr(event, f) is not None for f in ("killed", "injured", "arrested", "displaced")):
        value += w["figures"]
    if event.status in ("claimed", "denied"):
        value += w["hedged"]
    return round(min(1.0, max(0.0, value)), 2)


def level(confidence: Optional[float]) -> str:
    if confidence is None:
        return "unknown"
    return "high" if confidence >= HIGH else "low" if confidence < LOW else "medium"
