"""Who said what: direct quotes and reported speech, with their speakers.

Three passes over the parsed article:
1. quotation marks are paired at the character level (curly, straight and
   the ``...'' of wire text; a quote running over paragraphs: quotations.py);
2. every reporting verb (a data file: reporting_verbs.tsv) with a speaker and
   a content it governs becomes an attribution (quotes_reporting.py), its
   content widened here to whole quotations it touches; speakers set off by
   punctuation rather than a verb are found by quotes_setoff.py;
3. quoted sentences that no cue governs continue the previous speaker's
   quote ("He spoke. 'A.' 'B.'").
Speakers are then resolved in the article by `speakers.resolve`.
"""

from __future__ import annotations

import re
from typing import Iterable

from spacy.tokens import Doc

from dateline import lexicons
from dateline.analyze.nlp import text_of
from dateline.analyze.pipeline import State, register
from dateline.analyze.quotations import Candidate, Quotation, find_quotations, is_caption
from dateline.analyze.quotes_reporting import ReportingVerbs
from dateline.analyze.quotes_setoff import SetOffSpeakers
from dateline.analyze.speakers import SpeakerResolver
from dateline.model import Quote, Span as OffsetSpan

TRAILING = " \t\n,;:\u2014-\u2013"
# "KHARTOUM: ...", "NAIROBI — ...", "WASHINGTON (AP) — ..." opening an article.
DATELINE = re.compile(r"^[A-Z][A-Z .,'\-]+(?:\([A-Za-z ]+\))?\s*(?::|—|--|–)\s+")


