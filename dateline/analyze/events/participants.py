"""Stage 3, who took part: the parties of meetings and calls ('talks
between X and Y', 'X met with Y', 'the leaders' as the people the sentence
names), and a merged draft's actor and target."""

from __future__ import annotations

from typing import Optional

from spacy.tokens import Span, Token

from dateline.analyze.events.arguments import can_be_party
from dateline.analyze.events.context import Mention, _norp_modifier, country_label, country_of_demonym, country_of_name
from dateline.analyze.events.lexicon import GENERIC_PARTIES, ROLE_NOUNS
from dateline.analyze.events.names import Namer
from dateline.analyze.events.policy import policy
from dateline.analyze.events.syntax import _description_text, _pobj, in_subtree, names_a_place, sent_of


def _party_names(tok: Token, namer: Namer) -> list[str]:
    """Meeting parties: 'Russian negotiators' -> Russia, 'Ukrainian and
    Russian negotiators' -> Ukraine, Russia; a name as named."""
    if tok.lower_ in ROLE_NOUNS or tok.lemma_.lower() in ROLE_NOUNS:
        named = next((namer.ctx.ent_by_char.get(c.idx) for c in tok.children if c.dep_ == "appos"
                      and namer.ctx.ent_type_by_char.get(c.idx) == "PERSON"), None)
        if named:
            return [named]  # "his Belarusian counterpart, Vladimir Makei": the person the text names
        norp = _norp_modifier(tok)
        if norp is not None:
            codes = [country_of_demonym(n.text) or country_of_name(n.text) for n in [norp, *norp.conjuncts]]
            labels = list(dict.fromkeys(country_label(c) for c in codes if c))
            if labels:
                return labels
    name = namer.name(tok, with_conj=False)
    return [name] if name else []


def _parties(tok: Optional[Token], namer: Namer) -> list[str]:
    if tok is None:
        return []
    out = []
    for t in [tok] + [c for c in tok.conjuncts if c.i > tok.i]:
        if t.pos_ == "PRON" or (t.pos_ in ("NOUN", "NUM") and t.lower_ in GENERIC_PARTIES and _norp_modifier(t) is None):
            continue
        for name in _party_names(t, namer):
            if name not in out:
                out.append(name)
    return out


def _people_in(sent: Span, namer: Namer) -> list[str]:
    people: list[str] = []
    for t in sent:
        name = namer.ctx.ent_by_char.get(t.idx)
        if name and namer.ctx.ent_type_by_char.get(t.idx) == "PERSON" and name not in people:
            people.append(name)
    return people


def consult_participants(m: Mention, namer: Namer) -> None:
    """Meetings and calls: 'between X and Y' -> both as actor; 'X met with Y'
    -> visitor as actor and host as target (settled later with the place);
    'the leaders', 'the pair' -> the people the sentence names."""
    tok = m.tok
    between = next((_pobj(c) for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"), None)
    named = [c for c in tok.children if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"
             and namer.ctx.ent_type_by_char.get(c.idx) == "PERSON"]
    if between is not None or len(named) >= 2:
        if between is not None:
            parties = _parties(between, namer)
            # named parties anywhere in the phrase (the parse may nest "Trump and President Putin")
            named_in = []
            for t in between.subtree:
                nm = namer.ctx.ent_by_char.get(t.idx)
                if nm and namer.ctx.ent_type_by_char.get(t.idx) in ("PERSON", "GPE", "ORG", "NORP") and nm not in named_in:
                    named_in.append(nm)
            if len(named_in) > len(parties):
                parties = named_in
            generic = between.lower_ in GENERIC_PARTIES
        else:
            parties = list(dict.fromkeys(namer.name(c, with_conj=False) or c.text for c in named))
            generic = False
        if generic and not parties:
            parties = _people_in(sent_of(tok), namer)[:2]
        mediator = m.actor_tok if m.mode == "third-party" and between is not None else None
        if mediator is not None and not in_subtree(mediator, between) and parties:
            # "Qatar mediated between Israel and Hamas": the mediator acts, the two sides are its target
            m.actor = namer.name(mediator)
            m.target, m.target_tok = " and ".join(parties), between
            m.participants = [m.actor] + parties if m.actor else parties
            return
        m.actor = " and ".join(parties) if parties else None
        m.target, m.target_tok = None, None
        m.participants = parties
        m.actor_tok = between
        return
    subject: Optional[Token] = None
    others: list[Token] = []
    if tok.pos_ == "VERB":
        subject = m.actor_tok
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "to"):
                p = _pobj(c)
                if p is not None:
                    others.append(p)
            if c.dep_ == "dobj" and tok.lemma_ in ("meet", "visit", "host", "phone", "call"):
                others.append(c)
    else:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "to"):
                p = _pobj(c)
                if p is not None:
                    others.append(p)
        gov = tok.head
        if tok.dep_ == "dobj" and gov.pos_ == "VERB":
            subject = next((c for c in gov.children if c.dep_ == "nsubj"), None)
            if not others:
                for c in gov.children:
                    if c.dep_ == "prep" and c.lower_ == "with":
                        p = _pobj(c)
                        if p is not None:
                            others.append(p)
        elif tok.dep_ == "pobj" and gov.lower_ in ("in", "during", "at") and gov.head.pos_ == "VERB":
            verb = gov.head
            if others:
                # "In his meeting with Aliyev, Xi ..."
                subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            else:
                # "negotiators told their counterparts at talks in Turkey"
                subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                obj = next((c for c in verb.children if c.dep_ in ("dobj", "dative")), None)
                if obj is not None:
                    others.append(obj)
        elif tok.dep_ in ("nsubj", "nsubjpass"):
            pass
        if tok.dep_ == "advcl" and tok.tag_ == "VBG":
            subject = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        if subject is None and m.actor_tok is not None and m.actor_tok.ent_type_ not in ("DATE", "TIME"):
            subject = m.actor_tok
    if any(t.lower_ == "other" and t.head.lower_ == "each" or t.lower_ == "each" for o in others for t in o.subtree):
        others = []  # "speak to each other"
    others = [o for o in others if can_be_party(o)]
    if subject is not None and not can_be_party(subject):
        subject = None
    subj_parties = _parties(subject, namer)
    if subject is not None and not subj_parties and subject.lower_ in GENERIC_PARTIES:
        subj_parties = _people_in(sent_of(tok), namer)[:2]
    other_parties: list[str] = []
    for o in others:
        for p in _parties(o, namer):
            if p not in other_parties:
                other_parties.append(p)
    m.actor = " and ".join(subj_parties) if subj_parties else None
    m.actor_tok = subject
    m.target = " and ".join(other_parties) if other_parties else None
    m.target_tok = others[0] if others else None
    m.participants = subj_parties + [p for p in other_parties if p not in subj_parties]


