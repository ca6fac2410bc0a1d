"""How a request reaches the corpus store: one way, for the pages and the API."""

from __future__ import annotations

from fastapi import Request

from dateline.store import Store, open_store


def read_store(request: Request) -> Store:
    """The app's store opened read-only for this request; use it as a context
    manager, in the thread that opened it, so it is closed when the reading is
    done. A store that cannot be opened raises StoreError: a page shows it on
    its 503 page (dateline.serve.pages.page), the API answers 503 with it as
    the `detail` (dateline.serve.responses.store_error). Writes open the store
    themselves, one at a time under the app's write lock."""
    return open_store(request.app.state.db, readonly=True)


__all__ = ["read_store"]
