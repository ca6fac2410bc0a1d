"""Store targets for tests that run against every backend: a SQLite file, and
a fresh PostgreSQL database on the server named by DATELINE_TEST_PG.

Without DATELINE_TEST_PG (or when that server does not answer) the
PostgreSQL variants are skipped; with DATELINE_TEST_PG_REQUIRED=1, as
.ci/run sets it, they fail instead.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The libpq URL of a server where the test role may create databases."""
    import psycopg

    url = os.environ.get("DATELINE_TEST_PG")
    required = os.environ.get("DATELINE_TEST_PG_REQUIRED") == "1"
    if not url:
        if required:
            pytest.fail("DATELINE_TEST_PG_REQUIRED=1 but DATELINE_TEST_PG is not set")
        pytest.skip("PostgreSQL variant: set DATELINE_TEST_PG=postgresql://user@host:port/db "
                    "(a role that may CREATE DATABASE) to run it")
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        reason = f"PostgreSQL variant: DATELINE_TEST_PG does not answer ({' '.join(str(exc).split())[:200]})"
        if required:
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@contextmanager
def pg_database(server: str) -> Iterator[str]:
    """A new, empty database on the server, dropped afterwards; yields its URL."""
    import psycopg

    name = f"dateline_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(server, name)
    finally:
        _drop_database(server, name)


def _drop_database(server: str, name: str, attempts: int = 20) -> None:
    """Drops a test database. A server's own worker (autovacuum, run as the
    superuser) may still be in it, which WITH (FORCE) may not end for a
    plain role: wait for it to leave."""
    import psycopg

    for attempt in range(attempts):
        try:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            if attempt == attempts - 1:
                raise
            time.sleep(0.25)


def with_database(url: str, name: str) -> str:
    """The URL with another database name."""
    head, _, query = url.partition("?")
    m = re.match(r"^(postgres(?:ql)?://[^/]*)(/[^?]*)?$", head)
    if not m:
        raise ValueError(f"not a postgresql:// URL: {url}")
    return m.group(1) + "/" + name + ("?" + query if query else "")


@contextmanager
def new_target(backend: str, folder: Path, request) -> Iterator[str]:
    """A store target (file path or URL) that nothing has used yet."""
    if backend == "sqlite":
        yield str(folder / "store.db")
    else:
        with pg_database(request.getfixturevalue("pg_server")) as url:
            yield url


@pytest.fixture(params=BACKENDS)
def store_target(request, tmp_path) -> Iterator[str]:
    """A fresh store target for one test, once per backend."""
    with new_target(request.param, tmp_path, request) as target:
        yield target


@pytest.fixture(scope="module", params=BACKENDS)
def module_store_target(request, tmp_path_factory) -> Iterator[str]:
    """A fresh store target shared by the tests of a module, once per backend."""
    with new_target(request.param, tmp_path_factory.mktemp("store"), request) as target:
        yield target
