"""Property tests: whatever bytes a reader is given, it returns articles and
one-line InputError records, never raises, and finishes quickly; whatever
text `analyze` is given, it returns an Analysis with valid offsets.

A modest, fixed set of examples runs in `make test` (derandomize=True, so CI
sees the same inputs every time); the atheris targets in fuzz/ run the same
contracts over 100,000 inputs and more."""

import io
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dateline
from dateline.ingest import InputError, read_bytes
from dateline.ingest.feeds import read_feed_bytes
from dateline.ingest.jsonl import read_jsonl_stream
from dateline.ingest.warc import read_warc_stream
from dateline.model import Analysis, Article

READERS = settings(max_examples=60, deadline=10_000, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HTML_PIECES = ["<html>", "<body>", "</body>", "<div>", "</div>", "<p>", "</p>", "<b>", "<script>", "</script>",
               "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#x110000;", "<meta charset='utf-16'>",
               "<title>", "</title>", "<", ">", '"', "\u202e", "\u0645\u0631\u062d\u0628\u0627", "\x00", "\ufffd",
               "Police said two people were killed in Kharkiv on Monday. ", "\n\n"]
FEED_PIECES = ['<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0" encoding="x-bogus"?>', "<rss>",
               "</rss>", "<channel>", "</channel>", "<item>", "</item>", "<title>", "</title>", "<description>",
               "</description>", "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "</entry>",
               "<content type='html'>", "</content>", "<pubDate>", "Tue, 99 Foo 2024", "</pubDate>",
               "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", "&a;", "&lt;p&gt;", "<![CDATA[<p>", "]]>", "\xe9",
               "Police said two people died. "]


def records_ok(records) -> list:
    records = list(records)
    for record in records:
        assert isinstance(record, (Article, InputError)), type(record)
        if isinstance(record, InputError):
            assert str(record) and "\n" not in str(record)
        else:
            assert record.text.strip()
    return records


def pieces(choices):
    return st.lists(st.sampled_from(choices), max_size=60).map("".join)


@READERS
@given(st.one_of(st.binary(max_size=4096), pieces(HTML_PIECES).map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_html_reader_never_raises(data):
    records_ok(read_bytes(data, ".html", "page"))


@READERS
@given(st.one_of(st.binary(max_size=4096), st.text(max_size=2000).map(str.encode)))
def test_text_reader_never_raises(data):
    records_ok(read_bytes(data, ".txt", "article"))


@READERS
@given(st.one_of(st.binary(max_size=4096), pieces(FEED_PIECES).map(lambda s: s.encode("utf-8"))))
def test_feed_reader_never_raises(data):
    records_ok(read_feed_bytes(data))


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=10)
ARTICLE_OBJECTS = st.fixed_dictionaries({}, optional={
    "id": JSON_VALUES, "text": st.one_of(st.text(max_size=200), JSON_VALUES), "html": st.one_of(pieces(HTML_PIECES), JSON_VALUES),
    "title": JSON_VALUES, "published": st.one_of(st.text(max_size=30), JSON_VALUES), "language": JSON_VALUES,
})


@READERS
@given(st.lists(st.one_of(ARTICLE_OBJECTS.map(lambda o: json.dumps(o).encode()), st.binary(max_size=300)), max_size=8))
def test_jsonl_reader_never_raises_and_keeps_one_record_per_line(lines):
    data = b"\n".join(line.replace(b"\n", b" ") for line in lines)
    records = records_ok(read_jsonl_stream(io.BytesIO(data), "batch", max_bytes=2048))
    assert len(records) == max(1, sum(1 for line in lines if line.replace(b"\n", b" ").strip()))
    records_ok(read_bytes(data, ".json", "batch"))


# Raw JSON text, not json.dumps output: brackets nested up to several thousand
# deep, and \\u escapes that decode to lone surrogates as well as to pairs.
ESCAPES = ["\\ud800", "\\udfff", "\\udbff\\udfff", "\\ud83d\\ude00", "\\ude00\\ud83d", "\\u0000", "\\\\", '\\"', "x"]
JSON_STRINGS = st.lists(st.sampled_from(ESCAPES), max_size=12).map(lambda parts: '"' + "".join(parts) + '"')
NESTED = st.builds(lambda depth, open_, inner: open_ * depth + inner + {"[": "]", "{": "}"}[open_] * depth,
                   st.integers(0, 3000), st.sampled_from(["["]), JSON_STRINGS)
HOSTILE_LINES = st.builds(
    lambda field, value, rest: "{" + f'"{field}": {value}' + (', "text": "Police said two people were hurt."'
                                                             if field != "text" else "") + rest + "}",
    st.sampled_from(["id", "text", "title", "source", "published"]), st.one_of(NESTED, JSON_STRINGS),
    st.sampled_from(["", ', "tags": ' + "[" * 70 + "]" * 70, ', "x": {"y": [1, {"z": []}]}']))


def utf8_safe(records) -> list:
    for record in records_ok(records):
        if isinstance(record, Article):
            record.model_dump_json().encode("utf-8")  # no lone surrogate got through
    return records


@READERS
@given(st.lists(HOSTILE_LINES, min_size=1, max_size=6))
def test_nested_and_surrogate_laden_json_gives_articles_or_one_line_errors(lines):
    data = "\n".join(lines).encode()
    records = utf8_safe(list(read_jsonl_stream(io.BytesIO(data), "batch", max_bytes=1 << 20)))
    assert len(records) == len(lines)
    utf8_safe(list(read_bytes(lines[0].encode(), ".json", "one")))


@pytest.fixture(scope="module")
def app_client(sample_db):
    from fastapi.testclient import TestClient

    from dateline.serve.app import create_app

    with TestClient(create_app(str(sample_db), rate=0)) as client:
        yield client


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_LINES)
def test_the_web_app_answers_hostile_json_with_a_4xx_never_a_5xx(app_client, line):
    r = app_client.post("/api/analyze", content=line.encode(), headers={"content-type": "application/json"})
    assert r.status_code in (200, 400, 422), (r.status_code, r.text[:200])
    r.content.decode("utf-8")


def _warc(body: bytes) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://example.org/a", "response",
                                                  payload=io.BytesIO(body), http_headers=headers))
    return out.getvalue()


