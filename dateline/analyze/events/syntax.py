"""Parse-tree helpers the event stages share: sentences, paths between
tokens, clauses, a trigger's arguments and subject, its noun phrase."""

from __future__ import annotations

from typing import Iterable, Optional

from spacy.tokens import Span, Token

from dateline.analyze.events.lexicon import (
    FACILITY_NOUNS, OPEN_MARKS, PLACE_NOUNS, QUANTITY_NOUNS, SETTLEMENT_NOUNS, reporting_verbs,
)


_SENTS: list = [None, None, None]  # the last doc, its sentences, token -> sentence number


def headline_case(sent: Span) -> bool:
    """A sentence written as a headline: every word but the function words
    capitalised ("Gang Member Convicted Of Murdering Deputy", "Shooter
    Charged with Murder") or all in capitals."""
    words = [t for t in sent if t.is_alpha and len(t) > 2 and not t.is_stop]
    return len(words) >= 2 and all(t.text[0].isupper() for t in words)


def sent_of(tok: Token) -> Span:
    """sent_of(tok) without re-walking the document for every call."""
    number = sent_number(tok)  # (first: it fills the cache the lookup reads)
    return _SENTS[1][number]


def sent_number(tok: Token) -> int:
    """The number of the sentence a token is in, counted from 0 in doc.sents."""
    doc = tok.doc
    if _SENTS[0] is not doc:
        sents = list(doc.sents)
        index = [0] * len(doc)
        for n, sent in enumerate(sents):
            for i in range(sent.start, sent.end):
                index[i] = n
        _SENTS[0], _SENTS[1], _SENTS[2] = doc, sents, index
    return _SENTS[2][tok.i]


def ancestors_upto(tok: Token, limit: int = 12) -> list[Token]:
    out = []
    cur = tok
    while cur.head.i != cur.i and len(out) < limit:
        cur = cur.head
        out.append(cur)
    return out


def tree_distance(a: Token, b: Token) -> int:
    if a.i == b.i:
        return 0
    pa = [a] + ancestors_upto(a, 40)
    pb = [b] + ancestors_upto(b, 40)
    index_a = {t.i: n for n, t in enumerate(pa)}
    for n, t in enumerate(pb):
        if t.i in index_a:
            return index_a[t.i] + n
    return 99


def in_subtree(tok: Token, root: Token) -> bool:
    return root.left_edge.i <= tok.i <= root.right_edge.i and (tok.i == root.i or any(a.i == root.i for a in tok.ancestors))


def clause_verb(tok: Token) -> Token:
    cur = tok
    for _ in range(8):
        if cur.pos_ in ("VERB", "AUX") or cur.dep_ == "ROOT" or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def names_a_place(tok: Optional[Token]) -> bool:
    """A noun that names where rather than whom: 'the Negga village', 'a
    market', 'Goma'."""
    return tok is not None and (tok.lemma_.lower() in SETTLEMENT_NOUNS | PLACE_NOUNS | FACILITY_NOUNS
                                or tok.ent_type_ in ("GPE", "LOC", "FAC"))


def is_reporting(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in reporting_verbs()


def teller_of(tok: Token, depth: int = 4) -> Optional[Token]:
    """The subject of the nearest reporting verb above `tok` ("the RSF" in
    "the RSF said it has agreed ..."), if any."""
    verb = next((a for a in ancestors_upto(tok, depth) if is_reporting(a)), None)
    return next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None


def is_passive(tok: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)


def event_clause(tok: Token) -> Token:
    """The root of the clause an event is told in: below the nearest
    reporting verb that governs the trigger, else the sentence root."""
    cur = tok
    while cur.head.i != cur.i:
        head = cur.head
        if is_reporting(head) and cur.dep_ in ("ccomp", "xcomp", "dobj", "advcl", "parataxis", "conj"):
            return cur
        cur = head
    return cur


def _to_infinitive(tok: Token) -> bool:
    """'threatened on Monday to impose': the parser's advcl for a complement infinitive."""
    return tok.dep_ == "advcl" and tok.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _through_quantity(tok: Token) -> list[Token]:
    """'thousands of troops', '50 trucks of food aid': the quantity or container
    noun stands for what it measures, so the 'of' object counts as the argument."""
    if tok.lemma_.lower() in QUANTITY_NOUNS or tok.lower_ in QUANTITY_NOUNS or (
            tok.ent_type_ == "CARDINAL" and tok.pos_ in ("NOUN", "NUM")):
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                return [p for p in c.children if p.dep_ == "pobj"]
    if tok.ent_type_ == "MONEY":
        # "$1 billion in weapons", "$500 million of aid": the sum stands for what it buys
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "of"):
                return [p for p in c.children if p.dep_ == "pobj"]
    return []


def _args(tok: Token) -> list[Token]:
    """Object-like arguments of a verb or noun trigger."""
    out = []
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative"):
            out.append(c)
            out.extend(c.conjuncts)
            out.extend(_through_quantity(c))  # "handed over 700 kg of medicine"
        elif c.dep_ == "prep" or c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    out.append(p)
        elif c.dep_ == "xcomp":
            for p in c.children:
                if p.dep_ in ("dobj",):
                    out.append(p)
    if tok.dep_ == "acl" or (tok.dep_ == "amod" and tok.tag_ == "VBN"):
        out.append(tok.head)
    elif tok.dep_ == "relcl" and tok.pos_ == "VERB" and not any(c.dep_ in ("dobj", "nsubjpass") for c in tok.children) \
            and any(c.dep_ == "nsubj" and c.lower_ not in ("who", "which", "that") for c in tok.children):
        out.append(tok.head)  # "the extradition Peru has sought": a relative clause with no pronoun has its noun for object
    return out


