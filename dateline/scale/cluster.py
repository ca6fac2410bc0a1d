"""Ingest on a Dask cluster: workers read and analyse, the client stores.

    dateline ingest --dask local corpus/               # a LocalCluster on this machine
    dateline ingest --dask tcp://scheduler:8786 corpus/

The input is cut into partitions (dateline.scale.partitions). Each Dask
worker reads its partitions from the (shared) file system and analyses them
with its own copy of the model, loaded once when the worker joins. The
client takes the results as they complete, puts them back in input order
and stores them through the ordinary `ingest`, so the store ends up exactly
as a single-process ingest of the same input leaves it. After a partition's
articles are committed it is recorded as finished (dateline.scale.checkpoints);
an interrupted run started again skips the finished partitions.
"""

from __future__ import annotations

import signal
import threading
from collections import deque
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Optional, Union

from dateline.analyze.runner import analyze_batch, load_model
from dateline.errors import AnalysisError, ClusterError
from dateline.ingest import DEFAULT_MAX_BYTES, InputError, Record
from dateline.model import Analysis, Article
from dateline.scale import checkpoints, partitions

IN_FLIGHT = 3  # partitions per worker queued ahead, so no worker waits for the client
LIMIT_SETTINGS = ("DATELINE_MAX_CHARS", "DATELINE_TIMEOUT")  # see dateline.analyze.limits
QUIET_WORKERS = {"distributed.worker.profile.enabled": False, "distributed.admin.system-monitor.interval": "5s",
                 "distributed.admin.tick.interval": "1s", "distributed.worker.memory.monitor-interval": "1s"}

# What a worker sends back for one record: its analysis, the read error, or
# the article with the reason its analysis failed.
Item = Union[Analysis, InputError, tuple]


def read_and_analyze(partition: partitions.Partition, max_bytes: int, settings: Optional[dict] = None) -> list[Item]:
    """The task a Dask worker runs for one partition. `settings` are the
    client's per-article limits (LIMIT_SETTINGS), which a worker on another
    host would not otherwise see."""
    import os

    os.environ.update(settings or {})
    records = list(partitions.read(partition, max_bytes))
    outcomes = iter(analyze_batch([r for r in records if isinstance(r, Article)]))
    out: list[Item] = []
    for record in records:
        if isinstance(record, InputError):
            out.append(record)
            continue
        outcome = next(outcomes)
        out.append(outcome if isinstance(outcome, Analysis) else ("failed", record, outcome))
    return out


