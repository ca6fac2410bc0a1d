"""Fuzz the HTML reader: `.venv/bin/python fuzz/fuzz_html.py -atheris_runs=100000 fuzz/corpus/html`."""

from harness import check, run

from dateline.ingest import read_bytes


def target(data: bytes) -> None:
    check(read_bytes(data, ".html", "fuzz"))


if __name__ == "__main__":
    run(target)
