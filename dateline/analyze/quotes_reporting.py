"""Attributions by a reporting verb, pass 2 of `quotes.QuoteFinder`: every
verb of the reporting verbs (a data file: reporting_verbs.tsv) and every
"according to" with a speaker and a content it governs becomes a Candidate.
The speaker is the cue's subject (or the noun a clause hangs on, the agent,
the phrase just before the verb); the content is the clause the parse hangs
on the cue or, where the parse does not, the quotation or the clause beside
the cue."""

from __future__ import annotations

from typing import Optional

from spacy.tokens import Span, Token

from dateline import lexicons
from dateline.analyze.quotations import Candidate

CONTENT_DEPS = ("ccomp",)


class ReportingVerbs:
    """Part of QuoteFinder: uses its doc, text, frames (the reporting verbs),
    quotations, _inside (the quotation each token is in), _trim and _is_direct."""

    def candidates(self) -> list[Candidate]:
        found = []
        for token in self.doc:
            if self._inside[token.i] >= 0:
                continue
            if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
                candidate = self._according_to(token)
            elif token.lemma_.lower() in self.frames and (token.pos_ in ("VERB", "AUX") or _verb_tagged_noun(token)):
                candidate = self._verb(token)
            else:
                candidate = None
            if candidate is not None:
                found.append(candidate)
        return found

    def _verb(self, verb: Token) -> Optional[Candidate]:
        frames = self.frames[verb.lemma_.lower()]
        speaker = self._subject(verb)
        if speaker is None:
            return None
        if "subject:document" in frames and speaker.root.lemma_.lower() not in lexicons.words("document_nouns.txt"):
            return None  # "she read the letter": only a document "reads" what it says
        content = self._content_tokens(verb, frames, speaker)
        if not content:
            return None
        start, end = self._trim(content[0].idx, content[-1].idx + len(content[-1]))
        if end - start < 3:
            return None
        clause = any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in content)
        named = "oprd" in frames and any(t.dep_ == "oprd" for t in content)
        if len([t for t in content if t.is_alpha]) < (2 if named else 3) and not clause and not self._is_direct(start, end):
            return None  # "called fellow Republicans", "promising to meet": a label or a topic
        if any(phrase in self.text[start:end].lower() for phrase in lexicons.words("not_statements.txt")):
            return None  # "asked not to be named"
        cue_tokens = self._cue_tokens(verb, speaker, content)
        return Candidate(verb, cue_tokens, speaker, start, end)

    def _according_to(self, token: Token) -> Optional[Candidate]:
        to = next(c for c in token.children if c.lower_ == "to")
        objects = [c for c in to.children if c.dep_ == "pobj"]
        if not objects:
            return None
        speaker = self.doc[objects[0].left_edge.i:objects[0].right_edge.i + 1]
        sent = token.sent
        phrase = {t.i for t in token.subtree} | {t.i for t in to.subtree}
        left = min(phrase)
        right = max(phrase)
        # The content is the rest of the sentence, on whichever side is longer.
        before = self.doc[sent.start:left]
        after = self.doc[right + 1:sent.end]
        side = before if len([t for t in before if not t.is_punct]) >= len([t for t in after if not t.is_punct]) else after
        if len([t for t in side if t.is_alpha]) < 3:
            return None
        start, end = self._trim(side[0].idx, side[-1].idx + len(side[-1]))
        return Candidate(token, [token, to], speaker, start, end)

    def _subject(self, verb: Token) -> Optional[Span]:
        node = verb
        if verb.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ in ("which", "who", "that") for c in verb.children):
            # "the agency, which said ...": the noun the clause hangs on.
            return self._noun_phrase(verb.head)
        if verb.dep_ == "acl" and verb.head.i == verb.i - 1 and verb.head.pos_ in ("NOUN", "PROPN") \
                and not any(c.dep_ == "agent" for c in verb.children):
            # ", a local official announced on Saturday." parsed as a reduced
            # relative clause: the noun is the speaker.
            return self._noun_phrase(verb.head)
        if verb.dep_ == "pcomp" and verb.head.lower_ == "as" and verb.head.head.lemma_ == "quote":
            # "State media quoted Xi Jinping as saying ...": Xi speaks.
            objects = [c for c in verb.head.head.children if c.dep_ == "dobj"]
            if objects:
                return self._noun_phrase(objects[0])
        for _ in range(3):
            if node is not verb and verb.tag_ == "VBG" and verb.dep_ == "advcl" and verb.i > 0 \
                    and self.doc[verb.i - 1].text == "," and node.dep_ == "ccomp" \
                    and node.head.lemma_.lower() in self.frames:
                # 'X said the army would withdraw, saying ...': the parser hung the
                # participle on the reported clause; X is still the one speaking.
                node = node.head
            subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")
                        and not (c.dep_ == "nsubjpass" and node is verb)]
            if subjects:
                named = [c for c in subjects if c.ent_type_ in ("PERSON", "ORG")]
                return self._noun_phrase(named[0] if named else subjects[-1])
            for child in node.children:
                if child.dep_ == "agent":
                    objects = [c for c in child.children if c.dep_ == "pobj"]
                    if objects:
                        return self._noun_phrase(objects[0])
            # "prompting X to order ...": the object of the head verb.
            if node.dep_ == "xcomp":
                objects = [c for c in node.head.children if c.dep_ == "dobj"]
                if objects:
                    return self._noun_phrase(objects[0])
            # "X said Y, suggesting Z": the participle hangs on the reported
            # clause; the one suggesting is the one who said it.
            if node is not verb and node.dep_ == "ccomp" and node.head.lemma_.lower() in self.frames:
                node = node.head
                continue
            # "..., adding that ...", "and added ...": the subject of the head verb.
            if node.dep_ in ("advcl", "conj", "xcomp") and node.head is not node and node.tag_ in ("VBG", "VBD", "VBZ", "VBP", "VB", "VBN") and not (node.dep_ == "advcl" and node.tag_ in ("VBN", "VBD") and node.i < node.head.i):
                node = node.head
                continue
            break
        if verb.dep_ not in ("advcl", "xcomp", "conj", "relcl", "acl", "pcomp"):
            return self._subject_on_the_left(verb)
        return None

    def _subject_on_the_left(self, verb: Token) -> Optional[Span]:
        """'"...," Vitaliy Sarantsev, a spokesperson, told ...' when the parser
        hung the name elsewhere: the largest phrase ending right before the
        verb, outside any quotation."""
        end = verb.i - 1
        while end >= verb.sent.start and self.doc[end].is_punct and self._inside[end] < 0:
            end -= 1
        if end < verb.sent.start or self._inside[end] >= 0:
            return None
        best = None
        for token in self.doc[verb.sent.start:end + 1]:
            if token.pos_ not in ("PROPN", "NOUN", "PRON") or self._inside[token.i] >= 0:
                continue
            if token.dep_ in ("appos", "pobj", "compound", "poss", "conj", "dobj", "attr"):
                continue
            outside = [t.i for t in token.subtree if self._inside[t.i] < 0 and t.i >= token.i]
            if not outside or not (end - 1 <= max(outside) <= end + 1):
                continue
            if best is None or token.i < best.i:
                best = token
        return self._noun_phrase(best) if best is not None else None

    def _noun_phrase(self, head: Token) -> Span:
        """The subject's words without relative clauses or appositions."""
        if head.pos_ == "NOUN":
            # "Britain's national news agency, PA, reported": the name.
            names = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
            if names:
                head = names[0]
        drop = set()
        for child in head.children:
            if child.dep_ in ("relcl", "appos", "acl", "ccomp", "advcl", "parataxis", "xcomp", "dep", "punct") \
                    or self._inside[child.i] >= 0:
                drop.update(t.i for t in child.subtree)
        keep = [t.i for t in head.subtree if t.i not in drop]
        # Keep it contiguous around the head.
        start = head.i
        while start - 1 in keep:
            start -= 1
        end = head.i
        while end + 1 in keep:
            end += 1
        # A name is never read across a line break (a headline above the
        # first paragraph is not part of its subject).
        while start < head.i and "\n" in self.text[self.doc[start].idx:head.idx]:
            start += 1
        while end > head.i and "\n" in self.text[head.idx:self.doc[end].idx]:
            end -= 1
        return self.doc[start:end + 1]

    def _content_tokens(self, verb: Token, frames: list[str], speaker: Span) -> list[Token]:
        speaker_ids = {t.i for t in speaker}
        if "ccomp" in frames:
            # 'A, but B, the source added.': all that comes before the
            # closing attribution, whatever piece of it the parser attached.
            left = self._content_before_frame(verb, speaker)
            if left:
                return left
        heads: list[Token] = []
        for child in verb.children:
            if child.i in speaker_ids:
                continue
            if child.dep_ in CONTENT_DEPS and "ccomp" in frames:
                heads.append(child)
            elif child.dep_ == "advcl" and "ccomp" in frames and child.i > verb.i \
                    and child.left_edge.lower_ == "that" and child.left_edge.dep_ in ("mark", "advmod"):
                # 'tweeted in the early hours that X was ...' parsed as an adverbial clause.
                heads.append(child)
            elif child.dep_ == "oprd" and "oprd" in frames and any(c.dep_ in ("dobj", "dative") for c in verb.children):
                # "called Trump 'unhinged'", "calling him a loser": the name given and its object.
                heads += [c for c in verb.children if c.dep_ in ("dobj", "dative")] + [child]
            elif child.dep_ == "dobj" and "dobj" in frames and (self._is_content_object(child) or any(
                    c.dep_ in ("oprd", "prep") and c.lower_ in ("as", c.lower_ if c.dep_ == "oprd" else "as")
                    and c.i > child.i for c in verb.children)):
                heads.append(child)
            elif child.dep_ == "xcomp" and ("xcomp" in frames or any(
                    c.dep_ == "prep" and f"prep:{c.lower_}+xcomp" in frames and c.i < child.i for c in verb.children)):
                heads.append(child)
            elif child.dep_ in ("prep", "prt") and f"prep:{child.lower_}" in frames and not (
                    f"prep:{child.lower_}+xcomp" in frames and any(c.dep_ == "xcomp" and c.i > child.i
                                                                 for c in verb.children)):
                # "warned of a wider war", not "spoke on Tuesday".
                heads.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp")
                             and c.ent_type_ not in ("DATE", "TIME") and len(list(c.subtree)) >= 2)
            elif child.dep_ == "dobj" and "xcomp" in frames:
                heads.extend(c for c in child.children if c.dep_ in ("xcomp",))
        if heads and all(h.dep_ in CONTENT_DEPS for h in heads) \
                and not any(x.dep_ in ("nsubj", "nsubjpass") for h in heads for x in h.children):
            # 'The museum, Mr. Obama said, would ...': the parser gave the
            # clause's subject to the cue; it belongs to what was said.
            heads += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in speaker_ids
                      and c.i < speaker.start and self.doc[c.right_edge.i + 1].text == ","]
        if not heads and "ccomp" in frames:
            # "said in a statement that ...": the clause hung on the noun.
            for prep in (c for c in verb.children if c.dep_ == "prep"):
                for noun in (c for c in prep.children if c.dep_ == "pobj"):
                    heads += [c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl")
                              and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        if not heads and "ccomp" in frames:
            quoted = self._quoted_neighbour(verb, speaker)
            if quoted:
                return quoted
        if not heads and "ccomp" in frames:
            left = self._content_before_frame(verb, speaker)
            if left:
                return left
        if not heads and "ccomp" in frames:
            around = self._content_around_frame(verb, speaker)
            if around:
                return around
        if not heads and "ccomp" in frames and verb.dep_ == "parataxis":
            head = verb.head
            tokens = [t for t in head.subtree if t.i not in {x.i for x in verb.subtree}]
            return [t for t in tokens if not t.is_punct or t.i not in (tokens[0].i, tokens[-1].i)]
        if not heads:
            return []
        if all(h.dep_ == "dobj" for h in heads):
            # "reported explosions ... as air defence units battled drones":
            # what follows the object in the clause belongs to the content.
            heads += [c for c in verb.children if c.i > max(h.i for h in heads)
                      and c.dep_ in ("advcl", "prep", "npadvmod", "acomp", "oprd")]
        # A participle or coordinated cue ("..., saying ...", "and said ...")
        # is an attribution of its own, not part of this content.
        own = set()
        for h in heads:
            for t in h.subtree:
                if t.dep_ == "relcl" and t.i > verb.i and t.left_edge.i > 0 and self.doc[t.left_edge.i - 1].text == "," \
                        and t.left_edge.lower_ == "which" and self._inside[t.i] < 0:
                    # ", which drew warnings ...": the writer's comment, not the statement.
                    own.update(x.i for x in t.subtree)
                    own.add(t.left_edge.i - 1)
                    continue
                if t.dep_ in ("advcl", "conj") and t.lemma_.lower() in self.frames and t.pos_ == "VERB" \
                        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) \
                        and not any(c.dep_ == "aux" and c.tag_ == "TO" for c in t.children):
                    # ('to express gratitude' says why, it is no cue of its own.)
                    own.update(x.i for x in t.subtree)
                    if t.i > 0 and self.doc[t.i - 1].dep_ in ("cc", "punct"):
                        own.add(t.i - 1)
        tokens = sorted({t.i for h in heads for t in h.subtree} - speaker_ids - own)
        if not tokens:
            return []
        while tokens and tokens[-1] in own:
            tokens.pop()
        # Keep the span contiguous, and stop where a cue of its own begins.
        first_own = min((i for i in own if i > tokens[0]), default=None)
        last = tokens[-1] if first_own is None else min(tokens[-1], first_own - 1)
        while last > tokens[0] and self.doc[last].is_punct:
            last -= 1
        aside = set()
        if tokens[0] < verb.i < last:
            # 'A, X said on Friday, B': the cue's own phrases up to the comma are not content.
            for child in verb.children:
                if child.i > verb.i and child.dep_ in ("prep", "npadvmod", "dative", "advmod") \
                        and self.doc[child.right_edge.i + 1].text == "," \
                        and not any(t.text == "," for t in self.doc[verb.i + 1:child.left_edge.i]):
                    aside.update(t.i for t in child.subtree)
        return [self.doc[i] for i in range(tokens[0], last + 1)
                if not self._in_cue_frame(i, verb, speaker) and i not in aside]

    def _content_before_frame(self, verb: Token, speaker: Span) -> list[Token]:
        """'Content, X said on Saturday.': the attribution closes the
        sentence and the clause before its comma is what was said."""
        sent = verb.sent
        frame_start = min(speaker.start, verb.i)
        if speaker.root.dep_ == "appos" and speaker.root.pos_ == "PROPN" and speaker.root.head.i < speaker.start:
            frame_start = min(frame_start, speaker.root.head.left_edge.i)
        after = [t for t in self.doc[max(speaker.end, verb.i + 1):sent.end] if not t.is_punct and not t.is_space]
        if any(t.pos_ in ("VERB", "AUX") for t in after):
            return []
        comma = frame_start - 1
        if comma <= sent.start or self.doc[comma].text not in (",", "\u2014", "--"):
            return []
        content = [t for t in self.doc[sent.start:comma] if not t.is_space]
        if len([t for t in content if t.is_alpha]) < 4 or not any(t.pos_ in ("VERB", "AUX") for t in content):
            return []
        return content

    def _content_around_frame(self, verb: Token, speaker: Span) -> list[Token]:
        """'Though A, he said, B.': an attribution set off by commas inside
        the sentence, which the parser often hangs the wrong way; what was
        said is the sentence on both sides of it."""
        sent = verb.sent
        if verb.tag_ == "VBN" or speaker.root.head.i != verb.i or speaker.root.dep_ != "nsubj":
            return []  # 'as might be expected from ...' is no attribution
        frame_start = min(speaker.start, verb.i)
        frame_end = max(speaker.end - 1, verb.i)
        # 'he told me on Friday,': the cue's own short phrases stay in the frame.
        for child in verb.children:
            if child.i > frame_end and child.dep_ in ("dative", "prep", "npadvmod", "advmod", "dobj") \
                    and not any(t.text == "," for t in child.subtree):
                frame_end = max(frame_end, child.right_edge.i)
        if frame_start - 1 <= sent.start or frame_end + 1 >= sent.end - 1:
            return []
        if self.doc[frame_start - 1].text != "," or self.doc[frame_end + 1].text != "," \
                or frame_end - frame_start > 12:
            return []
        left = [t for t in self.doc[sent.start:frame_start - 1] if not t.is_space]
        right = [t for t in self.doc[frame_end + 2:sent.end] if not t.is_space]
        while right and right[-1].is_punct:
            right.pop()
        tokens = left + right
        if any(self._inside[t.i] >= 0 for t in tokens):
            return []  # quotation marks around it: the quotation path decides
        if len([t for t in left if t.is_alpha]) < 2 or len([t for t in right if t.is_alpha]) < 3:
            return []
        if not any(t.pos_ in ("VERB", "AUX") for t in right):
            return []
        if any(t.lemma_.lower() in self.frames and t.pos_ == "VERB" and t.i != verb.i for t in tokens):
            return []  # another cue in the sentence: not a plain aside
        return tokens

    def _is_content_object(self, obj: Token) -> bool:
        """'announced the formation of a partnership' states content;
        'said something' or 'reported it' does not."""
        if obj.pos_ == "PRON":
            return False
        return len(list(obj.subtree)) >= 2

    def _quoted_neighbour(self, verb: Token, speaker: Span) -> list[Token]:
        """'X said: "..."' and '"...," X said' where the parser did not attach
        the quotation: take the quotation next to the cue in its sentence."""
        sent = verb.sent
        frame_left = min(speaker.start, verb.i)
        frame_right = max(speaker.end - 1, verb.i)
        # 'wrote on Telegram: "..."': the cue's own phrases belong to the frame.
        for child in verb.children:
            if child.i > frame_right and child.dep_ in ("prep", "dobj", "dative", "npadvmod", "advmod", "prt") \
                    and all(self._inside[t.i] < 0 for t in child.subtree):
                frame_right = max(frame_right, child.right_edge.i)
        before = [t for t in self.doc[sent.start:frame_left] if not t.is_punct and not t.is_space]
        after_tokens = self.doc[frame_right + 1:sent.end]
        if before and all(self._inside[t.i] >= 0 for t in before):
            return self._quotation_tokens(self._inside[before[-1].i]) if len(before) >= 2 else []
        after = [t for t in after_tokens if not t.is_punct and not t.is_space]
        if after and self._inside[after[0].i] >= 0:
            return self._quotation_tokens(self._inside[after[0].i])
        return []

    def _quotation_tokens(self, q_index: int) -> list[Token]:
        q = self.quotations[q_index]
        span = self.doc.char_span(q.start, q.end, alignment_mode="expand")
        return list(span) if span is not None else []

    def _in_cue_frame(self, i: int, verb: Token, speaker: Span) -> bool:
        return i == verb.i or speaker.start <= i < speaker.end

    def _cue_tokens(self, verb: Token, speaker: Span, content: list[Token]) -> list[Token]:
        first, last = content[0].i, content[-1].i
        said = {t.i for t in content}
        tokens = [verb]
        aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < verb.i]
        tokens = aux + tokens
        for child in verb.children:
            if child.i > verb.i and child.dep_ in ("dobj", "dative", "prep", "prt") and child.i not in said:
                sub = list(child.subtree)
                # Inside the content's range only when the content goes round the cue ('A, he told me on Friday, B').
                in_gap = first < verb.i < last
                if all(t.i not in said and (in_gap or not first <= t.i <= last) for t in sub) \
                        and (child.i < first or child.dep_ != "prep" or in_gap):
                    tokens.extend(t for t in sub if self._inside[t.i] < 0)
        return sorted(tokens, key=lambda t: t.i)


def _verb_tagged_noun(token: Token) -> bool:
    """'"...," the statement read.': a cue the tagger called a noun, though the
    parse gives it a subject and a clause as it would a verb."""
    return token.pos_ == "NOUN" and token.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in token.children) \
        and any(c.dep_ == "ccomp" for c in token.children)
