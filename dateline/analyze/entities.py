"""People, organisations and places named in the article, each gathered
under its fullest name ("Mr Ushakov" and "Ushakov" are aliases of "Yuri
Ushakov"), with the roles the article gives people ("Kremlin aide").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Optional

from spacy.tokens import Doc, Span

from dateline import lexicons
from dateline.analyze.nlp import text_of
from dateline.analyze.pipeline import State, register
from dateline.analyze.quotations import furniture
from dateline.model import Entity, Span as OffsetSpan

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
FEMALE_TITLES = {"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess"}
MALE_TITLES = {"mr", "mr.", "sir", "lord", "king", "prince"}


def titles() -> frozenset[str]:
    return lexicons.words("titles.txt")


@dataclass
class Cluster:
    name: str
    label: str
    tokens: list[str]
    aliases: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    gender: Optional[str] = None
    furniture: bool = False  # named only in the headline or a caption

    @property
    def surname(self) -> str:
        return self.tokens[-1].lower() if self.tokens else ""


def clean_name(span: Span) -> tuple[Span, Optional[str]]:
    """Drop leading titles and determiners and a trailing possessive; tell
    the gender a title gives away."""
    start, end = span.start, span.end
    doc = span.doc
    gender = None
    title_words = titles()
    while start < end and (doc[start].lower_ in title_words or doc[start].pos_ == "DET"):
        low = doc[start].lower_
        gender = "f" if low in FEMALE_TITLES else "m" if low in MALE_TITLES else gender
        start += 1
    if start > span.start or start == span.start:
        before = doc[start - 1] if start > 0 else None
        if before is not None and before.lower_ in FEMALE_TITLES | MALE_TITLES and gender is None:
            gender = "f" if before.lower_ in FEMALE_TITLES else "m"
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    if gender is None and end > start:
        # No title: a first name that is given to one sex only ("Alicia Machado").
        first = doc[start].lower_
        gender = "f" if first in lexicons.words("female_first_names.txt") else \
            "m" if first in lexicons.words("male_first_names.txt") else None
    return doc[start:end], gender


class EntityIndex:
    """Looks names up: full names, surnames, short forms."""

    def __init__(self, doc: Doc, furniture: Iterable[tuple[int, int]] = ()):
        self.doc = doc
        self.furniture = list(furniture)
        self.clusters: list[Cluster] = []
        self._by_key: dict[tuple[str, str], Cluster] = {}
        self._build()

    def _build(self) -> None:
        persons, others = [], []
        for ent in self.doc.ents:
            if ent.label_ not in ENTITY_LABELS:
                continue
            span, gender = clean_name(ent)
            if not len(span) or not any(t.is_alpha for t in span):
                continue
            (persons if ent.label_ == "PERSON" else others).append((span, gender))
        # Longest names first, so short forms attach to a full name; names
        # in the headline or a caption only after the body's, and they never
        # make a person of their own ("Biden Hails Deal" in a headline).
        for span, gender in sorted(persons, key=lambda p: (self.in_furniture(p[0].start_char), -len(p[0]), p[0].start)):
            cluster = self.find_person(span.text)
            if cluster is None:
                cluster = Cluster(name=span.text, label="PERSON", tokens=[t.text for t in span],
                                  furniture=self.in_furniture(span.start_char))
                self.clusters.append(cluster)
            cluster.aliases.add(span.text)
            cluster.mentions.append((span.start_char, span.end_char))
            cluster.gender = cluster.gender or gender
            role = role_of(span)
            if role and role not in cluster.roles:
                cluster.roles.append(role)
        for span, _ in others:
            key = (span.root.ent_type_ or "ORG", normalize(span.text))
            cluster = self._by_key.get(key)
            if cluster is None:
                cluster = Cluster(name=span.text, label=key[0], tokens=[t.text for t in span])
                self._by_key[key] = cluster
                self.clusters.append(cluster)
            cluster.aliases.add(span.text)
            cluster.mentions.append((span.start_char, span.end_char))

    def in_furniture(self, at: int) -> bool:
        return any(s <= at < e for s, e in self.furniture)

    def persons(self) -> list[Cluster]:
        """The people the body of the article names."""
        return [c for c in self.clusters if c.label == "PERSON" and not c.furniture]

    def find_person(self, name: str) -> Optional[Cluster]:
        low = name_key(name)
        if not low:
            return None
        matches = []
        for cluster in self.persons():
            full = name_key(" ".join(cluster.tokens))
            if low == full:
                return cluster
            if _is_subsequence(low, full):
                matches.append(cluster)
        if len(matches) == 1:
            return matches[0]
        if matches:
            return None  # "Trump" when both Donald and Melania Trump are named: either
        if len(low) == 1:
            matches = [c for c in self.persons() if c.tokens and name_key(c.tokens[-1]) == low or name_key(c.tokens[0]) == low]
            if len(matches) == 1:
                return matches[0]
        return None

    def find_by_role(self, description: list[str], head: str) -> Optional[Cluster]:
        """The one person whose role matches a description such as 'the
        Ukrainian leader'; None when none or several do."""
        synonyms = lexicons.groups("role_synonyms.txt")
        heads = synonyms.get(head, frozenset()) | {head}
        candidates = []
        for cluster in self.persons():
            for role in cluster.roles:
                role_words = set(role.lower().replace("'s", "").replace("’s", "").split())
                if not role_words & heads:
                    continue
                if all(_modifier_fits(m, role_words) for m in description):
                    candidates.append(cluster)
                    break
        return candidates[0] if len(candidates) == 1 else None

    def to_entities(self) -> list[Entity]:
        return [
            Entity(
                name=c.name, type=c.label, aliases=sorted(c.aliases - {c.name}),
                mentions=[OffsetSpan(start=s, end=e) for s, e in sorted(set(c.mentions))],
            )
            for c in self.clusters
        ]