def connect(address: str, workers: int):
    """A Dask client: `local` starts a LocalCluster of `workers` processes
    with one thread each; anything else is a scheduler address."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("--dask needs Dask: pip install 'dateline[dask]' (dask and distributed)") from None
    _quiet_logging()
    try:
        if address == "local":
            import dask

            # The workers' statistical profiler and frequent self-monitoring take
            # CPU from the analysis; nobody watches a dashboard here.
            with dask.config.set(QUIET_WORKERS), _ctrl_c_for_the_client_only():
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
            client.run(_quiet_logging)
        else:
            _check_reachable(address)
            client = Client(address, timeout="30s")
    except (OSError, TimeoutError, ValueError, RuntimeError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({' '.join(str(exc).split())[:200]})") from None
    try:
        # Load the model in every worker now, once for all its tasks: a worker
        # without it fails here with one message instead of once per partition.
        # (A worker that joins later loads it with its first task.)
        client.run(load_model)
    except Exception as exc:
        close(client)
        raise ClusterError(f"a Dask worker could not load the spaCy model ({' '.join(str(exc).split())[:200]})") from None
    return client


def _quiet_logging() -> None:
    # Tasks cancelled and workers stopped on purpose (Ctrl-C, the end of the run) are no news.
    import logging

    logging.getLogger("distributed").setLevel(logging.ERROR)


@contextmanager
def _ctrl_c_for_the_client_only():
    """Ctrl-C reaches the whole process group. Processes started in this block
    inherit an ignored SIGINT, so only the client stops (and closes the
    cluster), instead of every worker printing a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _check_reachable(address: str) -> None:
    """Fail at once on a scheduler that refuses connections, rather than
    after the client's retries time out."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme not in ("tcp", "tls") or not parts.hostname:
        return
    try:
        socket.create_connection((parts.hostname, parts.port or 8786), timeout=10).close()
    except OSError as exc:
        raise OSError(exc.strerror or type(exc).__name__) from None


def close(client) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def results_in_order(client, parts: list[partitions.Partition], max_bytes: int,
                     ) -> Iterator[tuple[partitions.Partition, list[Item], bool]]:
    """(partition, items, complete) in input order, taking results as they
    complete and keeping a few partitions per worker in flight. A partition
    whose task failed as a whole comes back as one error, not complete."""
    from dask.distributed import as_completed

    import os

    window = max(1, len(client.scheduler_info().get("workers", {}))) * IN_FLIGHT
    settings = {k: os.environ[k] for k in LIMIT_SETTINGS if k in os.environ}
    todo = iter(parts)
    waiting: deque[partitions.Partition] = deque()  # submitted, not yet handed on, in input order
    part_of: dict[str, partitions.Partition] = {}
    done: dict[int, tuple[list[Item], bool]] = {}
    running = as_completed()

    def submit_more() -> None:
        while len(waiting) < window and (part := next(todo, None)) is not None:
            future = client.submit(read_and_analyze, part, max_bytes, settings, pure=False)
            part_of[future.key] = part
            waiting.append(part)
            running.add(future)

    submit_more()
    for future in running:
        part = part_of.pop(future.key)
        try:
            done[part.index] = (future.result(), True)
        except Exception as exc:  # the workers died on it repeatedly, or could not run it
            message = f"partition not analysed ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"
            done[part.index] = ([InputError(message, source_file=part.describe())], False)
        future.release()
        while waiting and waiting[0].index in done:
            ready = waiting.popleft()
            yield (ready, *done.pop(ready.index))
        submit_more()


def ingest_on_dask(store, files: list[str], dask, *, workers: int = 2, max_bytes: int = DEFAULT_MAX_BYTES,
                   partition: int = partitions.PARTITION, on_result: Optional[Callable[[str, object], None]] = None,
                   checkpoint: bool = True):
    """Like dateline.store.ingest.ingest on these files, with the reading and
    analysis done on Dask. `dask` is a dask.distributed Client, a scheduler
    address, or "local" for a LocalCluster of `workers` processes. A
    partition holds about `partition` articles; a record skipped because its
    partition was finished before is reported with item None."""
    from dateline.ingest.fetch import is_url
    from dateline.store.ingest import ingest

    urls = [f for f in files if is_url(f)]
    if urls:
        raise ClusterError(f"--dask reads files only; fetch {urls[0]} without --dask")
    report = on_result or (lambda kind, item: None)
    parts = partitions.split(files, partition)
    finished = checkpoints.finished(store) if checkpoint else set()
    done = {p.key for p in parts if p.key in finished}
    already = checkpoints.records_in(store, done)
    for _ in range(already):
        report("skipped", None)
    todo = [p for p in parts if p.key not in done]

    client = connect(dask, workers) if isinstance(dask, str) else dask
    try:
        feed = _Feed(results_in_order(client, todo, max_bytes), store if checkpoint else None)
        stats = ingest(store, feed.records(), workers=1, on_result=feed.reporter(report), analyzer=feed.analyses)
    finally:
        if isinstance(dask, str):
            close(client)
    stats.skipped += already
    return stats


class _Feed:
    """Hands `ingest` the records of the finished partitions and, in step with
    them, their precomputed analyses; marks a partition finished once
    `ingest` has moved past its last record."""

    def __init__(self, ordered: Iterator[tuple[partitions.Partition, list[Item], bool]], store=None):
        self.ordered, self.store = ordered, store
        self.outcome: object = None
        self.settled: set[str] = set()  # ids of this partition's articles that ingest stored or found stored

    def reporter(self, report: Callable[[str, object], None]) -> Callable[[str, object], None]:
        def on_result(kind: str, item) -> None:
            if kind in ("added", "skipped") and isinstance(item, Article):
                self.settled.add(item.id)
            elif kind == "duplicate":
                self.settled.add(item[0].id)
            report(kind, item)

        return on_result

    def records(self) -> Iterator[Record]:
        for partition, items, complete in self.ordered:
            articles: list[Article] = []
            failed = not complete
            for item in items:
                if isinstance(item, Analysis):
                    self.outcome = item
                    articles.append(item.article)
                    yield item.article
                elif isinstance(item, InputError):
                    yield item
                else:
                    _, article, message = item
                    failed = True
                    self.outcome = AnalysisError(message, id=article.id)
                    yield article
            # `ingest` asks for the next record only after it has dealt with
            # this one, but it keeps a reprint back until the end of the run:
            # the partition is finished only if ingest has reported every one
            # of its articles stored, or found stored already.
            if self.store is not None and not failed and all(a.id in self.settled for a in articles):
                checkpoints.mark_finished(self.store, partition, len(articles))
            self.settled.clear()

    def analyses(self, articles: Iterable[Article]) -> Iterator[Union[Analysis, InputError]]:
        for article in articles:
            if isinstance(article, InputError):
                yield article
                continue
            outcome, self.outcome = self.outcome, None
            if isinstance(outcome, Analysis) and outcome.article is not article:
                outcome = outcome.model_copy(update={"article": article})  # ingest gave it an id
            yield outcome
