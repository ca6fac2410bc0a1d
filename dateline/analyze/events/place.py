"""Stage 4, place: the nearest place in the event's clause (places
component), a facility named in the target, or the place of the event it
belongs to."""

from __future__ import annotations

import re
from typing import Optional

from spacy.tokens import Token

from dateline import when
from dateline.analyze.events.context import Ctx, Mention, article_main_country, country_name, is_line, part_of_country
from dateline.analyze.places import geocode
from dateline.analyze.events.lexicon import (
    AUTHORITY_NOUNS, BOUNDARY_NOUNS, FACILITY_NOUNS, HYPHEN_QUALIFIERS, LOC_PREPS, MEETING_NOUNS, OFFICE_TITLES, PHONE, PLACE_NOUNS,
    PLACE_PART_NOUNS, REGIONAL_TITLES, SETTLEMENT_NOUNS, TEMPORAL_PREPS,
)
from dateline.analyze.events.policy import policy
from dateline.analyze.nlp import text_of
from dateline.analyze.events.syntax import (
    _lemma_set, _to_infinitive, ancestors_upto, clause_role, crosses_clause, governing_verb, in_subtree, is_reporting,
    place_noun_names, sent_number, sent_of, tree_distance, with_objects,
)
from dateline.model import DateMention, Event, Place


PRECISION_RANK = {"place": 0, "region": 1, "country": 2, None: 3}


