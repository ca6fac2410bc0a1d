"""Stage 8, coreference: mentions of the same type merge into one draft event
when they are compatible (place, date, mode, participants, counts) and linked:
in the same clause, anaphoric ("the strike", "Sunday's crash"), or adding
nothing new. Also the regrouping around merging: purposes and side events
absorbed, bilateral meetings split per guest, later guests rejoined."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Token

from dateline import when
from dateline.analyze.events.names import Namer
from dateline.analyze.events.people import office_holders
from dateline.analyze.events.context import Mention, country_of_name, country_of_part, is_line, part_of_country
from dateline.analyze.events.detect import weapon_mode_of
from dateline.analyze.events.lexicon import (
    ARMED_PEOPLE, DEFINITE, MULTILATERAL, PHONE, RETALIATION, SEQUENCE_PREPS, SEQUENCE_VERBS, trigger_index,
)
from dateline.analyze.events.policy import policy
from dateline.analyze.events.syntax import _lemma_set, ancestors_upto, clause_verb, in_subtree, names_a_place, tree_distance
from dateline.model import DateMention, Place


@dataclass
class EventDraft:
    mentions: list[Mention]

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    def get(self, attr: str):
        for m in self.mentions:
            value = getattr(m, attr)
            if value:
                return value
        return None


def _names_compatible(a: Optional[str], b: Optional[str]) -> bool:
    if not a or not b:
        return True
    a, b = a.lower(), b.lower()
    return a in b or b in a or bool(set(a.split()) & set(b.split()) - {"the", "and", "of"})


def _place_compatible(a: Optional[Place], b: Optional[Place], vague_ok: bool = False,
                      a_country: Optional[str] = None, b_country: Optional[str] = None) -> bool:
    if a is None or b is None:
        return True
    x, y = a.name.lower(), b.name.lower()
    if x in y or y in x:
        return True
    if a.geonameid is not None and a.geonameid == b.geonameid and a.precision == b.precision == "place":
        return True  # "Kyiv" and "Kiev": one town spelt two ways
    # "the Philippines" and "Bogo": a country and a place in it; "north-central
    # Nigeria" and "Benue": a lead's vague part of a country and the place the
    # next lines name, when they refer back to it ("the gunmen", "the quake");
    # "a quake struck southern Iran in 2003" is another one
    a_code, b_code = a.country or country_of_part(a), b.country or country_of_part(b)
    if a_code and a_code == b_code and (
            "country" in (a.precision, b.precision) or (vague_ok and (part_of_country(a) or part_of_country(b)))):
        return True
    # "Katsina state" and "Jibia": a state or province and a town in it
    if a.country and a.country == b.country and a.admin1 and a.admin1 == b.admin1 and "region" in (a.precision, b.precision):
        return True
    # "fired a missile off its east coast" and "fired from near Pyongyang": a line with no
    # coordinates (a coast, a border) and a town of the same country are ends of one act
    a_country, b_country = a.country or a_country, b.country or b_country
    if a_country and a_country == b_country and (is_line(a) and b.lat is not None or is_line(b) and a.lat is not None):
        return True
    return False


def _date_compatible(a: Mention, b_date: Optional[DateMention], b_weak: bool) -> bool:
    if a.date is None or b_date is None:
        return True
    told = when.span(a.date.date, a.date.precision) if a.date_weak and not b_weak and b_date.date else None
    if told is not None and told[1].isoformat() < b_date.date:
        return False  # "In December, North Korea said it had tested ...": told before the January launch happened
    if a.date_weak or b_weak:
        return True
    return a.date.date == b_date.date


def _anaphoric(m: Mention) -> bool:
    tok = m.tok
    if tok.pos_ == "VERB":
        # "the drones struck ...": a definite weapon or attack as subject refers back
        subj = next((c for c in tok.children if c.dep_ in ("nsubj",)), None)
        return subj is not None and any(c.dep_ == "det" and c.lower_ in DEFINITE for c in subj.children) and (
            weapon_mode_of([subj]) is not None or (subj.pos_, subj.lemma_.lower()) in [("NOUN", k[1]) for k in trigger_index()
                                                                                     if k[0] == "NOUN"])
    counted_of = any(c.dep_ == "prep" and c.lower_ == "of" and any(
        p.dep_ == "pobj" and any(g.dep_ == "nummod" for g in p.children) for p in c.children) for c in tok.children)
    for c in tok.children:
        if c.dep_ == "det" and c.lower_ in DEFINITE and not counted_of:
            return True  # (but "the killing of over 20 people at Dogon Dawa" tells an act of its own)
        if c.dep_ == "poss" and (c.ent_type_ in ("DATE", "TIME") or c.pos_ == "PRON"):
            return True
        if c.dep_ in ("amod",) and c.lower_ in ("same", "reported", "ongoing", "latest"):
            return True
    return False


def _refers_back(m: Mention, d: EventDraft) -> bool:
    """'the quake struck Qeshm', 'the gunmen arrived ..., shooting dead':
    the mention or its doer is definite and the doer is the draft's."""
    if _anaphoric(m):
        return True
    actor, theirs = m.actor_tok, d.get("actor")
    return actor is not None and bool(theirs) and any(c.dep_ == "det" and c.lower_ in DEFINITE for c in actor.children) \
        and _names_compatible(m.actor, theirs)


