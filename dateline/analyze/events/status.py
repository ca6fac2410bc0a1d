"""Stage 6, status and source: occurred, planned, claimed or denied from
tense, modality and hedges (lexicons/status_words.json); reported_by from
quotes and attributions."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from spacy.tokens import Token

from dateline.analyze.events.names import Namer
from dateline.analyze.events.context import Ctx, Mention, _party_countries, _reporter_country
from dateline.analyze.events.lexicon import LIGHT_VERBS, status_words
from dateline.analyze.events.policy import policy
from dateline.analyze.events.syntax import ancestors_upto, is_reporting, sent_of


def find_status(m: Mention, ctx: Ctx) -> None:
    words = status_words()
    tok = m.tok
    status = "occurred"
    if m.conditional or m.entry.get("negated_sense"):
        m.status = status  # the threat, the demand or the refusal is made when it is said
        return
    for c in tok.children:
        if c.dep_ in ("amod", "advmod") and c.lower_ in words["claimed_modifiers"]:
            status = "claimed"
        if c.dep_ in ("amod", "advmod", "compound") and c.lower_ in words["planned_modifiers"]:
            status = "planned"
    if _headline_infinitive(tok):
        status = "planned"  # "Turkmenistan to hold first parliamentary elections": a headline's future
    cur = tok
    for _ in range(8):
        verb = cur
        if verb.pos_ in ("VERB", "AUX"):
            auxes = [c.lower_ for c in verb.children if c.dep_ == "aux"]
            for c in verb.children:
                if c.dep_ == "aux" and c.lower_ in words["future_aux"]:
                    # "may have crashed": a guess about the past, not a plan
                    status = "claimed" if "have" in auxes and verb.tag_ == "VBN" else "planned"
                if c.dep_ == "aux" and c.lower_ == "would" and verb.dep_ == "ccomp" and is_reporting(verb.head):
                    status = "planned"  # "said the cabinet would meet on Tuesday": the future seen from then
                if c.dep_ == "advmod" and c.lower_ in words["claimed_modifiers"]:
                    status = "claimed"
        head = cur.head
        if head.i == cur.i:
            break
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ in ("advcl", "relcl", "acl") and not (
                cur.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)):
            break  # a purpose ("will travel to Washington to meet") shares its host's future
        hl = head.lemma_.lower()
        if tok.pos_ == "NOUN" and cur.i != tok.i and cur.pos_ == "VERB" and cur.lemma_.lower() not in LIGHT_VERBS \
                and cur.lemma_.lower() not in words["planned_heads"]:
            break  # "expected to discuss the halt": the halt itself is not planned
        if hl in words["denied_heads"] and cur.dep_ in ("dobj", "xcomp", "ccomp", "pcomp", "pobj", "prep"):
            status = "denied"
            break
        if hl in words["claimed_heads"] and cur.dep_ in ("ccomp", "dobj", "xcomp"):
            status = "claimed"
        if hl in words["planned_heads"] and cur.dep_ in ("xcomp", "dobj", "ccomp", "acomp", "pobj", "prep") and not (
                hl == "agree" and (cur.dep_ == "prep" and cur.lower_ not in ("to", "on", "upon")
                                or tok.pos_ == "NOUN" and policy(m.type).reached_by_agreeing and cur.dep_ in ("pobj", "prep", "dobj"))):
            # "agreed to a ceasefire" reaches it; "agreed to meet" plans a meeting
            if status == "occurred":
                status = "planned"
        if hl in ("due", "set", "poised", "scheduled") and cur.dep_ == "xcomp" and status == "occurred":
            status = "planned"  # "is due to meet", "set to visit"
        if hl in words["directive_heads"] and cur.dep_ == "xcomp" and status == "occurred":
            status = "planned"  # "ordered Toledo to surrender on Friday": told to, not yet done
        if hl == "be" and head.pos_ == "AUX" and cur.dep_ == "xcomp" and status == "occurred" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in cur.children) and cur.lemma_.lower() != "blame":
            status = "planned"  # "Toledo is to surrender on Friday", "the leaders are to meet in Geneva"
        if head.pos_ == "NOUN" and hl in words["planned_nouns"] and cur.dep_ in ("prep", "pobj") and status == "occurred":
            status = "planned"  # "the timing of a meeting", "details of a meeting"
        if is_reporting(head):
            break
        if cur.dep_ in ("relcl", "advcl") and cur.i != tok.i:
            break
        cur = head
    if m.date is not None and m.date.date and ctx.state.published and not m.date_weak:
        try:
            if dt.date.fromisoformat(m.date.date) > ctx.state.published and m.date.precision == "day":
                status = "planned"
        except ValueError:
            pass
    m.status = status


def _headline_infinitive(tok: Token) -> bool:
    """'Putin to meet Xi in Beijing', 'Sixers to sign Dalembert': a clause
    whose main verb is a bare infinitive with a subject, as headlines write
    the future (a noun trigger counts when it hangs on such a verb)."""
    verb = tok if tok.pos_ in ("VERB", "AUX") else next((a for a in ancestors_upto(tok, 3) if a.pos_ in ("VERB", "AUX")), None)
    return (verb is not None and verb.dep_ == "ROOT" and verb.tag_ == "VB"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
            and any(c.dep_ == "nsubj" for c in verb.children))


def find_reporter(m: Mention, ctx: Ctx, namer: Namer) -> None:
    tok = m.tok
    for q in ctx.quotes:
        if q.start <= tok.idx < q.end and q.speaker:
            m.reported_by = q.speaker
            return
    for a in ancestors_upto(tok, 10):
        if is_reporting(a):
            subj = next((c for c in a.children if c.dep_ in ("nsubj",)), None)
            if subj is not None and subj.pos_ != "PRON":
                m.reported_by = namer.name(subj, country_for_norp=False)
                return
    sent = sent_of(tok)
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(ctx.doc) and ctx.doc[t.i + 1].lower_ == "to":
            pobj = next((p for p in ctx.doc[t.i + 1].children if p.dep_ == "pobj"), None)
            if pobj is not None:
                m.reported_by = namer.name(pobj, country_for_norp=False)
                return
    for t in sent:
        if is_reporting(t):
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.pos_ in ("PROPN", "NOUN"):
                m.reported_by = namer.name(subj, country_for_norp=False)
                return


def inherit_host_status(mentions: list[Mention]) -> None:
    """'expected to meet on Wednesday for a new round of talks': a noun
    trigger under a planned or denied verb trigger of its type shares it."""
    by_tok = {m.tok.i: m for m in mentions}
    for m in mentions:
        if m.tok.pos_ == "NOUN":
            gov = next((a for a in ancestors_upto(m.tok, 4) if a.pos_ in ("VERB", "AUX")), None)
            host = by_tok.get(gov.i) if gov is not None else None
            if host is not None and host.type == m.type and host.status != m.status and host.status in ("planned", "denied"):
                m.status = host.status


def draft_status(mentions: list[Mention]) -> str:
    """A denial anywhere wins; a claim in the first sentence hedges an occurrence."""
    first = mentions[0]
    status = first.status
    if any(m.status == "denied" for m in mentions):
        status = "denied"
    elif status == "occurred" and any(m.status == "claimed" for m in mentions if m.sent_index == first.sent_index):
        status = "claimed"
    return status


def one_sided_claim(status: str, typ: str, actor_country: Optional[str], reported_by: Optional[str],
                    target: Optional[str], ctx: Ctx) -> str:
    """One side's account of what the other side did is a claim."""
    if status == "occurred" and policy(typ).one_sided_claim and actor_country:
        rc = _reporter_country(reported_by, ctx)
        if rc and rc != actor_country and rc not in _party_countries([target or ""], ctx):
            return "claimed"
    return status
