"""Readers: every input format, and every kind of bad input as a one-line InputError."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import dateline
from dateline.ingest import InputError, iso_date, read_bytes, read_path
from dateline.model import Article

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MB = 1024 * 1024


def one(path, **kw):
    records = list(read_path(path, **kw))
    assert len(records) == 1, records
    return records[0]


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def assert_one_line_error(record, *words):
    assert isinstance(record, InputError), record
    text = str(record)
    assert "\n" not in text and "Traceback" not in text
    for word in words:
        assert word in text, text


# plain text --------------------------------------------------------------

def test_text_with_title_and_byline():
    article = one(SAMPLES / "flood.txt")
    assert article.id == "flood"
    assert article.title == "Two dead as floods sweep through the west"
    assert article.source == "Western Courier"
    assert article.published == "2024-03-04"
    assert article.text.startswith("Two people were killed")
    assert "Western Courier" not in article.text and "·" not in article.text


def test_text_byline_without_date():
    article = one(SAMPLES / "court.txt")
    assert (article.title, article.source, article.published) == (
        "Court suspends new fuel levy after traders' challenge", "Lakeside Times", None)
    assert article.text.startswith("NAIROBI")


def test_text_byline_after_blank_line_and_crlf(tmp_path):
    path = write(tmp_path, "a.txt", "Title here\r\n\r\n\u00b7 RTE.ie\r\n\r\nThe council said on Monday that it would act.\r\n")
    article = one(path)
    assert (article.title, article.source) == ("Title here", "RTE.ie")
    assert article.text == "The council said on Monday that it would act."


def test_text_without_byline_is_all_text(tmp_path):
    body = "Floods close roads\nThe council said on Monday that roads were closed.\n"
    article = one(write(tmp_path, "story.md", body))
    assert article.title is None and article.source is None
    assert article.text == body.strip()
    assert article.id == "story"


def test_title_and_byline_but_no_body(tmp_path):
    assert_one_line_error(one(write(tmp_path, "t.txt", "Title\n· Outlet\n\n")), "t.txt", "no article text")


# HTML ---------------------------------------------------------------------

def test_html_page():
    article = one(SAMPLES / "drone-strike.html")
    assert article.title == "Drone strike on Kharkiv kills three, injures 11"
    assert article.source == "Eastern Wire"
    assert article.published == "2024-06-18"
    assert article.text.startswith("Three people were killed")
    for boilerplate in ("Subscribe", "All rights reserved", "Most read", "Privacy"):
        assert boilerplate not in article.text
    assert "\n\n" in article.text  # paragraphs kept apart


def test_html_sniffed_from_content(tmp_path):
    html = (SAMPLES / "drone-strike.html").read_text(encoding="utf-8")
    article = one(write(tmp_path, "page.txt", html))
    assert article.source == "Eastern Wire" and "<p>" not in article.text


def test_html_without_article(tmp_path):
    page = ("<!DOCTYPE html><html><head><title>Home</title></head><body><nav><a href='/'>Home</a>"
            "<a href='/news'>News</a><a href='/about'>About us</a></nav><footer>Copyright 2024</footer></body></html>")
    assert_one_line_error(one(write(tmp_path, "home.html", page)), "home.html", "no article text")


# JSON and JSON Lines ----------------------------------------------------------

def test_json_article_object(tmp_path):
    obj = {"id": 7, "title": "T", "source": "S", "url": "https://example.org/a",
           "published": "5 March 2024", "text": "The mayor said on Monday that the bridge would reopen."}
    article = one(write(tmp_path, "a.json", json.dumps(obj)))
    assert article == Article(id="7", title="T", source="S", url="https://example.org/a",
                              published="2024-03-05", text=obj["text"])


def test_json_with_html_field_keeps_its_own_metadata(tmp_path):
    html = (SAMPLES / "drone-strike.html").read_text(encoding="utf-8")
    article = one(write(tmp_path, "b.json", json.dumps({"title": "Own title", "html": html})))
    assert article.title == "Own title"
    assert article.source == "Eastern Wire" and article.published == "2024-06-18"
    assert article.id == "b"


def test_json_list_and_bad_json(tmp_path):
    items = [{"text": "First article text."}, {"title": "no text"}]
    first, second = read_path(write(tmp_path, "list.json", json.dumps(items)))
    assert first.id == "list-1" and first.text == "First article text."
    assert_one_line_error(second, "no 'text' or 'html'")
    assert_one_line_error(one(write(tmp_path, "bad.json", "{not json")), "bad.json", "not JSON")


def test_jsonl_samples():
    records = list(read_path(SAMPLES / "batch.jsonl"))
    assert [r.id for r in records] == ["porto-election", "lyon-farmers", "batch-3"]
    assert [r.published for r in records] == ["2025-09-29", "2024-02-06", "2024-03-12"]
    assert records[2].source == "Harbour Post" and records[2].text.startswith("At least 23 workers")


def test_jsonl_bad_lines_do_not_stop_the_rest(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "The mayor said the bridge would reopen."}),
        "this is not json",
        json.dumps({"id": "c", "title": "no body"}),
        "",
        json.dumps({"text": "Police arrested three people, a spokesman said."}),
    ]
    records = list(read_path(write(tmp_path, "mixed.jsonl", "\n".join(lines) + "\n")))
    assert len(records) == 4
    assert isinstance(records[0], Article) and records[0].id == "a"
    assert_one_line_error(records[1], "mixed.jsonl line 2", "not JSON")
    assert_one_line_error(records[2], "mixed.jsonl line 3", "no 'text' or 'html'")
    assert records[2].id == "c" and records[2].to_json()["line"] == 3
    assert isinstance(records[3], Article) and records[3].id == "mixed-5"


# bad input ------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"  \n\n\t "])
def test_empty_file(tmp_path, content):
    assert_one_line_error(one(write(tmp_path, "empty.txt", content)), "empty.txt", "empty file")


def test_empty_jsonl(tmp_path):
    assert_one_line_error(one(write(tmp_path, "e.jsonl", b"\n\n")), "empty file")


def test_binary_file(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    assert_one_line_error(one(write(tmp_path, "image.txt", png)), "image.txt", "binary")


def test_binary_without_nul_bytes(tmp_path):
    noise = bytes(b for b in range(1, 256) if b not in b"\t\n\r") * 40
    assert_one_line_error(one(write(tmp_path, "noise.dat", noise)), "binary")


def test_cp1252_text(tmp_path):
    raw = "Caf\u00e9 owners said on Monday that prices had risen \u201csharply\u201d \u2013 by 8%.".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    article = one(write(tmp_path, "old.txt", raw))
    assert article.text == "Caf\u00e9 owners said on Monday that prices had risen \u201csharply\u201d \u2013 by 8%."


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_text_with_bom(tmp_path, encoding):
    article = one(write(tmp_path, "bom.txt", "Title\n· Outlet\n\nBody text.".encode(encoding)))
    assert (article.title, article.source, article.text) == ("Title", "Outlet", "Body text.")


def test_huge_file_fails_fast(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        line = b"The council said on Monday that the bridge would reopen. " * 16 + b"\n"
        for _ in range(50 * MB // len(line) + 1):
            f.write(line)
    assert path.stat().st_size > 50 * MB
    start = time.monotonic()
    record = one(path)
    assert time.monotonic() - start < 1.0
    assert_one_line_error(record, "huge.txt", "over the 20.0 MB limit")


def test_size_limit_is_configurable(tmp_path):
    path = write(tmp_path, "a.txt", "word " * 1000)
    assert isinstance(one(path), Article)
    assert_one_line_error(one(path, max_bytes=1000), "over the 1000 bytes limit")


def test_huge_jsonl_is_read_line_by_line(tmp_path):
    path = tmp_path / "big.jsonl"
    with open(path, "wb") as f:
        f.write(b'{"id": "huge", "text": "' + b"word " * (11 * MB) + b'"}\n')
        f.write(json.dumps({"id": "ok", "text": "A small article."}).encode() + b"\n")
    huge, ok = read_path(path)
    assert_one_line_error(huge, "big.jsonl line 1", "longer than")
    assert ok.id == "ok"
    # The same file under the default 20 MB limit reads both lines.
    assert [r.id for r in read_path(path, max_bytes=100 * MB)] == ["huge", "ok"]


def test_missing_file_and_directory(tmp_path):
    assert_one_line_error(one(tmp_path / "nope.txt"), "nope.txt", "no such file")
    assert_one_line_error(one(tmp_path), "is a directory")


def test_read_bytes_without_name_derives_stable_id():
    a, b = list(read_bytes(b"Some text.")) + list(read_bytes(b"Some text."))
    assert a.id == b.id and len(a.id) == 12


def test_iso_date():
    assert iso_date("2024-03-05T10:00:00Z") == "2024-03-05"
    assert iso_date("Tue, 05 Mar 2024 10:00:00 GMT") == "2024-03-05"
    assert iso_date("5 March 2024") == "2024-03-05"
    assert iso_date("yesterday") is None and iso_date("March 2024") is None and iso_date("2024-13-45") is None


# with the real pipeline --------------------------------------------------------

def test_every_sample_analyses():
    paths = sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("*.html")) + [SAMPLES / "batch.jsonl"]
    articles = [r for p in paths for r in read_path(p)]
    assert all(isinstance(a, Article) for a in articles) and len(articles) == 6
    for article in articles:
        assert 150 <= len(article.text.split()) <= 350, article.id
    analyses = list(dateline.analyze_many(articles))
    assert [a.article.id for a in analyses] == [a.id for a in articles]
    for analysis in analyses:
        assert analysis.error is None
        text = analysis.article.text
        for quote in analysis.quotes:
            assert 0 <= quote.start < quote.end <= len(text)