def _same_toll(m: Mention, d: EventDraft) -> bool:
    """'8 people killed in gunmen attack in NW Nigeria' and 'gunmen have
    killed eight residents in Kaduna': the same dead, counted the same, are
    one incident told with a vague place and a precise one."""
    theirs = {(k, v) for x in d.mentions for k, v in x.counts.items() if v is not None and k in ("killed", "injured")}
    return any((k, v) in theirs for k, v in m.counts.items() if v is not None and k in ("killed", "injured"))


def _participants_compatible(m: Mention, d: EventDraft) -> bool:
    mine = set(p.lower() for p in m.participants)
    theirs = set()
    for o in d.mentions:
        theirs |= set(p.lower() for p in o.participants)
    if not mine or not theirs:
        return True

    def overlap(x: str, ys: set[str]) -> bool:
        return any(x in y or y in x or x.split()[-1] == y.split()[-1] for y in ys)

    return all(overlap(x, theirs) for x in mine) or all(overlap(y, mine) for y in theirs)


def _kind(m: Mention) -> Optional[str]:
    default = policy(m.type).default_kind
    return (m.kind or default) if default else m.kind


def compatible(m: Mention, d: EventDraft) -> bool:
    if m.type != d.first.type:
        return False
    modes = {x.mode for x in d.mentions if x.mode}
    if m.mode and modes and m.mode not in modes:
        if m.type != "ASSAULT":
            return False
    wm = {x.weapon_mode for x in d.mentions if x.weapon_mode}
    if m.weapon_mode and wm and m.weapon_mode not in wm and not _anaphoric(m):
        return False
    if _kind(m) != _kind(d.first):
        return False
    statuses = {x.status for x in d.mentions}
    if (m.status == "planned") != ("planned" in statuses) and not _anaphoric(m):
        return False
    vague_ok = _refers_back(m, d) or _same_toll(m, d)
    for x in d.mentions:
        if not _place_compatible(m.place, x.place, vague_ok, m.place_country or m.actor_country,
                                 x.place_country or x.actor_country):
            return False
    dated = next((x for x in d.mentions if x.date is not None and not x.date_weak), None)
    if dated is not None and not _date_compatible(m, dated.date, False):
        return False
    if m.type == "CONSULT" and not _participants_compatible(m, d):
        theirs = {p for x in d.mentions for p in x.participants}
        if not (len(theirs) == 1 and len(m.participants) == 1 and _family(m.tok) in ("phone", "conversation")):
            return False
    return True


def _sentence_gap(a: Mention, b: Mention) -> int:
    return abs(a.sent_index - b.sent_index)


def _noun_argument_of(noun: Token, verb: Token) -> bool:
    """A noun trigger inside a verb trigger's phrases with no other verb between."""
    if noun.pos_ != "NOUN" or verb.pos_ != "VERB":
        return False
    for a in ancestors_upto(noun, 5):
        if a.i == verb.i:
            return True
        if a.pos_ in ("VERB", "AUX"):
            return False
    return False


def _before_or_after(tok: Token) -> bool:
    """'attacked banks ... following the killing of a teenager': what came
    before or after is another incident, however close in the parse."""
    return tok.dep_ == "pobj" and tok.head.lower_ in SEQUENCE_PREPS or avenged(tok)


def avenged(tok: Token) -> bool:
    """'in retaliation for the killing of ...', 'revenge for the raid'."""
    prep = tok.head
    return tok.dep_ == "pobj" and prep.lower_ in ("for", "to") and prep.head.lemma_.lower() in RETALIATION


