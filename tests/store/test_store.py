"""The corpus store: schema, idempotent adds, near-copies, queries, exports,
feeds and WARC; on SQLite and on PostgreSQL (see store_backends.py)."""

import csv
import io
import json
import sqlite3
import threading
from pathlib import Path

import pytest

import dateline
from dateline import export, query
from dateline.ingest import InputError, dedup, read_path
from dateline.ingest.feeds import read_feed_file
from dateline.ingest.fetch import check_host
from dateline.model import Article
from dateline.store import Store, StoreError, is_postgres
from dateline.store.ingest import ingest, read_inputs, rebuild_stories
from store_backends import new_target

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def sample_articles():
    out = []
    for name in ("court.txt", "flood.txt", "drone-strike.html", "batch.jsonl"):
        out += [r for r in read_path(SAMPLES / name) if isinstance(r, Article)]
    return out


@pytest.fixture(scope="module")
def filled(module_store_target):
    path = module_store_target
    with Store.open(path) as store:
        stats = ingest(store, sample_articles())
        rebuild_stories(store)
    return path, stats


def test_schema_is_migrated_once_and_plain_sqlite(tmp_path):
    path = tmp_path / "s.db"
    Store.open(path).close()
    with Store.open(path) as store:  # re-opening applies nothing new
        assert store.migrate() == []
        assert store.schema_version() >= 1
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"articles", "analyses", "entities", "places", "quotes", "events", "stories", "story_events",
            "schema_migrations", "articles_fts", "quotes_fts"} <= tables
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cols = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    assert {"id", "title", "source", "url", "published", "language", "text", "content_hash", "signature",
            "duplicate_of"} <= cols


def test_ingest_is_idempotent(filled):
    path, stats = filled
    assert stats.added == 6 and stats.failed == 0
    with Store.open(path) as store:
        events, quotes = store.count("events"), store.count("quotes")
        again = ingest(store, sample_articles())
        assert again.added == 0 and again.skipped == 6
        assert (store.count("articles"), store.count("events"), store.count("quotes")) == (6, events, quotes)
        assert store.integrity_check() == "ok"


def test_same_text_from_the_same_outlet_under_another_id_is_skipped(filled, tmp_path):
    path, _ = filled
    with Store.open(path) as store:
        stored = store.article("porto-election")
        text = stored["text"]
        assert store.has(dedup.content_hash("  " + text.upper() + "\n"))
        stats = ingest(store, [Article(id="other-id", source=stored["source"], text=text),
                               Article(id="www-id", source="The " + stored["source"].upper(), text=text)])
        assert stats.skipped == 2 and not store.has("other-id") and not store.has("www-id")


def test_near_copy_is_linked_not_independent(store_target):
    text = (SAMPLES / "court.txt").read_text(encoding="utf-8")
    sentences = text.split(". ")
    copy = text.replace(sentences[3], "The hearing was adjourned until next week, officials confirmed to reporters")
    assert copy != text
    with Store.open(store_target) as store:
        stats = ingest(store, [Article(id="orig", source="Lakeside Times", text=text),
                               Article(id="copy", source="Wire Mirror", text=copy),
                               Article(id="other", source="X", text=(SAMPLES / "flood.txt").read_text())])
        assert stats.added == 3 and stats.near_duplicates == 1
        assert store.article("copy")["duplicate_of"] == "orig"
        assert store.article("other")["duplicate_of"] is None
        assert store.duplicates() == {"copy": "orig"}
        all_events = store.events()
        independent = store.events(include_duplicates=False)
        assert {e["article_id"] for e in independent} <= {"orig", "other"}
        assert len(independent) < len(all_events)


