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
import os
import sys
from typing import Optional

from dateline.cli import analyze, evaluate, serve, store
from dateline.cli.common import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, Fatal, quiet_library_warnings
from dateline.errors import StoreUnavailable
from dateline.version import __version__


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
    analyze.add_command(commands)    # analyze
    evaluate.add_commands(commands)  # schema, evaluate
    store.add_commands(commands)     # the corpus store: ingest, events, quotes, persons, search, stories, story, export
    serve.add_command(commands)      # the web app and JSON API: serve
    return parser


__all__ = ["main", "build_parser", "Fatal"]
