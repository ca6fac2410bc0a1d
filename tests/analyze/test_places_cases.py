"""The places component on a case corpus (tests/analyze/places/cases*.jsonl): short
sentences each naming places that must be found and resolved ("places": the
mention's text, which occurrence, and the expected country / first-level
subdivision / nearby point) and near-misses that must not become places with
coordinates ("not_places": parts of person or street names, compass words,
vocatives), spans that must not become places at all, even without
coordinates ("not_spans"), and spans that must ("spans")."""

from __future__ import annotations

import glob
import json
import os

import pytest

from dateline.analyze import gazetteer as gz
from dateline.analyze import places as places_mod
from dateline.analyze.pipeline import State
from dateline.model import Article

HERE = os.path.join(os.path.dirname(__file__), "places")
CASES = [json.loads(line) for path in sorted(glob.glob(os.path.join(HERE, "cases*.jsonl")))
         for line in open(path, encoding="utf-8") if line.strip()]


def _offset(text: str, at: str, nth: int) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(at, start + 1)
    return start, start + len(at)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(nlp, case):
    text = case["text"]
    state = State(doc=nlp(text), article=Article(text=text), published=None)
    places_mod.places_component(state)
    got = [(p.name, p.country, p.admin1) for p in state.places]
    for want in case.get("places", []):
        s, e = _offset(text, want["at"], want.get("nth", 0))
        hits = [p for p in state.places if p.start < e and s < p.end and p.lat is not None]
        assert hits, f"{want['at']!r} not resolved in {got}"
        p = hits[0]
        if "country" in want:
            assert p.country == want["country"], got
        if "admin1" in want:
            assert p.admin1 == want["admin1"], got
        if "near" in want:
            lat, lon, km = want["near"]
            assert gz.haversine(lat, lon, p.lat, p.lon) <= km, (p, got)
    for bad in case.get("not_places", []):
        s, e = _offset(text, bad["at"], bad.get("nth", 0))
        hits = [p for p in state.places if p.start < e and s < p.end and p.lat is not None]
        assert not hits, f"{bad['at']!r} became a place: {got}"
    for bad in case.get("not_spans", []):
        s, e = _offset(text, bad["at"], bad.get("nth", 0))
        hits = [p for p in state.places if p.start < e and s < p.end]
        assert not hits, f"{bad['at']!r} became a place: {got}"
    for want in case.get("spans", []):
        s, e = _offset(text, want["at"], want.get("nth", 0))
        assert [p for p in state.places if p.start < e and s < p.end], f"{want['at']!r} not found in {got}"
