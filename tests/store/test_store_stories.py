"""Stories kept in the store: merged incrementally as articles arrive (the same
stories as a full rebuild, in any order or batching), identical reprints from
other outlets stored as copies that do not corroborate, and re-ingesting,
or a feed repeating the articles, changing nothing. On SQLite and PostgreSQL."""

import html
import json
from pathlib import Path

import pytest

import dateline
from dateline.ingest import read_path
from dateline.cli import main
from dateline.model import Article
from dateline.store import Store
from dateline.store.ingest import ingest, read_inputs, rebuild_stories
from kyiv_strike import BBC, KYIV_INDEPENDENT, REUTERS, REUTERS_A_WEEK_LATER

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

KYIV_STRIKE = [  # one drone strike on Kyiv, three outlets, three tolls
    KYIV_INDEPENDENT, REUTERS,
    dict(BBC, text="Russian forces struck the Ukrainian capital Kyiv on Monday, killing three people, "
                   "Ukraine's interior ministry said."),
]
WEEK_LATER = dict(REUTERS_A_WEEK_LATER,
                  text="A Russian drone attack on Kyiv killed four people on Monday, Kyiv mayor Vitali Klitschko said.")
ODESA = dict(id="ap-1", source="AP", published="2025-06-10",
             text="A Russian drone struck the port of Odesa on Monday, injuring two dock workers, "
                  "regional governor Oleh Kiper said.")


@pytest.fixture(scope="module")
def analysed():
    """Each article analysed once: id -> (Article, Analysis)."""
    articles = [Article(**a) for a in KYIV_STRIKE + [WEEK_LATER, ODESA]]
    for name in ("flood.txt", "batch.jsonl"):
        articles += [r for r in read_path(SAMPLES / name) if isinstance(r, Article)]
    return {a.id: (a, an) for a, an in zip(articles, dateline.analyze_many(articles))}


def stored_stories(store):
    return sorted((store.story(s["id"]) for s in store.stories()), key=lambda s: s["id"])


def add_in_batches(target, analysed, batches):
    with Store.open(target) as store:
        for batch in batches:
            for key in batch:
                store.add(*analysed[key])
            rebuild_stories(store)
        return stored_stories(store)


def test_strike_reports_merge_one_at_a_time_into_one_story_and_a_week_later_stays_apart(store_target, analysed):
    with Store.open(store_target) as store:
        store.add(*analysed["bbc-1"])  # the earliest report (published, then article id)
        rebuild_stories(store)
        first, = [s for s in store.stories() if s["type"] == "ASSAULT"]
        for key in ("rt-1", "ki-1", "rt-2"):
            store.add(*analysed[key])
            rebuild_stories(store)
        strikes = [s for s in store.stories() if s["type"] == "ASSAULT"]
        assert len(strikes) == 2  # the strike a week later is its own story
        story = store.story(strikes[0]["id"])
        assert story["id"] == first["id"]  # derived from the earliest report: stable as reports join
        assert story["date"] == "2025-06-09" and story["location"] == "Kyiv"
        assert sorted(story["outlets"]) == ["BBC", "Kyiv Independent", "Reuters"] and story["corroboration"] == 3
        assert story["conflicts"] == ["killed"]
        assert "killed: 1 per Tymur Tkachenko" in story["conflict_notes"][0]
        assert store.story(strikes[1]["id"])["date"] == "2025-06-16"


def test_incremental_stories_equal_a_full_rebuild_in_any_order_and_batching(analysed, tmp_path, request):
    keys = list(analysed)
    full_target = str(tmp_path / "full.db")
    with Store.open(full_target) as store:
        for key in keys:
            store.add(*analysed[key])
        assert rebuild_stories(store, full=True) == store.count("stories")
        full = stored_stories(store)
    assert any(len(s["evidence"]) >= 3 for s in full)  # the three-outlet strike
    one_by_one = add_in_batches(str(tmp_path / "a.db"), analysed, [[k] for k in reversed(keys)])
    in_batches = add_in_batches(str(tmp_path / "b.db"), analysed, [keys[3:5], keys[:2], keys[5:], keys[2:3]])
    assert one_by_one == full
    assert in_batches == full


# One strike told four ways: taken in article order (ap-1, bbc-1, ki-1, ...),
# bbc-1 is too unlike ap-1 to join it and starts a story of its own; rt-1
# then fits both stories, and they become one.
ONE_STRIKE_TWO_STARTS = [
    dict(id="ap-1", source="AP", published="2025-06-10",
         text="Drone attack on Kyiv leaves two dead\n\nA Russian drone attack on an apartment building in Kyiv on Monday "
              "left two people dead, Vitali Klitschko, the city's mayor, wrote on Telegram."),
    BBC, KYIV_INDEPENDENT, REUTERS, REUTERS_A_WEEK_LATER,
    dict(id="up-1", source="Ukrainska Pravda", published="2025-06-11",
         text="Ukraine's interior ministry said two people died when Russian forces struck the Ukrainian capital on Monday."),
]


