"""Fuzz the JSON Lines and JSON readers: `.venv/bin/python fuzz/fuzz_jsonl.py -atheris_runs=100000 fuzz/corpus/jsonl`."""

import io

from harness import check, run

from dateline.ingest import read_bytes
from dateline.ingest.jsonl import read_jsonl_stream

MAX_BYTES = 64 * 1024


def target(data: bytes) -> None:
    check(read_jsonl_stream(io.BytesIO(data), "fuzz", MAX_BYTES))
    check(read_bytes(data, ".json", "fuzz"))


if __name__ == "__main__":
    run(target)
