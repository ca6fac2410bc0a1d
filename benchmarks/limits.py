"""What the hostile-input guards cost an ordinary article, and how fast the
refusals come.

    .venv/bin/python benchmarks/limits.py [--rounds 20]

In one run: the per-article checks (length, language detection) against a
whole analysis of the same sample articles, as a ratio; and the time to
refuse a 1 MB text without a full stop, a German article and a 4 GB WARC
zip bomb, against the time to analyse one ordinary article. Not a test.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dateline  # noqa: E402
from dateline.analyze import limits  # noqa: E402
from dateline.ingest import read_path  # noqa: E402
from dateline.ingest.warc import read_warc_stream  # noqa: E402
from dateline.model import Article  # noqa: E402


def best_of(rounds: int, func) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def zip_bomb(gigabytes: int) -> bytes:
    header = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example/\r\n"
              b"Content-Length: %d\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" % (gigabytes * 2**30))
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = deflate.compress(header) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(bytes(2**20)) + deflate.flush(zlib.Z_FULL_FLUSH)
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + head + block * (gigabytes * 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    articles = [r for p in sorted((ROOT / "samples").glob("*.txt")) for r in read_path(p) if isinstance(r, Article)]
    dateline.analyze_text(articles[0].text)  # load the model, gazetteer and language model
    analyse = best_of(max(3, args.rounds // 4), lambda: [dateline.analyze_text(a.text) for a in articles]) / len(articles)
    check = best_of(args.rounds, lambda: [limits.check(a) for a in articles]) / len(articles)
    print(f"ordinary article ({len(articles)} samples): analysis {analyse * 1000:.1f} ms, "
          f"checks {check * 1000:.2f} ms, ratio {check / analyse:.3f}")

    nostop = ("the army said that troops moved " * 40_000)[:2**20]
    german = ("Die Bundesregierung hat am Montag neue Maßnahmen gegen die Inflation beschlossen. "
              "Der Kanzler sagte, man werde die Bürger entlasten. ") * 5
    bomb = zip_bomb(4)
    cases = {
        "1 MB without a full stop": lambda: dateline.analyze_text(nostop),
        "German article": lambda: dateline.analyze_text(german),
        f"4 GB zip bomb ({len(bomb) / 2**20:.1f} MB of gzip)": lambda: list(read_warc_stream(io.BytesIO(bomb))),
    }
    for name, func in cases.items():
        took = best_of(3, func)
        print(f"refusing a {name}: {took * 1000:.1f} ms, {took / analyse:.2f}x one ordinary analysis")


if __name__ == "__main__":
    main()