@pytest.fixture(scope="module")
def merging():
    articles = [Article(**a) for a in ONE_STRIKE_TWO_STARTS]
    analyses = list(dateline.analyze_many(articles))
    analyses[0] = analyses[0].model_copy(update={"events": []})  # an article the extractor found no event in
    return {a.id: (a, an) for a, an in zip(articles, analyses)}


def test_an_article_fitting_two_stories_merges_them_incrementally_as_in_a_full_rebuild(merging, store_target, tmp_path):
    from dateline.merge.articles import decide, sketch

    decisions = decide(sketch(an, a.id) for a, an in merging.values())
    assert decisions["bbc-1"][0] == "bbc-1" and decisions["rt-1"][1]  # two stories, then a merge
    assert decisions["up-1"] == ("bbc-1", ())  # joins one part of the merged story, fits only that one
    with Store.open(store_target) as store:
        for key in merging:
            store.add(*merging[key])
        rebuild_stories(store, full=True)
        full = stored_stories(store)
    strike = next(s for s in full if "ap-1" in s["articles"])
    assert set(strike["articles"]) == {"ap-1", "bbc-1", "ki-1", "rt-1", "up-1"}
    keys = list(merging)
    # up-1 last: a story merged before gets one more article, which alone would not merge it
    orders = [[[k] for k in keys], [[k] for k in reversed(keys)], [[k] for k in ("rt-1", "ki-1", "rt-2", "bbc-1", "ap-1", "up-1")],
              [["rt-1", "rt-2"], ["ap-1"], ["ki-1", "bbc-1"], ["up-1"]], [["ki-1", "up-1"], ["rt-1", "ap-1"], ["bbc-1"], ["rt-2"]]]
    for n, batches in enumerate(orders):
        assert add_in_batches(str(tmp_path / f"{n}.db"), merging, batches) == full, batches


def test_unrelated_articles_leave_stories_untouched(store_target, analysed):
    with Store.open(store_target) as store:
        for key in ("ki-1", "rt-1", "bbc-1"):
            store.add(*analysed[key])
        rebuild_stories(store)
        before = stored_stories(store)
        store.add(*analysed["porto-election"])
        rebuild_stories(store)
        after = stored_stories(store)
        assert [s for s in after if s in before] == before  # unchanged, same ids
        assert len(after) > len(before)
        assert rebuild_stories(store) == len(after)  # nothing new: nothing changes


def test_a_large_story_lists_every_article_at_once_and_its_record_is_remade_outside_the_update(
        store_target, analysed, monkeypatch, capsys):
    from dateline.merge.articles import settings

    # as a story of hundreds of articles would, with a story of three: an
    # article joining it leaves its record stale, remade by `stories --refresh`
    monkeypatch.setitem(settings(), "record_exact_below", 3)
    with Store.open(store_target) as store:
        for key in ("bbc-1", "rt-1", "ki-1"):  # one at a time, each into the story bbc-1 began
            store.add(*analysed[key])
            rebuild_stories(store)
        strike, = [s for s in store.stories() if s["type"] == "ASSAULT"]
        story = store.story(strike["id"])
        assert story["articles"] == ["bbc-1", "ki-1", "rt-1"]  # the articles are always all there
        assert sorted(story["outlets"]) == ["BBC", "Reuters"]  # the record: made with two of them
        assert story["record_stale"] and story["record_articles"] == 2  # and says so
        store.add(*analysed["rt-2"])  # the strike a week later: a story of its own, small, made at once
        rebuild_stories(store)
        assert sorted(store.story(strike["id"])["outlets"]) == ["BBC", "Reuters"]
        week_later, = [s for s in stored_stories(store) if "rt-2" in s["articles"]]
        assert not week_later["record_stale"]
        # a record made from other articles than the story holds now is not stored
        assert not store.refresh_record(strike["id"], ["bbc-1", "rt-1"], store.story(strike["id"]))
        assert store.story(strike["id"])["record_stale"]
    assert main(["stories", "--refresh", "--db", str(store_target)]) == 0
    assert "1 story records remade" in capsys.readouterr().err
    with Store.open(store_target) as store:
        story = store.story(strike["id"])
        assert sorted(story["outlets"]) == ["BBC", "Kyiv Independent", "Reuters"] and story["conflicts"] == ["killed"]
        assert not story["record_stale"] and story["record_articles"] == 3
        refreshed = stored_stories(store)
        rebuild_stories(store, full=True)
        assert stored_stories(store) == refreshed


def test_an_ingest_ends_by_remaking_the_large_stories_records_grown_by_an_eighth(tmp_path, monkeypatch, capsys):
    from dateline.merge.articles import settings

    monkeypatch.setitem(settings(), "record_exact_below", 2)  # every story of two or more is large
    db = str(tmp_path / "s.db")
    for n, articles in enumerate([KYIV_STRIKE[:2], KYIV_STRIKE[2:]]):
        path = tmp_path / f"{n}.jsonl"
        path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
        assert main(["ingest", str(path), "--db", db, "--no-progress", "--workers", "1"]) == 0
    with Store.open(db, readonly=True) as store:
        story, = [s for s in stored_stories(store) if "ki-1" in s["articles"]]
    assert story["articles"] == ["bbc-1", "ki-1", "rt-1"] and not story["record_stale"]
    assert sorted(story["outlets"]) == ["BBC", "Kyiv Independent", "Reuters"] and story["conflicts"] == ["killed"]


def test_merged_large_stories_carry_a_stale_record_until_refreshed_as_in_a_full_rebuild(
        merging, store_target, tmp_path, monkeypatch):
    from dateline.merge.articles import settings
    from dateline.store.ingest import refresh_stories

    with Store.open(store_target) as store:
        for key in merging:
            store.add(*merging[key])
        rebuild_stories(store, full=True)
        full = stored_stories(store)
    monkeypatch.setitem(settings(), "record_exact_below", 2)  # every story of two or more is large
    keys = list(merging)
    for n, batches in enumerate([[[k] for k in keys], [["rt-1", "rt-2"], ["ap-1"], ["ki-1", "bbc-1"], ["up-1"]]]):
        with Store.open(str(tmp_path / f"{n}.db")) as store:
            for batch in batches:
                for key in batch:
                    store.add(*merging[key])
                rebuild_stories(store)
                assert all(s["record_articles"] == len(s["articles"]) or s["record_stale"]
                           for s in stored_stories(store))  # a record that lags says so
            lagging = stored_stories(store)
            assert [s["articles"] for s in lagging] == [s["articles"] for s in full]  # membership: always exact
            assert any(s["record_stale"] for s in lagging)
            assert refresh_stories(store) == sum(s["record_stale"] for s in lagging)
            assert stored_stories(store) == full, batches


def test_identical_reprint_at_another_outlet_is_a_copy_that_does_not_corroborate(store_target):
    rt = Article(**KYIV_STRIKE[1])
    yahoo = rt.model_copy(update={"id": "yahoo-1", "source": "Yahoo News", "url": "https://yahoo.example/1"})
    msn = rt.model_copy(update={"id": "msn-1", "source": "MSN", "published": "2025-06-11"})
    with Store.open(store_target) as store:
        first = ingest(store, [rt, Article(**KYIV_STRIKE[0]), msn])  # msn: a reprint within the same run
        assert (first.added, first.near_duplicates) == (3, 1)
        second = ingest(store, [yahoo])
        assert (second.added, second.near_duplicates) == (1, 1)
        rebuild_stories(store)
        for copy in ("yahoo-1", "msn-1"):
            row = store.article(copy)
            assert row["duplicate_of"] == "rt-1"
            # the original's analysis, re-keyed to the copy
            assert [(e["type"], e["killed"], e["summary"]) for e in store.events(article_id=copy)] == \
                [(e["type"], e["killed"], e["summary"]) for e in store.events(article_id="rt-1")]
        assert store.events(article_id="msn-1")[0]["published"] == "2025-06-11"
        story = next(store.story(s["id"]) for s in store.stories() if s["type"] == "ASSAULT")
        assert {r["article_id"] for r in story["evidence"]} == {"rt-1", "ki-1", "yahoo-1", "msn-1"}
        assert {r["outlet"] for r in story["evidence"] if r["duplicate_of"] == "rt-1"} == {"Yahoo News", "MSN"}
        assert story["corroboration"] == 2 and sorted(story["outlets"]) == ["Kyiv Independent", "Reuters"]
        counts = (store.count("articles"), store.count("events"), store.count("stories"))
        again = ingest(store, [rt, yahoo, msn, rt.model_copy(update={"id": "rt-1-again"})])
        assert again.added == 0 and again.skipped == 4
        rebuild_stories(store)
        assert (store.count("articles"), store.count("events"), store.count("stories")) == counts


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{outlet}</title><link>https://example.org/</link>{items}</channel></rss>"""
ITEM = """<item><title>{title}</title><link>https://example.org/{id}</link><guid>https://example.org/{id}</guid>
<description><![CDATA[{text}]]></description></item>"""


