"""Assembly: runs the stages over a document in order and turns each merged
draft into an Event; registers the `events` pipeline component."""

from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from dateline.analyze.events.arguments import fill_arguments
from dateline.analyze.events.confidence import anchored, score
from dateline.analyze.events.context import Ctx, Mention, _party_countries, build_ctx, country_of_name
from dateline.analyze.events.coreference import (
    EventDraft, _anaphoric, _rejoin_guests, absorb, avenged, merge_mentions, split_bilateral,
)
from dateline.analyze.events.counts import attach_counts, draft_counts
from dateline.analyze.events.date import _date_from_summary, choose_date, draft_date
from dateline.analyze.events.detect import _post_conditions, find_triggers, hyphenated, weapon_mode_of
from dateline.analyze.events.filter import conditional_move, is_irrealis
from dateline.analyze.events.lexicon import (
    ARMED_PEOPLE, FACILITY_NOUNS, FORCE_NOUNS, METHOD_MODES, MULTILATERAL, PERSON_NOUNS, PHONE, PLACE_NOUNS, ROLE_NOUNS,
    SPEECH_NOUNS, SPEECH_VERBS, STANCE_NOUNS,
)
from dateline.analyze.events.names import Namer
from dateline.analyze.events.participants import consult_participants, draft_participants, draft_parties
from dateline.analyze.events.place import (
    choose_place, draft_country, draft_place, place_from_related, place_of_authority, place_of_office,
    refine_meeting_places,
)
from dateline.analyze.events.policy import policy
from dateline.analyze.events.status import draft_status, find_reporter, find_status, inherit_host_status, one_sided_claim
from dateline.analyze.events.syntax import _lemma_set, _np_tokens, clause_role, clause_verb, in_subtree, is_reporting, sent_of, subject_tokens
from dateline.analyze.pipeline import State, register
from dateline.model import DateMention, Event, Place, Span as OffsetSpan


def extract_events(state: State) -> list[Event]:
    ctx = build_ctx(state)
    namer = Namer(ctx)
    mentions = _find_mentions(ctx)
    conditions: list[Token] = []
    for m in mentions:
        condition = _read_arguments(m, namer)
        if condition is not None:
            conditions.append(condition)
    for m in mentions:
        if any(in_subtree(m.tok, c) for c in conditions):
            m.drop = True  # "only after Hamas frees the hostages": the condition, not an event
    for m in mentions:
        choose_place(m, ctx, mentions)
        choose_date(m, ctx, mentions)
        find_status(m, ctx)
        find_reporter(m, ctx, namer)
    inherit_host_status(mentions)
    attach_counts(mentions, ctx)
    absorb(mentions)
    _date_from_summary(mentions)
    _drop_background(mentions)
    drafts = merge_mentions(mentions)
    drafts = split_bilateral(drafts, namer)
    # later mentions naming a guest ("In his meeting with Aliyev") join that meeting
    drafts = _rejoin_guests(drafts)
    events: list[Event] = []
    done: list[tuple[EventDraft, Event]] = []
    for d in drafts:
        ev = finish(d, ctx, namer, events, done)
        if ev is not None:
            events.append(ev)
            done.append((d, ev))
    refine_meeting_places(events)
    return events


def _find_mentions(ctx: Ctx) -> list[Mention]:
    mentions = find_triggers(ctx)
    verbs = {m.tok.i for m in mentions if m.tok.pos_ == "VERB"}
    # "fired a barrage of shells": the barrage is what the firing fired, not a second event
    mentions = [m for m in mentions if not (m.tok.pos_ != "VERB" and m.tok.dep_ == "dobj" and m.tok.head.i in verbs)]
    # "the attack caused a fire": the fire belongs to the attack and takes none of its toll
    return [m for m in mentions if not (m.type == "OTHER" and m.kind == "fire" and m.tok.lemma_.lower() == "fire" and any(
        o.type == "ASSAULT" and 0 <= m.sent_index - o.sent_index <= 1 for o in mentions))]


