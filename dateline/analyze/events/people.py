"""Who a description of a person names: "the Kremlin aide", "his US
counterpart". An event's party is better as the person the article names
than as the words that describe them, but only when one person fits."""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from spacy.tokens import Token

from dateline import lexicons
from dateline.analyze.entities import Cluster, EntityIndex
from dateline.analyze.events.context import Ctx, country_of_name, country_word_in

# Words that narrow nothing: "the former president" is still the president.
GENERIC_MODIFIERS = {"former", "then", "current", "new", "acting", "top", "senior", "outgoing", "incoming"}
POSSESSIVE_PRONOUNS = {"his", "her", "their", "its"}


def described_person(tok: Token, ctx: Ctx) -> Optional[str]:
    """The name of the one person a singular role noun stands for, or None.

    "the Kremlin aide" is the person the article calls a Kremlin aide;
    "his US counterpart" is the person holding the same office as the
    clause's subject, in the United States."""
    index: Optional[EntityIndex] = ctx.people
    if index is None or tok.pos_ != "NOUN" or tok.tag_ != "NN" or tok.ent_type_:
        return None
    determiner = next((c for c in tok.children if c.dep_ in ("det", "poss") and c.i < tok.i), None)
    if determiner is None and tok.i >= 2 and tok.nbor(-1).text == "-" and tok.nbor(-2).lower_ == "ex":
        # "the ex-president", split by the tokenizer, the article's word on the prefix
        determiner = next((c for c in tok.nbor(-2).children if c.dep_ in ("det", "poss")), None)
    if determiner is None:
        return None
    if any(c.dep_ in ("prep", "acl", "appos") or c.dep_ == "relcl" and not _set_off(c) for c in tok.children):
        return None  # "the leader of the ruling party": the phrase says more than a role
    modifiers = [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i
                 and c.lower_ not in GENERIC_MODIFIERS]
    head = tok.lemma_.lower()
    if head not in _office_words() and head != "counterpart":
        return None  # "the threat" names no one, whatever a role says ("threat researcher")
    if head == "counterpart" and determiner.lower_ in POSSESSIVE_PRONOUNS:
        cluster = _counterpart(tok, modifiers, index, ctx)
    elif determiner.lower_ == "the":
        cluster = index.find_by_role([m.lower_ for m in modifiers], head)
    else:
        cluster = None
    return cluster.name if cluster is not None else None


def _set_off(clause: Token) -> bool:
    """'the ex-president, who holds a doctorate, ...': a relative clause
    between commas adds to the role without narrowing who it is."""
    start = clause.left_edge.i
    return start > 0 and clause.doc[start - 1].text == ","


@lru_cache(maxsize=None)
def _office_words() -> frozenset[str]:
    """Nouns of an office or a position: titles and the role synonyms."""
    return frozenset(lexicons.words("titles.txt") | set(lexicons.groups("role_synonyms.txt")))


def _counterpart(tok: Token, modifiers: list[Token], index: EntityIndex, ctx: Ctx) -> Optional[Cluster]:
    owner = _clause_subject_person(tok, index, ctx)
    if owner is None:
        return None
    offices = _offices(owner)
    if not offices:
        return None
    wanted = next((code for m in modifiers for code in [country_of_name(m.text)] if code), None)
    owner_country = ctx.person_country.get(owner.name) or _role_country(owner)
    if wanted is not None and wanted == owner_country:
        return None
    found = []
    for cluster in index.persons():
        if cluster is owner or not (_offices(cluster) & offices):
            continue
        country = ctx.person_country.get(cluster.name) or _role_country(cluster)
        if wanted is not None and country not in (None, wanted):
            continue
        if country is not None and country == owner_country:
            continue
        found.append(cluster)
    return found[0] if len(found) == 1 else None


def _clause_subject_person(tok: Token, index: EntityIndex, ctx: Ctx) -> Optional[Cluster]:
    """Whose counterpart: the subject of the clause the noun is in."""
    verb = tok.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    name = ctx.ent_by_char.get(subject.idx)
    return index.find_person(name) if name else None


def _offices(cluster: Cluster) -> set[str]:
    """The office words of a person's roles, with their synonyms
    ("President" -> president, leader, premier, ...)."""
    synonyms = lexicons.groups("role_synonyms.txt")
    out: set[str] = set()
    for role in cluster.roles:
        for word in role.lower().split():
            if word in synonyms:
                out |= synonyms[word] | {word}
    return out


def _role_country(cluster: Cluster) -> Optional[str]:
    return next((code for role in cluster.roles for code in [country_word_in(role, country_of_name)] if code), None)


def office_holders(tok: Token, ctx: Ctx) -> list[tuple[Token, str]]:
    """'the leaders of Russia and Ukraine', 'the foreign ministers of Israel
    and Jordan': for each country, the person of that office the article
    names there, or the office itself ("leader of Ukraine") when it names
    none or several. Empty unless the noun is a plural office over two or
    more countries."""
    index: Optional[EntityIndex] = ctx.people
    head = tok.lemma_.lower()
    if tok.tag_ != "NNS" or head not in _office_words():
        return []
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    first = next((p for p in of.children if p.dep_ == "pobj"), None) if of is not None else None
    if first is None:
        return []
    places = [first] + [c for c in first.conjuncts if c.i > first.i]
    codes = [country_of_name(p.text) for p in places]
    if len(places) < 2 or not all(codes):
        return []
    heads = lexicons.groups("role_synonyms.txt").get(head, frozenset()) | {head}
    office = " ".join([c.lower_ for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i] + [head])
    out = []
    for place, code in zip(places, codes):
        found = [c for c in (index.persons() if index is not None else [])
                 if (ctx.person_country.get(c.name) or _role_country(c)) == code and _offices(c) & heads]
        out.append((place, found[0].name if len(found) == 1 else f"{office} of {place.text}"))
    return out
