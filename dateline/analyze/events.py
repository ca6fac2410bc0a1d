"""Events: what happened, where, when, to whom and how many, coded in PLOVER.

1. Triggers. Verbs and nouns from a data file (lexicons/events_triggers.json)
   with their PLOVER type and mode, each with conditions on the parse
   ("call" + particle "in" + an envoy object is ACCUSE disapprove; "pause" +
   "deliveries" is SANCTION discontinue; "strike" is ASSAULT, "on strike"
   PROTEST). Weapon words (lexicons/events_weapons.json) give ASSAULT modes.
2. Filters. Negated, conditional, hypothetical, habitual and generic mentions
   ("has repeatedly bombed", "any talks", "attacks" summing up many) do not
   become events; plural summaries still absorb their casualty counts.
3. Arguments. Actor and target from the parse (subject/agent/possessor/
   nationality adjective; object/"on X"/"with X"), named by the entities
   component; location = the nearest place in the event's clause (places
   component); date = the nearest date mention in the clause, else the report
   date of the verb that reports it; counts (dateline.analyze.counts)
   attached to the nearest trigger; status from tense, modality and hedges
   (lexicons/status_words.json); reported_by from quotes and attributions.
4. Coreference. Mentions of the same type merge into one event when they are
   compatible (place, date, mode, participants, counts) and linked: in the
   same clause, anaphoric ("the strike", "Sunday's crash"), or adding nothing
   new. The first reported figure wins.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional

from spacy.tokens import Doc, Span, Token

from dateline.analyze import counts as counts_mod
from dateline.analyze.pipeline import State, register
from dateline.model import DateMention, Event, Place, Span as OffsetSpan

# -- lexicons -------------------------------------------------------------


def _json(name: str) -> dict:
    return json.loads(resources.files("dateline.lexicons").joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def trigger_index() -> dict[tuple[str, str], list[dict]]:
    """(VERB|NOUN, lemma) -> trigger entries, highest priority first."""
    out: dict[tuple[str, str], list[dict]] = {}
    for entry in _json("events_triggers.json")["triggers"]:
        poses = ("VERB", "NOUN") if entry["pos"] == "ANY" else (entry["pos"],)
        for lemma in entry["lemmas"]:
            for pos in poses:
                out.setdefault((pos, lemma.lower()), []).append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: -e.get("priority", 1))
    return out


@lru_cache(maxsize=None)
def weapons() -> dict:
    return _json("events_weapons.json")


@lru_cache(maxsize=None)
def status_words() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in _json("status_words.json").items() if isinstance(v, list)}


@lru_cache(maxsize=None)
def reporting_verbs() -> frozenset[str]:
    """Verbs that attribute an account (not 'speak' or 'talk', which are meetings)."""
    return status_words()["reporting_verbs"]


ENTITY_NOUN_TYPES = {"ORG", "PERSON", "GPE", "LOC", "FAC", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT"}
LIGHT_VERBS = {"carry", "launch", "conduct", "stage", "hold", "make", "have", "mount", "unleash", "sign", "reach",
               "begin", "start", "continue", "resume", "order", "announce", "host", "convene", "attend", "join",
               "lead", "wage", "undertake", "perform", "take", "place", "receive"}
FORCE_NOUNS = {"force", "forces", "military", "army", "troops", "troop", "militia", "navy", "police", "authority",
               "authorities", "government", "official", "officials", "fighter", "fighters", "soldier", "soldiers",
               "negotiator", "negotiators", "diplomat", "diplomats", "jet", "jets", "warplane", "warplanes"}
DEFINITE = {"the", "this", "that", "these", "those"}
PREP_TIME = {"during", "after", "before", "since", "amid", "following", "in", "within", "until", "despite"}
TEMPORAL_PREPS = {"during", "after", "before", "since", "amid", "following", "throughout", "despite", "within"}
TOPIC_PREPS = {"about", "on", "over", "regarding", "concerning", "of"}
READY_ADJ = {"ready", "willing", "open", "unlikely", "likely", "prepared", "eager", "keen", "possible", "wrong",
             "right", "unwilling", "reluctant", "premature", "early", "hard", "difficult", "impossible"}
MULTILATERAL = {"summit", "conference", "forum", "multilateral", "assembly", "congress", "g7", "g20", "council"}
PHONE = {"phone", "telephone", "call", "video", "videoconference", "phoned", "calls"}

# -- small parse helpers -----------------------------------------------


_SENTS: list = [None, None, None]  # the last doc, its sentences, token -> sentence number


def sent_of(tok: Token) -> Span:
    """sent_of(tok) without re-walking the document for every call."""
    doc = tok.doc
    if _SENTS[0] is not doc:
        sents = list(doc.sents)
        index = [0] * len(doc)
        for n, sent in enumerate(sents):
            for i in range(sent.start, sent.end):
                index[i] = n
        _SENTS[0], _SENTS[1], _SENTS[2] = doc, sents, index
    return _SENTS[1][_SENTS[2][tok.i]]


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


def is_reporting(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in reporting_verbs()


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


# -- context -------------------------------------------------------------


@dataclass
class Ctx:
    state: State
    doc: Doc
    ent_by_char: dict[int, str]
    ent_type_by_char: dict[int, str]
    acronyms: dict[str, str]
    places: list[tuple[Place, Token, bool]]  # place, root token, is-demonym
    dates: list[tuple[DateMention, Token]]
    quotes: list
    person_country: dict[str, str]
    extra_places: list = field(default_factory=list)


def _helpers():
    try:
        from dateline.analyze import places as places_mod

        return places_mod
    except Exception:  # pragma: no cover - before the places component lands
        return None


def country_of_demonym(word: str) -> Optional[str]:
    mod = _helpers()
    if mod is not None and hasattr(mod, "country_of_demonym"):
        try:
            return mod.country_of_demonym(word)
        except Exception:
            return None
    return None


@lru_cache(maxsize=4096)
def country_of_name(name: str) -> Optional[str]:
    """ISO code of a country or well-known place name, or None."""
    mod = _helpers()
    code = country_of_demonym(name)
    if code:
        return code
    if mod is not None and hasattr(mod, "geocode"):
        try:
            place = mod.geocode(name)
        except Exception:
            place = None
        if place is not None and place.precision in ("country", "region", "place") and place.country:
            return place.country
    return None


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    try:
        import pycountry

        c = pycountry.countries.get(alpha_2=code)
        if c is not None:
            return getattr(c, "common_name", None) or c.name
    except Exception:  # pragma: no cover
        pass
    return code


SHORT_COUNTRY = {"US": "US", "GB": "Britain", "RU": "Russia", "KR": "South Korea", "KP": "North Korea", "IR": "Iran",
                 "SY": "Syria", "VE": "Venezuela", "TW": "Taiwan", "PS": "Palestine", "MD": "Moldova", "BO": "Bolivia",
                 "TZ": "Tanzania", "VN": "Vietnam", "LA": "Laos", "CD": "DR Congo", "CZ": "Czech Republic"}


def country_label(code: str) -> str:
    return SHORT_COUNTRY.get(code) or country_name(code)


def build_ctx(state: State) -> Ctx:
    doc = state.doc
    ent_by_char: dict[int, str] = {}
    ent_type_by_char: dict[int, str] = {}
    for ent in state.entities:
        for m in ent.mentions:
            for i in range(m.start, m.end):
                ent_by_char[i] = ent.name
                ent_type_by_char[i] = ent.type
    acronyms = _acronyms(doc)
    places: list[tuple[Place, Token, bool]] = []
    flags = state.scratch.get("places_demonym") or []
    for i, p in enumerate(state.places):
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        places.append((p, span.root, bool(flags[i]) if i < len(flags) else False))
    dates: list[tuple[DateMention, Token]] = []
    for d in state.dates:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        dates.append((d, span.root))
    person_country = _person_countries(doc, state)
    return Ctx(state, doc, ent_by_char, ent_type_by_char, acronyms, places, dates, list(state.quotes), person_country)


def _acronyms(doc: Doc) -> dict[str, str]:
    """'the Rapid Support Forces (RSF)' -> {'RSF': 'Rapid Support Forces'}."""
    out: dict[str, str] = {}
    for tok in doc:
        if tok.text == "(" and tok.i + 2 < len(doc) and doc[tok.i + 2].text == ")":
            acr = doc[tok.i + 1].text
            if not (acr.isupper() and 2 <= len(acr) <= 6 and acr.isalpha()):
                continue
            j = tok.i - 1
            words: list[Token] = []
            while j >= 0 and (doc[j].is_title or doc[j].lower_ in ("of", "and", "for", "the")) and len(words) < 8:
                words.insert(0, doc[j])
                j -= 1
            while words:
                while words and not words[0].is_title:
                    words.pop(0)
                initials = "".join(w.text[0] for w in words if w.is_title).upper()
                if initials == acr or len(initials) <= len(acr):
                    break
                words.pop(0)  # "Sunday for the Shanghai Cooperation Organization (SCO)"
            if words:
                initials = "".join(w.text[0] for w in words if w.is_title)
                if initials.upper().startswith(acr[0]):
                    out[acr] = " ".join(w.text for w in words)
    return out


def _person_countries(doc: Doc, state: State) -> dict[str, str]:
    """People's countries from their descriptions: 'Indian Prime Minister
    Narendra Modi' -> IN."""
    out: dict[str, str] = {}
    for ent in state.entities:
        if ent.type != "PERSON":
            continue
        for m in ent.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            j = span.start - 1
            steps = 0
            while j >= 0 and steps < 5:
                t = doc[j]
                if t.ent_type_ in ("NORP", "GPE") or t.tag_ == "NNP" and country_of_demonym(t.text):
                    code = country_of_demonym(t.text) or country_of_name(t.text.rstrip("’'s"))
                    if code:
                        out.setdefault(ent.name, code)
                    break
                if t.is_punct and t.text not in (".",) or t.pos_ in ("VERB", "ADP") and t.lower_ != "of":
                    break
                j -= 1
                steps += 1
            if ent.name in out:
                break
    return out


