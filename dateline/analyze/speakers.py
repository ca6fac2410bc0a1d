"""Speaker resolution inside one article.

A speaker mention ("Kremlin aide Yuri Ushakov", "Mr Ushakov", "he", "the
Kremlin aide", "a senior Ukrainian official", "the source") becomes the
fullest name or description the article gives, with its kind (person,
organization, anonymous) and role.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Optional

from spacy.tokens import Doc, Span

from dateline import lexicons
from dateline.analyze.nlp import text_of
from dateline.analyze.quotations import paragraphs
from dateline.analyze.entities import Cluster, EntityIndex, FEMALE_TITLES, MALE_TITLES, clean_name, name_key, role_of

PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
GROUP_PRONOUNS = {"they", "them"}
THING_PRONOUNS = {"it"}
FIRST_PERSON = {"i", "we"}
FEMALE_NOUNS = {"woman", "mother", "girl", "wife", "daughter", "sister", "grandmother", "spokeswoman", "chairwoman", "businesswoman"}
MALE_NOUNS = {"man", "father", "boy", "husband", "son", "brother", "grandfather", "spokesman", "chairman", "businessman"}
RELATIVE_PRONOUNS = {"which", "who", "that", "whom"}
# Where a person publishes ("his social media network", "her account").
OWN_MEDIA = {"network", "account", "platform", "channel", "page", "site", "website", "feed", "blog", "newsletter"}
GENERIC_MODIFIERS = {"regional", "local", "senior", "top", "former", "then", "current", "new", "deputy", "acting"}


@dataclass(frozen=True)
class Speaker:
    name: str
    kind: str  # person | organization | anonymous
    role: Optional[str] = None
    gender: Optional[str] = None
    head: str = ""
    plural: bool = False


class SpeakerResolver:
    def __init__(self, doc: Doc, index: Optional[EntityIndex], place_names: Iterable[str] = (),
                 furniture: Iterable[tuple[int, int]] = ()):
        self.doc = doc
        self.place_names = set(place_names)
        self.furniture = list(furniture)
        self.index = index or EntityIndex(doc, self.furniture)
        self.history: list[tuple[int, Speaker]] = []
        # Paragraphs for the reach of pronouns; a stray fragment ("on Monday.")
        # left by a page's layout is part of the paragraph before it.
        self.paragraph_starts = [start for start, end in paragraphs(text_of(doc))
                                 if len(text_of(doc)[start:end].split()) >= 8] or [0]
        self._doc_ents: Optional[tuple[Span, ...]] = None

    def _ents(self, span: Optional[Span] = None) -> list[Span]:
        """`span.ents` (or the Doc's), from the Doc's entities made once:
        spaCy builds every entity of the Doc again for each span asked."""
        if self._doc_ents is None:
            self._doc_ents = self.doc.ents
        if span is None:
            return list(self._doc_ents)
        out = []
        for ent in self._doc_ents:  # as Span.ents: in order, until one ends past the span
            if ent.start >= span.start:
                if ent.end <= span.end:
                    out.append(ent)
                else:
                    break
        return out

    def remember(self, speaker: Speaker, at: int) -> None:
        """A speaker met at offset `at` (where the text names them); the
        headline and captions name no one the body's pronouns can mean."""
        if not self.in_furniture(at):
            self.history.append((at, speaker))

    def in_furniture(self, at: int) -> bool:
        return any(s <= at < e for s, e in self.furniture)

    def _paragraph(self, at: int) -> int:
        return bisect_right(self.paragraph_starts, at) - 1

    def _reach(self, at: int) -> int:
        """Where the reach of a pronoun at `at` begins: the start of the
        paragraph before its own."""
        index = bisect_right(self.paragraph_starts, at) - 1
        return self.paragraph_starts[max(index - 1, 0)] if self.paragraph_starts else 0

    def resolve(self, mention: Span, at: int) -> Optional[Speaker]:
        speaker = self._resolve(mention, at)
        if speaker is None:
            return None
        if speaker.kind == "organization":
            full = self._organization_by_acronym(speaker.name)
            if full is not None:
                return Speaker(full, "organization", speaker.role, None, speaker.head, speaker.plural)
        if speaker.kind == "person":
            return self._fullest(speaker)
        return speaker

    def _fullest(self, speaker: Speaker) -> Speaker:
        """One person under one name in the article: "Tjahjanto", "Mr
        Tjahjanto" and "Martinez" are the "Hadi Tjahjanto" and "Miguel
        Martínez" named before, when no one else has that name."""
        key = name_key(speaker.name)
        if not key:
            return speaker
        fuller = {s.name for _, s in self.history if s.kind == "person" and s.name != speaker.name
                  and _shorter_form(key, name_key(s.name))}
        fuller |= {c.name for c in self.index.persons() if c.name != speaker.name
                   and _shorter_form(key, name_key(c.name)) and c.name not in self.place_names}
        if len(fuller) != 1:
            return speaker
        name = fuller.pop()
        return Speaker(name, "person", speaker.role, speaker.gender, speaker.head, speaker.plural)

    def _resolve(self, mention: Span, at: int) -> Optional[Speaker]:
        words = [t for t in mention if not t.is_punct]
        if not words:
            return None
        if len(words) == 1 and words[0].pos_ == "PRON":
            return self._pronoun(words[0].lower_, mention.start_char, speaking=True)
        if mention.text.isupper() and len(words) <= 3 and not self._ents(mention) and len(mention.text) >= 4:
            # A transcript's "PENCE:" or "Mr. WALLACE:".
            name = " ".join(t.text.title() for t in words if t.lower_ not in lexicons.words("titles.txt"))
            cluster = self.index.find_person(name) if name else None
            if cluster is not None:
                return self._from_cluster(cluster, None)
            if name:
                return Speaker(name, "person", None, None, name.split()[-1].lower())
        if words[0].lower_ in RELATIVE_PRONOUNS and len(words) == 1:
            return None
        if words[0].lower_ in ("its", "their") and len(words) >= 2:
            # "its website", "their statement": the owner speaks, most often
            # the organisation named earlier in the same sentence.
            owner = self._organization_in_sentence(mention)
            if owner is not None:
                return owner
            return self._pronoun("it" if words[0].lower_ == "its" else "they", mention.start_char)
        if words[0].lower_ in ("his", "her") and len(words) >= 2 and mention.root.lemma_.lower() in OWN_MEDIA \
                | lexicons.words("document_nouns.txt"):
            # "his social media network", "her statement": the one who owns it speaks.
            return self._pronoun("he" if words[0].lower_ == "his" else "she", mention.start_char)
        person = self._person(mention)
        if person is not None:
            return person
        described = self._named_in_apposition(mention)
        if described is not None:
            return described
        named = self._named_organization(mention)
        if named is not None:
            return named
        return self._description(mention)

    def _named_in_apposition(self, mention: Span) -> Optional[Speaker]:
        """'a union organiser, Nasrin Akter,': a name given to a person's role."""
        root = mention.root
        described = root.head
        if root.dep_ != "appos" or described.pos_ != "NOUN" or not all(t.pos_ == "PROPN" for t in mention):
            return None
        if described.lemma_.lower() in lexicons.words("organization_nouns.txt"):
            return None  # "the agency, WAFA": an organisation's name
        role_tokens = [t for t in described.subtree if t.i < mention.start and not t.is_punct]
        if role_tokens and role_tokens[0].dep_ == "det":
            role_tokens = role_tokens[1:]
        role = " ".join(t.text for t in role_tokens) or None
        return Speaker(mention.text, "person", role, None, root.lower_)

    def _titled_person(self, ent: Span) -> Optional[Speaker]:
        """'Police Chief Superintendent Morgan Cronin' tagged as an
        organisation: a title followed by a name is a person."""
        title_words = lexicons.words("titles.txt")
        last_title = max((t.i for t in ent if t.lower_ in title_words), default=None)
        if last_title is None:
            return None
        name = self.doc[last_title + 1:ent.end]
        if len(name) < 2 or not all(t.is_title for t in name) or not name.start <= ent.root.i < name.end:
            return None  # 'an aide to President Joe Biden' is the aide
        role = self.doc[ent.start:last_title + 1].text
        return Speaker(name.text, "person", role, None, name[-1].lower_)

    def _organization_in_sentence(self, mention: Span) -> Optional[Speaker]:
        sentence = mention[0].sent
        orgs = [e for e in self._ents() if e.label_ == "ORG" and sentence.start <= e.start and e.end <= mention.start]
        if not orgs:
            return None
        name_span, _ = clean_name(orgs[-1])
        return Speaker(_name_text(name_span), "organization", None, None, name_span.root.lower_)

    def _named_organization(self, mention: Span) -> Optional[Speaker]:
        """'Palestinian news agency WAFA', 'Britain's news agency, PA': the
        name, not the description."""
        titled = self._titled_person(mention)
        if titled is not None:
            return titled
        root = mention.root
        before = [t for t in mention if t.i < root.i and t.dep_ != "det"]
        if root.pos_ == "PROPN" and root.text[:1].isupper() and not root.ent_type_ == "PERSON" \
                and any(t.pos_ == "NOUN" for t in before):
            # "Palestinian news agency WAFA": the name closing the description.
            start = root.i
            while start - 1 >= mention.start and self.doc[start - 1].pos_ == "PROPN":
                start -= 1
            name = self.doc[start:root.i + 1]
            role = self.doc[mention.start:start]
            if role and role[0].dep_ == "det":
                role = role[1:]
            return Speaker(name.text, "organization", role.text or None, None, root.lower_)
        for ent in self._ents(mention):
            if ent.label_ == "ORG":
                person = self._titled_person(ent)
                if person is not None:
                    return person
            if ent.label_ != "ORG" or ent[-1].tag_ == "POS" or (ent.end < mention.end and mention.doc[ent.end].tag_ == "POS"):
                continue
            if not any(t.text[:1].isupper() for t in ent):
                continue  # "defence ministry": a description, not a name
            if any(t.dep_ == "poss" for t in mention if t.i < ent.start):
                continue  # "Russia's Defence Ministry": keep the article's whole description
            if ent.start <= mention.root.i < ent.end:
                name_span, _ = clean_name(ent)
                name = _name_text(name_span)
                if name_span.start > 0 and mention.doc[name_span.start - 1].lower_ == "the":
                    name = "the " + name
                return Speaker(name, "organization", None, None, name_span.root.lower_)
        return None

    # -- names ------------------------------------------------------------------

    def _person(self, mention: Span) -> Optional[Speaker]:
        speaker = self._person_unless_place(mention)
        if speaker is not None and speaker.name in self.place_names and " " not in speaker.name:
            # The tagger calls some cities people ("Kyiv said ..."): a place speaks as an institution.
            return Speaker(speaker.name, "organization", None, None, speaker.head)
        return speaker

    def _person_unless_place(self, mention: Span) -> Optional[Speaker]:
        tokens = [t for t in mention if t.dep_ != "det" and t.lower_ not in lexicons.words("titles.txt")]
        if tokens and all(t.pos_ == "PROPN" for t in tokens):
            # "Khatir", "Mensa": a short form of a person named before,
            # whatever label the tagger gave it.
            cluster = self.index.find_person(" ".join(t.text for t in tokens))
            if cluster is not None:
                return self._from_cluster(cluster, None)
        root = mention.root
        # The name the mention is about: its head, or a name in apposition
        # after it ("a spokeswoman, Nasrin Akter"), not the object of a
        # preposition ("a spokeswoman for Hillary Clinton" is not Clinton).
        persons = [e for e in self._ents(mention) if e.label_ == "PERSON" and e.start <= root.i < e.end
                   or (e.label_ == "PERSON" and root.i < e.start and not _under_preposition(e.root, root))]
        for ent in persons:
            name_span, gender = clean_name(ent)
            if not len(name_span):
                continue
            cluster = self.index.find_person(name_span.text)
            role = role_of(name_span)
            if cluster is not None:
                return self._from_cluster(cluster, role)
            return Speaker(name_span.text, "person", role, gender, name_span[-1].lower_)
        # "Mr Ushakov" with no PERSON entity from the tagger.
        tokens = list(mention)
        if tokens and tokens[0].lower_ in FEMALE_TITLES | MALE_TITLES and len(tokens) >= 2:
            name = " ".join(t.text for t in tokens[1:] if t.tag_ != "POS")
            cluster = self.index.find_person(name)
            if cluster is not None:
                return self._from_cluster(cluster, None)
            gender = "f" if tokens[0].lower_ in FEMALE_TITLES else "m"
            return Speaker(name, "person", None, gender, tokens[-1].lower_)
        if len(tokens) == 1 and tokens[0].pos_ == "PROPN" and not tokens[0].ent_type_:
            cluster = self.index.find_person(tokens[0].text)
            if cluster is not None:
                return self._from_cluster(cluster, None)
        return None

    def _from_cluster(self, cluster: Cluster, role: Optional[str]) -> Speaker:
        role = role or (cluster.roles[0] if cluster.roles else None)
        gender = cluster.gender or self._gender_from_history(cluster.name)
        return Speaker(cluster.name, "person", role, gender, cluster.surname)

    def _gender_from_history(self, name: str) -> Optional[str]:
        for _, speaker in reversed(self.history):
            if speaker.name == name and speaker.gender:
                return speaker.gender
        return None

    # -- pronouns ---------------------------------------------------------------

    def person_for_pronoun(self, word: str, at: int) -> Optional[str]:
        """The person "he" or "she" at offset `at` stands for, by the rules a
        speaker's pronoun is resolved by; None for any other pronoun or when
        no one is within reach."""
        if word.lower() not in ("he", "she"):
            return None  # "him", "her" are most often someone other than the last subject
        found = self._pronoun(word.lower(), at)
        return found.name if found is not None and found.kind == "person" else None

    def _pronoun(self, word: str, at: int, speaking: bool = False) -> Optional[Speaker]:
        if word in PERSON_PRONOUNS:
            gender = PERSON_PRONOUNS[word]
            found = self._person_antecedent(at, gender, speaking)
            if found is not None and found.gender is None:
                found = Speaker(found.name, found.kind, found.role, gender, found.head)
            return found
        if word in GROUP_PRONOUNS:
            return self._last_speaker(lambda s: s.kind != "person")
        if word in THING_PRONOUNS:
            return self._last_speaker(lambda s: s.kind == "organization") or self._last_organization(at)
        return None

    def _last_speaker(self, accept) -> Optional[Speaker]:
        for _, speaker in reversed(self.history[-6:]):
            if accept(speaker):
                return speaker
        return None

    def _subject_at(self, at: int) -> bool:
        """A person named at `at` could be the one speaking: the subject of a
        clause ("Tsipras accused him"), not its object ("thanked Biden")."""
        span = self.doc.char_span(at, at + 1, alignment_mode="expand")
        return span is not None and len(span) > 0 and _in_subject(span[0])

    def _described_people(self, at: int) -> list[tuple[int, Speaker]]:
        """People the text refers to by their role within reach of `at`, as
        the subject of a clause ("the president's move came after he ..."):
        the one person the article gives that role."""
        found = []
        window = self.doc.char_span(self._reach(at), at, alignment_mode="contract") if at > 0 else None
        for token in window or []:
            if token.pos_ != "NOUN" or not _in_subject(token):
                continue
            first = token.left_edge
            if first.lower_ != "the" or first.i != token.i - 1:
                continue  # "the president", not "the former president's aide"
            cluster = self.index.find_by_role([], token.lemma_.lower())
            if cluster is not None and not self.in_furniture(first.idx):
                found.append((first.idx, self._from_cluster(cluster, None)))
        return found

    def _person_antecedent(self, at: int, gender: str, speaking: bool = False) -> Optional[Speaker]:
        """Who "he" or "she" at `at` is: the nearest person before it, a
        speaker met before (named, or described: "a 62-year-old woman") or a
        person the text names, but not a group or an institution. Of several
        in the nearest sentence, its subject, else the first. Only within
        reach: the pronoun's paragraph or the one before, or further back
        over paragraphs that only name people of the other sex (the turns of
        an exchange between a man and a woman); "he" after a long stretch
        names no one. A pronoun that speaks ("he added") goes first to one
        who spoke in that sentence: 'Lan had pleaded not guilty, Nguyen, one
        of her lawyers, said. "She will appeal," he added' is the lawyer."""
        people: list[tuple[int, Speaker]] = [
            (pos, s) for pos, s in self.history
            if pos < at and (s.kind == "person" or (s.kind == "anonymous" and not s.plural))]
        for cluster in self.index.persons():
            if cluster.name in self.place_names:
                continue  # a town the tagger took for a person
            people += [(start, self._from_cluster(cluster, None)) for start, _ in cluster.mentions
                       if start < at and not self.in_furniture(start) and self._subject_at(start)]
        people += self._described_people(at)
        options = [(pos, s) for pos, s in people if s.gender in (None, gender)]
        if not options:
            return None
        nearest = max(pos for pos, _ in options)
        here = self._paragraph(at)
        others = {self._paragraph(pos) for pos, s in people if s.gender not in (None, gender)}
        if any(p not in others for p in range(self._paragraph(nearest) + 1, here)):
            return None
        sentence = self.doc.char_span(nearest, nearest + 1, alignment_mode="expand")
        if sentence is None or not len(sentence):
            return max(options, key=lambda o: o[0])[1]
        sent = sentence[0].sent
        same = sorted((o for o in options if sent.start_char <= o[0] < sent.end_char), key=lambda o: o[0])
        spoke = [o for o in same if o in self.history] if speaking else []
        if spoke:
            return spoke[-1][1]
        for pos, speaker in same:
            token = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
            if token is not None and len(token) and _in_subject(token[0]):
                return speaker
        return same[0][1] if same else max(options, key=lambda o: o[0])[1]

    # -- descriptions ------------------------------------------------------------

    def _description(self, mention: Span) -> Optional[Speaker]:
        head = mention.root
        if head.lemma_.lower() in lexicons.words("document_nouns.txt"):
            # "the RSF statement", "the ministry's statement": its author speaks.
            owners = [c for c in head.children if c.i < head.i and (
                c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN") or c.dep_ == "compound" and c.pos_ == "PROPN")]
            if owners:
                owner = self.doc[owners[0].left_edge.i:owners[-1].i + 1]
                return self.resolve(owner, owner.start_char)
            # "a statement from the interior ministry": its author speaks.
            links = list(head.children) + [a for c in head.children if c.dep_ == "acl" for a in c.children]
            for prep in links:
                if prep.dep_ in ("prep", "agent") and prep.lower_ in ("from", "by", "of"):
                    authors = [c for c in prep.children if c.dep_ == "pobj"]
                    if authors:
                        author = self.doc[authors[0].left_edge.i:authors[0].right_edge.i + 1]
                        return self.resolve(author, author.start_char)
        head_word = head.lemma_.lower() if head.pos_ == "NOUN" else head.lower_
        modifiers = [t.lower_ for t in mention if t.i != head.i and t.dep_ not in ("det", "poss", "case", "punct")
                     and t.pos_ in ("ADJ", "PROPN", "NOUN") and t.lower_ not in GENERIC_MODIFIERS]
        determiner = mention[0].lower_ if mention[0].dep_ == "det" else ""
        organization_noun = head_word in lexicons.words("organization_nouns.txt")
        # "the Ukrainian leader", "the Kremlin aide": the one person with that
        # role. An organisation speaks for itself: "the navy said" is the navy,
        # not the navy's spokesman named before.
        if determiner == "the" and head.pos_ == "NOUN":
            cluster = None if organization_noun else self.index.find_by_role(modifiers, head_word)
            if cluster is not None:
                return self._from_cluster(cluster, None)
            # "the source", "the official": the unnamed source met before.
            if head_word in lexicons.words("anonymous_nouns.txt") and not modifiers:
                earlier = self._last_speaker(lambda s: s.kind == "anonymous" and (
                    s.head == head_word or head_word in ("source", "official", "person")))
                if earlier is not None:
                    return earlier
        name = _name_text(mention)
        kind = self._kind(mention, head, head_word)
        plural = head.tag_ in ("NNS", "NNPS") or any(t.lower_ == "and" for t in mention)
        if kind == "organization":
            full = self._organization_by_acronym(name)
            if full is not None:
                return Speaker(full, "organization", None, None, head_word)
            if determiner == "the" and not modifiers and head.pos_ == "NOUN" \
                    and head_word not in lexicons.words("document_nouns.txt"):
                # "the company", "the ministry": the organisation named last.
                earlier = self._last_organization(mention.start_char, head_word)
                if earlier is not None:
                    return earlier
        gender = "f" if head_word in FEMALE_NOUNS else "m" if head_word in MALE_NOUNS else None
        return Speaker(name, kind, None, gender, head_word, plural)

    def _organization_by_acronym(self, name: str) -> Optional[str]:
        letters = name.replace("the ", "").replace("The ", "").replace(".", "").strip()
        if not (2 <= len(letters) <= 6 and letters.isupper()):
            return None
        for cluster in self.index.clusters:
            if cluster.label == "ORG" and len(cluster.tokens) >= 2:
                initials = "".join(t[0] for t in cluster.tokens if t[:1].isupper())
                if initials == letters:
                    return ("the " + cluster.name) if not cluster.name.lower().startswith("the ") else cluster.name
        return None

    def _last_organization(self, at: int, head: Optional[str] = None) -> Optional[Speaker]:
        """The organisation named last before `at`. For "the ministry", the
        last one whose name has that word ("Japan's Defense Ministry"); when
        none has, the last one named within reach (the paragraph or the one
        before), else none: "the navy" is not a bank named pages earlier."""
        title_words = lexicons.words("titles.txt")
        found = []
        for cluster in self.index.clusters:
            if cluster.label != "ORG" or cluster.furniture or (cluster.tokens and cluster.tokens[-1].lower() in title_words):
                continue  # ("Rear Admiral" tagged as an organisation)
            before = [s for s, _ in cluster.mentions if s < at and not self.in_furniture(s)]
            if before:
                found.append((max(before), cluster))
        if head is not None:
            named = [f for f in found if head in (w.lower() for w in f[1].tokens)]
            if named:
                found = named
            else:
                found = [f for f in found if f[0] >= self._reach(at)]
        if not found:
            return None
        best = max(found, key=lambda f: f[0])[1]
        return Speaker(best.name, "organization", None, None, best.surname)

    def _kind(self, mention: Span, head, head_word: str) -> str:
        if head.ent_type_ in ("ORG", "GPE") or head_word in lexicons.words("organization_nouns.txt"):
            return "organization"
        if head.ent_type_ == "NORP" and head.pos_ == "PROPN":
            return "organization"
        if head.ent_type_ == "PERSON":
            return "person"
        if head.pos_ == "PROPN" and head_word not in lexicons.words("anonymous_nouns.txt"):
            return "organization"
        return "anonymous"


def _shorter_form(short: list[str], full: list[str]) -> bool:
    """'martinez' of 'miguel martinez', 'hadi tjahjanto' of 'air chief marshal
    hadi tjahjanto': the words of the short form in order, and the same
    surname."""
    if not short or len(short) >= len(full) and short != full:
        return False
    if short == full:
        return True
    it = iter(full)
    return short[-1] == full[-1] and all(w in it for w in short)


def _in_subject(token) -> bool:
    """The token is (in) the subject of its clause."""
    while token.head.i != token.i:
        if token.dep_ in ("nsubj", "nsubjpass"):
            return True
        if token.dep_ not in ("compound", "amod", "appos", "flat", "det", "poss", "nmod"):
            return False
        token = token.head
    return False


def _under_preposition(token, root) -> bool:
    while token.i != root.i and token.head.i != token.i:
        if token.dep_ in ("pobj", "prep"):
            return True
        token = token.head
    return False


def _name_text(mention: Span) -> str:
    text = mention.text.strip(" ,")
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text
