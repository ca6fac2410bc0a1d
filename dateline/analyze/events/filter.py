"""Stage 2, filters: negated, conditional, hypothetical, habitual and generic
mentions ("has repeatedly bombed", "any talks") are not events."""

from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from dateline.analyze.events.context import Mention
from dateline.analyze.events.lexicon import DEFINITE, READY_ADJ, TEMPORAL_PREPS, TOPIC_PREPS, status_words
from dateline.analyze.events.syntax import _to_infinitive, clause_verb, is_reporting


def is_irrealis(m: Mention) -> bool:
    """Negated, conditional, hypothetical, habitual or generic mentions."""
    # an attempted attack or coup is an attack that happened and failed
    attempt_counts = m.type == "ASSAULT"
    if _irrealis_at(m.tok, attempt_counts) or in_a_generic_sentence(m.tok):
        return True
    tok = m.tok
    # "not yet planned any new phone calls or meetings": conjuncts share the frame
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
        if tok.pos_ == m.tok.pos_ and _irrealis_at(tok, attempt_counts):
            return True
    return False


def in_a_generic_sentence(tok: Token) -> bool:
    """'Such attacks are common in the region, where herders and farmers
    clash': a sentence saying how often things happen tells of no event."""
    root = tok.sent.root
    if root.lemma_ != "be" or root.tag_ not in ("VBZ", "VBP"):
        return False
    if not any(c.dep_ == "acomp" and c.lower_ in status_words()["generic_adjectives"] for c in root.children):
        return False
    node = tok
    while node.i != root.i:
        if node.pos_ in ("VERB", "AUX") and node.dep_ in ("conj", "parataxis", "ccomp", "advcl"):
            return False  # "Gangs abducted 12 travellers; such kidnappings are common": its own clause
        node = node.head
    return True


def _irrealis_at(tok: Token, attempt_counts: bool = False) -> bool:
    words = status_words()
    if tok.pos_ == "VERB" and tok.tag_ == "VBG" and tok.dep_ == "pcomp" and tok.head.lower_ in TOPIC_PREPS - {"of"} \
            and tok.head.head.pos_ == "NOUN":
        return True  # "negotiations on ending the war": what is talked about, not what happened
    if tok.pos_ == "VERB" and tok.tag_ == "VB" and tok.dep_ == "ROOT" and not any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "expl") for c in tok.children):
        return True  # "for the full list, visit ProPublica": an instruction to the reader
    if tok.pos_ == "VERB" and tok.tag_ == "VBG" and tok.dep_ in ("csubj", "nsubj", "csubjpass"):
        return True  # "blocking a motorway puts lives at risk": an action in general
    if tok.pos_ == "NOUN" and tok.dep_ == "nsubjpass" and tok.head.lemma_.lower() in words["forecast_verbs"]:
        return True  # "the storm is expected to bring heavy rain to Beijing": a forecast
    subject = tok.head if tok.dep_ == "conj" and tok.head.dep_ == "nsubj" else tok
    if tok.pos_ == "NOUN" and subject.dep_ == "nsubj" and subject.head.lemma_ == "be" and any(
            c.dep_ == "acomp" and c.lower_ in words["generic_adjectives"] for c in subject.head.children):
        return True  # "... and kidnappings and violence are commonplace": how often, in a clause of its own
    if tok.pos_ == "VERB" and any(c.dep_ in ("dobj", "nsubjpass") and _no_one(c, words["none_words"]) for c in tok.children):
        return True  # "no one was arrested", "filed no charges": done to no one, it did not happen
    for c in tok.children:
        if c.dep_ == "neg":
            return True
        if c.dep_ == "det" and c.lower_ in words["generic_determiners"]:
            return True
        if c.dep_ == "advmod" and c.lower_ in words["habitual_adverbs"]:
            return True
        if c.dep_ == "amod" and c.lower_ in words["background_adjectives"] and tok.tag_ == "NNS":
            return True  # "had previous convictions", "prone to frequent earthquakes": a record or a habit, no one act
        if c.dep_ == "prep" and " ".join(t.lower_ for t in c.subtree) in words["habitual_phrases"]:
            return True  # "has dismissed similar demands in the past": background, no one act
        if c.dep_ == "aux" and c.lower_ in words["irrealis_aux"] and tok.pos_ == "VERB" and not _reported_plan(c, tok):
            return True  # "Ukraine must strengthen its defences": an obligation, not an act
        if c.dep_ == "aux" and c.lemma_.lower() in words["opinion_heads"] and tok.tag_ == "VBG":
            return True  # "lawmakers oppose sending weapons", the verb of opinion parsed as an auxiliary
    # walk up to the event clause
    cur = tok
    path_prep = None
    for _ in range(8):
        head = cur.head
        if head.i == cur.i:
            break
        if cur.dep_ == "pobj" and head.dep_ == "prep":
            path_prep = head.lower_
            if path_prep in TEMPORAL_PREPS:
                return False  # "during such a meeting": a circumstance, told as real
        if is_reporting(head) and cur.dep_ in ("ccomp", "xcomp", "parataxis", "advcl", "dobj"):
            break
        for c in head.children:
            if c.dep_ == "neg" and (path_prep is None or path_prep in TOPIC_PREPS) and cur.dep_ not in ("advcl", "relcl", "conj"):
                return True
            if c.dep_ == "aux" and c.lower_ in words["irrealis_aux"] and cur.dep_ not in ("relcl",):
                if not _reported_plan(c, head):
                    return True
            if c.dep_ == "advmod" and c.lower_ in words["habitual_adverbs"]:
                return True
        if (cur.dep_ in ("xcomp", "dobj", "pobj", "prep", "acomp") or cur.dep_ == "ccomp" and cur.i > head.i
                or _to_infinitive(cur)) and head.lemma_.lower() in words["irrealis_heads"] and not (
                attempt_counts and head.lemma_.lower() in words["attempt_heads"]):
            # (a clause before its head is a sentence of its own the parser hung there: "A manager was
            # assaulted; he refused treatment"; "called to the blaze" is no call for anything)
            if not (head.lemma_ == "call" and (any(ch.dep_ == "prt" for ch in head.children)
                                               or cur.dep_ == "prep" and cur.lower_ not in ("for", "on", "upon"))):
                return True
        if head.lemma_.lower() in words["opinion_heads"] and cur.pos_ == "VERB" and (
                cur.tag_ == "VBG" and cur.dep_ in ("xcomp", "dobj", "pcomp", "ccomp") or _to_infinitive(cur)):
            return True  # "a majority support deploying ground forces": an opinion about an act, not the act
        if head.pos_ == "NOUN" and head.lemma_.lower() in words["irrealis_nouns"] and cur.dep_ in ("prep", "pobj", "acl", "compound"):
            if not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in tok.children):
                return True
        if head.pos_ == "ADJ" and head.lower_ in READY_ADJ:
            return True
        if cur.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in words["irrealis_marks"] for c in cur.children):
            return True
        if cur.dep_ in ("ccomp", "advcl") and any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in cur.children):
            return True
        cur = head
        if cur.dep_ in ("relcl",):
            break
    for c in clause_verb(tok).children:
        if c.dep_ == "mark" and c.lower_ in words["irrealis_marks"]:
            return True
    return False