def linked(m: Mention, d: EventDraft) -> bool:
    """Whether m refers to the event d (given they are compatible)."""
    last = d.mentions[-1]
    if avenged(m.tok):
        return False  # "the bombings were retaliation for the killing of ...": what an act avenges is another one
    if last.sent_index == m.sent_index and _before_or_after(m.tok) != _before_or_after(last.tok):
        return False  # "attacked banks ... following the killing of a teenager": two incidents in one sentence
    if last.sent_index == m.sent_index:
        a, b = m.tok, last.tok
        if _noun_argument_of(a, b) or _noun_argument_of(b, a):
            return True  # "are expected to meet in Istanbul for a new round of talks"
        if (tree_distance(a, b) <= 3 or a in b.conjuncts) and not any(
                t.lemma_ in SEQUENCE_VERBS for t in ancestors_upto(a, 3) if any(t.i == x.i for x in ancestors_upto(b, 3))):
            return True
    if _anaphoric(m):
        return True
    if m.drop:
        return False
    d_counts: dict[str, Optional[int]] = {}
    for x in d.mentions:
        for k, v in x.counts.items():
            d_counts.setdefault(k, v)
    own_counts = any(v is not None for v in m.counts.values())
    conflict = any(d_counts.get(k) is not None and v is not None and d_counts[k] != v for k, v in m.counts.items())
    d_place = d.get("place")
    same_place = m.place is not None and d_place is not None and _place_compatible(
        m.place, d_place, _refers_back(m, d) or _same_toll(m, d)) and (
        m.place.precision != "country" or d_place.precision == "country")
    specific_target = bool(m.target and d.get("target") and m.target_tok is not None
                           and any(t.pos_ == "PROPN" for t in m.target_tok.subtree)
                           and _names_compatible(m.target, d.get("target")))
    if m.type == "OTHER" and m.kind and m.kind == d.first.kind and not own_counts and (
            m.place is None or same_place) and _names_compatible(m.target, d.get("target")):
        return True  # "I hereby declare ... the winner": the declaration already reported
    if policy(m.type).incident:
        part = _part_of_known_victims(m)
        if conflict and not specific_target and not part:
            return False
        if own_counts and not (same_place or specific_target or part):
            return False
        same_side = m.actor_country is not None and m.actor_country in {x.actor_country for x in d.mentions}
        if not _names_compatible(m.actor, d.get("actor")) and not same_side and not _unnamed_doers(m, d):
            return False  # "Russian forces shelled ..." then "Russia's defence ministry denied shelling ...": one side
        if m.target and d.get("target") and not _names_compatible(m.target, d.get("target")) and not specific_target \
                and not part and not _a_place_and_people(m, d):
            return False  # "an air strike hit a group of people": another target, another strike
        if m.place is None:
            return _sentence_gap(m, last) <= 2
        return same_place or specific_target
    if m.type == "CONSULT":
        theirs = [p for x in d.mentions for p in x.participants]
        if not m.participants or not theirs:
            return False
        if _participants_compatible(m, d):
            return True
        # one side each ("a call between the leaders" then "Trump raised ... in the conversation")
        return (len(set(theirs)) == 1 and len(m.participants) == 1 and _sentence_gap(m, last) <= 4
                and _family(m.tok) in ("phone", "conversation") and any(_family(x.tok) == "phone" for x in d.mentions))
    if m.type == "AID":
        return _sentence_gap(m, last) <= 2 and (m.place is None or same_place)
    # other types: the same action (type and mode) by the same party ("paused shipments", "the halt")
    if not m.mode:
        return False
    mine, theirs = _object_head(m), _object_head(d.first)
    if mine and theirs and mine != theirs:
        return False  # "launched a spy satellite" and "tested an intercontinental ballistic missile": two acts
    if m.date is not None and not any(x.date is not None for x in d.mentions) \
            and _sentence_gap(m, d.first) > 2:
        return False  # "In December, North Korea said it had tested ...": its own day, far from an undated launch
    return _names_compatible(m.actor, d.get("actor"))


def _unnamed(tok: Optional[Token]) -> bool:
    return tok is not None and (tok.lemma_.lower() in ARMED_PEOPLE or tok.lower_ in ARMED_PEOPLE) and not any(
        t.pos_ == "PROPN" for t in tok.subtree)


def _unnamed_doers(m: Mention, d: EventDraft) -> bool:
    """'the gunmen, locally known as bandits': two unnamed descriptions of
    armed people are one band as far as the text says."""
    return _unnamed(m.actor_tok) and any(_unnamed(x.actor_tok) for x in d.mentions if x.actor_tok is not None)


