"""Speakers set off by punctuation rather than a reporting verb: a
transcript's turns ("PENCE: Well, ..."), a headline's "Pence: Trump Was
Mocking ...", and a quotation signed with a dash ('"..." ― Ana Ruiz')."""

from __future__ import annotations

import re
from collections import Counter

from dateline import lexicons
from dateline.analyze.quotations import Candidate, is_caption, paragraphs

# "PENCE: Well, ..." and "Mr. SMITH: ..." at the start of a paragraph.
TRANSCRIPT = re.compile(r"((?:(?:Mr|Mrs|Ms|Dr)\.? )?[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,2}):\s+(?=\S)")
# '"..." ― Ana Ruiz, 34, Phoenix' at the end of a paragraph.
SIGNED = re.compile("[\u2015\u2014\u2013]\\s*([A-Z][\\w.'\\-]+(?: [A-Z][\\w.'\\-]+){0,3})(?:,[^\\n]*)?$")
# "Pence: Trump Was Mocking the Clinton Camp" in a headline.
NAMED_COLON = re.compile(r"([A-Z][\w.'\-]+(?: [A-Z][\w.'\-]+){0,2}):\s+(?=\S)")
# A headline's source may have lower-case words: "Clinton camp: ...".
HEADLINE_COLON = re.compile(r"([A-Z][\w.'\-\u2019]*(?: [\w.'\-\u2019]+){0,4}):\s+(?=\S)")


class SetOffSpeakers:
    """Part of QuoteFinder: uses its doc, text, quotations, place spans,
    furniture and _trim."""

    def _set_off_speakers(self, candidates: list[Candidate]) -> list[tuple[Candidate, bool]]:
        """Speakers set off by punctuation rather than a verb: a transcript
        ('PENCE: Well, ...') or a quotation signed with a dash ('"..." — Ana Ruiz')."""
        taken = [(c.start, c.end) for c in candidates]
        found: list[tuple[Candidate, bool]] = []
        spans = paragraphs(self.text)
        # A name that opens several paragraphs is a transcript's speaker, even
        # when a town has that name; a dateline opens the article once.
        turns = Counter(m.group(1) for m in (TRANSCRIPT.match(self.text[s:e]) for s, e in spans) if m)
        for p_start, p_end in spans:
            paragraph = self.text[p_start:p_end]
            match = TRANSCRIPT.match(paragraph)
            in_transcript = bool(match) and turns[match.group(1)] >= 2
            if match and p_start == 0 and not in_transcript:
                match = None  # the article's dateline ("KHARTOUM: ..."), not a speaker
            match = match or self._named_colon(paragraph, p_start)
            if match and not in_transcript and self._is_place(p_start + match.start(1), p_start + match.end(1)):
                match = None
            if match:
                speaker_end = p_start + match.end(1)
                content_start = p_start + match.end()
                direct = False
            else:
                match = SIGNED.search(paragraph)
                if not match or not any(q.start >= p_start and q.close_mark <= p_start + match.start() + 1
                                        for q in self.quotations):
                    continue
                content_start, speaker_end = p_start, p_start + match.end(1)
                direct = True
            if any(s < p_end and content_start < e for s, e in taken):
                continue
            speaker = self.doc.char_span(p_start + match.start(1), speaker_end, alignment_mode="expand")
            if speaker is None or len(speaker) == 0:
                continue
            if direct:
                start, end = self._trim(p_start, p_start + match.start())
            else:
                start, end = self._trim(content_start, p_end)
            if end - start < 3:
                continue
            cue = [t for t in self.doc.char_span(p_start + match.start(), p_start + match.end(), alignment_mode="expand") or []
                   if t.is_punct][:1]
            anchor = cue[0] if cue else speaker[0]
            found.append((Candidate(anchor, cue, speaker, start, end), direct))
        return found

    def _named_colon(self, paragraph: str, p_start: int):
        """'Pence: Trump Was Mocking the Clinton Camp': a named person or
        organisation, a colon, and what they said."""
        headline = (p_start, p_start + len(paragraph)) == (self.resolver.furniture or [None])[0] \
            and p_start == paragraphs(self.text)[0][0] and not is_caption(paragraph)
        match = NAMED_COLON.match(paragraph)
        if headline and not match:
            match = HEADLINE_COLON.match(paragraph)  # "Clinton camp: ...", "Former AG Mukasey at RNC: ..."
        if not match:
            return None
        span = self.doc.char_span(p_start + match.start(1), p_start + match.end(1), alignment_mode="expand")
        if span is None:
            return None
        if any(t.ent_type_ in ("PERSON", "ORG") for t in span):
            return match
        if headline and _headline_source(match.group(1)):
            return match  # a headline: "Clinton camp: ...", "Sanders: ..."
        return None

    def _is_place(self, start: int, end: int) -> bool:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return any(s < end and start < e for s, e in self.place_spans) or bool(
            span is not None and any(t.ent_type_ in ("GPE", "LOC") for t in span))


def _headline_source(name: str) -> bool:
    """A headline's "X:" names a source unless X is a rubric ("The Latest",
    "Breaking", "Delegate Update") or a shouted word ("BOOM", "BYLINE")."""
    low = name.lower()
    rubrics = lexicons.words("headline_rubrics.txt")
    if low in rubrics or any(low.endswith(" " + r) for r in rubrics) or low.startswith("the "):
        return False
    return not (name.isupper() and " " not in name)

