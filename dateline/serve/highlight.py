"""Article text with its quotes and events marked in place, as safe HTML.

Spans come from the stored analysis (character offsets into the article
text) and may overlap or nest: a quote inside an event's sentence, a trigger
word inside both. The text is cut at every span boundary and each piece is
escaped on its own, then wrapped in one <mark> carrying the classes of all
spans covering it, so no article character ever reaches the page unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str          # css class: quote, event, trigger
    label: str = ""    # tooltip, e.g. the speaker or the event type
    anchor: str = ""   # id of the list entry this span belongs to


def spans_for(quotes: list[dict], events: list[dict]) -> list[Mark]:
    marks = []
    for q in quotes:
        if q.get("start") is not None and q.get("end") is not None:
            marks.append(Mark(q["start"], q["end"], "quote", q.get("speaker") or "unattributed", f"q{q['idx']}"))
    for e in events:
        if e.get("sentence_start") is not None and e.get("sentence_end") is not None:
            marks.append(Mark(e["sentence_start"], e["sentence_end"], "event", e.get("type") or "", f"e{e['idx']}"))
        if e.get("trigger_start") is not None and e.get("trigger_end") is not None:
            marks.append(Mark(e["trigger_start"], e["trigger_end"], "trigger", e.get("type") or "", f"e{e['idx']}"))
    return marks


def highlight(text: str, marks: list[Mark]) -> Markup:
    n = len(text)
    marks = [m for m in marks if 0 <= m.start < m.end <= n]
    starts: dict[int, list[Mark]] = {}
    ends: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
        ends.setdefault(m.end, []).append(m)
    cuts = sorted({0, n, *starts, *ends})
    # One sweep over the cuts, keeping the spans open at each piece, so a
    # long article with many spans stays linear in its pieces.
    active: dict[Mark, int] = {}
    out = []
    for a, b in zip(cuts, cuts[1:]):
        for m in ends.get(a, ()):
            active.pop(m, None)
        for m in starts.get(a, ()):
            active[m] = 1
        piece = escape(text[a:b], quote=False)
        if not active:
            out.append(piece)
            continue
        kinds = sorted({m.kind for m in active})
        labels = " · ".join(dict.fromkeys(m.label for m in active if m.label))
        # Widest span first, innermost last (the page's script picks the last).
        anchors = " ".join(dict.fromkeys(m.anchor for m in sorted(active, key=lambda m: m.start - m.end) if m.anchor))
        out.append(f'<mark class="{" ".join(kinds)}" title="{escape(labels)}" data-refs="{escape(anchors)}">'
                   f"{piece}</mark>")
    return Markup("".join(out))


def context(text: str, start: int, end: int, width: int = 240) -> tuple[str, str, str]:
    """The sentence around text[start:end]: (before, the span, after), cut at
    sentence ends or line breaks no further than `width` characters away."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    before = text[max(0, start - width):start]
    cut = max(before.rfind(s) + len(s) if before.rfind(s) != -1 else -1 for s in ("\n", ". ", "? ", "! "))
    clipped_before = cut == -1 and start > width
    before = before[cut:] if cut != -1 else before
    after = text[end:end + width]
    cut = min([i + 1 for i in (after.find(s) for s in ("\n", ". ", "? ", "! ")) if i != -1], default=-1)
    clipped_after = cut == -1 and end + width < len(text)
    after = after[:cut] if cut != -1 else after
    return ("…" if clipped_before else "") + before.lstrip(), text[start:end], \
        after.rstrip() + ("…" if clipped_after else "")
