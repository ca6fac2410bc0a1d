"""What the rules know about each PLOVER type, from one table in data
(dateline/lexicons/events_policy.json; its `_columns` say what each column
means). Rules ask `policy(type).takes_casualties` rather than listing types."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Optional

from dateline.analyze.events.lexicon import LexiconError, Source, read_json, trigger_types

PLACE_NEEDS = ("anything", "not_a_party", "location_preposition")


@dataclass(frozen=True)
class TypePolicy:
    type: str
    takes_casualties: bool
    takes_arrests: bool
    incident: bool
    speech: bool
    place_needs: str
    place_extra_preps: tuple[str, ...]
    place_from_incident: bool
    incident_reach: Optional[int]
    place_from_lead_incident: bool
    said_at_meeting: bool
    names_meeting_city: bool
    one_sided_claim: bool
    country_from_article: bool
    keeps_mode: bool
    mode_from_weapon: bool
    default_kind: Optional[str]
    protest_purpose: bool
    reached_by_agreeing: bool
    noun_target_preps: tuple[str, ...]
    victims_are_targets: bool
    place_from_authority: bool
    kept_on_sports_pages: bool


COLUMNS = {f.name: f.type for f in fields(TypePolicy) if f.name != "type"}
_WORD_LISTS = {"place_extra_preps", "noun_target_preps"}


def _check_row(name: str, row: object) -> TypePolicy:
    if not isinstance(row, dict):
        raise LexiconError(f"events_policy.json: type {name!r} must be an object")
    unknown, missing = set(row) - set(COLUMNS), set(COLUMNS) - set(row)
    if unknown:
        raise LexiconError(f"events_policy.json: type {name!r} has unknown column(s) {sorted(unknown)}")
    if missing:
        raise LexiconError(f"events_policy.json: type {name!r} lacks column(s) {sorted(missing)}")
    values = {}
    for column, value in row.items():
        if column in _WORD_LISTS:
            ok = isinstance(value, list) and all(isinstance(w, str) for w in value)
            value = tuple(value) if ok else value
        elif column == "place_needs":
            ok = value in PLACE_NEEDS
        elif column == "default_kind":
            ok = value is None or isinstance(value, str)
        elif column == "incident_reach":
            ok = value is None or isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else:
            ok = isinstance(value, bool)
        if not ok:
            raise LexiconError(f"events_policy.json: type {name!r} column {column!r} has a bad value {value!r}")
        values[column] = value
    return TypePolicy(type=name, **values)


def check_policy(data: dict, needed_types: frozenset[str] = frozenset()) -> dict[str, TypePolicy]:
    rows = data.get("types")
    if not isinstance(rows, dict):
        raise LexiconError("events_policy.json: 'types' must be an object of rows")
    table = {name: _check_row(name, row) for name, row in rows.items()}
    missing = needed_types - set(table)
    if missing:
        raise LexiconError(f"events_policy.json: no row for trigger type(s) {sorted(missing)}")
    return table


def load_policy(source: Source = None) -> dict[str, TypePolicy]:
    return check_policy(read_json("events_policy.json", source), trigger_types())


@lru_cache(maxsize=None)
def _table() -> dict[str, TypePolicy]:
    return load_policy()


def policy(type_: str) -> TypePolicy:
    return _table()[type_]