class QuoteFinder(ReportingVerbs, SetOffSpeakers):
    def __init__(self, doc: Doc, resolver: SpeakerResolver, place_spans: Iterable[tuple[int, int]] = ()):
        self.doc = doc
        self.place_spans = list(place_spans)
        self.text = text_of(doc)
        self.frames = lexicons.reporting_verbs()
        self.quotations = find_quotations(self.text)
        self.resolver = resolver
        self._inside = self._quote_mask()

    def _quote_mask(self) -> list[int]:
        """For each token, the index of the quotation it is in, or -1."""
        mask = [-1] * len(self.doc)
        for qi, q in enumerate(self.quotations):
            for token in self.doc.char_span(q.start, q.end, alignment_mode="expand") or []:
                mask[token.i] = qi
        return mask

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        if start == 0 or text[start - 1] == "\n":
            dateline = DATELINE.match(text, start, end)
            if dateline and dateline.end() < end:
                start = dateline.end()
        while start < end and (text[start] in TRAILING or text[start] in '"\u201c\u201d\'`'):
            start += 1
        while end > start and (text[end - 1] in TRAILING or text[end - 1] in '"\u201c\u201d`'):
            end -= 1
        if text[start:start + 5].lower() == "that ":
            start += 5
        return start, end

    # -- putting it together ----------------------------------------------------

    def quotes(self) -> list[Quote]:
        candidates = self._drop_nested(self.candidates())
        for candidate in candidates:
            self._widen_to_quotations(candidate)
        candidates = self._merge_split(candidates)
        for c in candidates:
            self._cut_out_cue(c)
        results: list[tuple[Candidate, bool]] = [(c, self._pieces_direct(c)) for c in candidates]
        set_off = self._set_off_speakers(candidates)
        results += set_off
        results += [(c, True) for c in self._continuations(candidates + [c for c, _ in set_off])]
        # A caption or a chart's source line is not reporting: nothing said
        # there or by a name there is a quote (a headline's own "X: ..." is).
        results = [r for r in results if not self._in_caption(r[0].start)
                   and not (r[0].speaker is not None and self._in_caption(r[0].speaker.start_char))]
        results.sort(key=lambda r: r[0].start)
        quotes = []
        for candidate, direct in results:
            speaker = self.resolver.resolve(candidate.speaker, candidate.start) if candidate.speaker is not None else None
            quote = self._quote(candidate, direct, speaker)
            if speaker is not None:
                self.resolver.remember(speaker, candidate.speaker.start_char)
            quotes.append(quote)
        return quotes

    def _in_caption(self, at: int) -> bool:
        return any(s <= at < e and is_caption(self.text[s:e]) for s, e in self.resolver.furniture)

    def _quote(self, c: Candidate, direct: bool, speaker) -> Quote:
        pieces = c.pieces or [(c.start, c.end)]
        content = " ".join(self.text[s:e].strip() for s, e in pieces)
        content = content.replace("\u201c", "").replace("\u201d", "").replace('"', "").replace("``", "").replace("''", "")
        content = " ".join(content.split())
        cue = " ".join(t.text for t in c.cue_tokens) if c.cue_tokens else None
        mention = OffsetSpan(start=c.speaker.start_char, end=c.speaker.end_char) if c.speaker is not None else None
        cue_span = OffsetSpan(start=c.cue_tokens[0].idx, end=c.cue_tokens[-1].idx + len(c.cue_tokens[-1])) if c.cue_tokens else None
        return Quote(
            speaker=speaker.name if speaker else None,
            speaker_kind=speaker.kind if speaker else "anonymous",
            speaker_role=speaker.role if speaker else None,
            cue=cue, content=content, direct=direct, start=c.start, end=c.end,
            speaker_mention=mention, cue_span=cue_span,
        )

    def _drop_nested(self, candidates: list[Candidate]) -> list[Candidate]:
        """'X said that Y stressed Z' is X's statement: drop attributions
        whose cue lies inside another attribution's content."""
        keep = []
        for c in candidates:
            cue_at = c.cue.idx
            if any(o is not c and o.start <= cue_at < o.end for o in candidates):
                continue
            keep.append(c)
        # Same content claimed twice (two cues of one clause): keep the first.
        unique: list[Candidate] = []
        for c in keep:
            if any(u.start == c.start and u.end == c.end for u in unique):
                continue
            unique.append(c)
        return unique

    def _widen_to_quotations(self, c: Candidate) -> None:
        """A content that starts or ends inside a quotation covers all of it
        (a quote over several paragraphs is one quote)."""
        for q in self.quotations:
            starts_here = abs(c.start - q.start) <= 1
            if q.start <= c.start < q.end or (c.start <= q.start and q.open_mark <= c.start):
                c.start = min(c.start, q.start)
            if q.start < c.end <= q.end and (q.end - c.end < 3 or (starts_here and c.cue.idx > q.end)
                                              or (starts_here and c.cue.idx < q.open_mark)):
                c.end = max(c.end, q.end)
        c.start, c.end = self._trim(c.start, c.end)

    def _cut_out_cue(self, c: Candidate) -> None:
        """'"A," she said, "B"': the content is A and B, without the cue."""
        if c.pieces or c.speaker is None:
            return
        frame = [t for t in c.cue_tokens] + list(c.speaker)
        if c.speaker.root.dep_ == "appos" and c.speaker.root.pos_ == "PROPN" and c.speaker.root.head.i < c.speaker.start:
            # "a union organiser, Nasrin Akter, said": the whole subject.
            frame += [t for t in c.speaker.root.head.subtree if not self._inside[t.i] >= 0]
        left = min(t.idx for t in frame)
        right = max(t.idx + len(t) for t in frame)
        if c.start < left and right < c.end:
            first = self._trim(c.start, left)
            second = self._trim(right, c.end)
            c.pieces = [p for p in (first, second) if p[1] - p[0] > 1]

    def _pieces_direct(self, c: Candidate) -> bool:
        return all(self._is_direct(s, e) for s, e in (c.pieces or [(c.start, c.end)]))

    def _is_direct(self, start: int, end: int) -> bool:
        for q in self.quotations:
            if q.start - 2 <= start and end <= q.end + 2:
                return True
        return False

    def _merge_split(self, candidates: list[Candidate]) -> list[Candidate]:
        """'"A," he said, "B."' is one quote: a quotation ending in a comma,
        interrupted by its cue, and resumed after it."""
        for c in candidates:
            if not self._is_direct(c.start, c.end):
                continue
            q_index = next((i for i, q in enumerate(self.quotations) if q.start <= c.start < q.end), None)
            if q_index is None or q_index + 1 >= len(self.quotations):
                continue
            q, nxt = self.quotations[q_index], self.quotations[q_index + 1]
            between = self.text[q.close_mark:nxt.open_mark]
            ends_sentence = self.text[q.start:q.end].rstrip().endswith((".", "?", "!"))
            cue_between = q.close_mark <= c.cue.idx < nxt.open_mark
            if (not ends_sentence and cue_between and "\n" not in between and between.rstrip().endswith(",")
                    and len(between) < 80):
                c.pieces = [(c.start, c.end), (nxt.start, nxt.end)]
                c.end = nxt.end
                c.start, c.end = c.start, self._trim(nxt.start, nxt.end)[1]
        return candidates

    def _continuations(self, candidates: list[Candidate]) -> list[Candidate]:
        """Quoted sentences no cue governs, continuing the last quote."""
        covered = [(c.start, c.end) for c in candidates]
        extra: list[Candidate] = []
        for q in self.quotations:
            if any(s <= q.start < e or q.start <= s < q.end for s, e in covered):
                continue
            if not self._stands_alone(q):
                continue
            previous = [c for c in candidates + extra if c.end <= q.start]
            if not previous:
                continue
            last = max(previous, key=lambda c: c.end)
            # Only within a short distance: the next paragraph or two.
            if self.text.count("\n", last.end, q.start) > 2:
                continue
            start, end = self._trim(q.start, q.end)
            extra.append(Candidate(last.cue, last.cue_tokens, last.speaker, start, end))
        return extra

    def _stands_alone(self, q: Quotation) -> bool:
        """A quotation that is a sentence of its own, not a phrase quoted
        inside the writer's sentence."""
        words = self.text[q.start:q.end].split()
        if len(words) < 3:
            return False
        line_start = self.text.rfind("\n", 0, q.open_mark) + 1
        before = self.text[line_start:q.open_mark].strip()
        if before and not before.endswith((".", "?", "!", ":", "\u201d", '"')):
            return False
        after_end = self.text.find("\n", q.close_mark)
        after = self.text[q.close_mark:after_end if after_end >= 0 else len(self.text)].strip()
        return not after or after[0] in ".?!\"\u201c" or self.text[q.start:q.end].rstrip()[-1:] in ".?!"


@register("quotes")
def quotes_component(state: State) -> None:
    resolver = SpeakerResolver(state.doc, state.scratch.get("entity_index"), (p.name for p in state.places),
                               state.scratch.get("furniture", ()))
    state.scratch["speaker_resolver"] = resolver  # the events read who "he" and "she" are from it
    places = [(p.start, p.end) for p in state.places]
    state.quotes = QuoteFinder(state.doc, resolver, places).quotes()