def test_gold_articles_twice_and_a_feed_repeating_them_leave_each_article_and_event_once(
        shared, store_target, tmp_path, capsys):
    folder = tmp_path / "gold"
    folder.mkdir()
    by_outlet = {}
    for path in sorted((shared / "gold" / "dev").glob("*.json")):
        key = json.loads(path.read_text(encoding="utf-8"))
        record = {k: key.get(k) for k in ("id", "title", "source", "url", "published", "text")}
        (folder / f"{path.stem}.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
        by_outlet.setdefault(record["source"], []).append(record)
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for n, (outlet, records) in enumerate(sorted(by_outlet.items())):  # a feed is one outlet
        items = "".join(ITEM.format(title=html.escape(r["title"] or ""), id=f"{n}-{i}", text=r["text"])
                        for i, r in enumerate(records))
        (feeds / f"{n}.rss").write_text(RSS.format(outlet=html.escape(outlet), items=items), encoding="utf-8")

    def totals():
        with Store.open(store_target, readonly=True) as store:
            return {t: store.count(t) for t in ("articles", "events", "quotes", "stories", "story_events")}

    assert main(["ingest", str(folder), "--db", store_target, "--no-progress", "--workers", "1"]) == 0
    first = totals()
    assert first["articles"] == len(list(folder.iterdir())) and first["events"] == first["story_events"] > 0
    assert main(["ingest", str(folder), str(feeds), "--db", store_target, "--no-progress", "--workers", "1"]) == 0
    assert "0 articles added" in capsys.readouterr().err
    assert totals() == first
    with Store.open(store_target) as store:
        incremental = stored_stories(store)
        assert len(incremental) == first["stories"]
    assert main(["stories", "--rebuild", "--db", store_target]) == 0
    with Store.open(store_target) as store:
        assert stored_stories(store) == incremental


def test_an_ingest_without_stories_is_caught_up_by_the_next(tmp_path, capsys):
    db = str(tmp_path / "c.db")
    assert main(["ingest", str(SAMPLES / "batch.jsonl"), "--db", db, "--no-stories", "--no-progress", "--workers", "1"]) == 0
    with Store.open(db, readonly=True) as store:
        assert store.count("events") > 0 and store.count("stories") == 0
    assert main(["ingest", str(SAMPLES / "flood.txt"), "--db", db, "--no-progress", "--workers", "1"]) == 0
    with Store.open(db, readonly=True) as store:
        assert store.count("story_events") == store.count("events")
        caught_up = stored_stories(store)
    assert main(["stories", "--rebuild", "--db", db]) == 0
    with Store.open(db, readonly=True) as store:
        assert stored_stories(store) == caught_up
    capsys.readouterr()
    assert main(["stories", "--rebuild", "--db", str(tmp_path / "missing.db")]) == 2
    err = capsys.readouterr().err
    assert "no such store" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "missing.db").exists()


def test_stories_stored_before_their_headline_columns_get_them_from_their_json(store_target):
    story = {"id": "story-old", "type": "AID", "summary": "Aid arrived.", "headline": "Aid reaches the port",
             "date": "2020-01-01", "date_precision": "year", "place": {"name": "Odesa", "lat": 46.48, "lon": 30.72},
             "evidence": [{"article_id": "a", "event_index": 0, "event": {"confidence": 0.3}},
                          {"article_id": "b", "event_index": 0, "event": {"confidence": 0.7}}], "articles": ["a", "b"]}
    with Store.open(store_target) as store:
        store.replace_stories([story, {"id": "story-bare", "summary": "No event.", "articles": ["c"]}])
        with store.transaction():  # the store as it was before migration 5
            for column in ("headline", "date_precision", "confidence", "lat", "lon"):
                store.conn.execute(f"ALTER TABLE stories DROP COLUMN {column}")
            store.conn.execute("DELETE FROM schema_migrations WHERE version = 5")
    with Store.open(store_target) as store:  # opened for writing: migrated
        rows = {r["id"]: r for r in store.stories()}
        kept = {r["id"] for r in store.stories(min_confidence=0.5)}
    old = rows["story-old"]
    assert (old["headline"], old["date_precision"], old["confidence"], old["lat"], old["lon"]) == \
        ("Aid reaches the port", "year", 0.7, 46.48, 30.72)
    assert rows["story-bare"]["confidence"] == 0.5 and kept == {"story-old", "story-bare"}
