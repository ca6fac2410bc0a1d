"""`dateline analyze`: articles in, analyses out (JSON, JSON Lines or a text digest)."""

from __future__ import annotations

import json
import sys
from typing import Iterable, Optional, TextIO

from dateline.cli.common import (EXIT_BAD_INPUT, EXIT_OK, EXIT_SOME_FAILED, MAX_WARNINGS, Fatal, Progress,
                                 add_limit_options, apply_limit_options, date_arg, load_model, positive_float,
                                 positive_int)
from dateline.digest import render
from dateline.errors import AnalysisError
from dateline.ingest import DEFAULT_MAX_BYTES, InputError, Record, estimate_articles, is_jsonl, read_paths
from dateline.model import Analysis, Article


def add_command(commands) -> None:
    p = commands.add_parser("analyze", help="analyse articles (.txt, .html, .json, .jsonl)",
                            description="Analyse articles. One file gives one JSON object; several files "
                                        "or a .jsonl file give JSON Lines, one analysis per article.",
                            epilog="exit status: 0 all articles analysed, 1 some failed, 2 nothing could be read")
    p.add_argument("files", nargs="+", metavar="FILE", help="article files; .jsonl holds one article per line")
    p.add_argument("-o", "--output", metavar="OUT", help="write the JSON (or JSON Lines) here instead of stdout")
    p.add_argument("--format", choices=("json", "jsonl", "text"), default="json",
                   help="json (default), jsonl, or text: a readable digest on stdout (JSON still goes to -o)")
    p.add_argument("--published", type=date_arg, metavar="DATE", help="publication date for every article")
    p.add_argument("--workers", type=positive_int, default=1, metavar="N", help="processes to analyse with (default 1)")
    p.add_argument("--max-size", type=positive_float, default=DEFAULT_MAX_BYTES / 2**20, metavar="MB",
                   help="largest file (or JSONL line) accepted, in MB (default %(default)g)")
    add_limit_options(p)
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=cmd_analyze)


def cmd_analyze(args) -> int:
    max_bytes = int(args.max_size * 2**20)
    apply_limit_options(args)
    records: Iterable[Record] = read_paths(args.files, max_bytes)
    if args.published:
        records = (_with_published(r, args.published) for r in records)

    # One plain file gives one pretty JSON object; everything else is JSON Lines.
    single = len(args.files) == 1 and not is_jsonl(args.files[0]) and args.format != "jsonl"
    if single:
        records = list(records)  # one file, at most max_bytes: fine to hold
        if len(records) == 1 and isinstance(records[0], InputError):
            raise Fatal(str(records[0]))
        single = len(records) == 1

    load_model()
    from dateline.scale.pool import analyze_records  # with spaCy: only when analysing

    json_out, text_out = _open_outputs(args)
    progress = Progress(estimate_articles(args.files), enabled=not args.no_progress)
    counts = {"ok": 0, "failed": 0, "unreadable": 0}
    try:
        for result in analyze_records(records, args.workers):  # dateline.analyze.runner, or a pool of them
            if isinstance(result, Analysis) and result.error:  # refused by a per-article limit or its language
                result = InputError(result.error, id=result.article.id)
            if isinstance(result, InputError):
                counts["failed"] += 1
                counts["unreadable"] += not isinstance(result, AnalysisError)
                if counts["failed"] <= MAX_WARNINGS:
                    progress.message(f"dateline: skipped {result}")
                if json_out:
                    json_out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
            else:
                counts["ok"] += 1
                if json_out:
                    json_out.write((result.model_dump_json(indent=2) if single else result.model_dump_json()) + "\n")
                if text_out:
                    if counts["ok"] > 1:
                        text_out.write("\n" + "-" * 72 + "\n\n")
                    text_out.write(render(result))
            progress.update()
    finally:
        progress.close()
        if json_out and json_out is not sys.stdout:
            json_out.close()
    if counts["failed"] > MAX_WARNINGS:
        print(f"dateline: ... and {counts['failed'] - MAX_WARNINGS} more skipped", file=sys.stderr)
    total = counts["ok"] + counts["failed"]
    if counts["failed"]:
        print(f"dateline: {counts['ok']} of {total} articles analysed, {counts['failed']} failed", file=sys.stderr)
    if counts["ok"] == 0 and counts["unreadable"] == total:
        return EXIT_BAD_INPUT
    return EXIT_SOME_FAILED if counts["failed"] else EXIT_OK


def _with_published(record: Record, published: str) -> Record:
    if isinstance(record, Article):
        return record.model_copy(update={"published": published})
    return record


def _open_outputs(args) -> tuple[Optional[TextIO], Optional[TextIO]]:
    text_out = sys.stdout if args.format == "text" else None
    if not args.output:
        return (None if text_out else sys.stdout), text_out
    try:
        return open(args.output, "w", encoding="utf-8"), text_out
    except OSError as exc:
        raise Fatal(f"cannot write {args.output}: {exc.strerror}") from None