def choose_place(m: Mention, ctx: Ctx, mentions: Optional[list[Mention]] = None) -> None:
    tok = m.tok
    sent = sent_of(tok)
    best = None
    # places inside another trigger's phrase belong to that event ("the strike on Poltava ... followed an attack")
    owned = [o.tok for o in (mentions or []) if o is not m and o.sent_index == m.sent_index and o.tok.pos_ == "NOUN"
             and not in_subtree(tok, o.tok)]
    for place, root, demonym in ctx.places:
        if demonym or not (sent.start <= root.i < sent.end):
            continue
        meeting = _meeting_of(root)  # (none for a town naming a facility, whose root changes below)
        if root.dep_ in ("compound", "nmod") and root.head.pos_ == "PROPN" and root.head.lemma_.lower() in FACILITY_NOUNS:
            # "London Southend Airport": the facility named after the town
            head = root.head
            start = min(t.i for t in head.subtree if t.i <= head.i and t.pos_ == "PROPN")
            span = ctx.doc[start:head.i + 1]
            place = Place(name=span.text, start=span.start_char, end=span.end_char, country=place.country,
                          lat=place.lat, lon=place.lon, admin1=place.admin1, precision="place")
            ctx.extra_places.append((place, head))
            root = head
        elif root.dep_ in ("compound", "amod", "poss", "nmod") and root.head.lemma_.lower() not in PLACE_NOUNS \
                and not _town_facility(root, place) and meeting is None and root.head.i not in ctx.place_roots \
                and not _modifies_the_trigger(root, tok):
            continue  # "US diplomats", "Kyiv's top general" (but "Melbourne, Australia")
        if crosses_clause(tok, root) or _inside_a_modifier_clause(root, tok):
            continue
        if HYPHEN_MODIFIER.match(text_of(ctx.doc), place.end):
            continue  # "a Paris-bound flight", "the US-led plan": a destination or a sponsor, not where
        if any(in_subtree(root, o) and not in_subtree(root, tok) for o in owned):
            continue
        # "in Zamfara state": the place noun stands where its name would
        slot = root.head if root.dep_ == "compound" and root.head.lemma_.lower() in PLACE_NOUNS else root
        # "in the heart of Brussels", "in the business hub of Ho Chi Minh City": the part stands where the name would
        located = root.head.head if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN" \
            and root.head.head.lemma_.lower() in PLACE_NOUNS | PLACE_PART_NOUNS else root
        if _town_facility(root, place):
            located = root.head  # "at a San Jose courthouse", "in a Kabul hospital": the facility is in the town
        if meeting is not None and meeting.dep_ == "pobj" and meeting.head.lower_ in ("during", "at", "on", "after"):
            located = None  # "during the Istanbul meeting": the meeting's town, whatever the preposition
        if m.actor_tok is not None and in_subtree(root, m.actor_tok) and not in_subtree(tok, m.actor_tok) \
                and m.type != "CONSULT" and not (
                slot.dep_ == "pobj" and slot.head.lower_ in ("in", "at") and slot.head.head.i == m.actor_tok.i):
            # "the Security Service of Ukraine" (but "a court in Paris" sits where it acts, and in "the men
            # who kidnapped two workers in Mopti" the place is in the trigger's own clause)
            continue
        if m.kind == "market" and not any(c.dep_ in ("nsubj", "nsubjpass") and in_subtree(root, c) for c in tok.children):
            continue  # "oil rose after Israel struck ...": a market has only the place its subject names
        if m.type == "SANCTION" and m.target_tok is not None and in_subtree(root, m.target_tok):
            continue  # "shipments to Ukraine": the target, not the place
        if policy(m.type).speech and m.target_tok is not None and root.i == m.target_tok.i:
            continue  # "sought his extradition from the United States": the one asked, not where
        if policy(m.type).speech and tok.pos_ == "VERB" and meeting is None and any(
                in_subtree(root, c) for c in tok.children if c.dep_ in ("ccomp", "xcomp") or _to_infinitive(c)):
            continue  # what was promised or asked, not where (but "... during the Istanbul meeting" is where)
        if policy(m.type).speech and root.dep_ == "pobj" and _inside_the_topic(root.head.head, tok, m):
            continue  # "will not give up on its aims in Ukraine", "condemned the bombing of a market in Kabul"
        if m.type == "SANCTION" and root.dep_ == "pobj" and root.head.lower_ == "to":
            continue  # "shipments to Ukraine": the target, not the place
        if m.type == "CONSULT" and any(in_subtree(root, c) for c in tok.children
                                       if c.dep_ == "prep" and c.lower_ in ("on", "about", "over", "regarding")):
            continue  # "negotiations on ending the war in Ukraine": the topic
        gov = governing_verb(tok) if tok.pos_ == "NOUN" else None
        needs = policy(m.type).place_needs
        if needs != "anything" and clause_role(root) in ("nsubj", "nsubjpass", "dative") \
                and not (gov is not None and root.head.i == gov.i and tok.dep_ == "nsubj"):
            continue  # "Kyiv will be involved in peace talks", "as Washington began operating ...", "gives Tehran access": a party
        if needs == "location_preposition" and located is not None and not (
                located.dep_ == "pobj" and (located.head.lower_ in LOC_PREPS
                                            or located.head.lower_ in policy(m.type).place_extra_preps)):
            continue  # where a meeting or statement happened: "in Istanbul", "at talks in Turkey"
        # places reported from: "told reporters in Denmark"
        if any(is_reporting(a) and not in_subtree(tok, a) for a in ancestors_upto(root, 10)):
            continue
        if root.dep_ == "nsubj" and is_reporting(root.head) or (
                root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lower_ == "according"):
            continue  # "..., Seoul said", "according to Kyiv": the one telling it, not where it happened
        d = tree_distance(tok, root)
        key = (0 if in_subtree(root, tok) else 1, d + PRECISION_RANK[place.precision] * 1.5, root.i)
        if best is None or key < best[0]:
            best = (key, place)
    if best is not None:
        m.place = best[1]
        m.place_country = best[1].country
        return
    # "sent a team to the airport": a definite place noun naming an earlier place
    clause = sent_of(tok)
    for t in clause:
        if t.pos_ == "NOUN" and t.lemma_.lower() in FACILITY_NOUNS | PLACE_NOUNS and any(
                c.dep_ == "det" and c.lower_ == "the" for c in t.children) and not crosses_clause(tok, t):
            earlier = [p for p, root, dem in ctx.places if not dem and root.i < sent_of(tok).start
                       and p.name.split()[-1].lower() == t.lower_]
            earlier += [p for p, root in ctx.extra_places if root.i < sent_of(tok).start and p.name.split()[-1].lower() == t.lower_]
            if not earlier and t.lemma_.lower() in ("city", "town", "village", "capital"):
                # "in the city": the last town named before
                earlier = [p for p, root, dem in ctx.places if not dem and root.i < sent_of(tok).start and p.precision == "place"]
            if earlier:
                m.place = earlier[-1]
                m.place_country = earlier[-1].country
                return
    if m.type == "PROTEST" and tok.pos_ == "NOUN":
        # "during Greek riots", "Iranian protests": where a protest is named for is where it is (an
        # attack named for a people is theirs: "an Israeli strike")
        named_for = next((p for p, root, demonym in ctx.places if demonym and root.head.i == tok.i
                          and root.dep_ in ("amod", "compound", "nmod")), None)
        if named_for is not None and named_for.country:
            m.place = named_for.model_copy(update={"name": country_name(named_for.country) or named_for.name})
            m.place_country = named_for.country
            return
    line = _boundary_line(tok)
    if line is not None:
        m.place = line


