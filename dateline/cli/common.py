"""What every command shares: exit codes, the one-line fatal error, argument
types, the per-article limit options, model loading and the progress bar."""

from __future__ import annotations

import argparse
import gc
import sys
import time
import warnings
from typing import TextIO

from dateline.analyze import limits
from dateline.ingest import DEFAULT_MAX_BYTES, iso_date  # noqa: F401  (DEFAULT_MAX_BYTES: for the commands' defaults)

EXIT_OK, EXIT_SOME_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
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


def add_limit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-chars", type=non_negative_int, default=limits.max_chars(), metavar="N",
                   help="longest article text analysed, in characters; longer ones are skipped "
                        "with an error (default %(default)s; 0 for no limit)")
    p.add_argument("--article-timeout", type=non_negative_float, default=limits.timeout(), metavar="SECONDS",
                   help="time limit per article; slower ones are skipped with an error (default %(default)g; 0 for none)")


def apply_limit_options(args) -> None:
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


positive_int = _number_arg(int, lambda n: n >= 1, "a positive whole number")
non_negative_int = _number_arg(int, lambda n: n >= 0, "a whole number")
positive_float = _number_arg(float, lambda x: x > 0, "a positive number")
non_negative_float = _number_arg(float, lambda x: x >= 0, "a number >= 0")
fraction = _number_arg(float, lambda x: 0 <= x <= 1, "a number from 0 to 1")


def date_arg(value: str) -> str:
    iso = iso_date(value)
    if not iso:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)")
    return iso


def load_model() -> None:
    # Load once in this process before any worker forks, and turn a missing
    # model into a one-line error instead of one error per article. (spaCy is
    # imported here, when a command needs it: `dateline --help` stays quick.)
    from dateline.analyze import nlp as nlp_loader
    from dateline.analyze.pipeline import warm_up

    try:
        nlp = nlp_loader.load()
    except nlp_loader.ModelNotFound as exc:
        raise Fatal(str(exc)) from None
    limits.preload()
    warm_up(nlp)  # the gazetteer and the lexicons
    # The model, the gazetteer and the detector live as long as the process:
    # keep their million objects out of every later garbage collection (and
    # their pages shared with forked workers).
    gc.freeze()


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