def test_queries_return_what_was_stored(filled):
    path, _ = filled
    with Store.open(path) as store:
        analyses = {a.article.id: a for a in store.analyses()}
    assert set(analyses) == {a.id for a in sample_articles()}
    events = query.events(path)
    assert len(events) == sum(len(a.events) for a in analyses.values())
    first = next(a for a in analyses.values() if a.events)
    e = first.events[0]
    rows = query.events(path, type=e.type, article_id=first.article.id)
    assert any(r["summary"] == e.summary and r["actor"] == e.actor for r in rows)
    if e.country:
        assert all(r["country"] == e.country for r in query.events(path, country=e.country.lower()))
    located = next(r for r in events if r["location"])
    assert located in query.events(path, place=located["location"].upper())
    dated = [r for r in events if r["date"]]
    since = sorted(r["date"] for r in dated)[len(dated) // 2]
    assert all(r["date"] >= since for r in query.events(path, since=since))

    quote = next(q for a in analyses.values() for q in a.quotes if q.speaker and " " in q.speaker)
    surname = quote.speaker.split()[-1]
    found = query.quotes(path, speaker=surname)
    assert any(q["content"] == quote.content for q in found)
    assert all(surname.lower() in q["speaker"].lower() for q in found)

    hits = query.search(path, "fuel levy")
    assert any(h["id"] == "court" for h in hits["articles"])
    assert query.search(path, 'unbalanced "quote (')["articles"] == []  # bad FTS syntax: no error
    stories = query.stories(path)
    assert stories and query.story(path, stories[0]["id"])["evidence"]


def test_replace_stories_takes_plain_dicts(store_target):
    with Store.open(store_target) as store:
        n = store.replace_stories([{"id": "s1", "type": "ASSAULT", "summary": "x", "outlets": ["A", "B"],
                                    "corroboration": 2, "evidence": [{"article_id": "a", "event_index": 0}]}])
        assert n == 1 and store.stories()[0]["outlets"] == ["A", "B"]
        assert store.count("story_events") == 1
        store.replace_stories([])
        assert store.count("stories") == 0


def test_exports_parse_with_their_columns(filled):
    path, _ = filled
    rows = query.events(path)
    assert rows

    out = io.StringIO()
    assert export.write(rows, "jsonl", out) == len(rows)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {"event_id", "type", "date", "location", "country", "article_id", "source"} <= set(lines[0])

    out = io.StringIO()
    export.write(rows, "csv", out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(table) == len(rows)
    for col in ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "location",
                "latitude", "longitude", "geo_precision", "source", "notes", "fatalities"):
        assert col in table[0]
    acled_types = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                   "Strategic developments"}
    assert {r["event_type"] for r in table} <= acled_types

    out = io.StringIO()
    n = export.write(rows, "geojson", out)
    fc = json.loads(out.getvalue())
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == n
    assert n == sum(1 for r in rows if r["lat"] is not None)
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90

    out = io.StringIO()
    export.write(rows, "plover", out)
    records = json.loads(out.getvalue())
    assert len(records) == len(rows)
    assert {"id", "date", "event", "mode", "actor", "recipient", "location", "text"} <= set(records[0])