def _a_place_and_people(m: Mention, d: EventDraft) -> bool:
    """'gunmen invaded the Negga village' and 'gunmen killed seven
    villagers': a place attacked and people killed there by the same doers
    are no two targets."""
    theirs = [x.target_tok for x in d.mentions if x.target_tok is not None]
    # (told of one doer: "several shops were also attacked" by no one named is not the police's tear gas)
    same_doer = bool(m.actor and d.get("actor")) and (_names_compatible(m.actor, d.get("actor")) or _unnamed_doers(m, d))
    return same_doer and bool(theirs) and m.target_tok is not None and (
        names_a_place(m.target_tok) != names_a_place(theirs[0]))


def _object_head(m: Mention) -> Optional[str]:
    """What a launch or a test was of, by its head word ('satellite',
    'missile'), when the verb says (for triggers whose object is the weapon)."""
    if m.tok.pos_ != "VERB" or not m.entry.get("weapon_obj"):
        return None
    obj = next((c for c in m.tok.children if c.dep_ == "dobj"), None)
    return obj.lemma_.lower() if obj is not None else None


def _part_of_known_victims(m: Mention) -> bool:
    """'twenty-six of the victims were burned to death': a part of victims
    already told of, so a part of their incident, not another one."""
    victim = m.victim_tok
    return victim is not None and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(p.dep_ == "pobj" and any(
            d.dep_ in ("det", "poss") and d.lower_ in DEFINITE for d in p.children) for p in c.children)
        for c in victim.children)


