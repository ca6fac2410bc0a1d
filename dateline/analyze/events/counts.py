"""Stage 7, counts: tolls found by dateline.analyze.counts attach to the
nearest trigger of a type that takes them, or to the last incident when the
sentence refers back to it ("injuries in the incident")."""

from __future__ import annotations

from typing import Optional

from dateline.analyze import counts as counts_mod
from dateline.analyze.events.context import Ctx, Mention
from dateline.analyze.events.lexicon import DEFINITE
from dateline.analyze.events.policy import policy
from dateline.analyze.events.syntax import sent_of, tree_distance


def attach_counts(mentions: list[Mention], ctx: Ctx) -> None:
    anaphors = set(counts_mod.lexicon().get("anaphors", []))
    by_sent: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sent.setdefault(sent_of(m.tok).start, []).append(m)
    tolls = counts_mod.find_tolls(ctx.doc)
    for toll in tolls:
        sent = sent_of(toll.token)
        cands = by_sent.get(sent.start, [])
        if toll.category in ("killed", "injured"):
            cands = [c for c in cands if policy(c.type).takes_casualties]
        elif toll.category == "arrested":
            cands = [c for c in cands if policy(c.type).takes_arrests]
        target = None
        if cands:
            target = min(cands, key=lambda c: (tree_distance(c.tok, toll.token), c.tok.i))
        else:
            # "... who suffered injuries in the incident": an anaphor back to the last event;
            # "The death toll has risen to 15": a toll of its own sentence is the last incident's
            refers_back = any(t.lemma_.lower() in anaphors and any(d.lower_ in DEFINITE for d in t.children)
                              for t in sent)
            if refers_back or toll.token.lemma_.lower() == "toll":
                prior = [c for c in mentions if c.tok.i < sent.start and policy(c.type).incident and not c.drop]
                reach = 600 if refers_back else 300
                if prior and sent.start - sent_of(prior[-1].tok).start < reach:
                    target = prior[-1]
        if target is None:
            continue
        if toll.category not in target.counts or toll.update:
            target.counts[toll.category] = toll.value
        if toll.victim is not None and target.victim_tok is None and toll.category in ("killed", "injured"):
            target.victim_tok = toll.victim


def draft_counts(mentions: list[Mention]) -> dict[str, Optional[int]]:
    """The first figure reported for each toll wins."""
    counts: dict[str, Optional[int]] = {}
    for m in mentions:
        for k, v in m.counts.items():
            if k not in counts or counts[k] is None:
                counts[k] = v
    return counts
