"""Whole process: `dateline analyze` against the bare spaCy pipeline.

    .venv/bin/python benchmarks/whole_process.py [--corpus FILE.jsonl] [--rounds 3]

Each round starts two fresh Python processes on the same JSONL file (one
article a line, "text" in each), in alternating order:

  bare     imports spaCy, loads the stock model (the one dateline uses) and
           runs nlp.pipe over the texts; nothing is written;
  analyze  `python -m dateline analyze FILE -o OUT.jsonl`: imports, model,
           gazetteer and language detector loading, the analysis and the
           writing of the JSON Lines output, all included.

It prints the wall-clock and CPU seconds (user + system, of the process) of
each, the best of the rounds, and the ratio bare / analyze: 1.00x would mean
dateline's own work costs nothing; the target is 0.85x or more. The ratio is
the median over the rounds of each round's pair, run back to back, so both
processes of a pair meet about the same load. On a machine shared with other
jobs the wall clock wanders with the load, and even CPU seconds grow by a
tenth or more when the other core is busy: run enough rounds. By default the corpus is the PolNeAR dev split
(../shared/data/polnear/dev.jsonl, 84 articles of about 800 words), read only
for its lengths and wording, never copied.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"

BARE = """
import json, sys, spacy
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
for name in sys.argv[2:]:
    try:
        nlp = spacy.load(name)
        break
    except OSError:
        continue
for doc in nlp.pipe(texts, batch_size=32):
    pass
"""


def model_candidates() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from dateline.analyze import nlp as nlp_loader

    return [nlp_loader.model_name()] if nlp_loader.model_name() else list(nlp_loader.DEFAULT_MODELS)


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: some articles refused (a limit, a language), still a full run
        sys.exit(f"{' '.join(cmd[:4])} ... failed: {done.stderr.strip().splitlines()[-1:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSON Lines, a \"text\" per line")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    if not args.corpus.is_file():
        print(f"whole_process: no corpus at {args.corpus} (pass --corpus FILE.jsonl)", file=sys.stderr)
        return 2
    texts = [json.loads(line).get("text", "") for line in args.corpus.open(encoding="utf-8") if line.strip()]
    words = sum(len(t.split()) for t in texts)
    models = model_candidates()
    times: dict[str, list[tuple[float, float]]] = {"bare": [], "analyze": []}
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "bare": [sys.executable, "-c", BARE, str(args.corpus), *models],
            "analyze": [sys.executable, "-m", "dateline", "analyze", str(args.corpus),
                        "-o", str(Path(tmp) / "out.jsonl"), "--no-progress"],
        }
        for r in range(args.rounds):
            for name in (["bare", "analyze"] if r % 2 == 0 else ["analyze", "bare"]):
                times[name].append(run(commands[name]))
            (bw, bc), (aw, ac) = times["bare"][-1], times["analyze"][-1]
            print(f"  round {r + 1}: bare {bw:.1f}s ({bc:.1f}s CPU), analyze {aw:.1f}s ({ac:.1f}s CPU); "
                  f"CPU ratio {bc / ac:.2f}x (load average {os.getloadavg()[0]:.1f})", file=sys.stderr)
    best = {name: (min(w for w, _ in t), min(c for _, c in t)) for name, t in times.items()}
    pairs = list(zip(times["bare"], times["analyze"]))
    wall_ratio = statistics.median(b[0] / a[0] for b, a in pairs)
    cpu_ratio = statistics.median(b[1] / a[1] for b, a in pairs)
    print(f"{len(texts)} articles, {words:,} words ({words / max(len(texts), 1):.0f} an article), "
          f"{args.corpus.name}; best of {args.rounds} rounds; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"  {'process':<8} {'wall s':>7} {'CPU s':>7} {'words/s (wall)':>15} {'articles/s':>11}")
    for name, (wall, cpu) in best.items():
        print(f"  {name:<8} {wall:7.2f} {cpu:7.2f} {words / wall:15.0f} {len(texts) / wall:11.2f}")
    print(f"  ratio bare/analyze, median of the rounds' pairs: wall {wall_ratio:.2f}x, CPU {cpu_ratio:.2f}x "
          f"(target 0.85x); of the best times: wall {best['bare'][0] / best['analyze'][0]:.2f}x, "
          f"CPU {best['bare'][1] / best['analyze'][1]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
