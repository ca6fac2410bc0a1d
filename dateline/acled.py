"""Stored events as ACLED rows: ACLED's 31 columns, in its order, spelling and codes.

The codebook's value sets are data (lexicons/acled_codebook.json), and so
are dateline's choices: PLOVER type and mode to event_type / sub_event_type
(acled_map.json), actor words to actor types (acled_actors.tsv), country
codes to ACLED's names and regions (acled_countries.tsv) and outlets to a
source scale (acled_sources.tsv). Each file is checked on load: an unknown
key, or a value outside the codebook, is an error, not a silent default.

A column dateline cannot fill from what it stored stays empty (None):
assoc_actor_1/2 and admin3 always; the others when the article does not
say. See docs/export.md for the whole mapping.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator, Optional

from dateline import errors
from dateline.model import EventType

ARMED = {1, 2, 3, 4, 8}
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


class LexiconError(errors.LexiconError):
    """An ACLED mapping file is malformed."""


def _text(name: str) -> str:
    return resources.files("dateline.lexicons").joinpath(name).read_text(encoding="utf-8")


def _tsv(name: str, width: int) -> Iterator[list[str]]:
    for n, line in enumerate(_text(name).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != width:
            raise LexiconError(f"{name} line {n}: {len(cells)} columns, expected {width}")
        yield [c.strip() for c in cells]


@lru_cache(maxsize=1)
def codebook() -> dict:
    book = json.loads(_text("acled_codebook.json"))
    known = {"_comment", "columns", "event_types", "inter", "interaction_rule", "time_precision", "geo_precision",
             "civilian_targeting", "regions", "source_scales"}
    if set(book) != known:
        raise LexiconError(f"acled_codebook.json: keys {sorted(set(book) ^ known)} unknown or missing")
    if len(book["columns"]) != 31 or len(set(book["columns"])) != 31:
        raise LexiconError("acled_codebook.json: ACLED has 31 distinct columns")
    return book


def sub_event_types() -> dict[tuple[str, str], str]:
    """(event_type, sub_event_type) -> disorder_type."""
    return {(et, st): disorder for et, subs in codebook()["event_types"].items() for st, disorder in subs.items()}


def _pair(value, where: str) -> tuple[str, str]:
    if not (isinstance(value, list) and len(value) == 2 and tuple(value) in sub_event_types()):
        raise LexiconError(f"acled_map.json {where}: {value!r} is not an ACLED event type and sub-event type")
    return tuple(value)


@lru_cache(maxsize=1)
def mapping() -> dict:
    """acled_map.json, checked: every type a PLOVER type, every pair in the codebook."""
    raw = json.loads(_text("acled_map.json"))
    types = set(EventType.__args__)
    table: dict = {"_comment": raw.get("_comment")}
    for key, entry in raw.items():
        if key == "_comment":
            continue
        if key == "_other":
            table[key] = _pair(entry, key)
        elif key == "_not_coded":
            if not (isinstance(entry, list) and set(entry) <= types):
                raise LexiconError(f"acled_map.json _not_coded: {entry!r} are not all PLOVER types")
            table[key] = frozenset(entry)
        elif key in types:
            extra = set(entry) - {"default", "modes", "armed_target"}
            if extra or "default" not in entry:
                raise LexiconError(f"acled_map.json {key}: unknown keys {sorted(extra)} or no default")
            table[key] = {
                "default": _pair(entry["default"], f"{key}.default"),
                "modes": {m.lower(): _pair(v, f"{key}.modes.{m}") for m, v in entry.get("modes", {}).items()},
                "armed_target": _pair(entry["armed_target"], f"{key}.armed_target") if "armed_target" in entry
                else None,
            }
        else:
            raise LexiconError(f"acled_map.json: unknown key {key!r} (not a PLOVER type)")
    if "_other" not in table:
        raise LexiconError("acled_map.json: no _other")
    table.setdefault("_not_coded", frozenset())
    return table


def acled_type(plover_type: str, mode: Optional[str], target_kind: Optional[int] = None) -> tuple[str, str]:
    """ACLED event_type and sub_event_type of a PLOVER type and mode."""
    table = mapping()
    entry = table.get(plover_type)
    if not isinstance(entry, dict):
        return table["_other"]
    if mode:
        m = mode.lower()
        if m in entry["modes"]:
            return entry["modes"][m]
        for key, value in entry["modes"].items():
            if key in m:
                return value
    if entry["armed_target"] and target_kind in ARMED:
        return entry["armed_target"]
    return entry["default"]


@lru_cache(maxsize=1)
def countries() -> dict[str, tuple[Optional[int], str, str]]:
    """ISO alpha-2 -> (ISO numeric, ACLED country name, ACLED region)."""
    regions = set(codebook()["regions"])
    out = {}
    for cc, numeric, name, region in _tsv("acled_countries.tsv", 4):
        if len(cc) != 2 or not cc.isupper() or cc in out:
            raise LexiconError(f"acled_countries.tsv: bad or repeated code {cc!r}")
        if region not in regions or (numeric and not numeric.isdigit()) or not name:
            raise LexiconError(f"acled_countries.tsv {cc}: {region!r} is not an ACLED region, or bad number/name")
        out[cc] = (int(numeric) if numeric else None, name, region)
    return out


@lru_cache(maxsize=1)
def actor_words() -> dict[tuple[str, ...], int]:
    """Lower-case word sequence -> ACLED inter code."""
    codes = {int(k) for k in codebook()["inter"]}
    out = {}
    for phrase, code in _tsv("acled_actors.tsv", 2):
        if not code.isdigit() or int(code) not in codes:
            raise LexiconError(f"acled_actors.tsv {phrase!r}: {code!r} is not an ACLED inter code")
        out[tuple(phrase.lower().split())] = int(code)
    return out


@lru_cache(maxsize=1)
def source_scales() -> dict[str, str]:
    scales = set(codebook()["source_scales"])
    out = {}
    for outlet, scale in _tsv("acled_sources.tsv", 2):
        if scale not in scales:
            raise LexiconError(f"acled_sources.tsv {outlet!r}: {scale!r} is not an ACLED source scale")
        out[outlet.lower()] = scale
    return out


def _words(text: str) -> list[str]:
    return [w.strip(".,;:'\"()’‘“”").lower() for w in text.replace("’s ", " ").replace("'s ", " ").split()]


def actor_kind(text: Optional[str], event_country: Optional[str], gaz=None) -> Optional[int]:
    """ACLED inter code of an actor as written, or None when the words do not tell."""
    if not text:
        return None
    words = _words(text)
    table = actor_words()
    longest = max(len(k) for k in table)
    kind, end = None, -1
    for i in range(len(words)):
        for n in range(min(longest, len(words) - i), 0, -1):
            code = table.get(tuple(words[i:i + n]))
            # the rightmost match is the head of the phrase; at one end, the longest
            # ("rapid support forces", not "forces") is found first
            if code is not None and i + n - 1 > end:
                kind, end = code, i + n - 1
                break
    home = _actor_country(text, gaz) if gaz is not None else None
    if kind is None and gaz is not None and _country_named(text, gaz):
        kind = 1  # a country named as the actor ("Russia", "US") acts through its state forces
    if kind == 1 and home and event_country and home != event_country:
        return 8
    return kind


def _actor_country(text: str, gaz) -> Optional[str]:
    """The country an actor belongs to, by a demonym ("Israeli military") or its name ("Russia")."""
    for token in text.replace("’s", "").replace("'s", "").split():
        token = token.strip(".,;:()")
        if token in gaz.demonyms:
            return gaz.demonyms[token]
    return _country_named(text, gaz)


def _country_named(text: str, gaz) -> Optional[str]:
    from dateline.analyze.gazetteer import norm

    for entry in gaz.exact.get(text.strip(), []) + gaz.lookup(norm(text)):
        if entry[0] == "C" and entry[2] <= 0:
            return entry[1]
    return None


def interaction(inter1: Optional[int], inter2: Optional[int]) -> Optional[int]:
    """ACLED's joint code, lower code first; a sole actor is its code and 0. Civilians
    never act alone in ACLED, and do not fight civilians: those give None."""
    if inter1 is None or inter2 is None:
        return None
    if inter2 == 0:
        return None if inter1 == 7 else inter1 * 10
    low, high = sorted((inter1, inter2))
    return None if (low, high) == (7, 7) else low * 10 + high


def event_date(value: Optional[str], precision: Optional[str]) -> tuple[Optional[str], Optional[int], Optional[str]]:
    """(event_date, time_precision, tag) as ACLED codes them: a week or a month by its middle;
    a year, which ACLED does not code, by its middle, at the coarsest precision, with a tag."""
    if not value:
        return None, None, None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None, None, None
    # dateline dates a period by its first day, ACLED by its middle
    if precision == "week":
        day += timedelta(days=3)
    elif precision == "month":
        day = day.replace(day=15)
    elif precision == "year":
        day = day.replace(month=7, day=1)
    tag = "time precision=year" if precision == "year" else None
    return day.isoformat(), TIME_PRECISION.get(precision or ""), tag


def timestamp(stored: Optional[str]) -> Optional[int]:
    """Unix seconds of a stored time ("2025-07-03T10:00:00Z")."""
    if not stored:
        return None
    try:
        moment = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


@lru_cache(maxsize=2)
def _admin1_by_geonameid(gaz) -> dict[int, tuple[str, str]]:
    return {a.geonameid: key for key, a in gaz.admin1.items() if a.geonameid}


def _subdivision(row: dict, gaz):
    """The gazetteer entry of a region- or country-level place, or None."""
    from dateline.analyze.gazetteer import norm, stem

    gid, cc = row.get("geonameid"), row.get("country")
    if gid:
        if gid in _admin1_by_geonameid(gaz):
            return ("A", _admin1_by_geonameid(gaz)[gid], 0)
        for code, country in gaz.countries.items():
            if country.geonameid == gid:
                return ("C", code, 0)
        for i, region in enumerate(gaz.regions):
            if region.geonameid == gid:
                return ("R", i, 0)
    name = row.get("location")
    if not name:
        return None
    key = norm(name)
    for k in dict.fromkeys((key, stem(key))):
        for entry in gaz.lookup(k) if k else []:
            if entry[0] in "ABR" and gaz.country_of(entry) == cc:
                a1 = gaz.admin1_of(entry)
                if not row.get("admin1") or (a1 in gaz.admin1 and gaz.admin1[a1].name == row["admin1"]):
                    return entry
    return None


def place(row: dict, gaz) -> dict:
    """location, admin1, admin2 and geo_precision in the gazetteer's spelling where it knows the place."""
    precision = row.get("geo_precision")
    out = {"location": row.get("location"), "admin1": row.get("admin1"), "admin2": None,
           "geo_precision": {"place": 1, "region": 3, "country": 3}.get(precision)}
    if gaz is None:
        return out
    if precision == "place":
        i = gaz.city_by_id.get(row.get("geonameid") or -1)
        if i is not None:
            a1 = gaz.admin1.get((gaz.c_cc[i], gaz.c_a1[i]))
            a2 = gaz.c_a2[i]
            out.update(location=gaz.c_name[i], admin1=a1.name if a1 else out["admin1"],
                       admin2=gaz.admin2[a2][2] if a2 >= 0 else None)
        return out
    entry = _subdivision(row, gaz) if precision in ("region", "country") else None
    if entry is None:
        return out
    kind, ref, _ = entry
    if kind == "C":
        out.update(location=countries().get(ref, (None, gaz.label(entry)))[1], admin1=None)
    elif kind == "B":
        a1 = gaz.admin1.get(gaz.admin1_of(entry))
        # a second-level division is "a small part of a region" in ACLED's terms
        out.update(location=gaz.label(entry), admin1=a1.name if a1 else out["admin1"], admin2=gaz.label(entry),
                   geo_precision=2)
    elif kind == "A":
        out.update(location=gaz.label(entry), admin1=gaz.label(entry))
    else:
        out["location"] = gaz.label(entry)
    return out


