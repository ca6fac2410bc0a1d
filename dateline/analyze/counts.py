"""Casualty and arrest counts: "two people were killed", "killing 11",
"injured 47 people", "more than 1,200 deaths", "claimed more than 29,600
lives", "the pilot and four American tourists" (parts summed: 5).

Qualifiers ("at least", "more than", "up to") are dropped; vague quantities
("dozens", "hundreds", "many") give no count. Works on the dependency parse
only: a casualty word, the noun phrase of its victims, a number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

from spacy.tokens import Token

from dateline.analyze.nlp import hyphen_piece


@lru_cache(maxsize=None)
def lexicon() -> dict:
    text = resources.files("dateline.lexicons").joinpath("counts_words.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def _index() -> dict[tuple[str, str], str]:
    """(part of speech class, lemma) -> category."""
    lex = lexicon()
    out: dict[tuple[str, str], str] = {}
    for cat in ("killed", "injured", "arrested", "displaced"):
        for w in lex[cat].get("verbs", []):
            out[("V", w)] = cat
        for w in lex[cat].get("adjectives", []):
            out[("A", w)] = cat
        for w in lex[cat].get("nouns", []):
            out[("N", w)] = cat
    return out


NUMERIC = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")
PERSON_SINGULAR_DETS = {"a", "an", "the", "another", "one", "his", "her", "their", "its", "this", "that"}


def number_value(tok: Token) -> Optional[int]:
    """The value of a number token and the number words compounded with it
    ("two hundred", "1,200", "2 million"); None when vague or not a number."""
    lex = lexicon()
    low = tok.lower_
    if low in lex["vague"]:
        return None
    value: Optional[float] = None
    if NUMERIC.match(low):
        value = float(low.replace(",", ""))
    elif low in lex["numbers"]:
        value = lex["numbers"][low]
    elif "-" in low:  # forty-five
        parts = low.split("-")
        if all(p in lex["numbers"] for p in parts):
            value = sum(lex["numbers"][p] for p in parts)
    if value is None:
        return None
    # compounds: "two hundred", "2 million", "twenty-six" (split at its hyphen)
    for child in tok.children:
        if child.dep_ in ("compound", "nummod", "quantmod") and child.i < tok.i:
            if child.lower_ in lex["numbers"] or NUMERIC.match(child.lower_):
                inner = float(child.lower_.replace(",", "")) if NUMERIC.match(child.lower_) else lex["numbers"][child.lower_]
                if low in lex["multipliers"]:
                    value = inner * lex["multipliers"][low]
                elif child.i == tok.i - 2 and tok.nbor(-1).text == "-" and inner % 10 == 0 and 20 <= inner <= 90 \
                        and value < 10:
                    value = inner + value
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ in lex["multipliers"] and nxt.lower_ != "dozen" and nxt.head == tok:
        value *= lex["multipliers"][nxt.lower_]
    return int(value)


def _is_vague(tok: Token) -> bool:
    return tok.lower_ in lexicon()["vague"]


def np_count(head: Token) -> Optional[int]:
    """Count of the people a noun phrase names, parts summed."""
    parts = [head] + [c for c in head.conjuncts if c.i > head.i and not hyphen_piece(c) and not _own_toll(c)]
    total = 0
    for n, part in enumerate(parts):
        value = _single_count(part)
        if value is None and n > 0 and part.tag_ == "NN" and not any(c.dep_ == "amod" for c in part.children):
            value = 1  # "another man and woman": the determiner covers both
        if value is None:
            return None
        total += value
    return total if total > 0 else None


def _own_toll(part: Token) -> bool:
    """'two dead and 15 injured': a conjunct with a casualty word of its own
    is another toll, not a part of this one."""
    index = _index()
    return any(c.dep_ in ("acl", "amod") and (("V", c.lemma_.lower()) in index or ("A", c.lower_) in index)
               for c in part.children)


def _single_count(tok: Token) -> Optional[int]:
    if _is_vague(tok):
        return None
    if tok.lemma_.lower() in lexicon().get("totals", ()):
        # "a total of 18 people": the people counted, not the one total
        counted = next((p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                        for p in c.children if p.dep_ == "pobj"), None)
        return np_count(counted) if counted is not None else None
    if tok.pos_ == "NUM" or tok.like_num:
        return number_value(tok)
    if tok.pos_ == "PRON":
        if tok.lower_ in ("all", "both") :
            return None
        return None
    for child in tok.children:
        if child.dep_ == "nummod" or (child.dep_ in ("amod", "quantmod") and child.like_num):
            if _is_vague(child):
                return None
            value = number_value(child)
            if value is not None:
                return value
        if child.dep_ == "prep" and child.lower_ == "of" and _is_vague(tok):
            return None
        if child.dep_ == "compound" and child.pos_ == "NOUN" and child.i < tok.i and child.tag_ in ("NNS", "NNPS"):
            # "forty-six women inmates": the parser hangs the number on the first of two plural nouns
            inner = next((g for g in child.children if g.dep_ == "nummod" and not _is_vague(g)), None)
            if inner is not None:
                value = number_value(inner)
                if value is not None:
                    return value
    # "Dozens of people": the vague word is the head, handled above; "of" phrases
    for child in tok.children:
        if child.dep_ == "det" and child.lower_ in ("no",):
            return 0
    if tok.tag_ in ("NN", "NNP") and tok.pos_ in ("NOUN", "PROPN"):
        dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss")}
        if dets & PERSON_SINGULAR_DETS or tok.pos_ == "PROPN" or any(
                c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN") for c in tok.children):
            return 1  # "a deputy", "the sheriff's deputy"
        if any(c.dep_ == "amod" for c in tok.children) and not dets:
            return None
    return None


@dataclass
class Toll:
    category: str  # killed / injured / arrested / displaced
    value: Optional[int]
    token: Token  # the casualty word
    victim: Optional[Token]
    update: bool = False  # "the toll has risen to 15": a new figure for a known incident


def _lethal(tok: Token) -> bool:
    if tok.lemma_.lower() not in lexicon()["killed"].get("lethal_verbs", []):
        return False
    for c in tok.children:
        if c.lower_ == "fatally" and c.dep_ == "advmod" or c.lower_ == "dead" and c.dep_ in ("oprd", "advmod", "acomp", "xcomp", "dobj"):
            return True
        if c.dep_ == "prep" and c.lower_ == "to" and any(p.lower_ == "death" for p in c.children if p.dep_ == "pobj"):
            return True
    return False


def _victim(tok: Token, kind: str) -> Optional[Token]:
    deps = {c.dep_: c for c in tok.children}
    if kind == "V":
        if "nsubjpass" in deps:
            return _antecedent(deps["nsubjpass"])
        if "csubjpass" in deps:  # "A deputy interviewing a woman ... was fatally shot", parsed as a clause
            return next((c for c in deps["csubjpass"].children if c.dep_ == "nsubj"), None)
        if tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod") and tok.head.pos_ in ("NOUN", "NUM", "PROPN", "PRON") \
                and "dobj" not in deps:
            return tok.head  # "four people killed", "with dozens injured" (but "strikes killed 30 people": active)
        if tok.lemma_ in ("die", "perish") and "nsubj" in deps:
            return _antecedent(deps["nsubj"])
        if "dobj" in deps:
            return deps["dobj"]
        if tok.tag_ == "VBN" and tok.head.lemma_ == "leave" and tok.dep_ in ("advcl", "oprd", "xcomp", "ccomp"):
            # "the clashes left 20 injured": who was left so is the object of "left"
            return next((c for c in tok.head.children if c.dep_ == "dobj"), None)
        if tok.dep_ in ("conj",) and tok.head.pos_ == "VERB":  # "were killed and hundreds injured"
            for c in tok.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    return c
        if tok.tag_ == "VBN" and tok.dep_ == "conj":
            return None
        return None
    if kind == "A":
        if any(c.dep_ == "nummod" for c in tok.children):
            return tok  # "leaving at least 12 dead": the number hangs on the word itself
        if tok.dep_ in ("acomp", "oprd") or tok.dep_ == "ROOT":
            head = tok.head if tok.dep_ != "ROOT" else tok
            # "the attack left 12 people dead": the object is who is dead; "three were dead": the subject
            order = ("dobj", "nsubjpass", "nsubj") if tok.dep_ == "oprd" else ("nsubj", "nsubjpass", "dobj")
            for dep in order:
                for c in head.children:
                    if c.dep_ == dep:
                        return c
        if tok.dep_ in ("amod", "acl") and tok.head.pos_ in ("NOUN", "NUM", "PRON"):
            return tok.head
        return None
    # nouns: "1,200 deaths", "the death toll of 10", "29,600 lives", "suffered injuries"
    wounds_of_someone = tok.lemma_ in ("injury", "wound") and tok.dep_ == "dobj" and tok.head.lemma_ in (
        "suffer", "sustain", "receive")
    if any(c.dep_ == "nummod" for c in tok.children) and not wounds_of_someone:
        return tok  # "four gunshot wounds" suffered by one officer count wounds, not people
    if wounds_of_someone:
        for c in tok.head.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return _antecedent(c)
        if tok.head.dep_ == "relcl":
            return tok.head.head
    return None


def _antecedent(tok: Token) -> Token:
    """'another man and woman who suffered injuries': the relative pronoun's noun."""
    if tok.lower_ in ("who", "that", "which") and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


