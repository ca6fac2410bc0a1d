"""The corpus commands end to end: ingest (twice, interrupted), events, quotes, search, stories, export;
on SQLite and on PostgreSQL (see store_backends.py)."""

import csv
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

from dateline.cli import main
from dateline.store import Store, is_postgres
from store_backends import with_database

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def counts(db):
    with Store.open(db, readonly=True) as store:
        return {t: store.count(t) for t in ("articles", "events", "quotes")}


def write_gold_articles(shared, folder):
    folder.mkdir()
    n = 0
    for path in sorted((shared / "gold" / "dev").glob("*.json")):
        key = json.loads(path.read_text(encoding="utf-8"))
        record = {k: key.get(k) for k in ("id", "title", "source", "url", "published", "text")}
        (folder / f"{path.stem}.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
        n += 1
    return n


def test_ingest_gold_twice_stores_each_once(shared, tmp_path, capsys):
    n = write_gold_articles(shared, tmp_path / "gold")
    db = str(tmp_path / "c.db")
    code, _, err = run(capsys, "ingest", str(tmp_path / "gold"), "--db", db, "--no-progress")
    assert code == 0, err
    first = counts(db)
    assert first["articles"] == n and first["events"] > 0
    code, _, err = run(capsys, "ingest", str(tmp_path / "gold"), "--db", db)
    assert code == 0 and f"{n} already stored" in err
    assert counts(db) == first
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM (SELECT article_id, idx FROM events GROUP BY 1, 2 HAVING COUNT(*) > 1)"
                        ).fetchone()[0] == 0
    code, out, _ = run(capsys, "quotes", "--speaker", "Ushakov", "--db", db, "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all("Ushakov" in r["speaker"] for r in rows)


@pytest.fixture(scope="module")
def sample_db(module_store_target):
    db = module_store_target
    assert main(["ingest", str(SAMPLES), "--db", db, "--no-progress"]) == 0
    return db


def test_bad_articles_are_reported_and_the_rest_go_on(tmp_path, capsys):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "court.txt").write_text((SAMPLES / "court.txt").read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = run(capsys, "ingest", str(folder), "--db", str(tmp_path / "m.db"))
    assert code == 1
    assert err.count("dateline: skipped") == 2 and "1 articles added" in err
    assert "Traceback" not in err


def test_query_commands(sample_db, capsys):
    code, out, _ = run(capsys, "events", "--db", sample_db)
    assert code == 0 and out.splitlines()[0].startswith("date")
    code, out, _ = run(capsys, "events", "--db", sample_db, "--json", "--type", "assault")
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(r["type"] == "ASSAULT" for r in rows)
    code, out, _ = run(capsys, "search", "fuel levy", "--db", sample_db, "--json")
    assert any(a["id"] == "court" for a in json.loads(out)["articles"])
    code, out, _ = run(capsys, "search", "fuel levy", "--db", sample_db)
    assert "court" in out
    code, out, _ = run(capsys, "stories", "--db", sample_db, "--json")
    stories = [json.loads(line) for line in out.splitlines()]
    assert stories and all(s["articles"] for s in stories)  # every story lists its articles
    listed = [a for s in stories for a in s["articles"]]
    assert len(listed) == len(set(listed))  # each article in one story
    code, out, _ = run(capsys, "story", stories[0]["id"], "--db", sample_db)
    assert code == 0 and "Evidence:" in out
    code, _, err = run(capsys, "story", "nope", "--db", sample_db)
    assert code == 2 and "no story" in err
    if is_postgres(sample_db):
        code, _, err = run(capsys, "events", "--db", with_database(sample_db, "dateline_no_such_db"))
        assert code == 2 and "cannot open the store" in err and "Traceback" not in err
    else:
        code, _, err = run(capsys, "events", "--db", str(Path(sample_db).parent / "missing.db"))
        assert code == 2 and "no such store" in err


def test_export_command_formats(sample_db, tmp_path, capsys):
    n_events = counts(sample_db)["events"]
    out_csv = tmp_path / "e.csv"
    assert run(capsys, "export", "--format", "csv", "-o", str(out_csv), "--db", sample_db)[0] == 0
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert len(rows) == n_events and "sub_event_type" in rows[0] and "fatalities" in rows[0]
    code, out, _ = run(capsys, "export", "--format", "geojson", "--db", sample_db)
    assert json.loads(out)["type"] == "FeatureCollection"
    code, out, _ = run(capsys, "export", "--format", "plover", "--db", sample_db)
    assert len(json.loads(out)) == n_events
    code, out, _ = run(capsys, "export", "--db", sample_db)
    assert len(out.splitlines()) == n_events


def test_kill_mid_ingest_loses_nothing_committed(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    texts = [(SAMPLES / n).read_text(encoding="utf-8") for n in ("court.txt", "flood.txt")]
    with open(folder / "many.jsonl", "w", encoding="utf-8") as f:
        for i in range(30):
            body = f"Report number {i} from the district desk, filed in the series on regional news {i * 7}.\n\n"
            f.write(json.dumps({"id": f"a{i:02d}", "source": f"Outlet {i}", "published": "2025-09-29",
                                "text": body + texts[i % 2] * 3}) + "\n")
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "dateline", "ingest", str(folder), "--db", str(db), "--batch", "1",
           "--no-progress", "--no-stories"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 90
    stored = 0
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                    stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                    conn.close()
                except sqlite3.OperationalError:
                    stored = 0
                if stored >= 3:
                    break
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert stored >= 3
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    kept = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    # every committed article has its analysis: nothing half-written
    assert conn.execute("SELECT COUNT(*) FROM analyses").fetchone()[0] == kept
    conn.close()
    assert proc.returncode == -signal.SIGKILL  # killed mid-ingest, not finished
    assert stored <= kept < 30

    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{kept} already stored" in done.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 30
    assert conn.execute("SELECT COUNT(DISTINCT content_hash) FROM articles").fetchone()[0] == 30
    assert conn.execute("SELECT COUNT(*) FROM (SELECT article_id, idx FROM events GROUP BY 1, 2 HAVING COUNT(*) > 1)"
                        ).fetchone()[0] == 0


def test_dateline_db_names_the_default_store(sample_db):
    env = dict(os.environ, PYTHONPATH=str(ROOT), DATELINE_DB=sample_db)
    done = subprocess.run([sys.executable, "-m", "dateline", "stories", "--json"], capture_output=True, text=True,
                          env=env, cwd=ROOT / "samples", timeout=120)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in done.stdout.splitlines()]


def test_two_ingests_at_once_into_postgresql_store_each_article_once(pg_server, tmp_path):
    from store_backends import pg_database

    folder = tmp_path / "news"
    folder.mkdir()
    for name in ("court.txt", "flood.txt", "drone-strike.html"):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    with pg_database(pg_server) as url:
        cmd = [sys.executable, "-m", "dateline", "ingest", str(folder), "--db", url, "--workers", "1", "--no-progress"]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
                 for _ in range(2)]
        errs = [p.communicate(timeout=180)[1] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], errs
        with Store.open(url, readonly=True) as store:
            n = store.count("articles")
            assert n == len({a["content_hash"] for a in store.articles()})
            assert store.integrity_check() == "ok" and store.unmerged_articles() == {}
            stories = store.stories()
        added = sum(int(e.split(" articles added")[0].rsplit(" ", 1)[-1]) for e in errs)
        assert added == n == 3 and stories