def coded(row: dict) -> bool:
    """Whether ACLED would record the event at all: not a disaster or accident, and not only planned."""
    return row.get("type") not in mapping()["_not_coded"] and row.get("status") != "planned"


def _single(value: Optional[str]) -> Optional[str]:
    """ACLED separates several actors or sources with ';' (acledR splits on it): one name keeps none."""
    return value.replace(";", ",") if value else value


def acled_row(row: dict, gaz=None) -> dict:
    """One stored event row (Store.events) as ACLED's 31 columns; None where dateline cannot say."""
    cc = row.get("country")
    iso, country, region = countries().get(cc, (None, None, None)) if cc else (None, None, None)
    inter2 = actor_kind(row.get("target"), cc, gaz) if row.get("target") else 0
    event_type, sub_type = acled_type(row["type"], row.get("mode"), inter2)
    if event_type == "Violence against civilians" and not row.get("target"):
        inter2 = None  # its victims are there, only unnamed: not a sole-actor event
    disorder = sub_event_types()[(event_type, sub_type)]
    if event_type == "Protests" and sub_type != "Excessive force against protesters":
        inter1 = 6  # in ACLED the demonstrators are actor 1 of a protest, whoever leads it
    elif event_type == "Riots":
        inter1 = 5
    else:
        inter1 = actor_kind(row.get("actor"), cc, gaz)
    day, precision, tag = event_date(row.get("date"), row.get("date_precision"))
    where = place(row, gaz)
    source = row.get("source")
    values = {
        "event_id_cnty": f"{row['article_id']}#{row['idx']}", "event_date": day, "year": int(day[:4]) if day else None,
        "time_precision": precision, "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub_type,
        "actor1": _single(row.get("actor")), "assoc_actor_1": None, "inter1": inter1,
        "actor2": _single(row.get("target")), "assoc_actor_2": None, "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == 7 and "Political violence" in disorder else None,
        "iso": iso, "region": region, "country": country,
        "admin1": where["admin1"], "admin2": where["admin2"], "admin3": None, "location": where["location"],
        "latitude": row.get("lat"), "longitude": row.get("lon"), "geo_precision": where["geo_precision"],
        "source": _single(source), "source_scale": source_scales().get((source or "").lower()),
        "notes": " ".join((row.get("summary") or "").split()) or None,
        # ACLED records 0 when a report gives no death toll
        "fatalities": row.get("killed") or 0,
        "tags": tag, "timestamp": timestamp(row.get("ingested_at")),
    }
    return {column: values[column] for column in codebook()["columns"]}


def acled_rows(rows: Iterable[dict]) -> Iterator[dict]:
    """The ACLED rows of the events ACLED would record (see coded)."""
    from dateline.analyze import gazetteer

    gaz = None
    for row in rows:
        if not coded(row):
            continue
        if gaz is None:
            gaz = gazetteer.get()
        yield acled_row(row, gaz)