# -- mentions ---------------------------------------------------------------


@dataclass
class Mention:
    type: str
    mode: Optional[str]
    tok: Token
    entry: dict
    kind: Optional[str] = None
    drop: bool = False
    definite: bool = False
    actor: Optional[str] = None
    actor_tok: Optional[Token] = None
    target: Optional[str] = None
    target_tok: Optional[Token] = None
    participants: list[str] = field(default_factory=list)
    place: Optional[Place] = None
    place_country: Optional[str] = None
    date: Optional[DateMention] = None
    date_weak: bool = False
    date_since: bool = False
    counts: dict[str, Optional[int]] = field(default_factory=dict)
    status: str = "occurred"
    reported_by: Optional[str] = None
    weapon_mode: Optional[str] = None
    actor_country: Optional[str] = None
    sent_index: int = 0


QUANTITY_NOUNS = {"thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "million", "millions", "score",
                  "scores", "number", "group", "contingent", "batch", "wave", "swarm", "salvo", "barrage", "convoy",
                  "truck", "lorry", "plane", "planeload", "shipload", "truckload", "shipment", "consignment", "load",
                  "tonne", "ton", "tons", "tonnes", "package", "unit", "units", "couple", "handful", "lot", "lots"}


def _through_quantity(tok: Token) -> list[Token]:
    """'thousands of troops', '50 trucks of food aid': the quantity or container
    noun stands for what it measures, so the 'of' object counts as the argument."""
    if tok.lemma_.lower() in QUANTITY_NOUNS or tok.lower_ in QUANTITY_NOUNS or (
            tok.ent_type_ == "CARDINAL" and tok.pos_ in ("NOUN", "NUM")):
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                return [p for p in c.children if p.dep_ == "pobj"]
    return []


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _args(tok: Token) -> list[Token]:
    """Object-like arguments of a verb or noun trigger."""
    out = []
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative"):
            out.append(c)
            out.extend(c.conjuncts)
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


def weapon_mode_of(tokens: Iterable[Token]) -> Optional[str]:
    lex = weapons()
    words = lex["words"]
    rank = lex["rank"]
    blocked = lex.get("not_weapon_after", {})
    best: Optional[str] = None
    for t in tokens:
        low = t.lower_
        mode = words.get(low) or words.get(t.lemma_.lower())
        if not mode:
            continue
        nxt = t.nbor(1).lower_ if t.i + 1 < len(t.doc) else ""
        if nxt in blocked.get(low, []):
            continue
        if low in ("air", "aerial") and nxt not in ("strike", "strikes", "raid", "raids", "attack", "attacks", "bombardment", "campaign", "assault"):
            continue
        if low in ("bomber", "bombers") and t.i > 0 and t.nbor(-1).lower_ == "suicide":
            continue  # a suicide bomber is no aircraft
        if low == "tear" and nxt not in ("gas",):
            continue
        if low == "rubber" and nxt not in ("bullets", "bullet"):
            continue
        if best is None or rank.index(mode) < rank.index(best):
            best = mode
    return best


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


