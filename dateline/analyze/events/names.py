"""How an event's party is named: the entity the article names, the person
a description or pronoun stands for, an acronym's full name, a country for
its people, else the noun phrase without clauses or loose phrases."""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from spacy.tokens import Token

from dateline import lexicons
from dateline.analyze.events.context import Ctx, country_label, country_of_demonym, country_of_name
from dateline.analyze.events.lexicon import FORCE_NOUNS, QUANTIFIER_ADJECTIVES
from dateline.analyze.events.people import described_person
from dateline.analyze.nlp import hyphen_piece
from dateline.analyze.speakers import GROUP_PRONOUNS, PERSON_PRONOUNS


# (not "us", which is also the US)
PERSONAL_PRONOUNS = frozenset(PERSON_PRONOUNS) | GROUP_PRONOUNS


class Namer:
    def __init__(self, ctx: Ctx):
        self.ctx = ctx

    def entity(self, tok: Token) -> Optional[str]:
        name = self.ctx.ent_by_char.get(tok.idx)
        if name:
            return name
        return None

    def name(self, tok: Token, with_conj: bool = True, country_for_norp: bool = True) -> Optional[str]:
        conjuncts = [c for c in tok.conjuncts if c.i > tok.i] if with_conj else []
        pieces = {c.i for c in conjuncts if hyphen_piece(c)}  # "ex" and "-" of "ex-girlfriend"
        parts = [tok] + [c for c in conjuncts if c.i not in pieces]
        # "Newsom and Los Angeles Mayor Karen Bass", parsed with the title as a conjunct of its own
        parts = [p for p in parts if p is tok or p.ent_type_ or p.lower_ not in _titles()]
        names = []
        for p in parts:
            n = self._one(p, country_for_norp)
            if n == p.text and p.i - 2 in pieces:
                n = p.doc[p.i - 2:p.i + 1].text  # "ex-girlfriend"
            if n and n not in names:
                names.append(n)
        return " and ".join(names) if names else None

    def _one(self, tok: Token, country_for_norp: bool) -> Optional[str]:
        if tok.idx < self.ctx.text_start:
            return None  # a word of the wire dateline
        if tok.pos_ == "PRON" or tok.lower_ in PERSONAL_PRONOUNS:  # (a sentence's first "He" is sometimes tagged a name)
            quote = self.ctx.direct_quote_at(tok.idx)
            # "he", "she": the person the article means, if within reach
            found = self.ctx.speakers.person_for_pronoun(tok.text, tok.idx) if self.ctx.speakers is not None else None
            if found and quote is not None and quote.speaker and (found in quote.speaker or quote.speaker in found):
                return None  # '"She shot the ones she blamed," says Fairman': the one quoted would say "I"
            return found
        if tok.ent_type_ == "CARDINAL" and tok.pos_ in ("NOUN", "NUM"):
            # "thousands of protesters", "dozens of students": the people counted
            counted_people = next((p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                                   for p in c.children if p.dep_ == "pobj"), None)
            if counted_people is not None and counted_people.ent_type_ not in ("CARDINAL", "QUANTITY", "MONEY"):
                if counted_people.ent_type_ == "NORP" and counted_people.tag_ in ("NNPS", "NNS"):
                    return counted_people.text  # "thousands of Georgians": people, not their state
                return self._one(counted_people, country_for_norp)
        if tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"):
            return None
        counted = any(c.dep_ == "nummod" for c in tok.children)  # "more than 100 Palestinians": people, not a state
        if country_for_norp and not counted and (tok.ent_type_ == "NORP" or tok.pos_ in ("PROPN", "ADJ")) \
                and country_of_demonym(tok.text):
            return country_label(country_of_demonym(tok.text))  # "Ukrainian shelling", "the Russians"
        if tok.lower_ in ("north", "south") and any(c.lower_ == "the" for c in tok.children):
            short = self._country_by_compass(tok.text.title())
            if short:
                return short  # "the North" in a story on North and South Korea
        acr = self.ctx.acronyms
        # an acronym head or modifier: "the RSF militia", "SAF"
        if tok.text in acr:
            return acr[tok.text]
        for c in tok.children:
            if c.dep_ in ("compound", "nmod", "amod") and c.text in acr and tok.lower_ in FORCE_NOUNS:
                return acr[c.text]
        for c in tok.children:
            if c.dep_ == "appos" and self.ctx.ent_type_by_char.get(c.idx) == "PERSON" and tok.pos_ in ("NOUN", "PROPN") \
                    and self.ctx.ent_type_by_char.get(tok.idx) != "PERSON":
                return self.ctx.ent_by_char.get(c.idx)  # "The Minister for Housing, Peter Hanley"
        ent = self.entity(tok)
        etype = self.ctx.ent_type_by_char.get(tok.idx)
        if tok.ent_type_ == "NORP" and tok.pos_ in ("PROPN", "NOUN") and tok.tag_ in ("NNPS", "NNS") and not counted:
            code = country_of_demonym(tok.text)
            if code and country_for_norp:
                return country_label(code)
        if ent and etype in ("PERSON", "ORG", "GPE", "LOC", "FAC"):
            # "the Electoral Commission (EC) of Ghana": keep the entity name
            return ent
        person = described_person(tok, self.ctx)
        if person:
            return person  # "the Kremlin aide", "his US counterpart"
        # a compound/flat name the entity component did not gather
        if tok.pos_ == "PROPN":
            # (the name's own words: not "President Vladimir" of "24 Russians close to President Vladimir Putin")
            toks = [t for t in tok.subtree if t.pos_ == "PROPN" and abs(t.i - tok.i) <= 4 and t.dep_ in ("compound", "flat")
                    and (t.head.i == tok.i or t.head.dep_ in ("compound", "flat") and t.head.head.i == tok.i) or t.i == tok.i]
            toks = sorted((t for t in toks if t.idx >= self.ctx.text_start), key=lambda t: t.i)
            titles = _titles()
            while len(toks) > 1 and (toks[0].lower_ in titles or country_of_demonym(toks[0].text)):
                toks.pop(0)  # "Kazakh President Kassym-Jomart Tokayev" -> the name
            text = " ".join(t.text for t in toks)
            if text in acr:
                return acr[text]
            return text
        words = [t for t in noun_phrase(tok) if t.idx >= self.ctx.text_start]
        while words and (words[0].dep_ in ("det", "predet") or words[0].pos_ in ("DET", "PRON") and words[0].dep_ == "poss"
                         or words[0].is_punct):
            words.pop(0)
        while words and (words[-1].is_punct or words[-1].dep_ == "case"):
            words.pop()  # "the government's decision": the government
        while len(words) > 1 and words[0].pos_ == "ADJ" and words[1].like_num and words[0].i > 0 \
                and words[0].nbor(-1).pos_ == "VERB" and words[0].lower_ not in QUANTIFIER_ADJECTIVES:
            words.pop(0)  # "shooting dead 12 people", "set free 20 hostages": the verb's adjective, not the people's
        if not words:
            return None
        text = " ".join(t.text for t in words)
        text = text.replace(" 's", "'s").replace(" ’s", "’s").replace(" - ", "-")
        return text

    def countries_named(self) -> set[str]:
        """The countries the article names, as it names them."""
        return {p.name for p, _root, demonym in self.ctx.places if not demonym and p.precision == "country"}

    def _country_by_compass(self, word: str) -> Optional[str]:
        """The one country the article names that begins with "North" or
        "South" ("North Korea" for "the North")."""
        names = {name for name in self.countries_named() if name.startswith(word + " ")}
        return names.pop() if len(names) == 1 else None

    def country_of(self, tok: Optional[Token]) -> Optional[str]:
        if tok is None:
            return None
        if self.ctx.ent_type_by_char.get(tok.idx) == "PERSON" or tok.ent_type_ == "PERSON":
            return None
        toks = [tok] + [t for t in tok.subtree if t.i != tok.i and t.dep_ in ("compound", "amod", "poss", "pobj", "nmod")
                        and abs(t.i - tok.i) <= 5]
        for t in toks:
            if t.ent_type_ in ("GPE", "NORP") or country_of_demonym(t.text):
                text = t.text
                if t.ent_type_ == "GPE":
                    span = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
                    text = span.text if span is not None else t.text
                code = country_of_demonym(text) or country_of_name(text.replace("’s", "").replace("'s", ""))
                if code:
                    return code
        return None


