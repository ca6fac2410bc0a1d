"""The web app's work outside a request: analyses queued for the one
worker thread, and the story merge after writes, in a thread of its own."""

from __future__ import annotations

import asyncio
import collections
import logging
import threading
from typing import Callable, Optional

import anyio
from fastapi import HTTPException

from dateline.store import StoreError, open_store

log = logging.getLogger("dateline.serve")


class AnalysisSlots:
    """Analyses run one at a time in a worker thread (spaCy is CPU-bound).
    Anonymous analyses (POST /api/analyze without the key) and keyed work
    (writes, and analyses sent with the key) queue separately, each with its
    own capacity: when `size` anonymous (or `keyed_size` keyed) requests are
    already running or waiting, the next of that kind gets 503 at once. Keyed
    work waiting goes first, so anonymous traffic cannot crowd out writes."""

    def __init__(self, size: int, keyed_size: int = 16):
        self.capacity = {False: max(1, size), True: max(1, keyed_size)}
        self.pending = {False: 0, True: 0}
        self.waiting: dict[bool, collections.deque] = {False: collections.deque(), True: collections.deque()}
        self.busy = False

    async def run(self, fn: Callable, *args, keyed: bool = False):
        if self.pending[keyed] >= self.capacity[keyed]:
            raise HTTPException(503, "the server is busy analysing other articles; retry shortly",
                                headers={"Retry-After": "2"})
        self.pending[keyed] += 1
        try:
            await self._acquire(keyed)
            try:
                return await anyio.to_thread.run_sync(fn, *args)
            finally:
                self._release()
        finally:
            self.pending[keyed] -= 1

    async def _acquire(self, keyed: bool) -> None:
        if not self.busy:
            self.busy = True
            return
        turn = asyncio.get_running_loop().create_future()
        self.waiting[keyed].append(turn)
        try:
            await turn
        except BaseException:
            if turn.done() and not turn.cancelled():
                self._release()  # given the turn as it was cancelled: pass it on
            else:
                self.waiting[keyed].remove(turn)
            raise

    def _release(self) -> None:
        for keyed in (True, False):
            while self.waiting[keyed]:
                turn = self.waiting[keyed].popleft()
                if not turn.done():
                    turn.set_result(None)  # busy stays True: the turn is handed over
                    return
        self.busy = False


class StoryUpdater:
    """Re-merges stories after writes, in the background and at most once
    per `pause` seconds however many articles arrive, so a write returns as
    soon as its article is committed. Work still wanted at shutdown is done
    before the server exits (within `drain` seconds); work lost to a crash is
    found at the next start-up (events in no story) and done then."""

    def __init__(self, db: str, pause: float = 1.0, drain: float = 30.0):
        self.db, self.pause, self.drain = db, pause, drain
        self.wanted = threading.Event()
        self.stopping = threading.Event()
        self.dirty = False
        self.thread: Optional[threading.Thread] = None
        self.lock = threading.Lock()

    def touch(self) -> None:
        with self.lock:
            self.dirty = True
            if self.thread is None:
                self.thread = threading.Thread(target=self._loop, name="dateline-stories", daemon=True)
                self.thread.start()
        self.wanted.set()

    def recover(self) -> None:
        """Merge the stored events that are in no story: writes whose story
        update was lost when the server was killed, or made by `dateline
        ingest --no-stories`."""
        try:
            with open_store(self.db, readonly=True) as s:
                behind = s.count("events") > s.count("story_events")
        except StoreError:
            return  # no store yet
        if behind:
            log.info("merging stored events that are in no story yet")
            self.touch()

    def stop(self) -> None:
        self.stopping.set()
        self.wanted.set()
        if self.thread is not None:
            self.thread.join(self.drain)

    def _loop(self) -> None:
        from dateline.store.ingest import rebuild_stories, refresh_stories

        while True:
            self.wanted.wait()
            self.wanted.clear()
            with self.lock:
                work, self.dirty = self.dirty, False
            if work:
                try:
                    with open_store(self.db) as s:
                        rebuild_stories(s)
                        refresh_stories(s, due_only=True)  # large stories' records, grown by an eighth
                except Exception as exc:  # the articles are stored; only the story view is stale
                    log.warning("stories not rebuilt (%s: %s)", type(exc).__name__, exc)
            if self.stopping.is_set():
                with self.lock:
                    if not self.dirty:
                        return
                self.wanted.set()  # touched while merging: once more, then stop
                continue
            self.stopping.wait(self.pause)


__all__ = ["AnalysisSlots", "StoryUpdater"]