def _boundary_line(tok: Token) -> Optional[Place]:
    """'fired shells near the disputed western maritime boundary', 'clashes
    along the border': the line it happened on, when no town is named; a
    place without coordinates (nothing to put on a map, but what the text
    says of where)."""
    holders = with_objects(tok) + ([tok.head] if tok.pos_ == "NOUN" and tok.dep_ == "dobj" else [])
    for h in holders:
        for c in h.children:
            if c.dep_ != "prep" or c.lower_ not in ("near", "along", "across", "at", "on", "off"):
                continue
            line = next((p for p in c.children if p.dep_ == "pobj" and p.lemma_.lower() in BOUNDARY_NOUNS), None)
            if line is None:
                continue
            words = [t for t in line.subtree if t.i <= line.i and t.dep_ not in ("det", "poss", "case")]
            span = tok.doc[words[0].i:line.i + 1] if words else None
            if span is not None and len(span) >= 2:  # "the border" alone says too little
                return Place(name=span.text, start=span.start_char, end=span.end_char)
    return None


# "Paris-bound", "US-led", "Qatar-brokered": the place qualifies a noun
HYPHEN_MODIFIER = re.compile(r"[-‐–](?:%s)\b" % "|".join(sorted(HYPHEN_QUALIFIERS)), re.IGNORECASE)


def _modifies_the_trigger(root: Token, trigger: Token) -> bool:
    """'the Kyiv drone attack', 'Gaza's hospital strike': a place naming the event itself."""
    head = root.head
    if head.dep_ == "compound" and head.head.i == trigger.i:
        head = head.head
    return head.i == trigger.i and trigger.pos_ == "NOUN"


def _inside_the_topic(noun: Token, trigger: Token, m: Mention) -> bool:
    """Whether a place hanging on `noun` is part of what a statement is
    about rather than where it was made. The direct object keeps its place,
    since the parser hangs the verb's own place there as often as not
    ('signed a trade agreement in Addis Ababa'); so do the speaker ('rebels
    in the Ivory Coast dismissed') and a circumstance ('during a visit to
    Lisbon')."""
    if noun.pos_ not in ("NOUN", "PROPN") or noun.i == trigger.i or _modifies_the_trigger(noun, trigger):
        return False
    if noun.dep_ in ("nsubj", "nsubjpass") or m.actor_tok is not None and in_subtree(noun, m.actor_tok):
        return False
    if noun.dep_ == "dobj" and noun.head.i == trigger.i:
        return False
    if noun.dep_ == "pobj" and (noun.head.lower_ in TEMPORAL_PREPS or noun.head.lower_ in LOC_PREPS
                                and noun.head.lower_ not in ("on", "over")):
        return False
    return in_subtree(noun, trigger)


def _town_facility(root: Token, place: Place) -> bool:
    """'a San Jose courthouse', 'a Kabul hospital', 'Tokyo's Haneda airport':
    a town naming a facility that is in it (not 'the Gaza ceasefire', 'US
    diplomats', nor 'Russia's embassy', which is not in Russia)."""
    if root.head.pos_ != "NOUN" or root.head.lemma_.lower() not in FACILITY_NOUNS:
        return False
    if root.dep_ == "poss":
        # where something happened ("at Tokyo's Haneda airport", "destroyed Palmer's warehouse"), not one
        # who speaks ("Tehran's seismological center said")
        facility = root.head
        return place.precision == "place" and (facility.dep_ == "dobj" or (
            facility.dep_ == "pobj" and facility.head.lower_ in LOC_PREPS))
    return root.dep_ == "compound" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in root.head.children)