def draft_participants(mentions: list[Mention]) -> list[str]:
    participants: list[str] = []
    for m in mentions:
        for p in m.participants:
            if p not in participants:
                participants.append(p)
    return participants


def _one_name(a: str, b: str) -> bool:
    """'Jerry Ortiz' and 'Ortiz': one name, the longer with a first name."""
    short, long = sorted((a, b), key=len)
    return short == long or long.endswith(" " + short)


def draft_parties(mentions: list[Mention], namer: Namer) -> tuple[Optional[str], Optional[str]]:
    """Actor and target of a draft: the first named, a party preferred as target."""
    actor = next((m.actor for m in mentions if m.actor), None)
    target = next((m.target for m in mentions if m.target and m.target_tok is not None and can_be_party(m.target_tok)), None) \
        or next((m.target for m in mentions if m.target), None)
    if actor and target and _one_name(actor, target):
        # "The president will travel to meet Donald Trump": a role resolved to
        # the one person of that role the article names; nobody meets himself.
        actor = next((_description_text(m.actor_tok) for m in mentions if m.actor_tok is not None
                      and m.actor_tok.pos_ == "NOUN"), None)  # (a pronoun read as the target names no one)
        if actor and _one_name(actor, target):
            actor = None
    if policy(mentions[0].type).victims_are_targets and target is not None and names_a_place(
            next((m.target_tok for m in mentions if m.target == target), None)):
        # "stormed a market ..., shooting dead 12 traders": those attacked, not where
        people = next((m.target for m in mentions if m.target and m.target_tok is not None
                       and not names_a_place(m.target_tok) and any(v is not None for v in m.counts.values())), None)
        target = people or target
    if target is None and policy(mentions[0].type).victims_are_targets:
        # "gunmen opened fire, killing 24 villagers": the attack was on those it killed
        victim = next((m.victim_tok for m in mentions if m.victim_tok is not None), None)
        if victim is not None and victim.pos_ != "PRON":
            target = namer.name(victim)
    if mentions[0].type == "SANCTION":
        recipient = _sanction_recipient(mentions)
        if recipient is not None:
            target = namer.name(recipient)
    return actor, target


def _sanction_recipient(mentions: list[Mention]) -> Optional[Token]:
    """'paused shipments of weapons to Ukraine': the one cut off ('sentenced him to three years' is no recipient)."""
    for m in mentions:
        if m.mode == "convict":
            continue
        rec = next((p for t in ([m.target_tok] if m.target_tok is not None else []) + [m.tok]
                    for c in t.children if c.dep_ == "prep" and (c.lower_ == "to" or c.lower_ == "with" and m.target_tok is not None
                                                                 and m.target_tok.lemma_.lower() in ("tie", "relation"))
                    for p in c.children if p.dep_ == "pobj"), None)
        if rec is None and m.target_tok is not None:
            # "shipments of weapons to Ukraine" (not "24 Russians close to Putin": a "to" on an adjective)
            rec = next((p for t in m.target_tok.subtree if t.dep_ == "prep" and t.lower_ == "to"
                        and t.head.pos_ in ("NOUN", "PROPN") for p in t.children if p.dep_ == "pobj"), None)
        if rec is not None and rec.ent_type_ not in ("DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
            return rec
    return None
