"""Fuzz the RSS/Atom reader: `.venv/bin/python fuzz/fuzz_feed.py -atheris_runs=100000 fuzz/corpus/feed`."""

from harness import check, run

from dateline.ingest.feeds import read_feed_bytes


def target(data: bytes) -> None:
    check(read_feed_bytes(data))


if __name__ == "__main__":
    run(target)
