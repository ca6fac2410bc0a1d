"""Checkpoints of a distributed ingest: the partitions whose every record
is stored (or was unreadable), kept in the store's `ingest_partitions` table.

A partition is marked finished only after all its articles are committed,
and not at all if an article failed in analysis (a re-run tries it again).
Resuming therefore never loses an article; the articles of a partition cut
short are stored once because the store refuses an article it already holds.
"""

from __future__ import annotations

import datetime as dt

from dateline.scale.partitions import Partition


def finished(store) -> set[str]:
    return {row[0] for row in store.conn.execute("SELECT key FROM ingest_partitions")}


def records_in(store, keys: set[str]) -> int:
    """Articles held by these finished partitions (for the 'already stored' count)."""
    total = 0
    for row in store.conn.execute("SELECT key, records FROM ingest_partitions"):
        if row[0] in keys:
            total += row[1]
    return total


def mark_finished(store, partition: Partition, records: int) -> None:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    store.conn.execute(
        "INSERT INTO ingest_partitions(key, description, records, finished_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (key) DO NOTHING", (partition.key, partition.describe(), records, now))