class Conditions:
    def __init__(self, ctx: Ctx):
        self.ctx = ctx

    def check(self, tok: Token, entry: dict) -> bool:
        for cond in entry.get("require", []):
            if not self.one(tok, cond):
                return False
        return True

    def one(self, tok: Token, cond: dict) -> bool:
        key = next(iter(cond))
        value = cond[key]
        if key == "any_of":
            return any(self.one(tok, c) for c in value)
        if key == "arg":
            return bool(_lemma_set(_args(tok)) & set(value))
        if key == "not_arg":
            return not (_lemma_set(_args(tok)) & set(value))
        if key == "arg_any":
            return bool(_args(tok))
        if key == "prt":
            return any(c.dep_ == "prt" and c.lower_ in value for c in tok.children)
        if key == "not_prt":
            return not any(c.dep_ == "prt" and c.lower_ in value for c in tok.children)
        if key == "verb_needs_arg":
            # a verb "strike"/"attack" needs what it hits ("Russia airstrikes aimed at" is a headline noun)
            return tok.pos_ != "VERB" or any(c.dep_ in ("dobj", "nsubjpass", "prep", "agent") for c in tok.children)
        if key == "subj":
            return any(c.dep_ in ("nsubj",) and (_lemma_set([c]) & set(value)) for c in tok.children)
        if key == "subj_np":
            # the whole subject phrase: "a bus carrying pilgrims plunged" (the parse may hang 'bus' low)
            if any(c.dep_ in ("nsubj",) and ({t.lemma_.lower() for t in c.subtree} & set(value)) for c in tok.children):
                return True
            # "A ferry carrying 300 passengers capsized" parsed as a relative clause on 'ferry'
            return tok.dep_ in ("relcl", "acl") and tok.head.lemma_.lower() in value and tok.tag_ != "VBN"
        if key == "subj_head":
            # the subject's own noun ("stock markets", "oil prices"), not its modifiers ("a gold mine")
            return any(c.dep_ == "nsubj" and (c.lemma_.lower() in value or c.lower_ in value
                       or any(q.lemma_.lower() in value for q in _through_quantity(c))) for c in tok.children)
        if key == "not_present_head":
            # "the city holds elections in September": a habit, not an election
            gov = governing_verb(tok)
            return gov is None or gov.tag_ not in ("VBZ", "VBP")
        if key == "transitive":
            # "seized a tanker", "the tanker was seized"; not "seized on an issue"
            return any(c.dep_ in ("dobj", "nsubjpass") for c in tok.children) or tok.dep_ == "acl"
        if key == "not_guilty_negated":
            # "found him not guilty" acquits
            return not any(t.lower_ == "not" and t.i + 1 < len(t.doc) and t.nbor(1).lower_ == "guilty"
                           for t in tok.subtree if t.i > tok.i)
        if key == "not_dep":
            # "missiles fired by Iran": a description of the weapons, not a launch
            return tok.dep_ not in value
        if key == "not_transitive":
            # "rallied in Belgrade", not "rally the people"
            return not any(c.dep_ == "dobj" for c in tok.children)
        if key == "obj_prep":
            # "charged a man with terrorism offences": the preposition hangs on the object
            return any(c.dep_ == "dobj" and any(p.dep_ == "prep" and p.lower_ in value for p in c.children) for c in tok.children)
        if key == "arg_head":
            # the argument itself, not its modifiers ("launched 40 drones", not "launched a drone programme")
            heads = _args(tok)
            heads += [q for a in heads for q in _through_quantity(a)]
            return any(a.lemma_.lower() in value or a.lower_ in value for a in heads)
        if key == "not_prep":
            return not any(c.dep_ in ("prep", "agent") and c.lower_ in value for c in tok.children)
        if key == "not_norp":
            # "Israeli fire killed five": gunfire, not a blaze
            return _norp_modifier(tok) is None and not any(c.dep_ == "poss" for c in tok.children)
        if key == "not_compound":
            return not any(c.dep_ in ("compound", "amod", "nmod") and c.lemma_.lower() in value for c in tok.children)
        if key == "not_gov":
            gov = governing_verb(tok)
            return gov is None or gov.lemma_.lower() not in value
        if key == "not_subj":
            # "an earthquake struck": the quake, not an attack
            return tok.pos_ != "VERB" or not any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in value
                                                 for c in tok.children)
        if key == "party_obj":
            place_roots = {root.i for _, root, dem in self.ctx.places if not dem}
            for c in tok.children:
                if c.dep_ != "dobj":
                    continue
                is_place = c.i in place_roots or c.ent_type_ in ("GPE", "LOC")
                if not is_place and (c.ent_type_ in ("PERSON", "ORG", "NORP") or c.lower_ in ROLE_NOUNS
                                     or c.lemma_.lower() in ROLE_NOUNS):
                    return True
                if is_place:
                    # a visit abroad is a meeting with the host; a minister touring a town at home is not
                    code = country_of_name(c.text)
                    home = self.ctx.state.scratch.get("places_main_country")
                    subj = next((s for s in tok.children if s.dep_ == "nsubj"), None)
                    subj_code = self.ctx.person_country.get(self.ctx.ent_by_char.get(subj.idx, "")) if subj is not None else None
                    if code and (subj_code or home) and code != (subj_code or home):
                        return True
            return False
        if key == "obj_agent":
            # the one asked is a party, not a thing ("asked diplomats to", not "requested anonymity to")
            return any(c.dep_ in ("dobj", "dative") and (c.pos_ in ("PRON", "PROPN") or c.tag_ in ("NNS", "NNPS")
                       or c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")) for c in tok.children)
        if key == "prep":
            return any(c.dep_ in ("prep", "agent") and c.lower_ in value for c in tok.children)
        if key == "prep_on":
            return tok.dep_ == "pobj" and tok.head.lower_ == "on" and not any(c.dep_ == "det" for c in tok.children)
        if key == "prep_arg":
            lemmas = set(cond.get("lemmas", []))
            holders = list(tok.children)
            if tok.pos_ == "NOUN" and tok.dep_ == "dobj":
                holders += list(tok.head.children)  # "carry out searches for survivors"
            for c in holders:
                if c.dep_ == "prep" and c.lower_ in value:
                    if _lemma_set([p for p in c.children if p.dep_ == "pobj"]) & lemmas:
                        return True
            return False
        if key == "not_prep_arg":
            lemmas = set(cond.get("lemmas", []))
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in value:
                    if _lemma_set([p for p in c.children if p.dep_ == "pobj"]) & lemmas:
                        return False
            return True
        if key == "compound":
            return any(c.dep_ in ("compound", "amod", "nmod") and c.lemma_.lower() in value for c in tok.children)
        if key == "det":
            return any(c.dep_ == "det" and c.lower_ in value for c in tok.children)
        if key == "head":
            gov = governing_verb(tok)
            return gov is not None and (gov.lemma_.lower() in value or gov.lower_ in value)
        if key == "not_head":
            return not (tok.dep_ == "pobj" and tok.head.lower_ in value)
        if key == "head_chain":
            return any(a.lemma_.lower() in value for a in ancestors_upto(tok, 3))
        if key == "xcomp":
            return any(c.dep_ in ("xcomp",) for c in tok.children)
        if key == "xcomp_obj":
            return any(c.dep_ in ("xcomp", "ccomp") for c in tok.children) and any(
                c.dep_ in ("dobj", "dative") for c in tok.children)
        if key == "weapon_subj":
            return weapon_mode_of(subject_tokens(tok)) is not None
        if key == "arg_place":
            return any(a.ent_type_ in ("GPE", "LOC", "FAC") for a in _args(tok) if a.dep_ in ("dobj", "nsubjpass"))
        if key == "arg_person":
            return any(a.ent_type_ == "PERSON" or a.pos_ == "PRON" for a in _args(tok))
        if key == "oprd_or_prep_arg":
            toks = []
            for c in tok.subtree:
                if c.i > tok.i and c.i < tok.i + 25:
                    toks.append(c)
            return bool({t.lower_ for t in toks} & set(value))
        if key == "market_move":
            # prices moving: a strong verb ("plunged") or a measured move ("fell 3 percent")
            if tok.lemma_.lower() in STRONG_MOVES:
                return True
            return any(t.ent_type_ in ("PERCENT", "MONEY") or t.like_num for c in tok.children
                       if c.dep_ not in ("nsubj", "nsubjpass") for t in c.subtree)
        if key in ("counts_or_date", "place_or_date", "place_or_counts"):
            return True  # checked once arguments are known
        return True


STRONG_MOVES = {"plunge", "plummet", "tumble", "slump", "crash", "soar", "surge", "nosedive", "collapse", "sink"}


def find_triggers(ctx: Ctx) -> list[Mention]:
    index = trigger_index()
    conditions = Conditions(ctx)
    out: list[Mention] = []
    for sent_index, sent in enumerate(ctx.doc.sents):
        for tok in sent:
            pos = tok.pos_
            if pos == "PROPN":
                if tok.is_title and tok.i != sent.start:
                    continue
                pos = "NOUN"
            if pos not in ("VERB", "NOUN"):
                if pos == "ADJ" and tok.lower_ in ("offensive",):
                    pos = "NOUN"
                else:
                    continue
            lemma = tok.lemma_.lower()
            entries = index.get((pos, lemma)) or index.get((pos, tok.lower_))
            if not entries:
                continue
            if tok.ent_type_ in ENTITY_NOUN_TYPES and pos == "NOUN":
                continue
            if pos == "NOUN" and tok.is_title and tok.i != sent.start and not tok.is_sent_start:
                # a capitalised noun inside a name: "Air Accidents Investigation Branch"
                if any(t.is_title for t in (tok.nbor(-1), tok.nbor(1) if tok.i + 1 < len(tok.doc) else tok) if t.i != tok.i):
                    continue
            if tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN"):
                continue
            for entry in entries:
                if not conditions.check(tok, entry):
                    continue
                m = Mention(type=entry["type"], mode=entry.get("mode"), tok=tok, entry=entry, kind=entry.get("kind"),
                            sent_index=sent_index)
                if pos == "NOUN" and tok.tag_ in ("NNS", "NNPS") and entry.get("plural") == "skip":
                    m.drop = True
                out.append(m)
                break
    return out


# -- filters -------------------------------------------------------------------


def is_irrealis(m: Mention) -> bool:
    """Negated, conditional, hypothetical, habitual or generic mentions."""
    if _irrealis_at(m.tok):
        return True
    tok = m.tok
    # "not yet planned any new phone calls or meetings": conjuncts share the frame
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
        if tok.pos_ == m.tok.pos_ and _irrealis_at(tok):
            return True
    return False


def _to_infinitive(tok: Token) -> bool:
    """'threatened on Monday to impose': the parser's advcl for a complement infinitive."""
    return tok.dep_ == "advcl" and tok.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _irrealis_at(tok: Token) -> bool:
    words = status_words()
    if tok.pos_ == "VERB" and tok.tag_ == "VBG" and tok.dep_ in ("csubj", "nsubj", "csubjpass"):
        return True  # "blocking a motorway puts lives at risk": an action in general
    for c in tok.children:
        if c.dep_ == "neg":
            return True
        if c.dep_ == "det" and c.lower_ in words["generic_determiners"]:
            return True
        if c.dep_ == "advmod" and c.lower_ in words["habitual_adverbs"]:
            return True
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
                if not (c.lower_ == "would" and head.dep_ == "ccomp" and is_reporting(head.head)
                        and not any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in head.children)):
                    return True
            if c.dep_ == "advmod" and c.lower_ in words["habitual_adverbs"]:
                return True
        if (cur.dep_ in ("xcomp", "dobj", "pobj", "prep", "ccomp", "acomp") or _to_infinitive(cur)) \
                and head.lemma_.lower() in words["irrealis_heads"]:
            if not (head.lemma_ == "call" and any(ch.dep_ == "prt" for ch in head.children)):
                return True
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


# -- arguments ----------------------------------------------------------


class Namer:
    def __init__(self, ctx: Ctx):
        self.ctx = ctx

    def entity(self, tok: Token) -> Optional[str]:
        name = self.ctx.ent_by_char.get(tok.idx)
        if name:
            return name
        return None

    def name(self, tok: Token, with_conj: bool = True, country_for_norp: bool = True) -> Optional[str]:
        parts = [tok] + ([c for c in tok.conjuncts if c.i > tok.i] if with_conj else [])
        names = []
        for p in parts:
            n = self._one(p, country_for_norp)
            if n and n not in names:
                names.append(n)
        return " and ".join(names) if names else None

    def _one(self, tok: Token, country_for_norp: bool) -> Optional[str]:
        if tok.pos_ == "PRON" or tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"):
            return None
        if country_for_norp and (tok.ent_type_ == "NORP" or tok.pos_ in ("PROPN", "ADJ")) and country_of_demonym(tok.text):
            return country_label(country_of_demonym(tok.text))  # "Ukrainian shelling", "the Russians"
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
        if tok.ent_type_ == "NORP" and tok.pos_ in ("PROPN", "NOUN") and tok.tag_ in ("NNPS", "NNS"):
            code = country_of_demonym(tok.text)
            if code and country_for_norp:
                return country_label(code)
        if ent and etype in ("PERSON", "ORG", "GPE", "LOC", "FAC"):
            # "the Electoral Commission (EC) of Ghana": keep the entity name
            return ent
        # a compound/flat name the entity component did not gather
        if tok.pos_ == "PROPN":
            toks = [t for t in tok.subtree if t.pos_ == "PROPN" and abs(t.i - tok.i) <= 4 and t.dep_ in ("compound", "flat") or t.i == tok.i]
            toks.sort(key=lambda t: t.i)
            titles = _titles()
            while len(toks) > 1 and (toks[0].lower_ in titles or country_of_demonym(toks[0].text)):
                toks.pop(0)  # "Kazakh President Kassym-Jomart Tokayev" -> the name
            text = " ".join(t.text for t in toks)
            if text in acr:
                return acr[text]
            return text
        # a descriptive noun phrase: determiners and clauses dropped
        keep = []
        for t in tok.subtree:
            if t.i > tok.i and t.dep_ in ("relcl", "acl", "appos", "punct", "cc", "conj", "advcl"):
                break
            keep.append(t)
        keep = [t for t in keep if t.i <= tok.i or t.head.i >= tok.i]
        # cut after the head unless "of/to" phrase
        words = []
        for t in keep:
            if t.i > tok.i and t.dep_ == "prep" and t.lower_ not in ("of", "to"):
                break
            words.append(t)
        while words and (words[0].dep_ in ("det", "predet") or words[0].pos_ in ("DET", "PRON") and words[0].dep_ == "poss"
                         or words[0].is_punct):
            words.pop(0)
        while words and words[-1].is_punct:
            words.pop()
        if not words:
            return None
        text = " ".join(t.text for t in words)
        text = text.replace(" 's", "'s").replace(" ’s", "’s").replace(" - ", "-")
        return text

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


@lru_cache(maxsize=None)
def _titles() -> frozenset[str]:
    try:
        from dateline import lexicons

        return lexicons.words("titles.txt") | {"president", "minister", "prime", "secretary-general", "acting", "chancellor"}
    except Exception:  # pragma: no cover
        return frozenset({"president", "minister", "prime", "mr", "mrs", "ms", "dr", "secretary-general"})


def _agent_of_noun(tok: Token) -> Optional[Token]:
    for c in tok.children:
        if c.dep_ in ("prep", "agent") and c.lower_ == "by":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
        if c.dep_ == "acl" and c.tag_ == "VBN":  # "the attack launched by the RSF"
            for a in c.children:
                if a.dep_ == "agent":
                    for p in a.children:
                        if p.dep_ == "pobj":
                            return p
    for c in tok.children:
        if c.dep_ == "poss" and c.ent_type_ not in ("DATE", "TIME") and c.pos_ != "PRON":
            return c
    return None


ARMED_PEOPLE = {"gunman", "gunmen", "bomber", "bombers", "sniper", "snipers", "shooter", "shooters", "attacker", "attackers"}


def _doer_of_head(tok: Token, entry: dict) -> Optional[Token]:
    """A noun trigger whose entry names the verbs that perform it ('imposed
    sanctions', 'sent 50 trucks of aid', 'agreed to a ceasefire'): that
    verb's subject (or passive agent) is the actor."""
    heads: set[str] = set()
    for cond in entry.get("require", []):
        for c in [cond] + list(cond.get("any_of", [])):
            if "head" in c:
                heads |= set(c["head"])
    if not heads:
        return None
    gov = governing_verb(tok)
    if gov is None or gov.pos_ != "VERB" or gov.lemma_.lower() not in heads:
        return None
    if is_passive(gov):
        agent = next((c for c in gov.children if c.dep_ == "agent"), None)
        return _pobj(agent) if agent is not None else None
    subj = next((c for c in gov.children if c.dep_ == "nsubj"), None)
    if subj is None and gov.dep_ in ("xcomp", "conj") and gov.head.pos_ == "VERB":
        subj = next((c for c in gov.head.children if c.dep_ == "nsubj"), None)
    if subj is not None and (subj.pos_ == "PRON" and subj.lower_ in ("who", "which", "that")):
        return None
    return subj


def _norp_modifier(tok: Token) -> Optional[Token]:
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "nmod") and (c.ent_type_ in ("NORP", "GPE") or country_of_demonym(c.text)):
            return c
    return None