TOLL_RISES = {"rise", "climb", "reach", "increase", "jump", "grow", "mount", "soar"}


def _toll_value(tok: Token) -> Optional[int]:
    """'the death toll of 10', 'the toll rose to 69', 'rose to at least 398
    people'."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "at"):
            for p in c.children:
                if p.dep_ == "pobj" and (p.like_num or p.pos_ == "NUM"):
                    return number_value(p)
    head = tok.head
    if tok.dep_ in ("nsubj",) and head.lemma_ in ("rise", "reach", "climb", "stand", "jump", "hit", "increase"):
        for c in head.children:
            if c.dep_ in ("prep",) and c.lower_ in ("to", "at"):
                for p in c.children:
                    value = _figure(p)
                    if value is not None:
                        return value
            if c.dep_ in ("dobj", "attr"):
                value = _figure(c)
                if value is not None:
                    return value
    return None


def _figure(tok: Token) -> Optional[int]:
    """A number, or the number of people a noun counts ('nearly 600 people')."""
    if tok.like_num:
        return number_value(tok)
    if tok.pos_ == "NOUN" and any(c.dep_ == "nummod" for c in tok.children):
        return _single_count(tok)
    return None


def find_tolls(tokens) -> list[Toll]:
    """Casualty reports among the given tokens."""
    index = _index()
    out: list[Toll] = []
    for tok in tokens:
        lemma = tok.lemma_.lower()
        low = tok.lower_
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.tag_ == "VBN"):
            cat = index.get(("V", lemma)) or index.get(("A", low))
            kind = "V" if ("V", lemma) in index else "A"
        elif tok.pos_ == "ADJ":
            cat, kind = index.get(("A", low)), "A"
        elif tok.pos_ == "NOUN":
            if lemma == "toll" or (lemma == "death" and any(c.lower_ == "toll" for c in tok.head.children) and tok.dep_ == "compound"):
                target = tok if lemma == "toll" else tok.head
                value = _toll_value(target)
                if value is not None:
                    rising = target.dep_ == "nsubj" and target.head.lemma_ in TOLL_RISES
                    out.append(Toll("killed", value, target, None, update=rising))
                continue
            cat, kind = index.get(("N", lemma)), "N"
            if lemma == "life" and not (tok.head.lemma_ in ("claim", "cost", "take", "lose") and tok.dep_ == "dobj"):
                cat = None
            if lemma == "body":
                cat = None
        else:
            continue
        if not cat and tok.pos_ == "VERB" and _lethal(tok):
            cat, kind = "killed", "V"  # "fatally shot", "shot dead", "stabbed to death"
        if not cat:
            continue
        victim = _victim(tok, kind)
        if victim is None:
            continue
        if kind == "N" and victim.i == tok.i:
            value = None
            for c in tok.children:
                if c.dep_ == "nummod":
                    value = None if _is_vague(c) else number_value(c)
        else:
            value = np_count(victim)
        out.append(Toll(cat, value, tok, victim))
    return out
