"""Fuzz the WARC reader: `.venv/bin/python fuzz/fuzz_warc.py -atheris_runs=100000 fuzz/corpus/warc`."""

import io

from harness import check, run

from dateline.ingest.warc import read_warc_stream

MAX_BYTES = 1024 * 1024


def target(data: bytes) -> None:
    check(read_warc_stream(io.BytesIO(data), MAX_BYTES))


if __name__ == "__main__":
    run(target)
