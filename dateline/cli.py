"""The `dateline` command.

    dateline analyze FILE... [-o OUT] [--format json|jsonl|text] [--published DATE] [--workers N]
    dateline schema
    dateline evaluate GOLD_DIR | --polnear FILE.jsonl | --geo FILE.jsonl [--limit N] [--part held-out]

Exit codes of `analyze`: 0 every article was analysed; 1 some articles failed
(each has an error line in the output and a message on stderr); 2 nothing
could be read (a single bad file, or every input bad) or a usage error;
130 interrupted. Bad input never produces a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, Optional, TextIO, Union

from dateline import __version__
from dateline.ingest import DEFAULT_MAX_BYTES, InputError, Record, estimate_articles, is_jsonl, iso_date, read_paths
from dateline.model import Analysis, Article
from dateline.store.base import StoreUnavailable

EXIT_OK, EXIT_SOME_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
CHUNK = 256  # articles handed to analyze_many at once; a failing one is retried alone
MAX_WARNINGS = 20


class Fatal(Exception):
    """Stops the command with `dateline: error: <message>` and exit 2."""


def quiet_library_warnings() -> None:
    """Library warnings (dateutil's "tzname EDT identified but not understood"
    on a page's date, deprecation notices) are for developers, not for the
    person running a command: they are not shown (nor by the analysis
    workers, which are forked and inherit the filter) unless asked for with
    -W or PYTHONWARNINGS."""
    if not sys.warnoptions:
        warnings.simplefilter("ignore")


def main(argv: Optional[list[str]] = None) -> int:
    quiet_library_warnings()
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (Fatal, StoreUnavailable) as exc:
        print(f"dateline: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `dateline analyze ... | head`: the reader left; say nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dateline", description="News articles in, a structured and sourced record out.")
    parser.add_argument("--version", action="version", version=f"dateline {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("analyze", help="analyse articles (.txt, .html, .json, .jsonl)",
                            description="Analyse articles. One file gives one JSON object; several files "
                                        "or a .jsonl file give JSON Lines, one analysis per article.",
                            epilog="exit status: 0 all articles analysed, 1 some failed, 2 nothing could be read")
    p.add_argument("files", nargs="+", metavar="FILE", help="article files; .jsonl holds one article per line")
    p.add_argument("-o", "--output", metavar="OUT", help="write the JSON (or JSON Lines) here instead of stdout")
    p.add_argument("--format", choices=("json", "jsonl", "text"), default="json",
                   help="json (default), jsonl, or text: a readable digest on stdout (JSON still goes to -o)")
    p.add_argument("--published", type=_date_arg, metavar="DATE", help="publication date for every article")
    p.add_argument("--workers", type=_positive_int, default=1, metavar="N", help="processes to analyse with (default 1)")
    p.add_argument("--max-size", type=_positive_float, default=DEFAULT_MAX_BYTES / 2**20, metavar="MB",
                   help="largest file (or JSONL line) accepted, in MB (default %(default)g)")
    add_limit_options(p)
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=cmd_analyze)

    p = commands.add_parser("schema", help="print the JSON Schema of the output")
    p.set_defaults(run=cmd_schema)

    p = commands.add_parser("evaluate", help="score the analysis against gold files or a research corpus")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("gold_dir", nargs="?", metavar="GOLD_DIR", help="folder of gold-standard answer keys")
    target.add_argument("--polnear", metavar="FILE.jsonl", help="PolNeAR attribution corpus")
    target.add_argument("--geo", metavar="FILE.jsonl", help="geoparsing corpus")
    p.add_argument("--limit", type=_positive_int, metavar="N", help="score only the first N documents")
    p.add_argument("--part", choices=("all", "tuning", "held-out"), default="all",
                   help="--geo only: every third article (lines 3, 6, 9, ...) is the held-out part")
    p.set_defaults(run=cmd_evaluate)

    # The corpus store: ingest, events, quotes, search, stories, story, export.
    from dateline.store.commands import add_commands

    add_commands(commands, sys.modules[__name__])

    # The web app and JSON API: serve.
    from dateline.serve.command import add_command as add_serve

    add_serve(commands, sys.modules[__name__])
    return parser


def add_limit_options(p: argparse.ArgumentParser) -> None:
    from dateline.analyze import limits

    p.add_argument("--max-chars", type=_non_negative_int, default=limits.max_chars(), metavar="N",
                   help="longest article text analysed, in characters; longer ones are skipped "
                        "with an error (default %(default)s; 0 for no limit)")
    p.add_argument("--article-timeout", type=_non_negative_float, default=limits.timeout(), metavar="SECONDS",
                   help="time limit per article; slower ones are skipped with an error (default %(default)g; 0 for none)")


def apply_limit_options(args) -> None:
    from dateline.analyze import limits

    limits.configure(max_chars=args.max_chars, timeout=args.article_timeout)


def _number_arg(convert, acceptable, what: str):
    """An argparse type: `convert` the value and refuse it unless `acceptable`."""
    def parse(value: str):
        try:
            x = convert(value)
        except ValueError:
            x = None
        if x is None or not acceptable(x):  # NaN is never acceptable
            raise argparse.ArgumentTypeError(f"not {what}: {value!r}")
        return x
    return parse


_positive_int = _number_arg(int, lambda n: n >= 1, "a positive whole number")
_non_negative_int = _number_arg(int, lambda n: n >= 0, "a whole number")
_positive_float = _number_arg(float, lambda x: x > 0, "a positive number")
_non_negative_float = _number_arg(float, lambda x: x >= 0, "a number >= 0")
_fraction = _number_arg(float, lambda x: 0 <= x <= 1, "a number from 0 to 1")


def _date_arg(value: str) -> str:
    iso = iso_date(value)
    if not iso:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)")
    return iso


# analyze ---------------------------------------------------------------------

class AnalysisError(InputError):
    """The article was read but the analysis raised: a bug to report, not bad input."""


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

    _load_model()
    json_out, text_out = _open_outputs(args)
    progress = Progress(estimate_articles(args.files), enabled=not args.no_progress)
    counts = {"ok": 0, "failed": 0, "unreadable": 0}
    try:
        for result in analyze_records(records, args.workers):
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
                    from dateline.digest import render

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


def analyze_records(records: Iterable[Record], workers: int = 1, chunk: int = CHUNK) -> Iterator[Union[Analysis, InputError]]:
    """Analyses and read errors, in input order. Articles go to
    dateline.analyze_many in chunks so nlp.pipe streams; if the stream breaks
    on an article, the rest of its chunk is analysed one by one so that only
    the culprit is lost. With several workers, a persistent pool of
    processes (dateline.scale.pool) does the same for the whole input."""
    if workers > 1:
        from dateline.scale.pool import analyze_in_order

        yield from analyze_in_order(records, workers)
        return
    records = iter(records)
    while batch := list(islice(records, chunk)):
        results = _analyze_chunk([r for r in batch if isinstance(r, Article)], workers)
        for record in batch:
            yield record if isinstance(record, InputError) else next(results)
        results.close()  # ends a worker pool now rather than at garbage collection


def _analyze_chunk(articles: list[Article], workers: int) -> Iterator[Union[Analysis, InputError]]:
    import dateline

    done = 0
    try:
        for analysis in dateline.analyze_many(articles, n_process=workers):
            done += 1
            yield analysis
        return
    except Exception:
        pass
    for article in articles[done:]:
        try:
            yield next(iter(dateline.analyze_many([article])))
        except Exception as exc:
            message = f"analysis failed: {type(exc).__name__}: {exc}"
            yield AnalysisError(message, id=article.id)


def _with_published(record: Record, published: str) -> Record:
    if isinstance(record, Article):
        return record.model_copy(update={"published": published})
    return record


def _load_model() -> None:
    # Load once in this process before any worker forks, and turn a missing
    # model into a one-line error instead of one error per article.
    from dateline.analyze import limits, nlp as nlp_loader

    try:
        nlp = nlp_loader.load()
    except nlp_loader.ModelNotFound as exc:
        raise Fatal(str(exc)) from None
    limits.preload()
    from dateline.analyze.pipeline import warm_up

    warm_up(nlp)  # the gazetteer and the lexicons
    # The model, the gazetteer and the detector live as long as the process:
    # keep their million objects out of every later garbage collection (and
    # their pages shared with forked workers).
    import gc

    gc.freeze()


def _open_outputs(args) -> tuple[Optional[TextIO], Optional[TextIO]]:
    text_out = sys.stdout if args.format == "text" else None
    if not args.output:
        return (None if text_out else sys.stdout), text_out
    try:
        return open(args.output, "w", encoding="utf-8"), text_out
    except OSError as exc:
        raise Fatal(f"cannot write {args.output}: {exc.strerror}") from None


class Progress:
    """A one-line progress bar on stderr: redrawn in place on a terminal,
    a line every 10% otherwise; only for batches worth watching."""

    def __init__(self, total: int, stream: TextIO = sys.stderr, enabled: bool = True):
        self.total, self.stream, self.done = max(total, 1), stream, 0
        self.tty = stream.isatty()
        self.enabled = enabled and (total > 20 or (self.tty and total > 1))
        self.start = self.last = time.monotonic()
        self.shown = 0

    def update(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if self.tty and (now - self.last > 0.1 or self.done >= self.total):
            self.last = now
            self.stream.write("\r" + self._line())
            self.stream.flush()
        elif not self.tty and self.done * 10 // self.total > self.shown:
            self.shown = self.done * 10 // self.total
            self.stream.write(self._line() + "\n")

    def message(self, text: str) -> None:
        if self.enabled and self.tty:
            self.stream.write("\r\033[K")
        print(text, file=self.stream)

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\r" + self._line() + "\n")
        self.stream.flush()

    def _line(self) -> str:
        rate = self.done / max(time.monotonic() - self.start, 1e-6)
        filled = min(20, 20 * self.done // self.total)
        return f"[{'#' * filled}{'.' * (20 - filled)}] {self.done}/{self.total} articles, {rate:.1f}/s"


# schema, evaluate ----------------------------------------------------------

def cmd_schema(args) -> int:
    from dateline.model import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_evaluate(args) -> int:
    import importlib

    if args.polnear:
        name, path, kwargs = "polnear", args.polnear, {"limit": args.limit}
    elif args.geo:
        name, path, kwargs = "geo", args.geo, {"limit": args.limit, "part": args.part}
    else:
        name, path, kwargs = "gold", args.gold_dir, {}
    if not Path(path).exists():
        raise Fatal(f"{path}: no such file or directory")
    try:
        module = importlib.import_module(f"dateline.evaluate.{name}")
        run = module.main
    except (ImportError, AttributeError) as exc:
        raise Fatal(f"the {name} evaluation is not available ({exc})") from None
    return int(run(path, out=sys.stdout, **kwargs) or 0)


if __name__ == "__main__":
    sys.exit(main())
