"""Every event carries a confidence; users hide the weak ones from the
command line, the API and the map."""

from __future__ import annotations

import json

import pytest

from dateline.analyze.events import confidence
from dateline.analyze.events.lexicon import LexiconError
from dateline.analyze.pipeline import run_components
from dateline.cli import main
from dateline.model import Article
from dateline.serve import storylist
from dateline.store import Store


def events(nlp, text, published="2025-07-03"):
    article = Article(text=text, published=published)
    return run_components(nlp(text), article).events


def test_a_well_anchored_lead_event_is_confident_and_a_bare_one_less(nlp):
    text = ("Russian forces shelled the town of Kupiansk on Monday, killing two civilians, the governor said. "
            "Residents described an attack weeks ago.")
    evs = events(nlp, text)
    strong = next(e for e in evs if e.location == "Kupiansk")
    assert strong.confidence >= confidence.HIGH
    assert all(0 <= e.confidence <= 1 for e in evs)
    weak = [e for e in evs if e is not strong]
    assert all(e.confidence < strong.confidence for e in weak)


def test_an_event_naming_nobody_and_nowhere_is_not_kept(nlp):
    assert events(nlp, "Calling it a planned attack, the spokesman said footage would be released.") == []


def test_confidence_weights_are_checked(tmp_path):
    bad = tmp_path / "weights.json"
    bad.write_text(json.dumps({"base": 0.2, "actor": 0.2}), encoding="utf-8")
    with pytest.raises(LexiconError):
        confidence.weights.__wrapped__(bad)


def test_stored_events_filter_by_confidence(sample_db, capsys):
    with Store.open(sample_db) as store:
        rows = store.events()
        values = sorted(r["confidence"] for r in rows)
        cut = values[len(values) // 2]
        kept = store.events(min_confidence=cut)
    assert rows and all(r["confidence"] is not None for r in rows)
    assert kept and all(r["confidence"] >= cut for r in kept) and len(kept) <= len(rows)
    assert main(["events", "--db", str(sample_db), "--json", "--min-confidence", str(cut)]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(printed) == len(kept)
    with pytest.raises(SystemExit) as refused:
        main(["events", "--db", str(sample_db), "--min-confidence", "2"])
    assert refused.value.code == 2 and "not a number from 0 to 1" in capsys.readouterr().err


def test_the_map_and_lists_hide_stories_whose_every_report_is_weak(sample_db):
    with Store.open(sample_db) as store:
        shown = storylist.filtered(store, storylist.filters({}))
        everything = storylist.filtered(store, storylist.filters({"weak": "1"}))
        shown_ids = {r["id"] for r in shown}
        assert shown_ids <= {r["id"] for r in everything}
        assert {p["id"] for p in storylist.map_points(shown)} <= shown_ids
        for story_id in shown_ids:
            assert storylist.story_confidence(store.story(story_id)) >= storylist.LOW_CONFIDENCE
        for row in everything:
            if row["id"] not in shown_ids:
                assert storylist.story_confidence(store.story(row["id"])) < storylist.LOW_CONFIDENCE