def _meeting_of(root: Token) -> Optional[Token]:
    """'during the Istanbul meeting', 'during such a meeting in Istanbul': the
    meeting a town names where it was held (what happened during it
    happened there), or None."""
    if root.ent_type_ not in ("GPE", "LOC"):
        return None
    if root.dep_ == "compound" and root.head.lemma_.lower() in MEETING_NOUNS:
        return root.head
    if root.dep_ == "pobj" and root.head.lower_ in ("in", "at") and root.head.head.lemma_.lower() in MEETING_NOUNS:
        return root.head.head
    return None


def _inside_a_modifier_clause(root: Token, trigger: Token) -> bool:
    """'tested a missile capable of reaching Washington', 'detained a man who
    had fought in Syria': a place in a clause describing an argument is not
    where the event happened (a clause on the trigger itself still is: 'the
    attack launched on Kyiv')."""
    node = root
    for _ in range(12):
        if node.i == trigger.i or node.head.i == node.i:
            return False
        if node.dep_ in ("relcl", "acl") or (node.dep_ == "amod" and node.pos_ == "ADJ" and any(
                c.dep_ == "prep" for c in node.children)):
            return node.head.i != trigger.i and in_subtree(node, trigger)
        node = node.head
    return False


def place_of_target(m: Mention, ctx: Ctx) -> Optional[Place]:
    """'the Zamzam displacement camp': a named facility the gazetteer does not know."""
    t = m.target_tok
    if t is not None and t.lemma_.lower() in PLACE_NOUNS:
        town = _named_place(t)
        if town is not None:
            return town
    if t is None or t.lemma_.lower() not in FACILITY_NOUNS:
        return None
    names = [c for c in t.subtree if c.pos_ == "PROPN" and c.i < t.i]
    if not names:
        return None
    start = min(c.i for c in t.subtree if c.i <= t.i and (c.pos_ in ("PROPN", "NOUN", "ADJ") or c.dep_ in ("compound", "nmod")))
    span = ctx.doc[start:t.i + 1]
    country = None
    for p, root, dem in ctx.places:
        if root.i < t.i and p.country and not dem:
            country = p.country
    return Place(name=span.text, start=span.start_char, end=span.end_char, country=country, precision="place")


def unknown_settlement(m: Mention, ctx: Ctx) -> Optional[Place]:
    """'arrived at the Akpuuna village in Benue state', 'in the village of
    Gavarzin', 'attacked the Kuriga village': a village, town or
    neighbourhood the text names where the act happened, or as what it was
    done to, that the gazetteer does not know."""
    tok = m.tok
    if m.target_tok is not None:
        found = _settlement(m.target_tok, ctx)
        if found is not None:
            return found
    heads = [tok]
    if tok.dep_ in ("advcl", "conj", "xcomp") and tok.head.pos_ == "VERB":
        heads.append(tok.head)  # "arrived at the village ..., shooting dead the villagers"
    located = [(head, LOC_PREPS - {"from"}) for head in heads]  # "arrested traders from the village of X": their home
    done_to = [m.target_tok] if m.target_tok is not None else []
    done_to += [c for c in tok.children if c.dep_ == "nsubjpass" and c not in done_to]
    # "inmates at a prison in Tamara town were slaughtered": where those it was done to were
    located += [(t, ("at", "in", "inside", "near")) for t in done_to]
    for head, preps in located:
        for noun in _located_at(head, preps):
            found = _settlement(noun, ctx)
            if found is not None:
                return found
            if noun.lemma_.lower() in FACILITY_NOUNS:
                # "at a prison in Honduras' Tamara town": the town the facility is in
                for inner in _located_at(noun, ("in", "near", "outside")):
                    found = _settlement(inner, ctx)
                    if found is not None:
                        return found
    return None


def _located_at(head: Token, preps) -> list[Token]:
    """The nouns a location preposition on `head` puts it at ("at the
    Akpuuna village", "in the village of Gavarzin")."""
    return [noun for prep in head.children if prep.dep_ == "prep" and prep.lower_ in preps
            for noun in prep.children if noun.dep_ == "pobj"]