def _family(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    if lemma in PHONE or any(c.lower_ in PHONE for c in tok.children if c.dep_ == "compound"):
        return "phone"
    return lemma


def merge_mentions(mentions: list[Mention]) -> list[EventDraft]:
    drafts: list[EventDraft] = []
    ordered = sorted(mentions, key=lambda x: x.tok.i)
    followers = group_clause_mentions(ordered)
    for m in ordered:
        if id(m) in followers:
            continue
        cands = [d for d in drafts if compatible(m, d) and linked(m, d)]
        cands.sort(key=lambda d: -d.mentions[-1].tok.i)  # the nearest mention first
        target = cands[0] if cands else None
        if len(cands) > 1 and _anaphoric(m) and _family(m.tok) == "phone":
            # "the call" goes back to a call rather than to a later meeting
            same = [d for d in cands if any(_family(x.tok) == "phone" for x in d.mentions)]
            if same:
                target = same[0]
        group = [m] + followers_of(m, followers, ordered)
        if target is not None:
            target.mentions.extend(group)
        elif not m.drop:
            drafts.append(EventDraft(group))
    return drafts


def group_clause_mentions(ordered: list[Mention]) -> dict[int, Mention]:
    """Mentions of one action in one clause ("an air strike hit a group",
    "shelling killed two"): the later ones follow the first, sharing counts."""
    followers: dict[int, Mention] = {}
    for i, m in enumerate(ordered):
        for p in ordered[:i]:
            if id(p) in followers or p.type != m.type or p.sent_index != m.sent_index:
                continue
            if p.mode and m.mode and p.mode != m.mode:
                continue
            if tree_distance(p.tok, m.tok) > 2 or _before_or_after(p.tok) != _before_or_after(m.tok):
                continue
            if any(t.lemma_ in SEQUENCE_VERBS for t in ancestors_upto(m.tok, 2) if any(t.i == x.i for x in ancestors_upto(p.tok, 2))):
                continue
            if p.place is not None and m.place is not None and not _place_compatible(p.place, m.place):
                continue
            followers[id(m)] = p
            for k, v in m.counts.items():
                p.counts.setdefault(k, v)
            if p.drop and not m.drop:
                p.drop = False
            if p.weapon_mode is None:
                p.weapon_mode = m.weapon_mode
            if p.date is None or (p.date_weak and m.date is not None and not m.date_weak):
                p.date, p.date_weak = m.date, m.date_weak
            if p.target is None:
                p.target, p.target_tok = m.target, m.target_tok
            if p.actor is None:
                p.actor, p.actor_tok, p.actor_country = m.actor, m.actor_tok, m.actor_country
            break
    return followers


def followers_of(m: Mention, followers: dict[int, Mention], ordered: list[Mention]) -> list[Mention]:
    return [x for x in ordered if followers.get(id(x)) is m]


def split_bilateral(drafts: list[EventDraft], namer: Namer) -> list[EventDraft]:
    """'Xi met with A, B and C': one bilateral meeting per guest."""
    out = []
    for d in drafts:
        m = d.first
        if m.type == "CONSULT" and m.target_tok is not None and len(d.mentions) >= 1:
            guests = [m.target_tok] + [c for c in m.target_tok.conjuncts if c.i > m.target_tok.i]
            # "several leaders, including A, B, C"
            if len(guests) == 1:
                for c in m.target_tok.children:
                    if c.dep_ == "prep" and c.lower_ in ("including", "like", "such"):
                        p = next((p for p in c.subtree if p.dep_ == "pobj"), None)
                        if p is not None:
                            guests = [p] + [x for x in p.conjuncts if x.i > p.i]
            people = [g for g in guests if namer.ctx.ent_type_by_char.get(g.idx) == "PERSON" or g.ent_type_ == "PERSON"
                      or g.pos_ == "PROPN" and not country_of_name(g.text)]
            guest_names = [namer.name(g, with_conj=False) for g in people]
            if len(guests) == 1:
                # "separate calls with the leaders of Russia and Ukraine": one call with each leader
                holders = office_holders(m.target_tok, namer.ctx)
                if holders:
                    people, guest_names = [t for t, _ in holders], [name for _, name in holders]
            if len(people) >= 2 and not any(w in MULTILATERAL for w in _lemma_set([m.tok])):
                clones = []
                for g, name in zip(people, guest_names):
                    clone = Mention(**{**m.__dict__})
                    clone.target = name
                    clone.target_tok = g
                    # the host, however it was found ("Trump held separate calls with A and B"), and this guest
                    hosts = [m.actor] if m.actor else [p for p in m.participants if p not in guest_names]
                    clone.participants = [p for p in hosts + [name] if p]
                    clones.append(EventDraft([clone]))
                # later mentions go to the meeting with the guest they name ("In his meeting with Aliyev")
                current = None
                for x in d.mentions[1:]:
                    names = {p.split()[-1].lower() for p in x.participants}
                    hit = next((c for c in clones if c.first.target and c.first.target.split()[-1].lower() in names), None)
                    current = hit or current
                    if current is not None:
                        current.mentions.append(x)
                out.extend(clones)
                continue
        out.append(d)
    return out


def absorb(mentions: list[Mention]) -> None:
    """Retype mentions by what they belong to: troops deployed to search for
    survivors are the search (AID); an explosion amid an attack is the attack."""
    for m in mentions:
        if m.drop:
            continue
        if m.tok.pos_ == "VERB" and m.tok.dep_ in ("advcl", "xcomp") and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in m.tok.children):
            # "went on strike on Tuesday to protest pension reforms": the purpose names the same action
            host = next((o for o in mentions if o is not m and not o.drop and (
                o.type == m.type or o.type == "PROTEST" and policy(m.type).protest_purpose)
                and clause_verb(o.tok).i == m.tok.head.i), None)
            if host is not None:
                m.drop = True
                if host.date is None and m.date is not None:
                    host.date, host.date_weak = m.date, m.date_weak
                if host.target is None and m.target is not None:
                    host.target, host.target_tok = m.target, m.target_tok
                continue
        if m.type == "MOBILIZE" and m.tok.pos_ == "VERB":
            aid = next((o for o in mentions if o.type == "AID" and o is not m and in_subtree(o.tok, m.tok)), None)
            if aid is not None:
                m.drop = True
                if aid.actor is None and m.target is not None:
                    aid.actor, aid.actor_tok = m.target, m.target_tok  # the ones deployed act
                if aid.date is None and m.date is not None:
                    aid.date, aid.date_weak = m.date, m.date_weak
        if m.type == "OTHER" and m.kind == "blast":
            if any(o.type == "ASSAULT" and not o.drop and 0 <= m.sent_index - o.sent_index <= 3 for o in mentions):
                m.type, m.kind, m.mode = "ASSAULT", None, None


def _rejoin_guests(drafts: list[EventDraft]) -> list[EventDraft]:
    out: list[EventDraft] = []
    for d in drafts:
        m = d.first
        if m.type == "CONSULT" and m.target and out:
            host = next((o for o in reversed(out) if o.first.type == "CONSULT" and o.first.target
                         and o.first.tok.i < m.tok.i and o.first.target.split()[-1].lower() == m.target.split()[-1].lower()
                         and o.first.status == m.status), None)
            if host is not None and host.first.tok.i != m.tok.i and (m.definite or m.tok.dep_ in ("pobj", "advcl")):
                host.mentions.append(m)
                continue
        out.append(d)
    return out