NOUN_TARGET_PREPS = {
    "ASSAULT": ("on", "against", "at"), "CONSULT": ("with", "to"), "SUPPORT": ("for", "with", "to"),
    "AID": ("for", "to"), "ACCUSE": ("against", "of", "into"), "SANCTION": ("on", "against", "to", "in", "of"),
    "COERCE": ("of", "against", "on"), "PROTEST": ("against", "over"), "THREATEN": ("against", "to"),
    "REQUEST": ("for", "to"), "REJECT": ("of",), "AGREE": ("to", "with"), "RETREAT": ("from", "of"),
    "MOBILIZE": ("of", "to"), "OTHER": (), "COOPERATE": ("with",), "CONCEDE": ("to",),
}
NATURAL_KINDS = {"quake", "flood", "storm", "fire", "eruption", "crash", "blast", "market"}


def _pobj(prep: Token) -> Optional[Token]:
    return next((p for p in prep.children if p.dep_ == "pobj"), None)


def _arg_matching(tok: Token, entry: dict) -> Optional[Token]:
    """The argument a trigger's 'arg' condition asked for ('envoy' in 'calling in the envoy')."""
    wanted: set[str] = set()
    for cond in entry.get("require", []):
        if "arg" in cond:
            wanted |= set(cond["arg"])
    if not wanted:
        return None
    for a in _args(tok):
        if _lemma_set([a]) & wanted:
            return a
    return None


