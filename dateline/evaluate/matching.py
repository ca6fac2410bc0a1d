"""The matching rules shared by every evaluation (see the answer-key format):
a system content matches a gold content when it holds at least half of the
gold content's words; names match after lower-casing and dropping titles,
or when one is part of the other."""

from __future__ import annotations

import json
import re
from typing import Callable, Optional, Sequence, TypeVar

WORD = re.compile(r"\w+", re.UNICODE)
TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "president", "prime", "minister",
    "governor", "gov", "sen", "senator", "rep", "representative", "gen", "general", "the", "lord",
    "king", "queen", "pope", "chancellor", "secretary", "mayor", "judge", "justice",
}

G = TypeVar("G")
S = TypeVar("S")


def words(text: str) -> list[str]:
    return WORD.findall((text or "").lower())


def content_overlap(gold: str, system: str) -> float:
    gold_words = words(gold)
    if not gold_words:
        return 0.0
    system_words = set(words(system))
    return sum(w in system_words for w in gold_words) / len(gold_words)


def content_score(gold: str, system: str) -> float:
    """The overlap that decides a match, with ties broken in favour of the
    closer span, so that a short key content ("Donald Trump") does not take
    the quote that a longer key content matches exactly."""
    overlap = content_overlap(gold, system)
    g, s = set(words(gold)), set(words(system))
    jaccard = len(g & s) / len(g | s) if g | s else 0.0
    return overlap + 0.01 * jaccard


def contents_match(gold: str, system: str) -> bool:
    return content_overlap(gold, system) >= 0.5


def normalize_name(name: Optional[str]) -> str:
    tokens = [w for w in words(name or "") if w not in TITLES]
    return " ".join(tokens)


def head_word(name: Optional[str]) -> str:
    tokens = normalize_name(name).split()
    return tokens[-1] if tokens else ""


def names_match(gold: Optional[str], system: Optional[str], allow_head: bool = False) -> bool:
    g, s = normalize_name(gold), normalize_name(system)
    if not g or not s:
        return (gold or "").strip().lower() == (system or "").strip().lower() and bool(gold)
    if g == s or f" {g} " in f" {s} " or f" {s} " in f" {g} ":
        return True
    return allow_head and head_word(gold) == head_word(system)


def match_one_to_one(
    gold: Sequence[G], system: Sequence[S], score: Callable[[G, S], float], threshold: float
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, best-scoring pairs first."""
    pairs = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            value = score(g, s)
            if value >= threshold:
                pairs.append((value, gi, si))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_g, used_s, result = set(), set(), []
    for _, gi, si in pairs:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        result.append((gi, si))
    return sorted(result)


def prf(matched: int, n_gold: int, n_system: int) -> tuple[float, float, float]:
    p = matched / n_system if n_system else 0.0
    r = matched / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def read_jsonl(path: str, limit: Optional[int] = None) -> list[dict]:
    """The rows of a JSON Lines corpus, up to `limit`."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows
