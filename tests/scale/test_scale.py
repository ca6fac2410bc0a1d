"""Parallel ingest: a pool of processes on one machine and a real Dask
LocalCluster with two workers give exactly the store a single process gives;
a Dask ingest killed half-way and run again stores every article once."""

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import dateline
from dateline.cli import main
from dateline.ingest import InputError
from dateline.model import Article
from dateline.scale import partitions
from dateline.scale.pool import analyze_in_order
from dateline.store import Store
from dateline.store.ingest import expand, read_inputs
from sample_data import SAMPLES, sample_articles

ROOT = Path(__file__).resolve().parents[2]


def variants(n: int, prefix: str = "v") -> list[dict]:
    """n articles made from the samples, each with its own opening line: many
    are near-copies of each other, so the order of storing decides which one
    is the original."""
    base = sample_articles()
    return [{"id": f"{prefix}-{i:03d}", "source": f"Outlet {i % 5}", "published": base[i % len(base)].published,
             "text": f"Bulletin {i}: the desk filed report {i * 13 % 997}.\n" + base[i % len(base)].text}
            for i in range(n)]


def write_warc(path: Path, articles: list[dict]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for a in articles:
            paragraphs = "".join(f"<p>{p}</p>" for p in a["text"].split("\n") if p.strip())
            html = f"<html><head><title>{a['id']}</title></head><body><article>{paragraphs}</article></body></html>"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://example.org/{a['id']}", "response",
                                                          payload=io.BytesIO(html.encode()), http_headers=headers))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Samples, a JSONL batch with a bad line, and a WARC file."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in SAMPLES.iterdir():
        if path.suffix in (".txt", ".html", ".jsonl"):
            (folder / path.name).write_bytes(path.read_bytes())
    lines = [json.dumps(a) for a in variants(14)]
    lines.insert(5, "{not json")
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_warc(folder / "crawl.warc.gz", variants(6, prefix="w"))
    return folder


def store_rows(db) -> dict:
    """Every row of the store's tables, in storage order, without timestamps."""
    conn = sqlite3.connect(db)
    tables = ("articles", "analyses", "entities", "places", "quotes", "events", "stories", "story_events", "article_bands")
    out = {}
    for table in tables:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "ingested_at"]
        out[table] = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid").fetchall()
    conn.close()
    return out


def ingest_cli(capsys, corpus, db, *options):
    code = main(["ingest", str(corpus), "--db", str(db), "--no-progress", *options])
    err = capsys.readouterr().err
    return code, err


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory):
    """The store a single process makes of the corpus."""
    db = tmp_path_factory.mktemp("single") / "one.db"
    code = main(["ingest", str(corpus), "--db", str(db), "--no-progress", "--workers", "1"])
    assert code == 1  # the bad JSONL line
    return store_rows(db)


# One machine ------------------------------------------------------------------

def test_pool_keeps_input_order_and_passes_read_errors_through():
    articles = [Article.model_validate(a) for a in variants(10)]
    records = articles[:3] + [InputError("unreadable", id="bad")] + articles[3:]
    single = list(dateline.analyze_many(articles))
    results = list(analyze_in_order(records, 2, batch=2))
    assert isinstance(results[3], InputError) and results[3].id == "bad"
    assert [r.model_dump() for r in results if not isinstance(r, InputError)] == [a.model_dump() for a in single]


def test_a_worker_killed_by_an_article_costs_only_that_article():
    from dateline.analyze.pipeline import DEFAULT_COMPONENTS, register

    @register("exit_on_poison")
    def exit_on_poison(state):  # stands for a crash in native code: the process is gone at once
        if "POISON" in state.article.text:
            os._exit(1)

    articles = [Article.model_validate(a) for a in variants(6)]
    poison = Article(id="poison", text="POISON. " + articles[0].text)
    results = list(analyze_in_order(articles[:3] + [poison] + articles[3:], 2, batch=2,
                                    components=DEFAULT_COMPONENTS + ("exit_on_poison",)))
    assert isinstance(results[3], InputError) and results[3].id == "poison" and "died" in str(results[3])
    good = [r for r in results if not isinstance(r, InputError)]
    assert [r.model_dump() for r in good] == [a.model_dump() for a in dateline.analyze_many(articles)]


