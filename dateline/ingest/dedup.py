"""Exact and near-duplicate detection for the corpus store.

- `content_hash(text)`: sha256 of the text lower-cased with whitespace
  collapsed: the same article fetched twice has the same hash.
- `minhash(text)`: a MinHash signature over word 5-shingles (NUM_PERM 64-bit
  values), so syndicated copies of one wire story (the same text with a line
  changed, another byline) are found by `similarity(a, b)` >= NEAR_DUPLICATE.
- `bands(signature)`: LSH band hashes; two articles are compared only when
  they share a band (the store keeps them in an indexed table).
"""

from __future__ import annotations

import hashlib
import re
from typing import Optional

import numpy as np

NUM_PERM = 64
BANDS = 16                     # 16 bands of 4 rows: pairs above ~0.5 Jaccard meet in a band
ROWS = NUM_PERM // BANDS
SHINGLE = 5
NEAR_DUPLICATE = 0.7           # estimated Jaccard of shingle sets
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.RandomState(20251125)
_A = _rng.randint(1, 1 << 31, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_B = _rng.randint(0, 1 << 31, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    return " ".join(text.lower().split())


def content_hash(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def shingles(text: str, n: int = SHINGLE) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def _hash32(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "little")


def minhash(text: str) -> Optional[bytes]:
    """The signature as bytes (NUM_PERM little-endian uint64), None for an empty text."""
    sh = shingles(text)
    if not sh:
        return None
    h = np.fromiter((_hash32(s) for s in sh), dtype=np.uint64, count=len(sh))
    # a < 2^31 and h < 2^32: a*h + b stays below 2^64.
    values = (np.outer(_A, h) + _B[:, None]) % _PRIME
    return values.min(axis=1).astype("<u8").tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    x = np.frombuffer(a, dtype="<u8")
    y = np.frombuffer(b, dtype="<u8")
    return float(np.mean(x == y))


def bands(signature: bytes) -> list[tuple[int, int]]:
    """(band number, band hash) pairs; the hash fits a signed 64-bit SQLite INTEGER."""
    out = []
    for i in range(BANDS):
        chunk = signature[i * ROWS * 8:(i + 1) * ROWS * 8]
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        out.append((i, int.from_bytes(digest, "little", signed=True)))
    return out