CLAUSE_DEPS = ("relcl", "acl", "appos", "punct", "cc", "conj", "advcl", "ccomp", "xcomp")


def noun_phrase(tok: Token) -> list[Token]:
    """The noun phrase headed by tok, as a contiguous run of tokens: its
    modifiers and 'of'/'to' phrases, never a clause ("three men who had
    smuggled" is "three men"; "attempt to delay" is "attempt")."""
    cut: set[int] = set()
    for t in tok.subtree:
        if t.i in cut or t.i <= tok.i:
            continue
        if t.dep_ in CLAUSE_DEPS or (t.head.i == tok.i and t.dep_ == "prep" and t.lower_ not in ("of", "to")):
            cut.update(x.i for x in t.subtree)
        elif t.head.i == tok.i and t.dep_ == "prep" and any(c.dep_ == "pcomp" and c.tag_ == "VBG" for c in t.children):
            cut.update(x.i for x in t.subtree)  # "convicted a gang member of murdering ...": the charge, not the name
    words: list[Token] = []
    for t in tok.subtree:
        if t.i in cut:
            if t.i > tok.i:
                break  # the phrase ends where the first clause or loose phrase begins
            continue
        words.append(t)
    while words and words[-1].dep_ in ("aux", "mark", "prep", "det", "cc", "punct"):
        words.pop()  # "to", "of" or "the" left hanging at the end
    return words


@lru_cache(maxsize=None)
def _titles() -> frozenset[str]:
    """Words of a title before a name ("Kazakh President ...", "Mayor")."""
    return lexicons.words("titles.txt") | {"president", "minister", "prime", "secretary-general", "acting", "chancellor"}
