"""`dateline evaluate --polnear FILE.jsonl`: attribution scores on the
PolNeAR corpus format (source, cue and content spans with offsets).

Contents are matched one to one when the system content holds at least half
of the gold content's words. Source accuracy is measured on matched pairs
whose gold source is annotated: the same name after lower-casing, one inside
the other, or the same head word. PolNeAR marks the source as it stands in
the text ("he"), so the system's speaker mention counts as well as the name
it resolves to.

The corpus gives one attribution to a speaker's run of quotations around a
single cue ('"A," she said. "B."'), where dateline, like its answer keys,
gives each new quoted sentence its own entry. The main figure joins such
runs before matching (see `join_passages`); the "unjoined" line scores the
quotes exactly as dateline outputs them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional, TextIO

from dateline.evaluate.gold import Accuracy, Tally
from dateline.evaluate.matching import content_score, match_one_to_one, names_match, read_jsonl
from dateline.model import Article


def read_corpus(path: str, limit: Optional[int] = None) -> list[dict]:
    return read_jsonl(path, limit)


def join_passages(quotes: list, text: str) -> list:
    """PolNeAR annotates one speaker's quotations around a single cue
    ('"A," she said. "B."') as one attribution; dateline, like its answer
    keys, gives a new quoted sentence after the cue its own entry. To score
    against the corpus's convention, a direct quote that continues the
    previous one (same speaker and cue, same paragraph, nothing between them
    but the attribution) is joined to it."""
    joined: list = []
    for quote in sorted(quotes, key=lambda q: q.start):
        previous = joined[-1] if joined else None
        if (previous is not None and quote.direct and previous.direct and quote.speaker == previous.speaker
                and quote.cue == previous.cue and "\n" not in text[previous.end:quote.start]
                and quote.start - previous.end < 400):
            joined[-1] = previous.model_copy(update={
                "content": text[previous.start:quote.end], "end": quote.end})
            continue
        joined.append(quote)
    return joined


def evaluate(rows: list[dict], errors: Optional[list] = None, joined: bool = True):
    from dateline.analyze.runner import analyze_articles

    articles = (Article(id=r["id"], title=r.get("title"), source=r.get("publisher"),
                        published=r.get("publication_date"), text=r["text"]) for r in rows)
    totals = {"all": Tally(), "direct": Tally(), "indirect": Tally(), "mixed": Tally(), "as given": Tally()}
    sources = Accuracy()
    for row, analysis in zip(rows, analyze_articles(articles, components=("entities", "places", "quotes"))):
        gold = row["attributions"]
        unjoined = match_one_to_one(gold, analysis.quotes,
                                    lambda g, s: content_score(g["content"]["text"], s.content), 0.5)
        totals["as given"].add(Tally(len(gold), len(analysis.quotes), len(unjoined)))
        system = join_passages(analysis.quotes, row["text"]) if joined else analysis.quotes
        pairs = match_one_to_one(gold, system, lambda g, s: content_score(g["content"]["text"], s.content), 0.5)
        totals["all"].add(Tally(len(gold), len(system), len(pairs)))
        for kind in ("direct", "indirect", "mixed"):
            hits = sum(gold[gi]["type"] == kind for gi, _ in pairs)
            totals[kind].add(Tally(sum(g["type"] == kind for g in gold), 0, hits))
        text = row["text"]
        for gi, si in pairs:
            g, s = gold[gi], system[si]
            if not g.get("source"):
                continue
            mention = text[s.speaker_mention.start:s.speaker_mention.end] if s.speaker_mention else None
            ok = any(names_match(g["source"]["text"], name, allow_head=True) for name in (s.speaker, mention) if name)
            sources.add(ok)
            if errors is not None and not ok:
                errors.append({"kind": "source", "gold": g["source"]["text"], "system": s.speaker,
                               "mention": mention, "content": g["content"]["text"][:80]})
        if errors is not None:
            hit_g = {gi for gi, _ in pairs}
            hit_s = {si for _, si in pairs}
            for gi, g in enumerate(gold):
                if gi not in hit_g:
                    errors.append({"kind": "missed", "type": g["type"], "cue": (g.get("cue") or {}).get("text"),
                                   "source": (g.get("source") or {}).get("text"), "content": g["content"]["text"][:120]})
            for si, s in enumerate(system):
                if si not in hit_s:
                    errors.append({"kind": "extra", "cue": s.cue, "speaker": s.speaker, "content": s.content[:120]})
    return totals, sources


def main(path: str, out: TextIO = sys.stdout, limit: Optional[int] = None, errors: bool = False) -> int:
    if not Path(path).is_file():
        print(f"dateline: error: {path}: no such file", file=sys.stderr)
        return 2
    rows = read_corpus(path, limit)
    error_list: Optional[list] = [] if errors else None
    totals, sources = evaluate(rows, error_list)
    print(f"{len(rows)} articles", file=out)
    print(f"{'content':<14}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'sys':>7}", file=out)
    t = totals["all"]
    p, r, f = t.scores
    print(f"{'all':<14}{p:>7.3f}{r:>7.3f}{f:>7.3f}{t.gold:>7}{t.system:>7}", file=out)
    g = totals["as given"]
    p, r, f = g.scores
    print(f"{'unjoined':<14}{p:>7.3f}{r:>7.3f}{f:>7.3f}{g.gold:>7}{g.system:>7}   (each quoted sentence on its own)", file=out)
    for kind in ("direct", "indirect", "mixed"):
        k = totals[kind]
        print(f"{'  ' + kind:<14}{'':>7}{k.matched / k.gold if k.gold else 0:>7.3f}{'':>7}{k.gold:>7}", file=out)
    print(f"source accuracy {sources.value:.3f} (n={sources.total})", file=out)
    for e in error_list or []:
        print(json.dumps(e, ensure_ascii=False), file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], limit=int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else None,
                  errors="--errors" in sys.argv))