def test_acled_mapping_uses_mode():
    assert export.acled_type("ASSAULT", "drone") == ("Explosions/Remote violence", "Air/drone strike")
    assert export.acled_type("PROTEST", "riot")[0] == "Riots"
    assert export.acled_type("COERCE", "arrest") == ("Strategic developments", "Arrests")
    assert export.acled_type("CONSULT", None) == ("Strategic developments", "Other")


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{outlet}</title><link>https://example.org/</link>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>https://example.org/{id}</link><guid>https://example.org/{id}</guid>
<pubDate>Mon, 29 Sep 2025 10:00:00 GMT</pubDate><description><![CDATA[{text}]]></description></item>"""


def write_feed(path, articles, outlet="Repeat Wire"):
    import html

    items = "\n".join(ITEM.format(title=html.escape(a.title or "t"), id=f"feed-{i}", text=a.text)
                      for i, a in enumerate(articles))
    path.write_text(RSS.format(outlet=html.escape(outlet), items=items), encoding="utf-8")


def test_feed_repeating_stored_articles_adds_nothing(filled, tmp_path):
    path, _ = filled
    by_outlet = {}
    for a in sample_articles():  # a feed is one outlet: one feed per outlet of the articles
        by_outlet.setdefault(a.source or "Repeat Wire", []).append(a)
    feeds = []
    for n, (outlet, articles) in enumerate(sorted(by_outlet.items())):
        feeds.append(tmp_path / f"wire{n}.rss")
        write_feed(feeds[-1], articles, outlet)
    records = [r for f in feeds for r in read_feed_file(f)]
    assert all(isinstance(r, Article) for r in records) and len(records) == 6
    assert {r.published for r in records} == {"2025-09-29"}
    with Store.open(path) as store:
        before = store.count("articles")
        stats = ingest(store, read_inputs([str(f) for f in feeds]))
        assert stats.added == 0 and stats.skipped == 6 and store.count("articles") == before


def test_urls_need_fetch_and_refuse_private_addresses():
    records = list(read_inputs(["http://127.0.0.1/feed.xml"]))
    assert isinstance(records[0], InputError) and "--fetch" in str(records[0])
    for url in ("http://127.0.0.1/x", "http://localhost/x", "http://10.0.0.1/x", "http://[::1]/x", "ftp://x/y"):
        with pytest.raises(InputError):
            check_host(url)
    records = list(read_inputs(["http://127.0.0.1:9/feed.xml"], fetch_urls=True))
    assert "private or local" in str(records[0])


def test_warc_html_responses_become_articles(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (SAMPLES / "drone-strike.html").read_bytes()
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for uri, ctype, body in (("https://example.org/strike", "text/html; charset=utf-8", page),
                                 ("https://example.org/logo.png", "image/png", b"\x89PNG....")):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    records = list(read_inputs([str(path)]))
    assert len(records) == 1 and isinstance(records[0], Article)
    assert records[0].url == "https://example.org/strike" and "Kharkiv" in records[0].text


def test_minhash_estimates_similarity():
    a = (SAMPLES / "court.txt").read_text()
    b = (SAMPLES / "flood.txt").read_text()
    assert dedup.similarity(dedup.minhash(a), dedup.minhash(a)) == 1.0
    assert dedup.similarity(dedup.minhash(a), dedup.minhash(b)) < 0.2
    assert dedup.minhash("") is None


def test_postgres_schema_is_migrated_once(pg_server):
    import psycopg
    from store_backends import pg_database

    with pg_database(pg_server) as url:
        with Store.open(url) as store:
            assert type(store).__name__ == "PostgresStore"
            assert store.migrate() == [] and store.schema_version() >= 1
        with psycopg.connect(url) as conn:
            tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
            indexes = {r[0] for r in conn.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'articles'")}
        assert {"articles", "analyses", "entities", "places", "quotes", "events", "stories", "story_events",
                "schema_migrations"} <= tables
        assert any("gin" in i.lower() for i in indexes)  # full-text search is indexed


def test_postgres_store_errors_are_one_line(pg_server):
    from store_backends import pg_database, with_database

    with pytest.raises(StoreError, match="no such store"):
        with pg_database(pg_server) as url:
            Store.open(url, readonly=True)
    missing = with_database(pg_server, "no_such_db")
    for secret in (missing.replace("://", "://someone:s3cret@", 1), missing + "?password=s3cret"):
        with pytest.raises(StoreError) as err:
            Store.open(secret)
        assert "cannot open the store" in str(err.value) and "s3cret" not in str(err.value)
        assert "\n" not in str(err.value)


def test_several_writers_store_each_article_once(filled, tmp_path, request):
    """Four writers add the same articles at once: each is stored once, the
    others are told it is already stored, and a near-copy still finds its original."""
    with Store.open(filled[0]) as source:
        analyses = list(source.analyses())
    court = next(a for a in analyses if a.article.id == "court")
    sentences = court.article.text.split(". ")
    copy = Article(id="court-copy", source="Wire Mirror",
                   text=court.article.text.replace(sentences[3], "The hearing was adjourned until next week"))
    work = [(a.article, a) for a in analyses]
    outcome = {"added": 0, "refused": 0, "errors": []}
    lock = threading.Lock()

    def writer(order):
        try:
            with Store.open(store_target) as store:
                for article, analysis in order:
                    try:
                        store.add(article, analysis)
                        kind = "added"
                    except StoreError:
                        kind = "refused"
                    with lock:
                        outcome[kind] += 1
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcome["errors"].append(repr(exc))

    # every writer has tried the original before it comes to the copy
    orders = [work[i:] + work[:i] + [(copy, None)] for i in range(4)]
    backend = "postgresql" if is_postgres(filled[0]) else "sqlite"
    with new_target(backend, tmp_path, request) as store_target:
        threads = [threading.Thread(target=writer, args=(order,)) for order in orders]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert outcome["errors"] == []
        assert outcome["added"] == len(work) + 1 and outcome["refused"] == 3 * (len(work) + 1)
        with Store.open(store_target) as store:
            assert store.count("articles") == len(work) + 1
            assert store.count("events") == sum(len(a.events) for a in analyses)
            assert store.duplicates() == {"court-copy": "court"}
            assert store.integrity_check() == "ok"


def test_text_postgres_cannot_hold_is_stored(store_target):
    """PostgreSQL text cannot hold NUL: it is stored as U+FFFD, so offsets still hold."""
    text = "Officials said the bridge\x00 at Nowhere was closed on Monday after the storm."
    with Store.open(store_target) as store:
        store.add(Article(id="nul", text=text))
        stored = store.article("nul")["text"]
    assert len(stored) == len(text) and stored.replace("\ufffd", "\x00") == text


def test_both_backends_answer_alike(pg_server, tmp_path):
    """The same articles stored in SQLite and in PostgreSQL give the same rows, in the same order."""
    from store_backends import pg_database

    analyses = list(dateline.analyze_many(sample_articles()))
    with pg_database(pg_server) as url:
        answers = []
        for target in (str(tmp_path / "same.db"), url):
            with Store.open(target) as store:
                for a in analyses:
                    store.add(a.article, a)
                rebuild_stories(store)
                # an identical reprint elsewhere: a copy, merged into the stories incrementally
                court = next(a.article for a in analyses if a.article.id == "court")
                ingest(store, [Article(id="court-reprint", source="Harbour Herald", text=court.text)])
                rebuild_stories(store)
                place = next(e["location"] for e in store.events() if e["location"])
                answers.append({
                    "events": store.events(), "newest events": store.events(newest_first=True, limit=5),
                    "place": store.events(place=place.lower()), "quotes": store.quotes(),
                    "newest quotes": store.quotes(newest_first=True, limit=5), "stories": store.stories(),
                    "entities": store.entities(), "places": store.places(), "articles": list(store.articles()),
                    "speaker": store.quotes(speaker="Girard"), "duplicates": store.duplicates(),
                    "same text": store.same_text(court.text), "unmerged": store.unmerged_articles(),
                    "reprinted in": [s["id"] for s in store.stories() if "court-reprint" in store.story(s["id"])["articles"]],
                    "search ids": [h["id"] for h in store.search("fuel levy")["articles"]],
                })
    lite, post = answers
    for answer in answers:  # when each store took the article in is its own
        for key in ("events", "newest events", "place"):
            for row in answer[key]:
                row.pop("ingested_at", None)
    assert lite["duplicates"] == {"court-reprint": "court"}
    # the copy joins its original's story, whose outlets name the original's outlet once for both
    reprinted, = lite["reprinted in"]
    assert "Harbour Herald" not in next(s for s in lite["stories"] if s["id"] == reprinted)["outlets"]
    for key in lite:
        assert lite[key] == post[key], key


def test_writers_opening_a_new_store_at_once_migrate_it_once(store_target):
    errors, versions = [], []

    def opener():
        try:
            with Store.open(store_target) as store:
                versions.append(store.schema_version())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(set(versions)) == 1 and versions[0] >= 1
    with Store.open(store_target) as store:
        rows = store.conn.execute("SELECT version, COUNT(*) FROM schema_migrations GROUP BY version").fetchall()
    assert all(r[1] == 1 for r in rows) and max(r[0] for r in rows) == versions[0]


def test_postgres_connection_lost_mid_article_stores_nothing(pg_server):
    """A writer whose connection dies inside an `add` leaves no half-written
    article, and says so in one line."""
    from dateline.store import StoreUnavailable
    from store_backends import pg_database

    with pg_database(pg_server) as url, Store.open(url) as writer, Store.open(url) as other:
        pid = writer.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        with pytest.raises(StoreUnavailable) as err:
            with writer.transaction():
                writer.conn.execute("INSERT INTO articles(id, text, content_hash) VALUES (?, ?, ?)",
                                    ("half", "Half an article.", "h"))
                other.conn.execute("SELECT pg_terminate_backend(?)", (pid,))
                writer.conn.execute("INSERT INTO analyses(article_id, json) VALUES (?, ?)", ("half", "{}"))
        assert "lost the connection" in str(err.value) and "\n" not in str(err.value)
        assert not other.has("half") and other.count("articles") == 0


def test_migration_versions_are_unique_and_alike_on_both_backends():
    from dateline.store.base import migrations

    sqlite = [v for v, _, _ in migrations()]
    postgres = [v for v, _, _ in migrations("migrations/postgres")]
    assert len(set(sqlite)) == len(sqlite) and len(set(postgres)) == len(postgres)
    assert sqlite == postgres == list(range(1, len(sqlite) + 1))
