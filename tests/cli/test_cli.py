"""The command line, run as a user runs it: in a subprocess with the real model.
Exit codes: 0 all analysed, 1 some articles failed, 2 nothing readable, 130 interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dateline.digest import render
from dateline.model import Analysis, Article, Event, PipelineInfo, Place, Quote, Span

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


def run(*args, cwd=None, timeout=300):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "dateline", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def assert_error_line(proc, *words):
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dateline: error: "), proc.stderr
    for word in words:
        assert word in lines[0]


def test_single_file_gives_one_json_object():
    proc = run("analyze", SAMPLES / "flood.txt")
    assert proc.returncode == 0, proc.stderr
    analysis = Analysis.model_validate_json(proc.stdout)
    assert analysis.article.title == "Two dead as floods sweep through the west"
    assert analysis.article.source == "Western Courier"
    assert proc.stdout.startswith("{\n")  # pretty


def test_batch_gives_json_lines_with_ids(tmp_path):
    out = tmp_path / "out.jsonl"
    proc = run("analyze", SAMPLES / "court.txt", SAMPLES / "drone-strike.html", SAMPLES / "batch.jsonl",
               "-o", out, "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    rows = [Analysis.model_validate(r) for r in jsonl(out.read_text(encoding="utf-8"))]
    assert [r.article.id for r in rows] == ["court", "drone-strike", "porto-election", "lyon-farmers", "batch-3"]


def test_one_jsonl_file_gives_json_lines():
    proc = run("analyze", SAMPLES / "batch.jsonl")
    assert proc.returncode == 0, proc.stderr
    assert len(jsonl(proc.stdout)) == 3


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4, "binary"),
    ("home.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
    ("bad.json", b"{\"text\": ", "not JSON"),
])
def test_a_single_bad_file_exits_2(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    proc = run("analyze", name, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert_error_line(proc, name, message)


def test_a_missing_file_exits_2(tmp_path):
    proc = run("analyze", tmp_path / "nope.txt")
    assert proc.returncode == 2
    assert_error_line(proc, "no such file")


def test_a_50mb_file_fails_fast(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: quick to make, and never read
    start = time.monotonic()
    proc = run("analyze", path)
    assert proc.returncode == 2
    assert_error_line(proc, "huge.txt", "50.0 MB", "limit")
    assert time.monotonic() - start < 30  # interpreter start only: no model, no reading


def test_cp1252_file_is_analysed(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Caf\u00e9 owners in Cork said on Monday that prices had risen \u201csharply\u201d.".encode("cp1252"))
    proc = run("analyze", path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["article"]["text"].startswith("Caf\u00e9 owners")


def test_batch_goes_on_past_bad_articles(tmp_path):
    good = {"id": "good", "text": "The mayor of Cork said on Monday that the bridge would reopen."}
    lines = [json.dumps(good), "{broken", json.dumps({"id": "empty", "text": "  "}),
             json.dumps({"text": "Police arrested three people in Galway, a spokesman said."})]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = run("analyze", "mixed.jsonl", "empty.txt", cwd=tmp_path)
    assert proc.returncode == 1
    rows = jsonl(proc.stdout)
    assert len(rows) == 5
    assert [r["article"]["id"] for r in (rows[0], rows[3])] == ["good", "mixed-4"]
    assert rows[1] == {"id": None, "source_file": "mixed.jsonl", "line": 2, "error": rows[1]["error"]}
    assert rows[1]["error"].startswith("not JSON")
    assert rows[2]["id"] == "empty" and rows[2]["line"] == 3
    assert rows[4] == {"id": "empty", "source_file": "empty.txt", "error": "empty file"}
    assert "mixed.jsonl line 2: not JSON" in proc.stderr
    assert "2 of 5 articles analysed, 3 failed" in proc.stderr


def test_batch_with_nothing_readable_exits_2(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.jsonl").write_text("nope\n", encoding="utf-8")
    proc = run("analyze", "a.txt", "b.jsonl", cwd=tmp_path)
    assert proc.returncode == 2
    assert [r["source_file"] for r in jsonl(proc.stdout)] == ["a.txt", "b.jsonl"]


def test_text_format_prints_digest_and_writes_json(tmp_path):
    out = tmp_path / "demo.json"
    proc = run("analyze", SAMPLES / "flood.txt", "--format", "text", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Two dead as floods sweep through the west\n")
    assert "Western Courier · 2024-03-04" in proc.stdout
    for heading in ("Who said what", "What happened", "Places"):
        assert f"\n{heading}\n" in proc.stdout
    assert Analysis.model_validate_json(out.read_text(encoding="utf-8")).article.id == "flood"


def test_published_option(tmp_path):
    proc = run("analyze", SAMPLES / "flood.txt", "--published", "7 May 2024")
    assert json.loads(proc.stdout)["article"]["published"] == "2024-05-07"
    proc = run("analyze", SAMPLES / "flood.txt", "--published", "someday")
    assert proc.returncode == 2 and "not a date" in proc.stderr


def test_schema():
    proc = run("schema")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    assert schema["title"] == "dateline Analysis" and "article" in schema["properties"]


def test_evaluate_missing_input_exits_2(tmp_path):
    proc = run("evaluate", "--polnear", tmp_path / "nope.jsonl")
    assert proc.returncode == 2
    assert_error_line(proc, "nope.jsonl")


def test_interrupt_exits_130_quietly(tmp_path):
    text = "The mayor said on Monday that the bridge in Cork would reopen next week. " * 40
    with open(tmp_path / "many.jsonl", "w", encoding="utf-8") as f:
        for i in range(300):
            f.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "dateline", "analyze", "many.jsonl", "-o", "out.jsonl"],
                            cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True,
                            # a test runner started in the background may ignore SIGINT
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    proc.stderr.readline()  # the first progress line: analysis is under way
    proc.send_signal(signal.SIGINT)
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


# the digest ---------------------------------------------------------------------

def analysis(**fields):
    article = Article(id="x", title="A title", source="Outlet", published="2024-03-04", text="x" * 200)
    return Analysis(article=article, pipeline=PipelineInfo(version="0", model="m"), **fields)


def test_digest_with_empty_lists():
    text = render(analysis())
    assert text.startswith("A title\n=======\nOutlet · 2024-03-04 · id x\n")
    assert "(no quotes found)" in text and "(no events found)" in text and "(no places found)" in text


def test_digest_quotes_events_places():
    quotes = [
        Quote(speaker="Mary Donnellan", speaker_role="chief fire officer", cue="said", content="It was bad.",
              direct=True, start=50, end=61),
        Quote(speaker="Peter Hanley", cue="told reporters", content="a fund would open", direct=False, start=10, end=27),
        Quote(speaker="Mary Donnellan", speaker_role="the county fire officer", cue="said", content="200 homes were evacuated",
              direct=False, start=90, end=110),
    ]
    events = [
        Event(type="PROTEST", summary="Farmers blocked roads.", date=None),
        Event(type="ASSAULT", mode="drone strike", summary="Drones hit Kharkiv.", actor="Russia", target="Kharkiv",
              location="Kharkiv", country="UA", date="2024-06-18", killed=3, injured=11, reported_by="officials",
              trigger=Span(start=5, end=10)),
        Event(type="COERCE", summary="Police arrested 12.", date="2024-06-01", arrested=12, status="claimed"),
    ]
    places = [Place(name="Kharkiv", start=1, end=8, country="UA", admin1="Kharkiv Oblast", lat=49.99, lon=36.23),
              Place(name="Kharkiv", start=30, end=37, country="UA")]
    text = render(analysis(quotes=quotes, events=events, places=places))
    who = text[text.index("Who said what"):text.index("What happened")]
    assert who.index("Peter Hanley") < who.index("Mary Donnellan (chief fire officer)")
    assert "said: \u201cIt was bad.\u201d" in who and "said: 200 homes were evacuated" in who
    assert who.count("Mary Donnellan") == 1
    timeline = text[text.index("What happened"):text.index("Places")]
    assert timeline.index("2024-06-01") < timeline.index("2024-06-18") < timeline.index("(undated)")
    assert "ASSAULT/drone strike Russia -> Kharkiv; in Kharkiv, UA; 3 killed, 11 injured" in " ".join(timeline.split())
    assert "[claimed]" in timeline and "reported by officials" in timeline and "12 arrested" in timeline
    assert "Kharkiv (Kharkiv Oblast, UA)  49.99, 36.23  x2" in text


def test_digest_of_failed_analysis():
    assert "Could not analyse this article: boom" in render(analysis(error="boom"))
