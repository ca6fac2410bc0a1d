"""Fuzz the plain-text reader (decoding, title and byline): `.venv/bin/python fuzz/fuzz_text.py -atheris_runs=100000`."""

from harness import check, run

from dateline.ingest import read_bytes


def target(data: bytes) -> None:
    check(read_bytes(data, ".txt", "fuzz"))


if __name__ == "__main__":
    run(target)