def fill_arguments(m: Mention, namer: Namer) -> None:
    tok = m.tok
    actor_tok = target_tok = None
    actor_name = None
    if m.kind in NATURAL_KINDS:
        return  # an earthquake or a crash has no actor or target
    between = next((_pobj(c) for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"), None)
    if between is None and tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass") and m.type == "ASSAULT":
        # "fighting has been raging in El Fasher between X and Y"
        between = next((_pobj(c) for c in tok.head.children if c.dep_ == "prep" and c.lower_ == "between"), None)
    if tok.pos_ == "VERB":
        passive = is_passive(tok)
        for c in tok.children:
            if c.dep_ == "nsubj" and not passive:
                actor_tok = c
            elif c.dep_ == "agent":
                actor_tok = _pobj(c)
            elif c.dep_ == "nsubjpass" and passive:
                target_tok = c
            elif c.dep_ == "dobj" and not passive:
                target_tok = c
        up = tok
        for _ in range(3):
            # "Iran vowed to retaliate and launched ...": the subject up the chain of shared-subject verbs
            if actor_tok is not None or up.dep_ not in ("xcomp", "conj", "advcl") or up.head.pos_ != "VERB" or (
                    passive and up.dep_ == "advcl"):  # "charged a man after he was arrested": not by the prosecutors
                break
            if up.dep_ == "advcl" and any(c.dep_ in ("nsubj", "nsubjpass") for c in up.children):
                break
            actor_tok = next((c for c in up.head.children if c.dep_ == "nsubj"), None)
            up = up.head
        if target_tok is None:
            # "found Nicolas Sarkozy guilty": the subject of the small clause
            small = next((c for c in tok.children if c.dep_ in ("ccomp", "oprd") and c.pos_ in ("ADJ", "NOUN")), None)
            if small is not None:
                target_tok = next((c for c in small.children if c.dep_ == "nsubj"), None)
        if actor_tok is None and tok.tag_ == "VBG" and tok.i > 0 and tok.nbor(-1).pos_ == "PROPN":
            actor_tok = tok.nbor(-1)  # "led to Ukraine calling in the envoy"
        wanted = _arg_matching(tok, m.entry)
        if wanted is not None:
            target_tok = wanted
        if m.entry.get("weapon_obj"):
            # "launched 40 drones at Ukraine": the object is the weapon, the target follows a preposition
            target_tok = next((_pobj(c) for c in tok.children if c.dep_ == "prep" and c.lower_ in ("at", "on", "against", "toward", "towards", "into")
                               and _pobj(c) is not None), None)
        if target_tok is None:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("on", "against", "with", "to", "at"):
                    target_tok = _pobj(c)
                    if target_tok is not None:
                        break
    else:
        actor_tok = _agent_of_noun(tok)
        if actor_tok is None:
            gov = tok.head
            if tok.dep_ in ("dobj",) and gov.lemma_.lower() in LIGHT_VERBS:
                actor_tok = next((c for c in gov.children if c.dep_ == "nsubj"), None)
                if actor_tok is None and gov.dep_ == "xcomp":
                    # "prompting Kyiv's top general to order a strengthening": object control
                    actor_tok = next((c for c in gov.head.children if c.dep_ in ("dobj",)), None) or next(
                        (c for c in gov.head.children if c.dep_ == "nsubj"), None)
            elif tok.dep_ == "nsubjpass" and gov.lemma_.lower() in LIGHT_VERBS:
                agent = next((c for c in gov.children if c.dep_ == "agent"), None)
                actor_tok = _pobj(agent) if agent is not None else None
        if actor_tok is None:
            actor_tok = _doer_of_head(tok, m.entry)
        if actor_tok is None:
            norp = _norp_modifier(tok)
            if norp is not None:
                code = country_of_demonym(norp.text) or country_of_name(norp.text)
                # "Israeli military air strike": the force named; "Russian airstrike": the country
                force = next((c for c in tok.children if c.dep_ in ("amod", "compound") and c.lower_ in FORCE_NOUNS), None)
                if force is not None:
                    actor_name = f"{norp.text} {force.text}"
                elif code:
                    actor_name = country_label(code)
                m.actor_country = code
        preps = NOUN_TARGET_PREPS.get(m.type, ())
        # "the attack launched by X on Y", "shelling by the RSF on the camp"
        holders = [tok] + [c for c in tok.children if c.dep_ == "acl"] + [
            p for c in tok.children if c.dep_ in ("prep", "agent") and c.lower_ == "by" for p in c.children if p.dep_ == "pobj"]
        for h in holders:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in preps:
                    cand = _pobj(c)
                    if cand is not None and cand.ent_type_ not in ("DATE", "TIME"):
                        target_tok = cand
                        break
            if target_tok is not None:
                break
        if target_tok is None and tok.dep_ in ("nsubj",) and tok.head.lemma_ in ("hit", "target", "destroy", "damage", "strike", "kill"):
            target_tok = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
    if actor_tok is not None and actor_name is None and tok.pos_ == "VERB" and weapon_mode_of(subject_tokens(tok)) is not None \
            and actor_tok.lemma_.lower() not in ARMED_PEOPLE and actor_tok.lower_ not in ARMED_PEOPLE:
        # "Ukrainian shelling killed ...", "an Israeli warplane hit ...": the weapon is not the actor
        agent = _agent_of_noun(actor_tok) if actor_tok.pos_ == "NOUN" else None
        norp = actor_tok if country_of_demonym(actor_tok.text) else _norp_modifier(actor_tok)
        if agent is not None:
            actor_tok = agent
        else:
            if norp is not None:
                code = country_of_demonym(norp.text) or country_of_name(norp.text)
                force = next((c for c in actor_tok.children if c.dep_ in ("amod", "compound") and c.lower_ in FORCE_NOUNS), None)
                actor_name = f"{norp.text} {force.text}" if force is not None else (country_label(code) if code else None)
                m.actor_country = code
            actor_tok = None
    if actor_tok is not None and actor_tok.pos_ == "PRON" and actor_tok.lower_ in ("it", "they", "he", "she", "we"):
        # "the Security Service said it had arrested ...": the speaker acts
        rep_verb = next((a for a in ancestors_upto(tok, 4) if is_reporting(a)), None)
        subj = next((c for c in rep_verb.children if c.dep_ == "nsubj"), None) if rep_verb is not None else None
        if subj is not None and subj.pos_ != "PRON":
            actor_tok = subj
    if between is not None:
        # two-sided actions: "fighting between the SAF and the RSF"
        actor_tok, actor_name = between, None
    if actor_tok is not None and actor_name is None:
        actor_name = namer.name(actor_tok)
        m.actor_country = namer.country_of(actor_tok)
    m.actor, m.actor_tok = actor_name, actor_tok
    if target_tok is not None:
        m.target = namer.name(target_tok)
        m.target_tok = target_tok


GENERIC_PARTIES = {"leader", "leaders", "president", "presidents", "pair", "two", "sides", "side", "both", "men",
                   "counterparts", "countries", "nations", "heads", "officials", "delegations", "parties"}
ROLE_NOUNS = {"negotiator", "negotiators", "delegation", "delegations", "diplomat", "diplomats", "counterpart",
              "counterparts", "official", "officials", "envoy", "envoys", "team", "teams", "side", "representatives",
              "leaders", "leader", "minister", "ministers", "government"}


def _party(tok: Token, namer: Namer) -> Optional[str]:
    """A meeting party: 'Russian negotiators' -> 'Russia'; a name as named."""
    if tok.lower_ in ROLE_NOUNS or tok.lemma_.lower() in ROLE_NOUNS:
        norp = _norp_modifier(tok)
        if norp is not None:
            code = country_of_demonym(norp.text) or country_of_name(norp.text)
            if code:
                return country_label(code)
    return namer.name(tok, with_conj=False)


def _parties(tok: Optional[Token], namer: Namer) -> list[str]:
    if tok is None:
        return []
    out = []
    for t in [tok] + [c for c in tok.conjuncts if c.i > tok.i]:
        if t.pos_ == "PRON" or (t.pos_ in ("NOUN", "NUM") and t.lower_ in GENERIC_PARTIES and _norp_modifier(t) is None):
            continue
        name = _party(t, namer)
        if name and name not in out:
            out.append(name)
    return out


MEDIA_NOUNS = {"reporter", "journalist", "press", "media", "correspondent", "broadcaster", "audience", "crowd"}


def _is_party(tok: Token) -> bool:
    if tok.lemma_.lower() in MEDIA_NOUNS:
        return False
    return (tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or tok.pos_ in ("PROPN", "PRON")
            or tok.lemma_.lower() in ROLE_NOUNS or tok.lower_ in GENERIC_PARTIES)


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
    others = [o for o in others if _is_party(o)]
    if subject is not None and not _is_party(subject):
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


# -- place, date, status, source ------------------------------------------


PRECISION_RANK = {"place": 0, "region": 1, "country": 2, None: 3}


LOC_PREPS = {"in", "at", "near", "outside", "inside", "across", "on", "over", "from", "within", "around", "throughout"}
PLACE_NOUNS = {"city", "town", "village", "region", "province", "district", "area", "state", "county", "capital",
               "camp", "neighbourhood", "neighborhood", "suburb", "oblast", "governorate", "border", "port", "island",
               "municipality", "prefecture", "territory", "outskirts", "coast", "strip", "bank", "valley", "enclave"}
SPEECH_TYPES = {"AGREE", "REQUEST", "REJECT", "THREATEN", "SUPPORT", "ACCUSE"}
OPEN_MARKS = {"when", "as", "where"}


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


def choose_place(m: Mention, ctx: Ctx, mentions: Optional[list[Mention]] = None) -> None:
    tok = m.tok
    sent = sent_of(tok)
    best = None
    # places inside another trigger's phrase belong to that event ("the strike on Poltava ... followed an attack")
    owned = [o.tok for o in (mentions or []) if o is not m and o.sent_index == m.sent_index and o.tok.pos_ == "NOUN"
             and not in_subtree(tok, o.tok)]
    place_roots = {root.i for _, root, dem in ctx.places if not dem}
    for place, root, demonym in ctx.places:
        if demonym or not (sent.start <= root.i < sent.end):
            continue
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
                and root.head.i not in place_roots:
            continue  # "US diplomats", "Kyiv's top general" (but "Melbourne, Australia")
        if crosses_clause(tok, root):
            continue
        if any(in_subtree(root, o) and not in_subtree(root, tok) for o in owned):
            continue
        if m.actor_tok is not None and in_subtree(root, m.actor_tok) and m.type != "CONSULT" and not (
                root.dep_ == "pobj" and root.head.lower_ in ("in", "at") and root.head.head.i == m.actor_tok.i):
            continue  # "the Security Service of Ukraine" (but "a court in Paris" sits where it acts)
        if m.kind == "market" and not any(c.dep_ in ("nsubj", "nsubjpass") and in_subtree(root, c) for c in tok.children):
            continue  # "oil rose after Israel struck ...": a market has only the place its subject names
        if m.type == "SANCTION" and m.target_tok is not None and in_subtree(root, m.target_tok):
            continue  # "shipments to Ukraine": the target, not the place
        if m.type in SPEECH_TYPES and tok.pos_ == "VERB" and any(
                in_subtree(root, c) for c in tok.children if c.dep_ in ("ccomp", "xcomp") or _to_infinitive(c)):
            continue  # what was promised or asked, not where
        if m.type == "SANCTION" and root.dep_ == "pobj" and root.head.lower_ == "to":
            continue  # "shipments to Ukraine": the target, not the place
        if m.type == "CONSULT" and any(in_subtree(root, c) for c in tok.children
                                       if c.dep_ == "prep" and c.lower_ in ("on", "about", "over", "regarding")):
            continue  # "negotiations on ending the war in Ukraine": the topic
        gov = governing_verb(tok) if tok.pos_ == "NOUN" else None
        if m.type not in ("ASSAULT", "OTHER", "AID") and gov is not None and root.dep_ in ("nsubj", "nsubjpass") \
                and root.head.i == gov.i and tok.dep_ != "nsubj":
            continue  # "Kyiv will be involved in peace talks": a party
        if m.type not in ("ASSAULT", "OTHER", "AID", "PROTEST", "COERCE", "MOBILIZE", "RETREAT") and not (
                root.dep_ == "pobj" and (root.head.lower_ in LOC_PREPS or m.type == "ACCUSE" and root.head.lower_ == "to")):
            continue  # where a meeting or statement happened: "in Istanbul", "at talks in Turkey"
        # places reported from: "told reporters in Denmark"
        if any(is_reporting(a) and not in_subtree(tok, a) for a in ancestors_upto(root, 10)):
            continue
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


FACILITY_NOUNS = {"camp", "school", "hospital", "airport", "mosque", "church", "market", "mall", "station", "base",
                  "plant", "factory", "building", "village", "prison", "university", "stadium", "square", "bridge",
                  "port", "refinery", "clinic", "compound", "embassy", "consulate", "office", "centre", "center",
                  "neighbourhood", "neighborhood", "district", "area"}


def place_of_target(m: Mention, ctx: Ctx) -> Optional[Place]:
    """'the Zamzam displacement camp': a named facility the gazetteer does not know."""
    t = m.target_tok
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


def choose_date(m: Mention, ctx: Ctx, all_mentions: list[Mention]) -> None:
    tok = m.tok
    sent = sent_of(tok)
    clause = event_clause(tok)
    strong = None
    weak = None
    sent_mentions = [o for o in all_mentions if o.sent_index == m.sent_index]
    for dm, root in ctx.dates:
        if not dm.date or not (sent.start <= root.i < sent.end):
            continue
        text = ctx.state.article.text
        prev = text[max(0, dm.start - 7):dm.start].lower()
        if "a day after" in dm.text.lower():
            # dates the clause that follows it
            if tok.i > root.i:
                strong = strong or (0, dm)
            continue
        if root.dep_ in ("compound", "amod", "nmod", "poss", "nummod") and root.head.i != tok.i and root.head.pos_ in ("NOUN", "PROPN"):
            continue  # "the 2024 presidential election": a date of something else
        in_clause = not crosses_clause(tok, root)
        d = tree_distance(tok, root)
        if in_clause:
            nearest = min((tree_distance(o.tok, root) for o in sent_mentions), default=d)
            if d > nearest and not in_subtree(root, tok):
                continue
            if strong is None or d < strong[0]:
                strong = (d, dm)
        else:
            anc = ancestors_upto(root, 6)
            rep = next((a for a in [root.head] + anc if is_reporting(a)), None)
            if rep is not None and (in_subtree(tok, rep)):
                if weak is None or d < weak[0]:
                    weak = (d, dm)
    if strong is not None:
        m.date = strong[1]
        m.date_since = ctx.state.article.text[max(0, strong[1].start - 7):strong[1].start].lower().strip().endswith("since")
    if weak is not None:
        if m.date is None:
            m.date, m.date_weak = weak[1], True
        elif m.date_since:
            m.date_weak_alt = weak[1]  # type: ignore[attr-defined]


def find_status(m: Mention, ctx: Ctx) -> None:
    words = status_words()
    tok = m.tok
    status = "occurred"
    for c in tok.children:
        if c.dep_ in ("amod", "advmod") and c.lower_ in words["claimed_modifiers"]:
            status = "claimed"
        if c.dep_ in ("amod", "advmod", "compound") and c.lower_ in words["planned_modifiers"]:
            status = "planned"
    cur = tok
    for _ in range(8):
        verb = cur
        if verb.pos_ in ("VERB", "AUX"):
            for c in verb.children:
                if c.dep_ == "aux" and c.lower_ in words["future_aux"]:
                    status = "planned"
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
                                or tok.pos_ == "NOUN" and m.type in ("RETREAT", "SUPPORT") and cur.dep_ in ("pobj", "prep", "dobj"))):
            # "agreed to a ceasefire" reaches it; "agreed to meet" plans a meeting
            if status == "occurred":
                status = "planned"
        if hl in ("due", "set", "poised", "scheduled") and cur.dep_ == "xcomp" and status == "occurred":
            status = "planned"  # "is due to meet", "set to visit"
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