def _no_one(arg: Token, none_words) -> bool:
    return arg.lower_ in none_words or any(d.dep_ == "det" and d.lower_ == "no" for d in arg.children)


def _reported_plan(aux: Token, verb: Token) -> bool:
    """'said the cabinet would meet on Tuesday': a reported 'would' is the
    future seen from then, a plan, not a hypothesis (unless under 'if')."""
    return (aux.lower_ == "would" and verb.dep_ == "ccomp" and is_reporting(verb.head)
            and not any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in verb.children)
            and not any(a.dep_ == "aux" and a.lower_ == "have" for a in verb.children))  # "would have visited"


def conditional_move(m: Mention) -> Optional[tuple[str, Token, Token]]:
    """A party's move tied to what another party does is a threat or a
    demand on that party: 'Nigeria will withdraw its force unless the
    president arranges a ceasefire' threatens the president; 'the army will
    agree to a truce only when the RSF withdraws' asks the RSF to withdraw.
    Returns the type it becomes, the party it aims at and the condition's
    clause (what is asked has not happened)."""
    verb = clause_verb(m.tok)
    actor = m.actor_tok if m.actor_tok is not None else next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if verb.pos_ != "VERB" or actor is None or actor.pos_ == "PRON" and actor.lower_ not in ("it", "they", "we"):
        return None
    for clause in verb.children:
        if clause.dep_ != "advcl":
            continue
        marks = {c.lower_ for c in clause.children if c.dep_ == "mark" or c.dep_ == "advmod" and c.lower_ == "when"}
        only = any(c.dep_ == "advmod" and c.lower_ == "only" for c in list(clause.children) + list(verb.children))
        subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.pos_ == "PRON" or subj.text.lower() in actor.text.lower():
            continue
        if "unless" in marks:
            return "THREATEN", subj, clause
        if only and marks & {"if", "when", "after", "once"}:
            return "REQUEST", subj, clause
    return None