def _settlement(noun: Token, ctx: Ctx) -> Optional[Place]:
    """The place a settlement noun names when the gazetteer does not know
    its name, named as the text names it and placed at the place named
    around it ('the Akpuuna village in Benue state' is at Benue), or with no
    coordinates when none is."""
    if noun.lemma_.lower() not in SETTLEMENT_NOUNS:
        return None
    names = place_noun_names(noun)
    known = {root.i for _p, root, _dem in ctx.places}
    if not names or any(n.i in known for n in names):
        return None
    span = ctx.doc[min(n.left_edge.i for n in names):max(n.i for n in names) + 1]
    if not span.text[:1].isupper():
        return None
    if any(e.label_ in ("PERSON", "ORG") and not (e.start <= span.start < e.end) and span.text in e.text.split()
           for e in ctx.doc.ents):
        return None  # "the Trump town": a person the article names elsewhere
    if noun.lemma_.lower() == "community" and any(t.ent_type_ == "NORP" for t in span):
        return None  # "the Muslim community": people, not a place
    sent = sent_of(noun)
    around = [p for p, root, dem in ctx.places if not dem and in_subtree(noun, root)] or [
        p for p, root, dem in ctx.places if not dem and p.precision != "place"
        and (sent.start <= root.i < sent.end or root.i < noun.i)]  # in its sentence, or named before it
    update = {"name": span.text, "start": span.start_char, "end": span.end_char, "geonameid": None, "score": None,
              "reason": f"a {noun.lemma_.lower()} the gazetteer does not know"
              + (f", placed at {around[-1].name}" if around else "")}
    if around:
        return around[-1].model_copy(update=update)
    return Place(precision="place", country=article_main_country(ctx.state), **update)


def _named_place(t: Token) -> Optional[Place]:
    """'seized el-Fasher city', 'shelled the town of Avdiivka': the town the
    noun names, from the gazetteer, when the tagger left the name outside
    any entity."""
    names = place_noun_names(t)
    if not names:
        return None
    span = t.doc[min(n.left_edge.i for n in names):max(n.i for n in names) + 1]
    name = span.text
    found = geocode(name[0].upper() + name[1:])
    if found is None or found.precision != "place":
        return None
    return found.model_copy(update={"name": name, "start": span.start_char, "end": span.end_char})


def refine_meeting_places(events: list[Event]) -> None:
    """'talks in Turkey' ... 'agreements were reached in Istanbul': a meeting
    placed only by country takes the city its outcome names in that country."""
    for ev in events:
        if ev.type != "CONSULT" or ev.place is None or ev.place.precision != "country":
            continue
        better = [o.place for o in events if o is not ev and policy(o.type).names_meeting_city
                  and o.place is not None and o.place.precision == "place" and o.place.country == ev.place.country]
        if len(better) >= 1 and len({b.name for b in better}) == 1:
            ev.place = better[0]
            ev.location = better[0].name


def _precision(place: Place) -> float:
    """Lower is more precise; 'central Nigeria' is between a region and its country."""
    return PRECISION_RANK[place.precision] + (0.5 if part_of_country(place) else 0.0)


def draft_place(mentions: list[Mention], ctx: Ctx) -> Optional[Place]:
    """The most precise place the mentions give within one country, else a
    facility named in a target ('the Zamzam displacement camp')."""
    place = None
    # a mention that is no event of its own ("the earthquake would cause
    # tsunamis, said the center in Tehran") places the draft only if no other does
    placed = [m for m in mentions if m.place is not None and not m.drop] or mentions
    for m in placed:
        if m.place is not None and place is not None and is_line(place) and m.place.lat is not None:
            place = m.place  # "off its east coast" then "from near Pyongyang": the place on the map
        elif m.place is not None and (place is None or _precision(m.place) < _precision(place)):
            if place is None or m.place.country == place.country or place.precision in ("country", None):
                place = m.place  # (a headline's unresolved "NW Nigeria" gives way to the town too)
    village = next((pl for pl in (unknown_settlement(m, ctx) for m in mentions if not m.drop) if pl is not None), None)
    if village is not None and place is not None and village.lat is not None and (village.lat, village.lon) == (
            place.lat, place.lon):
        return village  # "at the Kuriga village in Kaduna state": the village, not the state it is placed at
    if place is None or place.precision in ("country", "region"):
        named = next((pl for pl in (place_of_target(m, ctx) for m in mentions) if pl is not None), None) or village
        if named is not None:
            if named.country is None and place is not None:
                named = named.model_copy(update={"country": place.country})
            place = named
    return place