# -- counts ---------------------------------------------------------------


def attach_counts(mentions: list[Mention], ctx: Ctx) -> None:
    anaphors = set(counts_mod.lexicon().get("anaphors", []))
    by_sent: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sent.setdefault(sent_of(m.tok).start, []).append(m)
    last_violent: Optional[Mention] = None
    cursor = 0
    tolls = counts_mod.find_tolls(ctx.doc)
    for toll in tolls:
        sent = sent_of(toll.token)
        cands = by_sent.get(sent.start, [])
        if toll.category in ("killed", "injured"):
            cands = [c for c in cands if c.type in ("ASSAULT", "OTHER")]
        elif toll.category == "arrested":
            cands = [c for c in cands if c.type in ("COERCE", "PROTEST", "ASSAULT")]
        target = None
        if cands:
            target = min(cands, key=lambda c: (tree_distance(c.tok, toll.token), c.tok.i))
        else:
            # "... who suffered injuries in the incident": an anaphor back to the last event
            if any(t.lemma_.lower() in anaphors and any(d.lower_ in DEFINITE for d in t.children) for t in sent):
                prior = [c for c in mentions if c.tok.i < sent.start and c.type in ("ASSAULT", "OTHER") and not c.drop]
                if prior and sent.start - sent_of(prior[-1].tok).start < 600:
                    target = prior[-1]
        if target is None:
            continue
        if toll.category not in target.counts:
            target.counts[toll.category] = toll.value


