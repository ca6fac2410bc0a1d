"""Parallel analysis on one machine: a persistent pool of worker processes.

Each worker loads the model once (when the pool starts) and then analyses
batches of a few articles for as long as the input lasts; the parent only
reads input, hands out batches and takes back results, in input order. At
most a few batches per worker are in flight, so the parent never reads far
ahead of the analysis, however large the input.

A worker that dies (killed, out of memory, a crash in native code) costs only
the article that killed it: the pool is restarted and the batches in flight
are analysed again one article at a time.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator, Optional

from dateline.analyze import runner
from dateline.analyze.runner import Outcome, Result, analyze_batch, as_result, load_model
from dateline.errors import InputError
from dateline.ingest import Record
from dateline.model import Article

BATCH = 16          # articles per task: large enough for nlp.pipe, small enough to balance the workers
IN_FLIGHT = 3       # tasks per worker handed out before the parent waits for the oldest
PARENT_CHECK = 1.0  # seconds between a worker's checks that its parent still lives

def default_workers() -> int:
    return os.cpu_count() or 1


def analyze_records(records: Iterable[Record], workers: int = 1, chunk: int = runner.CHUNK) -> Iterator[Result]:
    """Analyses and read errors, in input order: in this process for one
    worker (dateline.analyze.runner), else on a pool of `workers` processes.
    An article whose analysis raised comes back as an AnalysisError."""
    if workers > 1:
        return analyze_in_order(records, workers)
    return runner.analyze_records(records, chunk)


def analyze_in_order(records: Iterable[Record], workers: int, batch: int = BATCH,
                     components: Optional[tuple[str, ...]] = None) -> Iterator[Result]:
    """Analyses (and the input's read errors, passed through) in input order.
    An article that cannot be analysed comes back as an AnalysisError."""
    pool = _Pool(workers, components)
    try:
        pending: deque = deque()
        for group in _groups(iter(records), batch):
            pending.append((group, pool.submit(group)))
            while len(pending) >= workers * IN_FLIGHT:
                yield from pool.collect(*pending.popleft())
        while pending:
            yield from pool.collect(*pending.popleft())
    finally:
        pool.close()


def _groups(records: Iterator[Record], batch: int) -> Iterator[list[Record]]:
    """Runs of records holding `batch` articles (read errors ride along)."""
    group: list[Record] = []
    articles = 0
    for record in records:
        group.append(record)
        if isinstance(record, Article):
            articles += 1
            if articles >= batch:
                yield group
                group, articles = [], 0
    if group:
        yield group


class _Pool:
    def __init__(self, workers: int, components: Optional[tuple[str, ...]] = None):
        self.workers, self.components = workers, components
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing as mp

        # Forking shares the parent's loaded model for free. It is safe even
        # when the parent runs other threads (a web server, a Dask client):
        # the workers only analyse and take none of those threads' locks.
        method = "fork" if hasattr(os, "fork") else "spawn"
        return ProcessPoolExecutor(self.workers, mp_context=mp.get_context(method), initializer=_init_worker)

    def submit(self, group: list[Record]):
        articles = [r for r in group if isinstance(r, Article)]
        try:
            return self.executor.submit(analyze_batch, articles, self.components) if articles else None
        except BrokenProcessPool:
            return None if not articles else _Broken()

    def collect(self, group: list[Record], future) -> Iterator[Result]:
        outcomes = iter(self._outcomes(group, future))
        for record in group:
            yield record if isinstance(record, InputError) else as_result(record, next(outcomes))

    def _outcomes(self, group: list[Record], future) -> list[Outcome]:
        articles = [r for r in group if isinstance(r, Article)]
        if future is None:
            return []
        try:
            if not isinstance(future, _Broken):
                return future.result()
        except BrokenProcessPool:
            pass
        return [self._alone(a) for a in articles]

    def _alone(self, article: Article) -> Outcome:
        """Analyse one article in a fresh pool if the current one broke; if
        that kills a worker too, the article is the culprit."""
        for attempt in range(2):
            try:
                return self.executor.submit(analyze_batch, [article], self.components).result()[0]
            except BrokenProcessPool:
                self.executor.shutdown(wait=False, cancel_futures=True)
                self.executor = self._start()
        return "analysis failed: the worker process died"

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


class _Broken:
    """Stands for a task that could not be submitted because the pool broke."""


def _init_worker() -> None:
    # Ctrl-C reaches the whole process group; the parent alone handles it and
    # stops the pool, instead of every worker printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    load_model()


def _exit_with_parent(parent: int) -> None:
    """A parent killed outright (kill -9, out of memory) cannot stop its pool,
    and an idle worker would wait for work forever, holding its model's
    memory: leave as soon as the parent is gone."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


__all__ = ["analyze_records", "analyze_in_order", "default_workers", "BATCH"]
