"""CPU seconds spent in each stage of the work, in this process.

Always on and cheap: two clock reads per stage and article (about a
microsecond against the milliseconds a stage takes). CPU time rather than
wall-clock, so that the figures hold on a machine shared with other jobs. The analysis adds to
"checks" (length and language), "parse" (spaCy) and one entry per component
(entities, places, dates, quotes, events); ingest adds "store" and
"stories". Worker processes keep their own totals. benchmarks/ reads them.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager
from typing import Iterator

clock = time.process_time
seconds: Counter[str] = Counter()


def add(stage: str, started: float) -> float:
    """Charge the time since `started` (a clock() reading) to `stage`; returns now."""
    now = clock()
    seconds[stage] += now - started
    return now


@contextmanager
def stage(name: str) -> Iterator[None]:
    started = clock()
    try:
        yield
    finally:
        add(name, started)


def snapshot() -> dict[str, float]:
    return dict(seconds)


def reset() -> None:
    seconds.clear()