PAGE = b"<html><body><p>" + b"Police said two people were killed in Kharkiv on Monday, officials said. " * 4 + b"</p></body></html>"
GOOD_WARC = _warc(PAGE)


@READERS
@given(st.binary(max_size=4096))
def test_warc_reader_never_raises_on_arbitrary_bytes(data):
    records_ok(read_warc_stream(io.BytesIO(data), max_bytes=65536))


@READERS
@given(st.integers(0, 2**32), st.integers(1, 12))
def test_warc_reader_survives_corrupted_records(seed, flips):
    rng = random.Random(seed)
    data = bytearray(GOOD_WARC * 3)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    cut = rng.randrange(len(data) // 2, len(data) + 1)
    records = records_ok(read_warc_stream(io.BytesIO(bytes(data[:cut])), max_bytes=65536))
    # A flipped byte costs at most the record it falls in; the cut, the one it cuts.
    assert sum(isinstance(r, Article) for r in records) >= cut // len(GOOD_WARC) - flips


NEWS_ALPHABET = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;:!?-—'\"“”‘’«»()\n")
                                + ["\u202e", "\u200f", "\u0645", "\u05e9", "\u0301", "\U0001F600", "\t", "Kyiv ",
                                   "said ", "killed ", "Police ", "\u00a0", "\ufeff", "Mr. "])


@settings(max_examples=25, deadline=30_000, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NEWS_ALPHABET, max_size=400).map("".join))
def test_analyze_returns_an_analysis_with_valid_offsets(nlp, text):
    result = dateline.analyze_text(text)
    assert isinstance(result, Analysis)
    if result.error:
        assert "\n" not in result.error
        return
    n = len(text)
    assert all(0 <= q.start <= q.end <= n for q in result.quotes)
    assert all(text[p.start:p.end] == p.name for p in result.places)
    assert all(text[d.start:d.end] == d.text for d in result.dates)
    assert all(0 <= m.start < m.end <= n for e in result.entities for m in e.mentions)
    assert all(e.sentence is None or 0 <= e.sentence.start <= e.sentence.end <= n for e in result.events)
