#!/bin/sh
# Run the reader fuzz targets in turn: fuzz/run_all.sh [RUNS] (default 100000).
# TARGETS="analyze" fuzz/run_all.sh 5000 runs the (much slower) analysis target.
# New interesting inputs go to out/fuzz/<target>/, crashes to out/fuzz/crashes/;
# the seeds in fuzz/seeds/ are only read.
cd "$(dirname "$0")/.."
RUNS=${1:-100000}
PY=${PYTHON:-.venv/bin/python}
mkdir -p out/fuzz/crashes
for target in ${TARGETS:-html feed warc jsonl text}; do
    mkdir -p "out/fuzz/$target"
    seeds="fuzz/seeds/$target"
    [ -d "$seeds" ] || seeds=""
    echo "== $target: $RUNS runs"
    "$PY" "fuzz/fuzz_$target.py" -atheris_runs="$RUNS" -timeout=20 -rss_limit_mb=4096 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="out/fuzz/crashes/$target-" "out/fuzz/$target" $seeds \
        || { echo "== $target: FAILED (see out/fuzz/crashes/)"; status=1; }
done
exit ${status:-0}