def test_workers_leave_when_the_ingest_is_killed(tmp_path):
    psutil = pytest.importorskip("psutil")
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(a) for a in variants(200)) + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "dateline", "ingest", str(folder), "--db", str(tmp_path / "m.db"),
                             "--workers", "2", "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    while len(parent.children()) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    workers = parent.children()
    assert len(workers) >= 2
    proc.kill()
    proc.wait()

    def gone(p):
        try:
            return p.status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    deadline = time.monotonic() + 30
    while not all(gone(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(gone(p) for p in workers)


def test_two_workers_store_what_one_process_stores(corpus, single, tmp_path, capsys):
    code, err = ingest_cli(capsys, corpus, tmp_path / "two.db", "--workers", "2")
    assert code == 1 and "1 failed" in err and "line 6" in err
    assert store_rows(tmp_path / "two.db") == single


# Dask ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_partitions_read_exactly_what_the_whole_files_give(corpus):
    files = expand([str(corpus)])
    parts = partitions.split(files, size=4)
    ranges = [p for p in parts if p.pieces[0].stop is not None]
    assert {Path(p.pieces[0].path).name for p in ranges} == {"wire.jsonl", "crawl.warc.gz"}

    def plain(records):
        return [r.model_dump() if isinstance(r, Article) else str(r) for r in records]

    whole = plain(read_inputs(files))
    assert plain(r for p in parts for r in partitions.read(p, 2**20)) == whole


def test_dask_local_cluster_stores_what_one_process_stores(corpus, single, dask_client, tmp_path):
    from dateline.store.dask_ingest import ingest_on_dask

    with Store.open(tmp_path / "dask.db") as store:
        stats = ingest_on_dask(store, expand([str(corpus)]), dask_client, partition=4)
        from dateline.store.ingest import rebuild_stories

        rebuild_stories(store)
    assert stats.failed == 1 and "line 6" in str(stats.errors[0])
    assert store_rows(tmp_path / "dask.db") == single


def test_dask_ingest_run_again_skips_finished_partitions_on_every_backend(corpus, single, dask_client, store_target):
    from dateline.store.dask_ingest import ingest_on_dask

    files = expand([str(corpus)])
    with Store.open(store_target) as store:
        first = ingest_on_dask(store, files, dask_client, partition=4)
        reports = []
        again = ingest_on_dask(store, files, dask_client, partition=4,
                               on_result=lambda kind, item: reports.append((kind, item)))
        ids = [row["id"] for row in store.articles()]
        events = store.count("events")
    assert (first.added, first.failed) == (len(single["articles"]), 1)
    assert ids == [row[0] for row in single["articles"]] and events == len(single["events"])
    # Every partition was finished, the one with the unreadable line too: nothing is read again.
    assert (again.added, again.skipped, again.failed) == (0, first.added + first.skipped, 0)
    assert reports == [("skipped", None)] * again.skipped


def test_dask_ingest_killed_and_run_again_stores_every_article_once(dask_client, tmp_path, capsys):
    folder = tmp_path / "big"
    folder.mkdir()
    articles = variants(60, prefix="k")
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    db = tmp_path / "k.db"
    address = dask_client.scheduler.address
    proc = subprocess.Popen([sys.executable, "-m", "dateline", "ingest", str(folder), "--db", str(db), "--dask", address,
                             "--partition-size", "5", "--no-progress", "--no-stories"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except sqlite3.Error:  # not created yet
            stored = 0
        if stored >= 12:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    conn = sqlite3.connect(db)
    cut_short = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    finished = conn.execute("SELECT COUNT(*) FROM ingest_partitions").fetchone()[0]
    conn.close()
    assert 12 <= cut_short < len(articles) and finished >= 1

    from dateline.store.dask_ingest import ingest_on_dask

    reports = []
    with Store.open(db) as store:
        stats = ingest_on_dask(store, expand([str(folder)]), dask_client, partition=5,
                               on_result=lambda kind, item: reports.append((kind, item)))
    assert (stats.added, stats.skipped, stats.failed) == (len(articles) - cut_short, cut_short, 0)
    # The partitions finished before the kill were skipped unread.
    assert sum(1 for kind, item in reports if kind == "skipped" and item is None) == 5 * finished
    conn = sqlite3.connect(db)
    assert sorted(r[0] for r in conn.execute("SELECT id FROM articles")) == sorted(a["id"] for a in articles)
    assert conn.execute("SELECT COUNT(*) FROM analyses").fetchone()[0] == len(articles)
    assert conn.execute("SELECT COUNT(*) FROM (SELECT article_id, idx FROM events GROUP BY 1, 2 HAVING COUNT(*) > 1)"
                        ).fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM ingest_partitions").fetchone()[0] == len(articles) // 5


def test_dask_without_a_scheduler_is_one_line_and_exit_2(tmp_path, capsys):
    code = main(["ingest", str(SAMPLES), "--db", str(tmp_path / "x.db"), "--dask", "tcp://127.0.0.1:9", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("dateline: error: cannot reach the Dask scheduler") and "Traceback" not in err