def _told_to_the_other_side(m: Mention, conditioned: Token, namer: Namer) -> None:
    """'Russian negotiators told their Ukrainian counterparts that Russia
    would only end the fighting if Kyiv ceded territory': a condition told
    by one side's envoys to the other's is their demand on those they told."""
    verb = clause_verb(m.tok)
    if verb.dep_ != "ccomp" or not is_reporting(verb.head):
        return
    teller = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    told = next((c for c in verb.head.children if c.dep_ in ("dobj", "dative")), None)
    if teller is None or told is None:
        return
    side = namer.country_of(m.actor_tok) or (country_of_name(m.actor_tok.text) if m.actor_tok is not None else None)
    other = namer.country_of(conditioned) or country_of_name(conditioned.text)  # "Kyiv": a capital stands for its state
    if side and other and namer.country_of(teller) == side and namer.country_of(told) == other:
        m.actor, m.actor_tok = namer.name(teller), teller
        m.target, m.target_tok = namer.name(told), told


def _read_arguments(m: Mention, namer: Namer) -> Optional[Token]:
    """Fills the mention's arguments; returns the clause of a condition it sets, if any."""
    if not m.drop and not m.entry.get("negated_sense") and is_irrealis(m):
        m.drop = True
    m.definite = _anaphoric(m)
    fill_arguments(m, namer)
    move = conditional_move(m)
    if move is not None:
        m.type, m.mode, m.conditional = move[0], None, True
        m.target, m.target_tok = namer.name(move[1]), move[1]
        _told_to_the_other_side(m, move[1], namer)
    if m.type == "CONSULT":
        consult_participants(m, namer)
    if policy(m.type).mode_from_weapon:
        m.weapon_mode = weapon_mode_of(_weapon_words(m))
    return move[2] if move is not None else None


def _weapon_words(m: Mention) -> list:
    if m.tok.pos_ == "VERB":
        deps = ("agent", "prep", "nsubjpass", "dobj") if m.entry.get("weapon_obj") else ("agent", "prep", "nsubjpass")
        toks = subject_tokens(m.tok) + [t for c in m.tok.children if c.dep_ in deps for t in c.subtree]
        toks.append(m.tok)
        return toks
    toks = _np_tokens(m.tok)
    gov = m.tok.head
    if m.tok.dep_ in ("pobj",) and gov.dep_ == "prep" and gov.lower_ == "with":
        toks.append(gov.head)
    return toks


def _verbal_attack(d: EventDraft, ctx: Ctx, counts: dict[str, Optional[int]]) -> bool:
    """One named person 'attacking' another, or an idea or an institution,
    with no weapon, toll or place, attacks in words: the news of campaigns
    and debates ("Lopez attacked Brooks", "Podesta attacked her
    credibility", "stump speeches attacking free trade"). A person, a
    force or a place attacked by a person is still an attack on them."""
    if any(v for v in counts.values()) or any(m.weapon_mode for m in d.mentions):
        return False
    for m in d.mentions:
        if m.tok.lemma_ != "attack" or m.target_tok is None:
            continue
        blamed_for = _for_what_one_is(m.tok)
        if blamed_for is not None and _attacked_in_words(m.target_tok, ctx):
            # "by reminding voters", "in ads": words whoever attacks and wherever
            how_said = blamed_for.lower_ in ("by", "in", "during")
            # "attacked Clinton as being too cozy with Wall Street", "for accepting donations": words when a
            # speaker attacks and any place is inside what is blamed (a mob attacks a man for his faith with blows)
            by_a_speaker = m.actor_tok is None or _speaks(m.actor_tok, ctx)
            place_in_the_blame = m.place is None or any(t.idx == m.place.start for t in blamed_for.subtree)
            if how_said or by_a_speaker and place_in_the_blame:
                return True
        if m.place is not None:
            continue
        if m.actor_tok is not None and _speaks(m.actor_tok, ctx) and _attacked_in_words(m.target_tok, ctx):
            return True
        if m.actor_tok is None and (ctx.ent_type_by_char.get(m.target_tok.idx) == "PERSON" or m.target_tok.ent_type_ == "PERSON"):
            return True  # "ads attacking Iowa winner Ted Cruz", "refrained from attacking Cruz"
    return False


def _for_what_one_is(tok: Token) -> Optional[Token]:
    """'attacked X as being too cozy', 'attacked X for accepting donations',
    'attacked X by reminding voters ...', 'her attack on X in the debate':
    what a person is blamed for, or how or where the words were said."""
    for h in [tok] + [c for c in tok.children if c.dep_ == "dobj"]:
        for c in h.children:
            if c.dep_ != "prep":
                continue
            if c.lower_ in ("as", "for") and any(p.dep_ == "pcomp" and p.tag_ == "VBG" for p in c.children):
                return c
            if c.lower_ == "by" and any(p.dep_ == "pcomp" and (is_reporting(p) or p.lemma_.lower() in SPEECH_VERBS)
                                        for p in c.children):
                return c
            if c.lower_ in ("in", "during") and any(p.dep_ == "pobj" and p.lemma_.lower() in SPEECH_NOUNS
                                                    for p in c.children):
                return c
    clauses = list(tok.children) + (list(tok.head.children) if tok.dep_ == "xcomp" else [])
    for c in clauses:
        if c.dep_ in ("advcl", "xcomp") and c.tag_ == "VBG" and (is_reporting(c) or c.lemma_.lower() in SPEECH_VERBS):
            return c  # "went on to attack Trump, saying he ...": the attack is what is said
    return None


