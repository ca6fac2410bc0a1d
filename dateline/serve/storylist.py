"""The stories behind the map and timeline pages: the filters a person sets,
the stories they select, grouped by day and month, and the map's points."""

from __future__ import annotations

import datetime as dt
from typing import Mapping

from dateline import when
from dateline.store.story_queries import story_confidence  # noqa: F401 (the pages' name for it)

FIGURES = ("killed", "injured", "arrested", "displaced")
FILTERS = ("type", "country", "since", "until", "q", "weak")
LOW_CONFIDENCE = 0.5  # below this an event is weak: off the map unless asked for
# Map and timeline colours of the PLOVER types: related types share a hue
# (cooperation greens, demands and disputes ambers, force reds).
TYPE_COLOURS = {
    "AGREE": "#2e7d32", "CONSULT": "#558b2f", "SUPPORT": "#43a047", "CONCEDE": "#7cb342", "COOPERATE": "#00897b",
    "AID": "#1e88e5", "RETREAT": "#5e35b1", "REQUEST": "#f9a825", "ACCUSE": "#fb8c00", "REJECT": "#ef6c00",
    "THREATEN": "#d84315", "PROTEST": "#8e24aa", "SANCTION": "#6d4c41", "MOBILIZE": "#c2185b", "COERCE": "#b71c1c",
    "ASSAULT": "#d50000", "OTHER": "#757575",
}
# Newest first, so that a large corpus still renders at once; filters narrow it.
MAP_LIMIT = 5000  # the map clusters what would overlap, so thousands stay readable
TIMELINE_LIMIT = 500
MONTHS_SHOWN = 120
STORY_CANDIDATES = 200


def filters(params: Mapping[str, str]) -> dict[str, str]:
    """The form's values, each either valid or empty: a bad date or an
    unknown type is ignored rather than answered with an error page."""
    values = {k: (params.get(k) or "").strip()[:200] for k in FILTERS}
    values["weak"] = "1" if values["weak"] in ("1", "on", "true") else ""
    values["type"] = values["type"].upper() if values["type"].upper() in TYPE_COLOURS else ""
    values["country"] = values["country"].upper() if len(values["country"]) == 2 and values["country"].isalpha() else ""
    for key in ("since", "until"):
        try:
            values[key] = dt.date.fromisoformat(values[key]).isoformat() if values[key] else ""
        except ValueError:
            values[key] = ""
    return values


def filtered(store, f: dict[str, str]) -> list[dict]:
    """The stories the filters select; weak ones (every report below
    LOW_CONFIDENCE) only when the "weak events" box is ticked."""
    rows = store.stories(type=f["type"] or None, country=f["country"] or None, since=f["since"] or None,
                         until=f["until"] or None, min_confidence=None if f["weak"] else LOW_CONFIDENCE)
    if f["q"]:
        words = f["q"].lower().split()
        rows = [r for r in rows if all(w in _words(r) for w in words)]
    return rows


def _words(row: dict) -> str:
    fields = [row.get(k) or "" for k in ("headline", "summary", "location", "country", "type", "mode")]
    return " ".join(map(str, fields + list(row.get("outlets") or []))).lower()


def newest_first(rows: list[dict]) -> list[dict]:
    """Dated stories newest first, then the undated ones."""
    dated = sorted((r for r in rows if r.get("date")), key=lambda r: r["date"], reverse=True)
    return dated + [r for r in rows if not r.get("date")]


def by_day(rows: list[dict]) -> list[dict]:
    """The first TIMELINE_LIMIT stories, grouped by their date at its
    precision (a story dated to a year is under "2020", not under 1 January):
    [{"label": "18 June 2024", "iso": "2024-06-18", "stories": [...]}]."""
    days: dict[tuple, dict] = {}
    for r in rows[:TIMELINE_LIMIT]:
        date = (r.get("date") or "")[:10]
        iso = when.iso(date, r.get("date_precision")) if date else ""
        group = days.setdefault((iso,), {"label": when.human(date, r.get("date_precision")) or "undated",
                                        "iso": iso, "stories": []})
        group["stories"].append(r)
    return list(days.values())


def by_month(rows: list[dict], f: dict[str, str]) -> list[dict]:
    """Stories per month, every month from the first to the last (at most the
    last MONTHS_SHOWN), each with the filter values that select it."""
    counts: dict[str, int] = {}
    for r in rows:
        date = r.get("date") or ""
        if len(date) >= 7 and date[:4].isdigit() and date[5:7].isdigit():
            counts[date[:7]] = counts.get(date[:7], 0) + 1
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(last[:4]), int(last[5:7])
    months = []
    while len(months) < MONTHS_SHOWN:
        key = f"{year:04d}-{month:02d}"
        months.append(key)
        if key <= first:
            break
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    top = max(counts.values())
    bars = []
    for key in reversed(months):
        y, m = int(key[:4]), int(key[5:7])
        end = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).isoformat()
        query = {k: v for k, v in f.items() if v and k not in ("since", "until")}
        bars.append({"month": key, "count": counts.get(key, 0), "height": round(100 * counts.get(key, 0) / top),
                     "query": {**query, "since": f"{key}-01", "until": end}})
    return bars


def map_point(story: dict, place: dict) -> dict:
    """What the map needs of a story: where, its colour and size, and the
    popup's words, the date already written at its precision."""
    return {
        "id": story["id"], "type": story.get("type"), "lat": place["lat"], "lon": place["lon"],
        "headline": _clip(story.get("headline") or story.get("summary") or "", 180),
        "summary": _clip(story.get("summary") or "", 180), "location": story.get("location") or place.get("name") or "",
        "date": when.human(story.get("date"), story.get("date_precision")),
        "killed": story.get("killed") or 0, "injured": story.get("injured") or 0,
        "colour": TYPE_COLOURS.get(story.get("type") or "OTHER", TYPE_COLOURS["OTHER"]),
    }


def map_points(rows: list[dict]) -> list[dict]:
    """Points for the first MAP_LIMIT stories that have coordinates (the
    rows are already without weak stories unless they were asked for)."""
    points = []
    for r in rows:
        if len(points) == MAP_LIMIT:
            break
        if r.get("lat") is not None and r.get("lon") is not None:
            points.append(map_point(r, r))
    return points


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def figure_table(story: dict) -> list[dict]:
    """One row per figure that any report gives: each source's value side by
    side, with the values that disagree flagged."""
    rows = []
    for field in FIGURES:
        figure = (story.get("figures") or {}).get(field)
        if not figure or not figure.get("claims"):
            continue
        values = {c["value"] for c in figure["claims"]}
        rows.append({"field": field, "value": figure.get("value"), "conflict": figure.get("conflict") or len(values) > 1,
                     "claims": figure["claims"]})
    return rows


def stories_of(store, article_id: str, events: list[dict]) -> dict[int, str]:
    """The story each of an article's events belongs to, by event index.
    The store keeps no index from events to stories, so the candidates are the
    stories of the event's type, country and date (at most STORY_CANDIDATES),
    and a story is the event's when its evidence holds the event."""
    found: dict[int, str] = {}
    for e in events:
        if e["idx"] in found:
            continue
        date = (e.get("date") or "")[:10] or None
        candidates = store.stories(type=e.get("type"), country=e.get("country"), since=date, until=date,
                                   limit=STORY_CANDIDATES)
        for row in candidates:
            story = store.story(row["id"]) or {}
            for report in story.get("evidence") or []:
                if report.get("article_id") == article_id:
                    found.setdefault(report.get("event_index", 0), row["id"])
            if e["idx"] in found:
                break
    return found