def place_of_authority(mentions: list[Mention], ctx: Ctx) -> Optional[Place]:
    """Where an authority acts when the text gives no place of the act: a
    state, province or city acting is on its own ground ('British Columbia
    declared a state of emergency'); else the place in its name ('a court in
    Nairobi', 'the Ho Chi Minh City court'), else its country ('Peruvian
    prosecutors' charge in Peru)."""
    actor = next((m.actor_tok for m in mentions if m.actor_tok is not None), None)
    if actor is None:
        return None
    name = next((m.actor for m in mentions if m.actor), None)
    kind = ctx.ent_type_by_char.get(actor.idx, actor.ent_type_)
    for place, root, demonym in ctx.places:
        # "British Columbia (BC) declared a state of emergency": a state acts on its own ground; a town only
        # when the article takes the name for a place too (not "Page refused", Bettie Page)
        if (root.i == actor.i or place.name == name) and not demonym and (
                place.precision == "region" or place.precision == "place" and kind == "GPE"):
            return place
    if actor.lemma_.lower() not in AUTHORITY_NOUNS:
        return _country_of_office_holder(mentions, actor, ctx)
    inside = {t.i for t in actor.subtree if abs(t.i - actor.i) <= 8}
    for place, root, demonym in ctx.places:
        if root.i in inside and root.i != actor.i:
            if demonym or place.precision == "country":
                code = place.country
                return place.model_copy(update={"name": country_name(code)}) if code else None
            return place
    return None


def place_of_office(mentions: list[Mention], ctx: Ctx) -> Optional[Place]:
    """'Benue Gov. Hyacinth Alia directed security agents to ...', 'Texas
    Gov. Greg Abbott ordered ...': one who holds the office of a state,
    province or city acts there when the text gives no place of the act."""
    actor = next((m.actor_tok for m in mentions if m.actor_tok is not None), None)
    if actor is None:
        return None
    ent = next((e for e in ctx.doc.ents if e.start <= actor.i < e.end and e.label_ == "PERSON"), None)
    if ent is None:
        return None
    before = ctx.doc[max(0, ent.start - 3):ent.start]
    title = next((t for t in reversed(before) if t.lower_ in REGIONAL_TITLES), None)
    if title is None:
        return None
    for place, root, demonym in ctx.places:
        if not demonym and place.precision in ("region", "place") and title.i - 3 <= root.i < title.i:
            return place
    return None


def _country_of_office_holder(mentions: list[Mention], actor: Token, ctx: Ctx) -> Optional[Place]:
    """A head of state or government acts in her country when the text gives
    no place: 'Honduran President Xiomara Castro called the killings
    monstrous' is placed in Honduras, at country precision, and only when the
    article names that country (or its people) somewhere to anchor it."""
    name = next((m.actor for m in mentions if m.actor), None)
    code = ctx.person_country.get(name or "")
    if not code or actor.ent_type_ != "PERSON" or not _holds_office(actor, ctx):
        return None
    for place, _root, demonym in ctx.places:
        if place.country == code and (demonym or place.precision == "country"):
            return place.model_copy(update={"name": country_name(code)})
    return None


def _holds_office(actor: Token, ctx: Ctx) -> bool:
    """Whether the article introduces the person with a title of office
    ('President', 'Prime Minister', lexicons/events_words.json office_titles), the cue that they act for
    their country rather than as private people."""
    ent = next((e for e in ctx.doc.ents if e.start <= actor.i < e.end), None)
    if ent is None:
        return False
    surname = ent[-1].lower_
    for e in ctx.doc.ents:
        if e.label_ == "PERSON" and e[-1].lower_ == surname:
            before = ctx.doc[max(0, e.start - 3):e.start]
            if any(t.lower_ in OFFICE_TITLES for t in before):
                return True
    return False