def _speaks(tok: Token, ctx: Ctx) -> bool:
    """A person, named or "he" or "she", or words: a speech, an editorial, an advertisement."""
    return ctx.ent_type_by_char.get(tok.idx) == "PERSON" or tok.lemma_.lower() in SPEECH_NOUNS or tok.lower_ in ("he", "she")


def _attacked_in_words(tok: Token, ctx: Ctx) -> bool:
    kind = ctx.ent_type_by_char.get(tok.idx, tok.ent_type_)
    if kind == "PERSON":
        return True  # one named person by another: a debate
    lemma = tok.lemma_.lower()
    return kind not in ("GPE", "LOC", "FAC", "NORP") and lemma not in PERSON_NOUNS | ROLE_NOUNS | FORCE_NOUNS \
        | ARMED_PEOPLE | FACILITY_NOUNS | PLACE_NOUNS and tok.pos_ != "PRON"


def _drop_background(mentions: list[Mention]) -> None:
    for m in mentions:
        if not m.drop and not _post_conditions(m):
            m.drop = True  # "a concerted campaign" with no toll or date: background, not an event
        elif not m.drop and m.entry.get("subject_is_target") and m.target is None:
            m.drop = True  # "how hard it is to get a death sentence": no one sentenced
        elif not m.drop and m.type == "ASSAULT" and m.target_tok is not None and m.weapon_mode is None \
                and m.target_tok.lemma_.lower() in STANCE_NOUNS:
            m.drop = True  # "a thinly veiled attack on the campaign's decision": words, not blows
    for m in mentions:
        if m.type == "CONSULT" and not m.drop and not m.participants and m.place is None and not _anaphoric(m) and (
                m.date is None or m.date_weak or not (_lemma_set([m.tok]) & MULTILATERAL)):
            m.drop = True  # "negotiations were complex", "Kyiv will be involved in peace talks"


def finish(d: EventDraft, ctx: Ctx, namer: Namer, previous: list[Event],
           drafts_done: list[tuple[EventDraft, Event]]) -> Optional[Event]:
    first = d.first
    typ = first.type
    if not _post_conditions(first):
        return None
    mode = _draft_mode(d)
    place = draft_place(d.mentions, ctx)
    if place is None and policy(typ).place_from_authority:
        place = place_of_authority(d.mentions, ctx)
    if place is None:
        place = place_of_office(d.mentions, ctx)
    counts = draft_counts(d.mentions)
    if ctx.sports_page and not policy(typ).kept_on_sports_pages and not (counts.get("killed") or counts.get("injured")):
        return None  # "Boston College's balanced attack", "beating the Jags", "signed a $31.5 million deal"
    status = draft_status(d.mentions)
    actor, target = draft_parties(d.mentions, namer)
    if typ == "ASSAULT" and _verbal_attack(d, ctx, counts):
        typ, mode = "ACCUSE", "disapprove"  # "Trump attacked Romney for being a failed candidate"
    actor_country = next((m.actor_country for m in d.mentions if m.actor_country), None)
    reported_by = next((m.reported_by for m in d.mentions if m.reported_by), None)
    participants = draft_participants(d.mentions)
    status = one_sided_claim(status, typ, actor_country, reported_by, target, ctx)
    date, date_m = draft_date(d.mentions, status, counts, ctx)
    if not avenged(first.tok):  # "revenge for the killing of civilians in a raid": not the lead's incident
        place, date = place_from_related(first, mode, place, date, previous, drafts_done, ctx.lead_end)
    if typ == "CONSULT":
        meeting = _settle_meeting(d, ctx, mode, place, actor, target, participants)
        mode, place, actor, target = meeting
        if not participants and place is None and date_m is None:
            return None  # talks with no parties, place or date: a topic, not an event
        if status == "planned" and place is None and date is None and len(participants) < 2:
            return None
    country = draft_country(typ, place, actor_country, ctx)
    if typ == "CONSULT" and mode == "phone" and place is None:
        country = None  # a call between two capitals happens in neither
    location = place.name if place is not None else None
    if isinstance(date, DateMention):
        date_iso, precision = date.date, date.precision
    else:
        date_iso, precision = None, None
    if place is None and ctx.wire is not None and ctx.wire.place is not None and first.tok.idx < ctx.lead_end \
            and not _lead_names_a_place(ctx):
        place = ctx.wire.place  # "KHARTOUM (Reuters) - Fighters attacked a camp": filed where it happened
        location = place.name
        country = place.country or country  # the country is where the place is, not the actor's
    sent = sent_of(first.tok)
    # "a sit-in": the tokenizer splits a hyphenated trigger, the mention is its last part
    trigger_start = first.tok.doc[first.tok.i - 2].idx if hyphenated(first.tok) else first.tok.idx
    event = Event(
        type=typ, mode=mode if policy(typ).keeps_mode else None,
        summary=sent.text.strip(), actor=actor, target=target, location=location, country=country,
        date=date_iso, date_precision=precision if date_iso else None,
        killed=counts.get("killed"), injured=counts.get("injured"), arrested=counts.get("arrested"),
        displaced=counts.get("displaced"), status=status, reported_by=reported_by,
        trigger=OffsetSpan(start=trigger_start, end=first.tok.idx + len(first.tok.text)),
        trigger_text=ctx.state.article.text[trigger_start:first.tok.idx + len(first.tok.text)],
        sentence=OffsetSpan(start=sent.start_char, end=sent.end_char), place=place,
    )
    if not anchored(event) and first.kind != "market":
        # no actor, target or place: nothing to put on a map or a timeline (a
        # market move is anchored by its market, the subject of its trigger)
        return None
    event.confidence = score(event, ctx.lead_end)
    return event