# -- coreference ------------------------------------------------------------


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


def _place_compatible(a: Optional[Place], b: Optional[Place]) -> bool:
    if a is None or b is None:
        return True
    x, y = a.name.lower(), b.name.lower()
    if x in y or y in x:
        return True
    # "the Philippines" and "Bogo": a country and a place in it
    if a.country and a.country == b.country and "country" in (a.precision, b.precision):
        return True
    return False


def _date_compatible(a: Mention, b_date: Optional[DateMention], b_weak: bool) -> bool:
    if a.date is None or b_date is None or a.date_weak or b_weak:
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
    for c in tok.children:
        if c.dep_ == "det" and c.lower_ in DEFINITE:
            return True
        if c.dep_ == "poss" and (c.ent_type_ in ("DATE", "TIME") or c.pos_ == "PRON"):
            return True
        if c.dep_ in ("amod",) and c.lower_ in ("same", "reported", "ongoing", "latest"):
            return True
    return False


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
    if m.type == "ASSAULT":
        return m.kind or "incident"
    return m.kind


SEQUENCE_VERBS = {"follow", "precede", "come", "prompt", "spark", "trigger", "provoke", "mark", "echo"}


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
    for x in d.mentions:
        if not _place_compatible(m.place, x.place):
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


def linked(m: Mention, d: EventDraft) -> bool:
    """Whether m refers to the event d (given they are compatible)."""
    last = d.mentions[-1]
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
    same_place = m.place is not None and d_place is not None and _place_compatible(m.place, d_place) and (
        m.place.precision != "country" or d_place.precision == "country")
    specific_target = bool(m.target and d.get("target") and m.target_tok is not None
                           and any(t.pos_ == "PROPN" for t in m.target_tok.subtree)
                           and _names_compatible(m.target, d.get("target")))
    if m.type == "OTHER" and m.kind and m.kind == d.first.kind and not own_counts and (
            m.place is None or same_place) and _names_compatible(m.target, d.get("target")):
        return True  # "I hereby declare ... the winner": the declaration already reported
    if m.type in ("ASSAULT", "OTHER"):
        if conflict and not specific_target:
            return False
        if own_counts and not (same_place or specific_target):
            return False
        same_side = m.actor_country is not None and m.actor_country in {x.actor_country for x in d.mentions}
        if not _names_compatible(m.actor, d.get("actor")) and not same_side:
            return False  # "Russian forces shelled ..." then "Russia's defence ministry denied shelling ...": one side
        if m.target and d.get("target") and not _names_compatible(m.target, d.get("target")) and not specific_target:
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
    return _names_compatible(m.actor, d.get("actor"))


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
            if tree_distance(p.tok, m.tok) > 2:
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


# -- finishing ---------------------------------------------------------------


def _post_conditions(m: Mention) -> bool:
    for cond in m.entry.get("require", []):
        key = next(iter(cond))
        has_counts = any(v is not None for v in m.counts.values())
        if key == "counts_or_date" and not (has_counts or (m.date is not None and not m.date_weak)):
            return False
        if key == "place_or_date" and not (m.place is not None or (m.date is not None and not m.date_weak)):
            return False
        if key == "place_or_counts" and not (m.place is not None or has_counts):
            return False
    return True


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
            if len(people) >= 2 and not any(w in MULTILATERAL for w in _lemma_set([m.tok])):
                clones = []
                for g in people:
                    clone = Mention(**{**m.__dict__})
                    clone.target = namer.name(g, with_conj=False)
                    clone.target_tok = g
                    clone.participants = [p for p in [m.actor, clone.target] if p]
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


def _reporter_country(name: Optional[str]) -> Optional[str]:
    if not name:
        return None
    for word in name.replace("'s", "").replace("’s", "").split():
        code = country_of_demonym(word)
        if code:
            return code
    return None


def _party_countries(names: Iterable[str], ctx: Ctx) -> set[str]:
    out = set()
    for n in names:
        code = ctx.person_country.get(n) or country_of_demonym(n) or (country_of_name(n) if n[:1].isupper() else None)
        if code:
            out.add(code)
    return out


METHOD_MODES = {"abduct", "beat", "torture", "sexual", "targeted"}  # what was done, whatever the weapon


