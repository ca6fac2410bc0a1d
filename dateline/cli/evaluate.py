"""`dateline schema` and `dateline evaluate`: the output's JSON Schema, and
scores against answer keys or research corpora."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

from dateline.cli.common import EXIT_OK, Fatal, positive_int
from dateline.model import json_schema


def add_commands(commands) -> None:
    p = commands.add_parser("schema", help="print the JSON Schema of the output")
    p.set_defaults(run=cmd_schema)

    p = commands.add_parser("evaluate", help="score the analysis against gold files or a research corpus")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("gold_dir", nargs="?", metavar="GOLD_DIR", help="folder of gold-standard answer keys")
    target.add_argument("--polnear", metavar="FILE.jsonl", help="PolNeAR attribution corpus")
    target.add_argument("--geo", metavar="FILE.jsonl", help="geoparsing corpus")
    target.add_argument("--stories", metavar="GOLD.jsonl",
                        help="article clustering gold (id + subtopic, ECB+ style): scores the stories")
    p.add_argument("--db", metavar="STORE", help="--stories only: score this store's stories instead of ingesting "
                                                 "the gold file's articles into a new one")
    p.add_argument("--limit", type=positive_int, metavar="N", help="score only the first N documents")
    p.add_argument("--part", choices=("all", "tuning", "held-out"), default="all",
                   help="--geo and --stories: every third article (lines 3, 6, 9, ...) is the held-out part")
    p.set_defaults(run=cmd_evaluate)


def cmd_schema(args) -> int:
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_evaluate(args) -> int:
    if args.polnear:
        name, path, kwargs = "polnear", args.polnear, {"limit": args.limit}
    elif args.geo:
        name, path, kwargs = "geo", args.geo, {"limit": args.limit, "part": args.part}
    elif args.stories:
        name, path, kwargs = "stories", args.stories, {"limit": args.limit, "part": args.part, "db": args.db}
        if args.db and not Path(args.db).exists():
            raise Fatal(f"{args.db}: no such store")
    else:
        name, path, kwargs = "gold", args.gold_dir, {}
    if not Path(path).exists():
        raise Fatal(f"{path}: no such file or directory")
    try:
        module = importlib.import_module(f"dateline.evaluate.{name}")
        run = module.main
    except (ImportError, AttributeError) as exc:
        raise Fatal(f"the {name} evaluation is not available ({exc})") from None
    try:
        return int(run(path, out=sys.stdout, **kwargs) or 0)
    except ValueError as exc:  # a malformed corpus file: bad JSON, bad encoding, a row without its fields
        raise Fatal(f"{path}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