def _lead_names_a_place(ctx: Ctx) -> bool:
    """Whether the lead says where something happened: a place after a
    preposition ("in Tamara"), not one acting as a party ("gives Tehran
    access to $6 billion")."""
    return any(ctx.text_start <= p.start < ctx.lead_end and not demonym
               and clause_role(root) not in ("nsubj", "nsubjpass", "dobj", "dative")
               for p, root, demonym in ctx.places)


def _draft_mode(d: EventDraft) -> Optional[str]:
    """The trigger's own mode, else the weapon (unless the mode is a method, whatever the weapon)."""
    mode = next((m.mode for m in d.mentions if m.mode), None)
    if policy(d.first.type).mode_from_weapon and mode not in METHOD_MODES:
        own = next((m.weapon_mode for m in d.mentions if m.weapon_mode), None)
        mode = own or mode
    return mode


def _settle_meeting(d: EventDraft, ctx: Ctx, mode: Optional[str], place: Optional[Place], actor: Optional[str],
                    target: Optional[str], participants: list[str],
                    ) -> tuple[Optional[str], Optional[Place], Optional[str], Optional[str]]:
    """A meeting's mode (phone, multilateral, visit, third-party) and, for a
    visit, which side is the visitor (the actor) and which the host."""
    first = d.first
    lemmas = set()
    for m in d.mentions:
        lemmas |= _lemma_set([m.tok])
        # "spoke by phone", "talked over the telephone": the means of the talk
        lemmas |= {p.lemma_.lower() for c in m.tok.children if c.dep_ == "prep" and c.lower_ in ("by", "over", "on")
                   for p in c.children if p.dep_ == "pobj"}
    if mode is None:
        if lemmas & PHONE:
            mode = "phone"
        elif lemmas & MULTILATERAL or len(participants) >= 3 and not any(m.target for m in d.mentions):
            mode = "multilateral"
    if mode == "phone":
        place = None
    elif mode in (None, "visit"):
        countries = _party_countries(participants, ctx)
        if place is not None and place.country:
            if countries and place.country not in countries:
                mode = "third-party"
                if participants:  # neither side at home: both as actor
                    actor, target = " and ".join(participants), None
            else:
                mode = "visit"
                # the host is the one at home: the visitor is the actor
                if first.target and first.actor and len(first.actor.split(" and ")) == 1:
                    if _party_countries([first.actor], ctx) == {place.country}:
                        actor, target = first.target, first.actor
        elif any(m.tok.lemma_ in ("visit", "host") for m in d.mentions):
            mode = "visit"
    return mode, place, actor, target


@register("events")
def events_component(state: State) -> None:
    state.events = extract_events(state)
