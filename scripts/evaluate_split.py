#!/usr/bin/env python3
"""Score events on a development part and a held-out part of the answer keys
and of the WikiEvents and PLOVER corpora, side by side.

A third of each corpus is held out (the keys whose number is 2 modulo 3, every
third corpus line starting with the third): rules are written while reading
the development part only, and the held-out figures say whether they
generalise. A gap between the two means the rules fit the articles they were
written on.

    python scripts/evaluate_split.py [--shared ../shared] [--errors FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from dateline.analyze.runner import analyze_articles
from dateline.evaluate.gold import Report, evaluate, format_report, load_key
from dateline.model import Article


def held_out_key(path: Path) -> bool:
    return int(path.name.split("-")[0]) % 3 == 2


def held_out_line(index: int) -> bool:
    return index % 3 == 2


def gold_reports(gold_dir: Path) -> dict[str, Report]:
    paths = sorted(gold_dir.glob("*.json"))
    return {"develop": evaluate(load_key(p) for p in paths if not held_out_key(p)),
            "held-out": evaluate(load_key(p) for p in paths if held_out_key(p))}


def corpus_scores(gold: Path, scorer: Path, text_field: str = "text") -> dict[str, str]:
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = {}
    for part, keep in (("develop", lambda i: not held_out_line(i)), ("held-out", held_out_line)):
        chosen = [r for i, r in enumerate(rows) if keep(i)]
        articles = [Article(id=str(r.get("id", i)), text=r[text_field], language="en") for i, r in enumerate(chosen)]
        with tempfile.TemporaryDirectory() as tmp:
            gold_part = Path(tmp) / "gold.jsonl"
            system = Path(tmp) / "system.jsonl"
            gold_part.write_text("".join(json.dumps(r) + "\n" for r in chosen), encoding="utf-8")
            with system.open("w", encoding="utf-8") as f:
                for r, analysis in zip(chosen, analyze_articles(articles)):
                    line = analysis.model_dump(mode="json")
                    line["id"] = r.get("id")
                    f.write(json.dumps(line) + "\n")
            result = subprocess.run([sys.executable, str(scorer), str(gold_part), str(system)],
                                    capture_output=True, text=True)
            out[part] = result.stdout + result.stderr
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    ap.add_argument("--errors", help="write the development part's errors here (JSON lines)")
    ap.add_argument("--corpora", action="store_true", help="also score WikiEvents and PLOVER")
    args = ap.parse_args()
    shared = Path(args.shared)
    reports = gold_reports(shared / "gold" / "dev")
    for part, report in reports.items():
        print(f"== answer keys, {part}")
        print(format_report(report))
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as f:
            for e in reports["develop"].errors:
                f.write(json.dumps(e, ensure_ascii=False, default=str) + "\n")
    if args.corpora:
        for name in ("wikievents", "plover"):
            folder = shared / "data" / name
            for part, text in corpus_scores(folder / "dev.jsonl", folder / "score.py").items():
                print(f"== {name}, {part}")
                print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
