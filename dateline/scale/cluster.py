"""Ingest on a Dask cluster: workers read and analyse, the client stores.

    dateline ingest --dask local corpus/               # a LocalCluster on this machine
    dateline ingest --dask tcp://scheduler:8786 corpus/

The input is cut into partitions (dateline.scale.partitions). Each Dask
worker reads its partitions from the (shared) file system and analyses them
with its own copy of the model, loaded once when the worker joins. The
client takes the results as they complete and puts them back in input order
(`results_in_order`); dateline.store.dask_ingest stores them through the
ordinary `ingest`, so the store ends up exactly as a single-process ingest
of the same input leaves it, and records each finished partition
(dateline.scale.checkpoints) so that an interrupted run started again skips
the finished partitions.
"""

from __future__ import annotations

import signal
import threading
from collections import deque
from contextlib import contextmanager
from typing import Iterator, Optional, Union

from dateline.analyze.runner import analyze_batch, load_model
from dateline.errors import ClusterError
from dateline.ingest import InputError
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
