"""`dateline evaluate GOLD_DIR`: score analyses against answer keys.

Each key is one JSON file with the article and its expected quotes and
events. The article is analysed afresh and scored part by part, as
`spacy evaluate` reports its scores.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, TextIO

from dateline.evaluate.matching import content_overlap, content_score, match_one_to_one, names_match, prf
from dateline.model import Analysis, Article

EVENT_FIELDS = ("date", "killed", "injured", "arrested", "country", "status", "mode")


@dataclass
class Tally:
    gold: int = 0
    system: int = 0
    matched: int = 0

    def add(self, other: "Tally") -> None:
        self.gold += other.gold
        self.system += other.system
        self.matched += other.matched

    @property
    def scores(self) -> tuple[float, float, float]:
        return prf(self.matched, self.gold, self.system)


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += bool(ok)
        self.total += 1

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class Report:
    quotes: Tally = field(default_factory=Tally)
    direct: Tally = field(default_factory=Tally)
    indirect: Tally = field(default_factory=Tally)
    speakers: Accuracy = field(default_factory=Accuracy)
    speaker_kinds: Accuracy = field(default_factory=Accuracy)
    events: Tally = field(default_factory=Tally)
    event_fields: dict[str, Accuracy] = field(default_factory=lambda: {f: Accuracy() for f in EVENT_FIELDS})
    event_errors: Counter = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)


def load_key(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def article_of(key: dict) -> Article:
    return Article(
        id=key.get("id"), title=key.get("title"), source=key.get("source"), url=key.get("url"),
        published=key.get("published"), language=key.get("language") or "en", text=key["text"],
    )


def score_quotes(key: dict, analysis: Analysis, report: Report) -> None:
    gold = key.get("quotes", [])
    system = analysis.quotes
    pairs = match_one_to_one(gold, system, lambda g, s: content_score(g["content"], s.content), 0.5)
    matched_gold = {gi for gi, _ in pairs}
    report.quotes.add(Tally(len(gold), len(system), len(pairs)))
    for flag, tally in ((True, report.direct), (False, report.indirect)):
        n_gold = sum(bool(g.get("direct")) == flag for g in gold)
        n_sys = sum(s.direct == flag for s in system)
        hits = sum(bool(gold[gi].get("direct")) == flag for gi, _ in pairs)
        tally.add(Tally(n_gold, n_sys, hits))
    for gi, si in pairs:
        g, s = gold[gi], system[si]
        ok = names_match(g.get("speaker"), s.speaker)
        report.speakers.add(ok)
        report.speaker_kinds.add(g.get("speaker_kind") == s.speaker_kind)
        if not ok:
            report.errors.append({"article": key.get("id"), "kind": "speaker", "gold": g.get("speaker"),
                                  "system": s.speaker, "content": g["content"][:80]})
    for gi, g in enumerate(gold):
        if gi not in matched_gold:
            report.errors.append({"article": key.get("id"), "kind": "quote missed", "gold": g.get("speaker"),
                                  "content": g["content"][:100]})
    matched_sys = {si for _, si in pairs}
    for si, s in enumerate(system):
        if si not in matched_sys:
            report.errors.append({"article": key.get("id"), "kind": "quote extra", "system": s.speaker,
                                  "content": s.content[:100]})


def _agree(gold: Optional[str], system: Optional[str]) -> bool:
    return bool(gold) and bool(system) and names_match(gold, system)


def event_match_score(g: dict, s) -> float:
    if g.get("type") != s.type:
        return 0.0
    where = _agree(g.get("location"), s.location)
    if g.get("location") is None and g.get("target") is None:
        who = _agree(g.get("actor"), s.actor)
    else:
        who = _agree(g.get("actor"), s.actor) and _agree(g.get("target"), s.target)
    if not (where or who):
        return 0.0
    return 1.0 + content_overlap(g.get("summary") or "", s.summary or "")


def _same_sentence(g: dict, s) -> bool:
    return content_overlap(g.get("summary") or "", s.summary or "") >= 0.3


def missed_event_kind(g: dict, system: list, unmatched: set[int]) -> str:
    """Which stage lost a key event: no trigger at all, the wrong type on the
    right sentence, or the right type with an argument that disagrees."""
    same_type = [system[i] for i in unmatched if system[i].type == g.get("type")]
    if same_type:
        s = max(same_type, key=lambda e: content_overlap(g.get("summary") or "", e.summary or ""))
        if g.get("location") and not s.location:
            return "missing place"
        if g.get("location") and not _agree(g.get("location"), s.location):
            return "wrong place"
        if g.get("actor") and not _agree(g.get("actor"), s.actor):
            return "wrong or missing actor"
        return "wrong or missing target"
    if any(_same_sentence(g, system[i]) for i in unmatched):
        return "wrong type"
    return "missed trigger"


def extra_event_kind(s, gold: list[dict], matched: list[tuple[int, int]], system: list) -> str:
    """Why a system event matched nothing: a second copy of a matched
    incident, an event with nothing to anchor it, or one the key does not have."""
    for gi, si in matched:
        g = gold[gi]
        if g.get("type") == s.type and (_agree(g.get("location"), s.location) or _agree(g.get("actor"), s.actor)
                                        or _same_sentence(g, s)):
            return "split incident"
    if not (s.actor or s.target or s.location):
        return "no argument"
    if any(g.get("type") != s.type and _same_sentence(g, s) for g in gold):
        return "wrong type"
    return "not in key"


def score_events(key: dict, analysis: Analysis, report: Report) -> None:
    gold = key.get("events", [])
    system = analysis.events
    pairs = match_one_to_one(gold, system, event_match_score, 1.0)
    report.events.add(Tally(len(gold), len(system), len(pairs)))
    for gi, si in pairs:
        g, s = gold[gi], system[si]
        for name in EVENT_FIELDS:
            ok = g.get(name) == getattr(s, name)
            report.event_fields[name].add(ok)
            if not ok:
                report.event_errors[f"matched: wrong {name}"] += 1
                report.errors.append({"article": key.get("id"), "kind": f"event {name}", "gold": g.get(name),
                                      "system": getattr(s, name), "summary": (g.get("summary") or "")[:80]})
    matched_gold = {gi for gi, _ in pairs}
    matched_sys = {si for _, si in pairs}
    unmatched_sys = set(range(len(system))) - matched_sys
    for gi, g in enumerate(gold):
        if gi not in matched_gold:
            why = missed_event_kind(g, system, unmatched_sys)
            report.event_errors[f"missed: {why}"] += 1
            report.errors.append({"article": key.get("id"), "kind": "event missed", "why": why, "gold": g})
    for si in sorted(unmatched_sys):
        s = system[si]
        why = extra_event_kind(s, gold, pairs, system)
        report.event_errors[f"extra: {why}"] += 1
        report.errors.append({"article": key.get("id"), "kind": "event extra", "why": why,
                              "system": s.model_dump(include={"type", "mode", "actor", "target", "location",
                                                              "date", "killed", "summary"})})


def evaluate(keys: Iterable[dict]) -> Report:
    from dateline.analyze.runner import analyze_articles

    keys = list(keys)
    report = Report()
    for key, analysis in zip(keys, analyze_articles(article_of(k) for k in keys)):
        score_quotes(key, analysis, report)
        score_events(key, analysis, report)
    return report


def format_report(report: Report) -> str:
    lines = [f"{'part':<28}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'sys':>7}"]
    for name, tally in (("quotes", report.quotes), ("  direct", report.direct),
                        ("  indirect", report.indirect), ("events", report.events)):
        p, r, f = tally.scores
        lines.append(f"{name:<28}{p:>7.3f}{r:>7.3f}{f:>7.3f}{tally.gold:>7}{tally.system:>7}")
    lines.append("")
    lines.append(f"{'accuracy on matched':<28}{'acc':>7}{'n':>7}")
    rows = [("speaker", report.speakers), ("speaker_kind", report.speaker_kinds)]
    rows += [(f"event {k}", v) for k, v in report.event_fields.items()]
    for name, acc in rows:
        lines.append(f"{name:<28}{acc.value:>7.3f}{acc.total:>7}")
    if report.event_errors:
        lines.append("")
        lines.append(f"{'event errors by stage':<28}{'n':>7}")
        for name, n in sorted(report.event_errors.items()):
            lines.append(f"{name:<35}{n:>7}")
    return "\n".join(lines)


def main(gold_dir: str, out: TextIO = sys.stdout, limit: Optional[int] = None, errors: bool = False) -> int:
    paths = sorted(Path(gold_dir).glob("*.json"))[:limit]
    if not paths:
        print(f"dateline: error: no answer keys (*.json) in {gold_dir}", file=sys.stderr)
        return 2
    report = evaluate(load_key(p) for p in paths)
    print(f"{len(paths)} articles", file=out)
    print(format_report(report), file=out)
    if errors:
        for e in report.errors:
            print(json.dumps(e, ensure_ascii=False), file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], errors="--errors" in sys.argv))