def _modifier_fits(modifier: str, role_words: set[str]) -> bool:
    if modifier in role_words:
        return True
    # "Ukrainian" fits "Ukraine's": compare stems.
    stem = modifier[:5]
    return len(stem) >= 4 and any(w.startswith(stem) for w in role_words)


def _is_subsequence(short: list[str], full: list[str]) -> bool:
    it = iter(full)
    return all(word in it for word in short) and len(short) < len(full)


def fold(text: str) -> str:
    """Lower case without accents: "Martínez" and "Martinez" are one spelling."""
    if text.isascii():  # nothing to decompose (most names; asked for tens of times an article)
        return text.lower()
    return _fold_unicode(text)


@lru_cache(maxsize=65536)
def _fold_unicode(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(name: str) -> list[str]:
    """A person's name as words to compare: folded, without titles, initials'
    dots or a possessive ("Mr. Tjahjanto's" -> ["tjahjanto"])."""
    words = fold(name.replace("’s", "").replace("'s", "")).replace(".", "").replace(",", " ").split()
    return [w for w in words if w not in titles() and w.strip("-'’")]


def normalize(text: str) -> str:
    words = text.lower().replace("’s", "").replace("'s", "").split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def role_of(name: Span) -> Optional[str]:
    """The role the article gives a named person: 'Kremlin aide' in 'Kremlin
    aide Yuri Ushakov', 'a spokesperson for ...' in an apposition."""
    head = name.root
    doc = name.doc
    # Words right before the name inside its noun phrase: "Kremlin aide".
    i = name.start - 1
    while i >= 0 and name.start - i <= 4 and doc[i].pos_ in ("ADJ", "NOUN", "PROPN") \
            and doc[i].dep_ not in ("cc", "punct", "poss", "det") \
            and not doc[i].is_punct and doc[i].ent_type_ != "PERSON" and doc[i].lower_ not in FEMALE_TITLES | MALE_TITLES \
            and doc[i].tag_ != "WP$":
        i -= 1
    words = doc[i + 1:name.start]
    if len(words) and any(t.pos_ in ("NOUN", "PROPN") for t in words):
        return words.text
    for child in head.children:
        if child.dep_ == "appos" and child.i > head.i:
            tokens = [t for t in child.subtree if not (t.is_punct and t.i in (child.left_edge.i, child.right_edge.i))]
            if tokens and tokens[0].dep_ == "det":
                tokens = tokens[1:]
            if tokens and tokens[0].ent_type_ != "PERSON":
                return doc[tokens[0].i:tokens[-1].i + 1].text
    # "the Kremlin aide, Yuri Ushakov": the name is in apposition to the role.
    if head.dep_ == "appos" and head.head.i < name.start and head.head.pos_ in ("NOUN", "PROPN") \
            and head.head.ent_type_ != "PERSON":
        inner = {t.i for t in head.subtree}
        top = head.head
        while top.dep_ == "pobj" and top.head.dep_ == "prep" and top.head.head.pos_ in ("NOUN", "PROPN"):
            top = top.head.head  # "the Minister for Housing, Peter Hanley"
        role = [t for t in top.subtree if t.i not in inner and t.i < name.start
                and not (t.dep_ in ("det", "poss") and t.i == top.left_edge.i and t.tag_ in ("DT", "WP$", "WDT"))]
        while role and role[-1].is_punct:
            role.pop()
        if role:
            return doc[role[0].i:role[-1].i + 1].text
    return None


@register("entities")
def entities_component(state: State) -> None:
    state.scratch["furniture"] = furniture(text_of(state.doc), state.article.title)
    index = EntityIndex(state.doc, state.scratch["furniture"])
    state.scratch["entity_index"] = index
    state.entities = index.to_entities()