def _lemma_set(toks: Iterable[Token]) -> set[str]:
    out = set()
    toks = list(toks)
    toks += [q for t in toks for q in _through_quantity(t)]
    for t in toks:
        out.add(t.lemma_.lower())
        out.add(t.lower_)
        for c in t.children:
            if c.dep_ in ("compound", "amod"):
                out.add(c.lemma_.lower())
    return out


def governing_verb(tok: Token) -> Optional[Token]:
    """For a noun trigger: the verb (or noun) it is an argument of, through
    one preposition ('led to agreements', 'formation of a partnership')."""
    head = tok.head
    if head.i == tok.i:
        return None
    if tok.dep_ in ("pobj",) and head.dep_ in ("prep", "agent"):
        gov = head.head
        if head.lower_ == "of" and tok in _through_quantity(gov) and gov.head.i != gov.i:
            return governing_verb(gov)  # "sent 50 trucks of food aid": the aid is sent
        return gov
    return head


def subject_tokens(verb: Token) -> list[Token]:
    """Tokens of a verb's subject side: its left dependents (the small
    model sometimes tags "shelling" in "Ukrainian shelling killed" as an
    auxiliary), or the subject of the verb it is conjoined to."""
    toks: list[Token] = []
    for c in verb.children:
        if c.dep_ in ("nsubj", "agent", "aux", "csubj") or (c.i < verb.i and c.dep_ in ("nsubj", "npadvmod")):
            toks.extend(c.subtree)
    if not any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in verb.children) and verb.dep_ == "conj":
        for c in verb.head.children:
            if c.dep_ in ("nsubj", "agent"):
                toks.extend(c.subtree)
    return toks


def _np_tokens(tok: Token) -> list[Token]:
    """The tokens of the compact noun phrase around a trigger noun: its
    modifiers (compound, amod, nmod, nummod) and 'of'/'with'/'from' phrases."""
    out = [tok]
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "nmod", "nummod", "poss"):
            out.extend(c.subtree)
        elif c.dep_ == "prep" and c.lower_ in ("with", "from", "of", "by"):
            out.extend(c.subtree)
    return out


def _description_text(tok: Token) -> Optional[str]:
    """'The president' as written, without its determiner."""
    words = [t.text for t in tok.subtree if t.i <= tok.i and t.dep_ not in ("det", "punct")]
    return " ".join(words) or None


def _pobj(prep: Token) -> Optional[Token]:
    return next((p for p in prep.children if p.dep_ == "pobj"), None)


def with_objects(verb: Token) -> list[Token]:
    """A verb and its direct objects: the parse often hangs a prepositional
    phrase from the object ('fired a barrage of rockets at Sderot', 'blamed
    the attack on a militia gang') rather than from the verb."""
    return [verb] + [c for c in verb.children if c.dep_ == "dobj"]


def objects_of_preps(verb: Token, preps: Iterable[str]) -> list[Token]:
    """The objects of the verb's prepositions in `preps`, those hung from its
    direct objects included, in order, dates and times left out."""
    preps = set(preps)
    return [p for h in with_objects(verb) for c in h.children if c.dep_ == "prep" and c.lower_ in preps
            for p in c.children if p.dep_ == "pobj" and p.ent_type_ not in ("DATE", "TIME")]


def crosses_clause(trigger: Token, other: Token) -> bool:
    """Whether the parse path from a trigger to another word leaves the
    trigger's clause ("Since Ukraine launched its offensive, Russia ...") or
    enters a clause about something else ("Belgorod, which borders Ukraine")."""
    up = [trigger] + ancestors_upto(trigger, 30)
    up_index = {t.i: n for n, t in enumerate(up)}
    down = [other] + ancestors_upto(other, 30)
    lca_pos = next((n for n, t in enumerate(down) if t.i in up_index), None)
    if lca_pos is None:
        return True
    lca = down[lca_pos]
    for node in up[:up_index[lca.i]]:
        if node.dep_ in ("relcl", "ccomp", "parataxis", "csubj") and node.i != trigger.i or (
                node.dep_ in ("relcl", "ccomp", "parataxis") and node.i == trigger.i and node.pos_ in ("VERB", "AUX")):
            return True
        if node.dep_ == "advcl":
            marks = {c.lower_ for c in node.children if c.dep_ in ("mark", "advmod")}
            purpose = node.i == trigger.i and (any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children) or (
                node.tag_ == "VBG" and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in node.children)))
            if not marks & OPEN_MARKS and not purpose:
                return True  # a purpose ("travel to Washington next week to meet") shares its host's time and place
    for node in down[:lca_pos]:
        if node.i == other.i:
            continue
        if node.dep_ in ("relcl", "advcl", "ccomp", "parataxis") and node.head.i != trigger.i and not (
                node.dep_ == "relcl" and in_subtree(node.head, trigger) and trigger.pos_ == "NOUN"):
            return True
    return False


def clause_role(tok: Token) -> Optional[str]:
    """The part a noun plays in its verb's clause (nsubj, dobj, dative ...),
    through apposition and coordination ("Arch-foes the United States and
    Iran each released ..."); None when no verb governs it."""
    node = tok
    while node.dep_ in ("appos", "conj") and node.head.i != node.i:
        node = node.head
    return node.dep_ if node.head.pos_ in ("VERB", "AUX") else None


def place_noun_names(noun: Token) -> list[Token]:
    """The name a place noun carries: 'el-Fasher city', 'Kramatorsk
    airport', 'the town of Avdiivka' (the tagger often leaves it outside
    any entity); empty when it has none."""
    names = [c for c in noun.children if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN" and c.i < noun.i]
    return names or [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                     for p in c.children if p.dep_ == "pobj" and p.pos_ == "PROPN"]
