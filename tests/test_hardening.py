"""Defects found by an adversarial pass over the readers, the command line and
the web app, each reproduced here against the real app, store and model."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from dateline.ingest import InputError, read_bytes
from dateline.ingest.common import MAX_JSON_DEPTH, json_depth_exceeds, load_json
from dateline.ingest.jsonl import read_jsonl_stream
from dateline.model import Article
from dateline.serve.app import create_app
from test_api_server import KEY, PASTED

DEEP = "[" * 1000 + "]" * 1000
REPORT = "Police said two people were hurt in Kharkiv on Monday when a drone hit a house."


@pytest.fixture()
def keyed(fresh_db):
    with TestClient(create_app(str(fresh_db), api_key=KEY)) as c:
        yield c


# --- 1: deeply nested JSON ---------------------------------------------------------

def test_json_nested_a_thousand_deep_is_one_error_and_the_next_line_is_read():
    lines = [b'{"id": "deep", "text": ' + DEEP.encode() + b"}", json.dumps({"id": "ok", "text": REPORT}).encode()]
    records = list(read_jsonl_stream(io.BytesIO(b"\n".join(lines)), "batch", max_bytes=1 << 20))
    assert isinstance(records[0], InputError) and isinstance(records[1], Article)
    assert records[0].line == 1 and records[0].message == f"JSON nested more than {MAX_JSON_DEPTH} levels deep"
    assert [str(r) for r in read_bytes(DEEP.encode(), ".json", "deep")] == \
        [f"JSON nested more than {MAX_JSON_DEPTH} levels deep"]


def test_the_depth_check_ignores_brackets_inside_strings_and_stays_linear():
    text = json.dumps({"text": "[" * 10_000 + "{" * 10_000, "tags": [[["a"]]]})
    assert not json_depth_exceeds(text) and load_json(text)["tags"] == [[["a"]]]
    nested = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    assert json_depth_exceeds(nested) and not json_depth_exceeds(nested[1:-1])
    escaped = "[" + '"\\"[[[[", ' * 5_000 + "1]"  # escaped quotes do not end a string
    assert not json_depth_exceeds(escaped) and len(json.loads(escaped)) == 5_001
    assert json_depth_exceeds("[" * 2_000_000)  # what a 2 MB body of brackets costs: see docs/hardening.md


def test_cli_ingest_stores_the_rest_of_a_batch_after_a_deeply_nested_line(tmp_path, nlp):
    (tmp_path / "batch.jsonl").write_text('{"id": "deep", "text": ' + DEEP + "}\n"
                                          + json.dumps({"id": "ok", "text": REPORT}) + "\n")
    done = subprocess.run([sys.executable, "-m", "dateline", "ingest", "batch.jsonl", "--db", "t.db", "--workers", "1",
                           "--no-stories", "--no-progress"], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"batch.jsonl line 1: JSON nested more than {MAX_JSON_DEPTH} levels deep" in done.stderr
    listed = subprocess.run([sys.executable, "-m", "dateline", "events", "--db", "t.db", "--json"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert "Kharkiv" in listed.stdout


def test_deeply_nested_json_bodies_get_422_on_every_route(keyed):
    body = ('{"id": "deep", "text": ' + DEEP + "}").encode()
    for path, headers in (("/api/analyze", {}), ("/api/articles", {"X-API-Key": KEY})):
        r = keyed.post(path, content=body, headers={"content-type": "application/json", **headers})
        assert r.status_code == 422 and "nested more than" in r.json()["detail"], r.text
        r = keyed.post(path, files={"file": ("deep.json", body, "application/json")}, headers=headers)
        assert r.status_code == 422 and "nested more than" in r.json()["detail"], r.text


# --- 6: ids that could be stored but not read back ------------------------------------

@pytest.mark.parametrize("article_id,why", [("court/analysis", "ends in /analysis"), ("line\nbreak", "line break"),
                                            ("x" * 1_000_000, "over the 500 limit"), ("a/../b", ".. path segment"),
                                            ("tab\there", "control character")])
def test_ids_that_could_not_be_read_back_get_422_saying_why(keyed, article_id, why):
    before = keyed.get("/api/health").json()["articles"]
    r = keyed.post("/api/articles", json={"id": article_id, "text": PASTED}, headers={"X-API-Key": KEY})
    assert r.status_code == 422 and why in r.json()["detail"], r.text[:300]
    assert keyed.get("/api/health").json()["articles"] == before


@pytest.mark.parametrize("article_id", ["https://example.org/news/2025/07/lyon?id=1#top", "ünïcode id", "100%"])
def test_ids_with_slashes_queries_and_unicode_are_stored_and_read_back(keyed, article_id):
    from urllib.parse import quote

    r = keyed.post("/api/articles", json={"id": article_id, "text": PASTED}, headers={"X-API-Key": KEY})
    assert r.status_code == 201, r.text
    assert keyed.get("/api/articles/" + quote(article_id, safe="/")).json()["id"] == article_id
    assert keyed.get("/api/articles/" + quote(article_id, safe="/") + "/analysis").status_code == 200


def test_the_same_text_from_the_same_outlet_under_a_new_id_names_the_stored_id(keyed):
    article = {"id": "lyon-1", "source": "Lyon Daily", "text": PASTED}
    assert keyed.post("/api/articles", json=article, headers={"X-API-Key": KEY}).status_code == 201
    again = keyed.post("/api/articles", json=article | {"id": "lyon-2"}, headers={"X-API-Key": KEY})
    assert again.status_code == 200 and again.json()["added"] is False and again.json()["stored_as"] == "lyon-1"
    same = keyed.post("/api/articles", json=article, headers={"X-API-Key": KEY})
    assert same.status_code == 200 and same.json()["stored_as"] == "lyon-1"
    assert keyed.get("/api/articles/lyon-2").status_code == 404


def test_a_jsonl_batch_reports_a_bad_id_on_its_line_and_reads_the_rest():
    lines = [json.dumps({"id": "a\nb", "text": REPORT}), json.dumps({"id": "ok", "text": REPORT})]
    records = list(read_jsonl_stream(io.BytesIO("\n".join(lines).encode()), "batch", max_bytes=1 << 20))
    assert isinstance(records[0], InputError) and "line break" in records[0].message
    assert isinstance(records[1], Article)


# --- 8: lone surrogates ---------------------------------------------------------------

def test_a_lone_surrogate_in_text_id_or_title_gets_422_on_either_backend(store_target, nlp):
    from dateline.store import Store

    with Store.open(store_target):
        pass  # an empty store
    with TestClient(create_app(store_target, api_key=KEY)) as c:
        for field in ("text", "id", "title"):
            body = {"id": "sur", "title": "Bridge", "text": PASTED}
            body[field] += "\\ud800"
            raw = json.dumps(body).replace("\\\\ud800", "\\ud800").encode()
            for path in ("/api/analyze", "/api/articles"):
                r = c.post(path, content=raw, headers={"content-type": "application/json", "X-API-Key": KEY})
                assert r.status_code == 422, (field, path, r.text)
                assert r.json()["detail"] == f"'{field}' holds a lone surrogate (\\ud800), which is not text"
        r = c.post("/api/analyze", content=b'{"\\ud800": 1, "text": "x"}', headers={"content-type": "application/json"})
        assert r.status_code == 422 and r.json()["detail"].startswith("unknown field(s): \ud800")
        # A surrogate pair is one character, and fine.
        pair = json.dumps({"id": "pair", "text": PASTED + " \U0001F600"}).encode()
        r = c.post("/api/articles", content=pair, headers={"content-type": "application/json", "X-API-Key": KEY})
        assert r.status_code == 201 and c.get("/api/articles/pair").json()["text"].endswith("\U0001F600")


# --- lesser: publication dates -----------------------------------------------------------

def test_an_unparseable_published_is_refused_and_a_parseable_one_made_iso(keyed):
    r = keyed.post("/api/articles", json={"id": "pub", "published": "Tuesday", "text": PASTED},
                   headers={"X-API-Key": KEY})
    assert r.status_code == 422 and r.json()["detail"] == "'published' is not a date: 'Tuesday' (use YYYY-MM-DD)"
    assert keyed.get("/api/articles/pub").status_code == 404
    r = keyed.post("/api/articles", json={"id": "pub", "published": "5 March 2024", "text": PASTED},
                   headers={"X-API-Key": KEY})
    assert r.status_code == 201 and keyed.get("/api/articles/pub").json()["published"] == "2024-03-05"


# --- 9: disk full ------------------------------------------------------------------------

def _ignore_sigxfsz():
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # inherited across exec: a write past the limit fails with EFBIG


def _fill_disk(pid: int, limit: int) -> None:
    """From now on, writes past `limit` bytes of any file of process `pid` fail, as on a full disk."""
    import resource

    resource.prlimit(pid, resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_at_commit_gives_503_and_one_log_line_and_the_store_stays_whole(fresh_db, tmp_path):
    import httpx

    from dateline.store import Store
    from test_api_server import free_port

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "dateline", "serve", "--db", str(fresh_db), "--port", str(port),
                               "--api-key", KEY, "--rate", "0"], stderr=subprocess.PIPE, text=True,
                              preexec_fn=_ignore_sigxfsz)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(server, url)
        assert httpx.post(url + "/api/analyze", json={"text": PASTED}, timeout=300).status_code == 200
        _fill_disk(server.pid, 64 * 1024)  # the store's write-ahead log starts empty
        long_text = " ".join(f"Police said {n} people were hurt in Kharkiv on Monday." for n in range(400))
        r = httpx.post(url + "/api/articles", json={"id": "big", "text": long_text}, headers={"X-API-Key": KEY},
                       timeout=300)
        assert r.status_code == 503, (r.text, server.terminate(), server.communicate()[1][-2000:])
        assert "could not be saved" in r.json()["detail"] and r.headers["retry-after"]
        assert httpx.get(url + "/api/articles/big", timeout=30).status_code == 404
        assert httpx.get(url + "/api/health", timeout=30).status_code == 200
    finally:
        server.terminate()
        err = server.communicate(timeout=60)[1]
    assert "Traceback" not in err and "write refused: " in err, err[-3000:]
    with Store.open(fresh_db) as s:
        assert s.integrity_check() == "ok" and s.article("big") is None


def wait_until_serving(proc, url: str, seconds: float = 120) -> None:
    import time

    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.get(url + "/api/health", timeout=5)
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
            time.sleep(0.2)


# --- 10: a client that disconnects mid-upload ----------------------------------------------

def test_a_disconnect_mid_upload_logs_one_short_line(fresh_db, caplog):
    import logging
    import socket
    import time

    from test_api_server import Served

    caplog.set_level(logging.INFO)
    with Served(create_app(str(fresh_db), api_key=KEY)) as srv:
        logging.getLogger("uvicorn").addHandler(caplog.handler)  # uvicorn's loggers do not reach the root
        for path in ("/api/analyze", "/api/articles"):
            with socket.create_connection(("127.0.0.1", srv.port)) as sock:
                sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nX-API-Key: {KEY}\r\nContent-Type: application/json"
                             f"\r\nContent-Length: 100000\r\n\r\n".encode() + b'{"text": "' + b"x" * 1000)
                time.sleep(0.3)
        time.sleep(0.5)
    logging.getLogger("uvicorn").removeHandler(caplog.handler)
    logged = [r for r in caplog.records if r.name.startswith(("uvicorn", "dateline"))]
    assert not [r for r in logged if r.exc_info or r.levelno >= logging.ERROR], [r.getMessage() for r in logged]
    lines = [r.getMessage() for r in logged if "disconnected" in r.getMessage()]
    assert len(lines) == 2 and all(len(line) < 200 and "\n" not in line for line in lines), lines


# --- 4: anonymous analyses cannot crowd out keyed writes --------------------------------------

def test_keyed_writes_are_served_while_anonymous_analyses_fill_their_queue(fresh_db, nlp):
    import threading
    import time

    import httpx

    from test_api_server import Served

    long_text = " ".join([PASTED] * 120)  # about 17,000 characters: a second or two of analysis each
    finished: dict[str, float] = {}
    anonymous_codes: list[int] = []

    def anonymous(n):
        r = httpx.post(srv.url + "/api/analyze", json={"text": long_text + f" Item {n}."}, timeout=300)
        anonymous_codes.append(r.status_code)
        finished[f"anon-{n}"] = time.monotonic()

    with Served(create_app(str(fresh_db), api_key=KEY, analysis_queue=4, rate=0)) as srv:
        crowd = [threading.Thread(target=anonymous, args=(n,)) for n in range(8)]
        for t in crowd:
            t.start()
        time.sleep(0.5)  # the anonymous queue is full now
        write_codes = []

        def keyed(n):
            # the writes are sent together: one after another, the client thread (in this process, beside
            # the server's analyses) could be slow enough between them for two analyses to pass first
            r = httpx.post(srv.url + "/api/articles", json={"id": f"keyed-{n}", "text": PASTED + f" Update {n}."},
                           headers={"X-API-Key": KEY}, timeout=300)
            write_codes.append(r.status_code)
            finished[f"keyed-{n}"] = time.monotonic()

        writers = [threading.Thread(target=keyed, args=(n,)) for n in range(3)]
        for t in writers:
            t.start()
        for t in writers + crowd:
            t.join()
    assert write_codes == [201, 201, 201]
    assert sorted(anonymous_codes) == [200] * 4 + [503] * 4  # the anonymous capacity is 4, and held
    # Writes went ahead of the anonymous analyses waiting when they came.
    assert max(v for k, v in finished.items() if k.startswith("keyed")) < max(
        v for k, v in finished.items() if k.startswith("anon"))


def test_keyed_work_waiting_goes_before_anonymous_work_waiting():
    import threading

    import anyio

    from dateline.serve.background import AnalysisSlots

    slots, order, release = AnalysisSlots(4, 4), [], threading.Event()

    async def main():
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: slots.run(release.wait))  # holds the one worker
            await anyio.sleep(0.05)
            for name, keyed in (("anon-1", False), ("anon-2", False), ("keyed-1", True), ("keyed-2", True)):
                tg.start_soon(lambda n=name, k=keyed: slots.run(order.append, n, keyed=k))
                await anyio.sleep(0.01)
            release.set()
    anyio.run(main)
    assert order == ["keyed-1", "keyed-2", "anon-1", "anon-2"]
    assert slots.pending == {False: 0, True: 0} and not slots.busy


# --- 7: story updates at shutdown and after a crash ------------------------------------------

REPORTS = ["Police arrested 12 people in Mombasa on Wednesday during protests over fuel prices, a police commander said.",
           "A drone strike on Kharkiv killed three people on Tuesday, regional officials said.",
           "Troops shelled the outskirts of Khartoum on Friday, killing five civilians, medics said."]


def _unmerged(db) -> int:
    from dateline.store import Store

    with Store.open(db, readonly=True) as s:
        return s.count("events") - s.count("story_events")


def test_story_updates_queued_at_shutdown_are_done_before_the_server_exits(fresh_db, nlp):
    import time

    import httpx

    from test_api_server import Served

    assert _unmerged(fresh_db) == 0
    with Served(create_app(str(fresh_db), api_key=KEY)) as srv:
        with httpx.Client(base_url=srv.url, timeout=120, headers={"X-API-Key": KEY}) as http:
            assert http.post("/api/articles", json={"id": "first", "text": REPORTS[0]}).status_code == 201
            time.sleep(0.3)  # its story update is under way: the next write waits for the following one
            for n, text in enumerate(REPORTS[1:]):
                assert http.post("/api/articles", json={"id": f"then-{n}", "text": text}).status_code == 201
        # Ctrl-C now: the Served context asks uvicorn to exit, as SIGINT does.
    assert _unmerged(fresh_db) == 0


def test_events_left_in_no_story_by_a_crash_are_merged_at_start_up(tmp_path, nlp):
    import time

    import dateline
    from dateline.store import Store

    db = tmp_path / "crashed.db"
    with Store.open(db) as s:  # what a kill -9 right after the commits leaves: events, no stories
        for n, text in enumerate(REPORTS):
            a = dateline.analyze_text(text)
            s.add(a.article.model_copy(update={"id": f"r{n}"}), a)
    assert _unmerged(db) >= 3
    with TestClient(create_app(str(db), api_key=KEY)) as c:
        deadline = time.monotonic() + 60
        while _unmerged(db):
            assert time.monotonic() < deadline, "the events were not merged"
            time.sleep(0.2)
        assert c.get("/api/health").json()["stories"] >= 3


# --- lesser: the Host header, HEAD ------------------------------------------------------------

def test_paging_links_and_redirects_do_not_repeat_the_host_header(sample_db):
    with TestClient(create_app(str(sample_db)), base_url="http://evil.example") as c:
        page = c.get("/api/events", params={"limit": 2, "country": "UA"}).json()
        assert page["next"] == "/api/events?limit=2&country=UA&offset=2"
        assert c.get(page["next"]).json()["offset"] == 2
        r = c.get("/api/events/?limit=2", follow_redirects=False)
        assert r.status_code in (307, 308) and r.headers["location"] == "/api/events?limit=2"


def test_head_is_answered_wherever_get_is(sample_db):
    with TestClient(create_app(str(sample_db))) as c:
        for path in ("/api/health", "/api/events?limit=3", "/", "/api/export/csv"):
            got, head = c.get(path), c.head(path)
            assert head.status_code == 200 and head.content == b"", path
            assert head.headers["content-type"] == got.headers["content-type"]
        assert c.head("/api/articles/no-such-article").status_code == 404
        assert c.head("/api/analyze").status_code == 405