def finish(d: EventDraft, ctx: Ctx, namer: Namer, previous: list[Event],
           drafts_done: list[tuple[EventDraft, Event]]) -> Optional[Event]:
    first = d.first
    typ = first.type
    if not _post_conditions(first):
        return None
    # mode: the trigger's own mode, else the weapon
    mode = next((m.mode for m in d.mentions if m.mode), None)
    if typ == "ASSAULT" and mode not in METHOD_MODES:
        own = next((m.weapon_mode for m in d.mentions if m.weapon_mode), None)
        mode = own or mode
    place = None
    for m in d.mentions:
        if m.place is not None and (place is None or PRECISION_RANK[m.place.precision] < PRECISION_RANK[place.precision]):
            if place is None or m.place.country == place.country or place.precision == "country":
                place = m.place
    if place is None or place.precision in ("country", "region"):
        named = next((pl for pl in (place_of_target(m, ctx) for m in d.mentions) if pl is not None), None)
        if named is not None:
            if named.country is None and place is not None:
                named = named.model_copy(update={"country": place.country})
            place = named
    counts: dict[str, Optional[int]] = {}
    for m in d.mentions:
        for k, v in m.counts.items():
            if k not in counts or counts[k] is None:
                counts[k] = v
    # status
    status = first.status
    if any(m.status == "denied" for m in d.mentions):
        status = "denied"
    elif status == "occurred" and any(m.status == "claimed" for m in d.mentions if m.sent_index == first.sent_index):
        status = "claimed"
    actor = next((m.actor for m in d.mentions if m.actor), None)
    target = next((m.target for m in d.mentions if m.target and m.target_tok is not None and _is_party(m.target_tok)), None) \
        or next((m.target for m in d.mentions if m.target), None)
    if actor and actor == target:
        # "The president will travel to meet Donald Trump": a role resolved to
        # the one person of that role the article names; nobody meets himself.
        actor = next((_description_text(m.actor_tok) for m in d.mentions if m.actor_tok is not None), None)
        if actor == target:
            actor = None
    if typ == "SANCTION":
        # "paused shipments of weapons to Ukraine": the one cut off ("sentenced him to three years" is no recipient)
        for m in d.mentions:
            if m.mode == "convict":
                continue
            rec = next((p for t in ([m.target_tok] if m.target_tok is not None else []) + [m.tok]
                        for c in t.children if c.dep_ == "prep" and (c.lower_ == "to" or c.lower_ == "with" and m.target_tok is not None
                                                                     and m.target_tok.lemma_.lower() in ("tie", "relation"))
                        for p in c.children if p.dep_ == "pobj"), None)
            if rec is None and m.target_tok is not None:
                rec = next((p for t in m.target_tok.subtree if t.dep_ == "prep" and t.lower_ == "to"
                            for p in t.children if p.dep_ == "pobj"), None)
            if rec is not None and rec.ent_type_ not in ("DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
                target = namer.name(rec)
                break
    actor_country = next((m.actor_country for m in d.mentions if m.actor_country), None)
    reported_by = next((m.reported_by for m in d.mentions if m.reported_by), None)
    participants: list[str] = []
    for m in d.mentions:
        for p in m.participants:
            if p not in participants:
                participants.append(p)
    if status == "occurred" and typ not in ("ASSAULT", "OTHER", "AID", "CONSULT") and actor_country:
        # one side's account of what the other side did
        rc = _reporter_country(reported_by)
        if rc and rc != actor_country and rc not in _party_countries([target or ""], ctx):
            status = "claimed"
    # date: linked in the clause, else the report date (not for plans)
    date_m = next((m for m in d.mentions if m.date is not None and not m.date_weak), None)
    if date_m is not None and date_m.date_since and any(v is not None for v in counts.values()):
        date = getattr(date_m, "date_weak_alt", None)  # a total since X goes on the latest day
    elif date_m is not None:
        date = date_m.date
    else:
        weak = next((m for m in d.mentions if m.date is not None), None)
        date = weak.date if weak is not None and status != "planned" else None

    if status == "planned" and isinstance(date, DateMention) and date.date and ctx.state.published:
        if date.date < ctx.state.published.isoformat() and date.precision == "day":
            date = None  # the day a plan was announced is not the day of the plan
    # place inherited from the event it belongs to
    if place is None and typ == "AID":
        prior = [e for e in previous if e.type in ("ASSAULT", "OTHER") and e.place is not None]
        if prior:
            place = prior[-1].place
    if place is None and typ == "CONSULT" and (mode or "") != "phone" and not any(w in PHONE for w in _lemma_set([first.tok])):
        hosts = [e for e in previous if e.type == "CONSULT" and e.mode == "multilateral" and e.place is not None]
        if hosts:
            place = hosts[-1].place
    if typ in ("SUPPORT", "AGREE", "COOPERATE", "REQUEST", "REJECT", "CONCEDE", "THREATEN"):
        # what was said or agreed at a meeting happened where and when the meeting did
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

    if typ == "CONSULT":
        lemmas = set()
        for m in d.mentions:
            lemmas |= _lemma_set([m.tok])
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
        if not participants and place is None and date_m is None:
            return None  # talks with no parties, place or date: a topic, not an event
        if status == "planned" and place is None and date is None and len(participants) < 2:
            return None

    country = place.country if place is not None and place.country else None
    if country is None:
        country = actor_country
    if country is None and typ in ("ASSAULT", "OTHER", "AID", "COERCE", "MOBILIZE", "PROTEST"):
        mod = _helpers()
        if mod is not None and hasattr(mod, "main_country"):
            try:
                country = mod.main_country(ctx.state)
            except Exception:
                country = None
    location = place.name if place is not None else None
    if isinstance(date, DateMention):
        date_iso, precision = date.date, date.precision
    else:
        date_iso, precision = None, None
    sent = sent_of(first.tok)
    return Event(
        type=typ, mode=mode if typ not in ("AGREE", "SUPPORT", "CONCEDE", "COOPERATE", "AID") else None,
        summary=sent.text.strip(), actor=actor, target=target, location=location, country=country,
        date=date_iso, date_precision=precision if date_iso else None,
        killed=counts.get("killed"), injured=counts.get("injured"), arrested=counts.get("arrested"),
        displaced=counts.get("displaced"), status=status, reported_by=reported_by,
        trigger=OffsetSpan(start=first.tok.idx, end=first.tok.idx + len(first.tok.text)), trigger_text=first.tok.text,
        sentence=OffsetSpan(start=sent.start_char, end=sent.end_char), place=place,
    )


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
                o.type == m.type or o.type == "PROTEST" and m.type in ("REQUEST", "ACCUSE", "REJECT"))
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


def _date_from_summary(mentions: list[Mention]) -> None:
    """'... carried out similar strikes in other parts overnight, killing 10.
    Five people were killed when an air strike hit ...': the undated incidents
    that follow a dated summary of several such actions are its parts."""
    for m in mentions:
        if m.drop or m.date is not None or m.type not in ("ASSAULT", "OTHER") or m.status != "occurred":
            continue
        summary = next((o for o in reversed(mentions) if o.drop and o.type == m.type and o.tok.tag_ in ("NNS", "NNPS")
                        and o.date is not None and not o.date_weak and o.date.date
                        and 1 <= m.sent_index - o.sent_index <= 2 and o.tok.i < m.tok.i), None)
        if summary is not None and not any(x.sent_index == summary.sent_index and not x.drop and x.type == m.type
                                           for x in mentions):
            m.date = summary.date


def extract_events(state: State) -> list[Event]:
    ctx = build_ctx(state)
    namer = Namer(ctx)
    mentions = find_triggers(ctx)
    # "the attack caused a fire": the fire belongs to the attack and takes none of its toll
    mentions = [m for m in mentions if not (m.type == "OTHER" and m.kind == "fire" and m.tok.lemma_.lower() == "fire" and any(
        o.type == "ASSAULT" and 0 <= m.sent_index - o.sent_index <= 1 for o in mentions))]
    for m in mentions:
        if not m.drop and is_irrealis(m):
            m.drop = True
        m.definite = _anaphoric(m)
        fill_arguments(m, namer)
        if m.type == "CONSULT":
            consult_participants(m, namer)
        if m.type == "ASSAULT":
            if m.tok.pos_ == "VERB":
                deps = ("agent", "prep", "nsubjpass", "dobj") if m.entry.get("weapon_obj") else ("agent", "prep", "nsubjpass")
                toks = subject_tokens(m.tok) + [t for c in m.tok.children if c.dep_ in deps for t in c.subtree]
                toks.append(m.tok)
            else:
                toks = _np_tokens(m.tok)
                gov = m.tok.head
                if m.tok.dep_ in ("pobj",) and gov.dep_ == "prep" and gov.lower_ == "with":
                    toks.append(gov.head)
            m.weapon_mode = weapon_mode_of(toks)
    for m in mentions:
        choose_place(m, ctx, mentions)
        choose_date(m, ctx, mentions)
        find_status(m, ctx)
        find_reporter(m, ctx, namer)
    by_tok = {m.tok.i: m for m in mentions}
    for m in mentions:
        if m.tok.pos_ == "NOUN":
            gov = next((a for a in ancestors_upto(m.tok, 4) if a.pos_ in ("VERB", "AUX")), None)
            host = by_tok.get(gov.i) if gov is not None else None
            if host is not None and host.type == m.type and host.status != m.status and host.status in ("planned", "denied"):
                m.status = host.status  # "expected to meet on Wednesday for a new round of talks"
    attach_counts(mentions, ctx)
    absorb(mentions)
    _date_from_summary(mentions)
    for m in mentions:
        if not m.drop and not _post_conditions(m):
            m.drop = True  # "a concerted campaign" with no toll or date: background, not an event
    for m in mentions:
        if m.type == "CONSULT" and not m.drop and not m.participants and m.place is None and not _anaphoric(m) and (
                m.date is None or m.date_weak or not (_lemma_set([m.tok]) & MULTILATERAL)):
            m.drop = True  # "negotiations were complex", "Kyiv will be involved in peace talks"
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


def refine_meeting_places(events: list[Event]) -> None:
    """'talks in Turkey' ... 'agreements were reached in Istanbul': a meeting
    placed only by country takes the city its outcome names in that country."""
    for ev in events:
        if ev.type != "CONSULT" or ev.place is None or ev.place.precision != "country":
            continue
        better = [o.place for o in events if o is not ev and o.type in ("SUPPORT", "AGREE", "REQUEST", "REJECT", "CONSULT")
                  and o.place is not None and o.place.precision == "place" and o.place.country == ev.place.country]
        if len(better) >= 1 and len({b.name for b in better}) == 1:
            ev.place = better[0]
            ev.location = better[0].name


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


@register("events")
def events_component(state: State) -> None:
    state.events = extract_events(state)