def place_from_related(first: Mention, mode: Optional[str], place: Optional[Place], date: Optional[DateMention],
                       previous: list[Event], drafts_done: list[tuple[object, Event]], lead_end: int,
                       ) -> tuple[Optional[Place], Optional[DateMention]]:
    """Place (and date) inherited from the event a draft belongs to: aid goes
    where the last incident was, an attack told later without a place where
    the article's lead incident was, a meeting inside a summit where the
    summit is, what was said or agreed at a meeting where and when the
    meeting was. `drafts_done` pairs each finished draft (its `.mentions`)
    with its event."""
    typ = first.type
    rules = policy(typ)
    if place is None and rules.place_from_incident and not _tally_since_a_date(first.tok):
        # an incident, or a protest ("several arrests were made" at a march), not one that came after
        # it (aid given last year is not where this week's flood was)
        prior = [e for e in previous if (policy(e.type).incident or e.type == "PROTEST") and e.place is not None
                 and not _ended_before(date, e.date, e.date_precision)]
        if prior and (rules.incident_reach is None or _sentences_between(prior[-1], first) <= rules.incident_reach):
            place = prior[-1].place
    if place is None and rules.place_from_lead_incident:
        lead = next((e for e in previous if policy(e.type).incident and e.trigger.start < lead_end), None)
        if lead is not None and lead.place is not None and (date is None or not lead.date or date.date == lead.date):
            place = lead.place  # "One pupil, who had been shot by the gunmen, has since died": in Kuriga
            if date is None and lead.date:
                date = DateMention(text="", start=0, end=0, date=lead.date, precision=lead.date_precision)
    if place is None and typ == "CONSULT" and (mode or "") != "phone" and not any(w in PHONE for w in _lemma_set([first.tok])):
        hosts = [e for e in previous if e.type == "CONSULT" and e.mode == "multilateral" and e.place is not None]
        if hosts:
            place = hosts[-1].place
    if rules.said_at_meeting:
        near = [(dd, e) for dd, e in drafts_done if e.type == "CONSULT" and e.mode != "phone" and any(
            0 <= first.sent_index - x.sent_index <= 1 for x in dd.mentions)]
        if place is None and near:
            place = near[-1][1].place
            if date is None and near[-1][1].date:
                date = DateMention(text="", start=0, end=0, date=near[-1][1].date, precision=near[-1][1].date_precision)
        elif place is not None and date is None and not near:
            same = [e for dd, e in drafts_done if e.type == "CONSULT" and e.place is not None and e.date
                    and e.country == place.country]
            if same:
                date = DateMention(text="", start=0, end=0, date=same[-1].date, precision=same[-1].date_precision)
    return place, date


def _sentences_between(incident: Event, m: Mention) -> int:
    """How many sentences after the incident's the mention is told."""
    at = m.tok.doc.char_span(incident.trigger.start, incident.trigger.end, alignment_mode="expand")
    return m.sent_index - sent_number(at[0]) if at is not None else 0


def _tally_since_a_date(tok: Token) -> bool:
    """'has arrested more than 700 people since 2024': a tally over a period,
    made in many places, not an act that follows one incident (but 'since
    the shooting, over 50 arrests' follow it)."""
    return any(c.lower_ == "since" and any(g.ent_type_ == "DATE" for g in c.subtree if g is not c)
               for c in tok.children)


def _ended_before(date: Optional[DateMention], incident_date: Optional[str], precision: Optional[str]) -> bool:
    """Whether a dated act's period ended before an incident's began."""
    own = when.span(date.date, date.precision) if date is not None else None
    other = when.span(incident_date, precision)
    return own is not None and other is not None and own[1] < other[0]


def draft_country(typ: str, place: Optional[Place], actor_country: Optional[str], ctx: Ctx) -> Optional[str]:
    country = place.country if place is not None and place.country else None
    if country is None:
        country = actor_country
    if country is None and policy(typ).country_from_article:
        country = article_main_country(ctx.state)
    return country
