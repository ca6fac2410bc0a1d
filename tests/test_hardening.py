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
