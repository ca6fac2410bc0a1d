"""Stage timing (dateline.timing): an analysis charges CPU time to the parse
and to every component, and an ingest to the store and the stories, so the
benchmarks can print the cost of each stage."""

from __future__ import annotations

import dateline
from dateline import timing
from dateline.analyze.pipeline import DEFAULT_COMPONENTS
from dateline.store import Store
from dateline.store.ingest import ingest, rebuild_stories
from sample_data import sample_articles


def test_analysis_charges_the_parse_and_each_component(nlp):
    articles = sample_articles()
    list(dateline.analyze_many(articles[:1]))  # warm-up work is not what is measured
    timing.reset()
    results = list(dateline.analyze_many(articles))
    seconds = timing.snapshot()
    assert len(results) == len(articles)
    assert set(seconds) >= {"checks", "parse", *DEFAULT_COMPONENTS}
    assert seconds["parse"] > 0
    assert all(s >= 0 for s in seconds.values())


def test_ingest_charges_store_and_stories(nlp, tmp_path):
    timing.reset()
    with Store.open(tmp_path / "t.db") as store:
        stats = ingest(store, sample_articles())
        rebuild_stories(store)
    seconds = timing.snapshot()
    assert stats.added and seconds["store"] > 0 and "stories" in seconds
