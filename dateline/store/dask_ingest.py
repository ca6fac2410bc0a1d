"""`dateline ingest --dask`: the reading and analysis done on a Dask cluster
(dateline.scale.cluster), the storing done here, in input order, through the
ordinary `ingest`; each partition whose articles are all stored is recorded
as finished (dateline.scale.checkpoints), so a run started again skips it."""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, Optional, Union

from dateline.errors import AnalysisError, ClusterError, InputError
from dateline.ingest import DEFAULT_MAX_BYTES, Record
from dateline.ingest.fetch import is_url
from dateline.model import Analysis, Article
from dateline.scale import checkpoints, partitions
from dateline.scale.cluster import Item, close, connect, results_in_order
from dateline.store.ingest import ingest


def ingest_on_dask(store, files: list[str], dask, *, workers: int = 2, max_bytes: int = DEFAULT_MAX_BYTES,
                   partition: int = partitions.PARTITION, on_result: Optional[Callable[[str, object], None]] = None,
                   checkpoint: bool = True):
    """Like dateline.store.ingest.ingest on these files, with the reading and
    analysis done on Dask. `dask` is a dask.distributed Client, a scheduler
    address, or "local" for a LocalCluster of `workers` processes. A
    partition holds about `partition` articles; a record skipped because its
    partition was finished before is reported with item None."""
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


__all__ = ["ingest_on_dask"]
