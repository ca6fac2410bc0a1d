"""The event case corpus: tests/analyze/events/cases/*.jsonl, one file per rule
family, each row a short invented text with the events it must give
(`events`), the events it must not give (`reject`, `absent`, `max`), and the
rules it exercises (`covers`). A row marked `xfail` states a known gap; it
must start passing before the mark is removed (strict)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dateline.analyze.pipeline import run_components
from dateline.evaluate.matching import names_match
from dateline.model import Article, Event

CASES_DIR = Path(__file__).parent / "cases"
ROW_KEYS = {"covers", "text", "title", "published", "events", "reject", "absent", "max", "note", "xfail"}
EVENT_KEYS = {"type", "mode", "actor", "target", "location", "country", "date", "date_precision",
              "killed", "injured", "arrested", "status"}
NAME_FIELDS = {"actor", "target", "location"}
TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "OTHER")


def load_cases() -> list[tuple[str, dict]]:
    rows = []
    for path in sorted(CASES_DIR.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                rows.append((f"{path.stem}:{n}", json.loads(line)))
    return rows


CASES = load_cases()


def fits(event: Event, spec: dict[str, Any]) -> bool:
    for key, want in spec.items():
        got = getattr(event, key)
        if want is None or key not in NAME_FIELDS:
            if got != want:
                return False
        elif not names_match(want, got):
            return False
    return True


def shown(events: list[Event]) -> list[dict]:
    return [e.model_dump(include={"type", "mode", "actor", "target", "location", "country", "date",
                                  "killed", "injured", "arrested", "status"}) for e in events]


@pytest.mark.parametrize("name,case", CASES, ids=[name for name, _ in CASES])
def test_case(nlp, name, case, request):
    if case.get("xfail"):
        request.applymarker(pytest.mark.xfail(reason=case["xfail"], strict=True))
    article = Article(text=case["text"], title=case.get("title"), published=case.get("published", "2025-07-03"))
    events = run_components(nlp(article.text), article).events
    for spec in case.get("events", []):
        assert any(fits(e, spec) for e in events), f"expected {spec}, got {shown(events)}"
    for spec in case.get("reject", []):
        assert not any(fits(e, spec) for e in events), f"rejected {spec} found in {shown(events)}"
    for typ in case.get("absent", []):
        assert not any(e.type == typ for e in events), f"no {typ} expected, got {shown(events)}"
    for typ, most in case.get("max", {}).items():
        assert sum(e.type == typ for e in events) <= most, f"at most {most} {typ}, got {shown(events)}"


def test_rows_are_well_formed():
    for name, case in CASES:
        assert set(case) <= ROW_KEYS, (name, set(case) - ROW_KEYS)
        assert case.get("covers"), f"{name}: say which rule the case exercises"
        for spec in case.get("events", []) + case.get("reject", []):
            assert set(spec) <= EVENT_KEYS, (name, set(spec) - EVENT_KEYS)
            assert spec.get("type", "OTHER") in TYPES, name


def test_every_type_has_a_positive_and_a_near_miss():
    positive, near_miss = set(), set()
    for _, case in CASES:
        positive |= {s["type"] for s in case.get("events", [])}
        near_miss |= {s["type"] for s in case.get("reject", []) if "type" in s}
        near_miss |= set(case.get("absent", [])) | set(case.get("max", {}))
    assert not set(TYPES) - positive, f"types without a positive case: {sorted(set(TYPES) - positive)}"
    assert not set(TYPES) - near_miss, f"types without a near-miss case: {sorted(set(TYPES) - near_miss)}"
