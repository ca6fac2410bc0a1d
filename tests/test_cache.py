"""The disk cache of loaded objects (dateline.cache): a hit returns what the
build returned, a changed source builds again, and a cache that cannot be
used never stops the analysis."""

from __future__ import annotations

from dateline import cache
from dateline.analyze import gazetteer


def counting_build(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_second_load_reads_the_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_CACHE", str(tmp_path / "c"))
    source = tmp_path / "data.tsv"
    source.write_text("a\t1\n")
    build, calls = counting_build({"a": [1, 2]})
    assert cache.load("thing", [source], build) == {"a": [1, 2]}
    assert cache.load("thing", [source], build) == {"a": [1, 2]}
    assert len(calls) == 1
    assert len(list((tmp_path / "c").glob("thing-*.pickle"))) == 1


def test_changed_source_builds_again_and_drops_the_old_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_CACHE", str(tmp_path))
    source = tmp_path / "data.tsv"
    source.write_text("a\t1\n")
    cache.load("thing", [source], lambda: "old")
    source.write_text("a\t2\n")
    assert cache.load("thing", [source], lambda: "new") == "new"
    assert cache.load("thing", [source], lambda: "never built") == "new"
    assert len(list(tmp_path.glob("thing-*.pickle"))) == 1


def test_off_damaged_or_unwritable_cache_still_builds(tmp_path, monkeypatch):
    source = tmp_path / "data.tsv"
    source.write_text("x")
    monkeypatch.setenv("DATELINE_CACHE", "off")
    build, calls = counting_build(42)
    assert cache.load("thing", [source], build) == 42 and cache.load("thing", [source], build) == 42
    assert len(calls) == 2

    monkeypatch.setenv("DATELINE_CACHE", str(tmp_path / "c"))
    cache.load("thing", [source], lambda: 1)
    for entry in (tmp_path / "c").glob("thing-*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert cache.load("thing", [source], lambda: 2) == 2

    (tmp_path / "file").write_text("a file where the folder should be")
    monkeypatch.setenv("DATELINE_CACHE", str(tmp_path / "file"))
    assert cache.load("thing", [source], lambda: 3) == 3


def test_cached_gazetteer_resolves_like_a_fresh_one(tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_CACHE", str(tmp_path))
    gazetteer._load_cached()  # builds and writes the entry
    cached, fresh = gazetteer._load_cached(), gazetteer.Gazetteer()
    assert list(tmp_path.glob("gazetteer-*.pickle"))
    for name in ("Kharkiv", "Porto", "Belgorod", "Heathrow"):
        key = gazetteer.norm(name)
        assert cached.lookup(key) == fresh.lookup(key) != [], name
    assert cached.index == fresh.index and cached.c_key == fresh.c_key
