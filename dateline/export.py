"""Export stored events: JSON Lines, CSV, ACLED's CSV, GeoJSON and PLOVER JSON.

    dateline export --format jsonl|csv|acled|geojson|plover [-o FILE] [filters]

- jsonl: one stored event row a line (every events column, plus the
  article's source, url, published, title, duplicate_of and ingested_at).
- csv: ACLED-style columns (ACLED_COLUMNS); event_type / sub_event_type come
  from the PLOVER type and mode through lexicons/acled_map.json. event_date
  is written at its precision: "2020", "2020-06", "2020-W23" or "2020-06-18".
- acled: ACLED's own 31 columns, order, spelling and codes (dateline.acled),
  for ACLED's tooling; events ACLED does not record are left out.
- geojson: a FeatureCollection of the events that have coordinates (Point,
  [lon, lat]) with the event fields as properties.
- plover: one JSON array of PLOVER-style event records.

Syndicated copies (articles with duplicate_of) are left out unless
include_duplicates is set: they are not independent reports.

Every CSV cell of text that a spreadsheet would run as a formula (starting
with =, +, -, @, tab or carriage return) is written with a leading single
quote; numbers stay numbers, so negative coordinates are not touched.
"""

from __future__ import annotations

import csv
import json
from typing import Iterable, Optional, TextIO

from dateline import acled, when

FORMATS = ("jsonl", "csv", "acled", "geojson", "plover")
ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2", "country",
                 "admin1", "location", "latitude", "longitude", "geo_precision", "source", "source_url", "notes",
                 "fatalities")
GEO_PRECISION = {"place": 1, "region": 2, "country": 3}


def acled_type(plover_type: str, mode: Optional[str]) -> tuple[str, str]:
    return acled.acled_type(plover_type, mode)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell that would start a formula gets a leading quote (OWASP's advice);
    other values, numbers above all, are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _write_csv(out: TextIO, columns, records: Iterable[dict]) -> int:
    # CRLF, as RFC 4180 has it, also makes the writer quote a cell holding a bare carriage return
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for record in records:
        writer.writerow({k: spreadsheet_safe(v) for k, v in record.items()})
        n += 1
    return n


def event_id(row: dict) -> str:
    return f"{row['article_id']}#{row['idx']}"


def acled_row(row: dict) -> dict:
    event_type, sub_type = acled_type(row["type"], row.get("mode"))
    # At its precision: an event dated to a year is "2020", to a month "2020-06", never a first day
    # it does not have. Without a date of its own, the article's publication day.
    date = when.iso(row.get("date"), row.get("date_precision")) if row.get("date") else \
        when.iso((row.get("published") or "")[:10] or None, "day")
    return {
        "event_id_cnty": event_id(row), "event_date": date, "year": (date or "")[:4] or None,
        "event_type": event_type, "sub_event_type": sub_type, "actor1": row.get("actor"), "actor2": row.get("target"),
        "country": row.get("country"), "admin1": row.get("admin1"), "location": row.get("location"),
        "latitude": row.get("lat"), "longitude": row.get("lon"),
        "geo_precision": GEO_PRECISION.get(row.get("geo_precision")), "source": row.get("source"),
        "source_url": row.get("url"), "notes": row.get("summary"), "fatalities": row.get("killed") or 0,
    }


def geojson_feature(row: dict) -> Optional[dict]:
    if row.get("lat") is None or row.get("lon") is None:
        return None
    props = {k: v for k, v in row.items() if k not in ("lat", "lon", "id")}
    props["event_id"] = event_id(row)
    return {"type": "Feature", "id": event_id(row),
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]}, "properties": props}


def plover_record(row: dict) -> dict:
    return {
        "id": event_id(row), "date": row.get("date"), "date_precision": row.get("date_precision"),
        "event": row["type"], "mode": row.get("mode"), "context": [],
        "actor": row.get("actor"), "recipient": row.get("target"), "status": row.get("status"),
        "reported_by": row.get("reported_by"), "text": row.get("summary"), "trigger": row.get("trigger_text"),
        "story_id": row.get("article_id"), "story_date": row.get("published"), "publisher": row.get("source"),
        "url": row.get("url"),
        "location": {"name": row.get("location"), "country": row.get("country"), "admin1": row.get("admin1"),
                     "lat": row.get("lat"), "lon": row.get("lon"), "geonameid": row.get("geonameid"),
                     "precision": row.get("geo_precision")},
        "fatalities": row.get("killed"), "injured": row.get("injured"), "arrested": row.get("arrested"),
        "displaced": row.get("displaced"),
    }


def write(rows: Iterable[dict], fmt: str, out: TextIO) -> int:
    """Write event rows (from Store.events) in a format; returns the count written."""
    n = 0
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(_clean(row), ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        n = _write_csv(out, ACLED_COLUMNS, (acled_row(row) for row in rows))
    elif fmt == "acled":
        n = _write_csv(out, acled.codebook()["columns"], acled.acled_rows(rows))
    elif fmt == "geojson":
        features = [f for f in (geojson_feature(_clean(r)) for r in rows) if f]
        json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
        out.write("\n")
        n = len(features)
    elif fmt == "plover":
        records = [plover_record(r) for r in rows]
        json.dump(records, out, ensure_ascii=False, indent=1)
        out.write("\n")
        n = len(records)
    else:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    return n


def _clean(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "id"} | {"event_id": event_id(row)}
