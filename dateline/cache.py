"""A disk cache for the large read-only objects a process builds at start
(the gazetteer's indexes, the language detector's model).

Building them from their compressed data files takes about a second of CPU
in every process that analyses articles (each `dateline analyze`, each
worker); reading them back from a pickle takes a tenth of that. An entry is
named by a hash of everything it was built from (the data files, the code
that builds it, the Python and dateline versions), so a changed input
builds and writes a new entry and the old one is removed.

The folder is DATELINE_CACHE, by default $XDG_CACHE_HOME/dateline (or
~/.cache/dateline); DATELINE_CACHE=off turns the cache off. A folder that
cannot be written, or an unreadable entry, only means the object is built
as without a cache. Entries are pickles: the folder must be as private as
the home directory it lives in (it is created mode 0700).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Optional, TypeVar

T = TypeVar("T")
OFF = {"off", "0", "no", "false", "none"}


def directory() -> Optional[Path]:
    value = os.environ.get("DATELINE_CACHE")
    if value is not None and value.strip():
        return None if value.strip().lower() in OFF else Path(value.strip()).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dateline"


def digest(sources: Iterable[Path], extra: str = "") -> str:
    from dateline import __version__

    h = hashlib.sha256(f"{sys.version}|{__version__}|{extra}".encode())
    for path in sorted(Path(p) for p in sources):
        h.update(path.name.encode() + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"(missing)")
    return h.hexdigest()[:20]


def load(name: str, sources: Iterable[Path], build: Callable[[], T], extra: str = "") -> T:
    """The object `build()` returns, from the cache when an entry built from
    the same `sources` is there; otherwise built and written to the cache."""
    folder = directory()
    if folder is None:
        return build()
    try:
        path = folder / f"{name}-{digest(sources, extra)}.pickle"
    except OSError:
        return build()
    value = _read(path)
    if value is not None:
        return value
    value = build()
    _write(folder, name, path, value)
    return value


def _read(path: Path):
    try:
        with open(path, "rb") as f:
            gc.disable()  # the collector would walk the new objects again and again
            try:
                return pickle.load(f)
            finally:
                gc.enable()
    except FileNotFoundError:
        return None
    except Exception:  # damaged or from an incompatible library: build it again
        return None


def _write(folder: Path, name: str, path: Path, value) -> None:
    tmp = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        for old in folder.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        pass
    finally:
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass
