"""Stage 1, triggers: trigger words from lexicons/events_triggers.json whose
conditions on the parse hold become mentions; weapon words give ASSAULT modes."""

from __future__ import annotations

from typing import Iterable, Optional

from spacy.tokens import Token

from dateline import lexicons
from dateline.analyze.places import geocode
from dateline.analyze.events.context import Ctx, Mention, _norp_modifier, country_of_name
from dateline.analyze.events.lexicon import (
    ARMED_PEOPLE, AUTHORITY_NOUNS, ENTITY_NOUN_TYPES, FACILITY_NOUNS, FORCE_NOUNS, GENERIC_PARTIES, NOT_AIMED_AT, OFFENCE_NOUNS,
    PARTY_NOUNS, PARTY_PRONOUNS, PERSON_NOUNS, PLACE_NOUNS, PROPOSAL_NOUNS, PROPOSING_VERBS, QUESTION_WORDS, ROLE_NOUNS, STORM_TITLES,
    STRONG_MOVES, TARGET_PREPS, LexiconError, trigger_index, weapons,
)
from dateline.analyze.events.syntax import (
    _args, _lemma_set, _through_quantity, _to_infinitive, ancestors_upto, governing_verb, objects_of_preps,
    place_noun_names, subject_tokens, teller_of, with_objects,
)


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
        if key == "not_obj":
            # "struck a deal", "attacked the blaze": the object alone ("struck Kyiv despite the deal" is a strike)
            objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            return not (_lemma_set(objects + [x for o in objects for x in o.conjuncts]) & set(value))
        if key == "arg_any":
            return bool(_args(tok))
        if key == "prt":
            # (the parser also hangs a particle as an adverb: "workers walked out on Monday")
            return any((c.dep_ == "prt" or c.dep_ == "advmod" and c.tag_ == "RP") and c.lower_ in value for c in tok.children)
        if key == "not_prt":
            # (the parser also hangs a particle as an adverb: "fired back at")
            return not any(c.dep_ in ("prt", "advmod") and c.lower_ in value for c in tok.children)
        if key == "verb_needs_arg":
            # a verb "strike"/"attack" needs what it hits ("Russia airstrikes aimed at" is a headline noun)
            return tok.pos_ != "VERB" or any(c.dep_ in ("dobj", "nsubjpass", "prep", "agent") for c in tok.children)
        if key == "subj":
            return any(c.dep_ in ("nsubj",) and (_lemma_set([c]) & set(value)) for c in tok.children)
        if key == "no_target":
            # "fired a missile off its coast on Sunday": nothing aimed at; "fired missiles at Kharkiv" is
            # (the parse may hang "at Sderot" from the object: "fired a barrage of rockets at Sderot")
            return not any(c.dep_ == "prep" and c.lower_ in TARGET_PREPS and _aimed_at(c)
                           for h in with_objects(tok) for c in h.children)
        if key == "agent_np":
            # "were killed by gunmen": the doer in the passive's by-phrase
            return any(c.dep_ == "agent" and ({t.lemma_.lower() for t in c.subtree} & set(value)) for c in tok.children)
        if key == "not_agent":
            # "were struck by a car": a crash, not an attack
            return not any(c.dep_ == "agent" and ({t.lemma_.lower() for t in c.subtree} & set(value)) for c in tok.children)
        if key == "clause":
            # "demanded that the government resign", "its demand that Israel ease": what is asked is a clause
            deps = ("ccomp", "xcomp", "acl") if tok.pos_ == "NOUN" else ("ccomp", "xcomp")
            return any(c.dep_ in deps for c in tok.children)
        if key == "not_clause":
            # "demonstrates that exports rose": a clause for an object
            return not any(c.dep_ in ("ccomp", "xcomp") for c in tok.children)
        if key == "subj_person":
            # "the man who killed four people", "was stabbed to death by her husband": one person killing another
            doer = _doer(tok)
            if doer is None or doer.idx < self.ctx.text_start or (
                    doer.dep_ == "nsubj" and any(c.dep_ == "nsubjpass" for c in tok.children)):
                return False  # a wire dateline's city taken for a name, or a passive parsed with a subject
            return _person_word(doer)
        if key == "aimed_at_party":
            # "fired on protesters", "opened fire at the officers": shots aimed at people or a place
            return any(c.dep_ == "prep" and c.lower_ in value and any(
                p.dep_ == "pobj" and p.ent_type_ not in ("DATE", "TIME")
                and (is_party_word(p) or _person_word(p) or p.ent_type_ in ("GPE", "LOC", "FAC"))
                for p in c.children) for c in tok.children)
        if key == "subj_party":
            # "the president threatened": a party; "rising sea levels threaten": no one
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None and tok.dep_ in ("xcomp", "conj"):
                subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            if subj is None and tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN"):
                subj = tok.head  # "an act threatening the safety of Japan": the act threatens
            if subj is None and tok.dep_ == "pcomp" and tok.head.lower_ == "as":
                # "condemning the action as threatening the safety of Japan": what the action is called
                subj = next((c for c in tok.head.head.children if c.dep_ == "dobj"), None)
            if subj is not None and subj.lower_ in TELLER_PRONOUNS and not is_party_word(subj):
                said_by = _pronoun_teller(tok)  # "the RSF said it has agreed ..."
                return said_by is not None and is_party_word(said_by)
            return subj is None or is_party_word(subj)
        if key == "subj_state":
            # "China protested the arms sale": a state or its government (named, a capital, or one of the
            # given nouns: "the foreign ministry"), not people in the street
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.lower_ in TELLER_PRONOUNS:
                subj = _pronoun_teller(tok)
            if subj is None:
                return False
            place = geocode(subj.text) if subj.ent_type_ == "GPE" else None
            return subj.lemma_.lower() in value or subj.text in lexicons.capitals() or (
                place is not None and place.precision == "country")
        if key == "not_person_doer":
            # "Trump held rallies across the southwest", "Sanders's rally": a candidate's rally is a campaign
            # event, not a protest, unless it is against someone ("Navalny led rallies against the Kremlin")
            gov = governing_verb(tok)
            doers = [c for c in tok.children if c.dep_ == "poss"]
            doers += [c for c in gov.children if c.dep_ == "nsubj"] if gov is not None else []
            against = any(c.dep_ == "prep" and c.lower_ in ("against", "over") for h in [tok] + ([gov] if gov is not None else [])
                          for c in h.children)
            return against or not any(self.ctx.ent_type_by_char.get(d.idx, d.ent_type_) == "PERSON" for d in doers)
        if key == "not_doer":
            # "stocks staged a rally": for a noun trigger, the subject of the verb it is the object of
            gov = governing_verb(tok)
            subj = next((c for c in gov.children if c.dep_ == "nsubj"), None) if gov is not None else None
            return subj is None or not (_lemma_set([subj]) & set(value))
        if key == "subj_np":
            # the whole subject phrase: "a bus carrying pilgrims plunged" (the parse may hang 'bus' low)
            def named(phrase: Optional[Token]) -> bool:
                return phrase is not None and bool({t.lemma_.lower() for t in phrase.subtree} & set(value))

            subjects = [c for c in tok.children if c.dep_ == "nsubj"]
            if any(named(c) for c in subjects):
                return True
            # "the army said it had withdrawn"
            if any(c.lower_ in TELLER_PRONOUNS for c in subjects) and named(_pronoun_teller(tok)):
                return True
            # "gunmen stormed the village, killing 24", "the rebels stormed the town and killed 12 villagers":
            # a participle or a second verb with no subject of its own has its clause's
            shares_subject = tok.tag_ == "VBG" and tok.dep_ in ("advcl", "conj", "xcomp") or (
                tok.dep_ == "conj" and tok.head.pos_ == "VERB")
            if shares_subject and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) and any(
                    c.dep_ == "nsubj" and named(c) for c in tok.head.children):
                return True
            # "A ferry carrying 300 passengers capsized" parsed as a relative clause on 'ferry'
            # (a past participle there is passive, "a ship seized by Iran", unless the noun heads the
            # sentence with no verb over it: "A bus overturned near Kano, killing 12", mis-parsed)
            return tok.dep_ in ("relcl", "acl") and tok.head.lemma_.lower() in value and (
                tok.tag_ != "VBN" or tok.head.dep_ == "ROOT" and not any(c.dep_ == "agent" for c in tok.children)
                or _active_participle(tok))
        if key == "told":
            # "Castro said the attack was planned by the gangs": a clause someone is reported to have said
            if self.ctx.direct_quote_at(tok.idx) is not None:
                return self.ctx.quoted_speaker(tok.idx) is not None
            teller = teller_of(tok, 5)
            return teller is not None and teller.pos_ != "PRON"
        if key == "doer_np":
            # "Chinese warships conducted drills", "the police's raid": for a noun trigger, its possessor or
            # the subject of the verb it is the object of; for a verb, its own subject
            gov = governing_verb(tok) if tok.pos_ != "VERB" else tok
            doers = [c for c in tok.children if c.dep_ == "poss"] if tok.pos_ != "VERB" else []
            doers += [c for c in gov.children if c.dep_ == "nsubj"] if gov is not None else []
            if not doers and tok.pos_ == "VERB" and tok.dep_ == "xcomp":
                doers = [c for c in tok.head.children if c.dep_ == "nsubj"]  # "soldiers tried to seize power"
            return any({t.lemma_.lower() for t in d.subtree} & set(value) for d in doers)
        if key == "subj_head":
            # the subject's own noun ("stock markets", "oil prices"), not its modifiers ("a gold mine")
            subjects = [c for c in tok.children if c.dep_ == "nsubj"]
            if not subjects and _active_participle(tok):
                subjects = [tok.head]  # "Israeli strikes killed at least 30 Palestinians", read as a participle
            return any(c.lemma_.lower() in value or c.lower_ in value
                       or any(q.lemma_.lower() in value for q in _through_quantity(c)) for c in subjects)
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
        if key == "not_person_poss":
            # "Santorum's 2016 campaign", "the senator's campaign": a person's campaign is for votes, not a
            # war (but "Putin's campaign against Ukraine" is one)
            person = any(c.dep_ == "poss" and (c.ent_type_ == "PERSON" or c.lemma_.lower() in ROLE_NOUNS | PERSON_NOUNS)
                         for c in tok.children)
            return not person or any(c.dep_ == "prep" and c.lower_ in ("against", "in") for c in tok.children)
        if key == "not_compound":
            return not any(c.dep_ in ("compound", "amod", "nmod") and c.lemma_.lower() in value for c in tok.children)
        if key == "not_gov":
            gov = governing_verb(tok)
            return gov is None or gov.lemma_.lower() not in value
        if key == "not_subj":
            # "an earthquake struck": the quake, not an attack (also "the quake, which struck at 13:53")
            subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            subjects = [tok.head if s.lower_ in ("which", "that", "who") and tok.dep_ == "relcl" else s for s in subjects]
            if not subjects and tok.dep_ in ("acl", "xcomp") and tok.tag_ == "VBG" and tok.head.pos_ == "NOUN":
                subjects = [tok.head]  # "landslides blocking roads" (the parse may hang the participle as xcomp)
            return tok.pos_ != "VERB" or not any(s.lemma_.lower() in value for s in subjects)
        if key == "negated":
            return any(c.dep_ == "neg" for c in tok.children)
        if key == "demand_clause":
            return demanded_party(tok) is not None
        if key == "blames_party":
            # "blamed the attack on a militia gang", "blamed Russia": a party is blamed; "blamed the drought" is not
            # (the parse may hang "on a militia gang" from the attack; "on Monday" blames no one)
            return any(is_party_word(b) for b in with_objects(tok)[1:] + objects_of_preps(tok, ("on",)))
        if key == "party_obj":
            for c in tok.children:
                if c.dep_ != "dobj":
                    continue
                is_place = c.i in self.ctx.place_roots or c.ent_type_ in ("GPE", "LOC")
                if not is_place and (c.ent_type_ in ("PERSON", "ORG", "NORP") or c.lower_ in ROLE_NOUNS
                                     or c.lemma_.lower() in ROLE_NOUNS):
                    return True
                if is_place:
                    # a visit abroad is a meeting with the host; a minister touring a town at home is not
                    code = country_of_name(c.text)
                    home = self.ctx.home_country
                    subj = next((s for s in tok.children if s.dep_ == "nsubj"), None)
                    subj_code = self.ctx.person_country.get(self.ctx.ent_by_char.get(subj.idx, "")) if subj is not None else None
                    if code and (subj_code or home) and code != (subj_code or home):
                        return True
            return False
        if key == "proposal_arg":
            # "agreed to a truce that was proposed by the Quad", "accepted a ceasefire proposed by Egypt"
            return proposer(tok) is not None
        if key == "obj_party":
            # "slammed the government", "assailed his rivals": blame aimed at a party, not a car slamming into a wall
            return any(c.dep_ == "dobj" and is_party_word(c) for c in tok.children)
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
            if gov is not None and (gov.lemma_.lower() in value or gov.lower_ in value):
                return True
            # the parse may miss the verb: a headline's "arrests made", or "several arrests were made"
            # hung on the noun before; the verb right after the noun, passive, is its own
            if any(c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in value for c in tok.children):
                return True
            after = [t for t in tok.doc[tok.i + 1:tok.i + 4]]
            passive = after[:2] if after and after[0].dep_ == "auxpass" else []
            return len(passive) == 2 and passive[1].tag_ == "VBN" and passive[1].lemma_.lower() in value and not any(
                c.dep_ in ("oprd", "acomp", "xcomp", "ccomp") for c in passive[1].children)  # not "were made public"
        if key == "not_head":
            return not (tok.dep_ == "pobj" and tok.head.lower_ in value)
        if key == "head_chain":
            return any(a.lemma_.lower() in value for a in ancestors_upto(tok, 3))
        if key == "xcomp":
            return bool(_complements(tok))
        if key == "not_xcomp_lemmas":
            # "declined to comment": no answer is not a rejection
            return not any(c.lemma_.lower() in value for c in _complements(tok))
        if key == "xcomp_lemmas":
            # "directed security agents to hunt for the attackers": what they are sent to do
            return any(c.lemma_.lower() in value for c in _complements(tok))
        if key == "xcomp_obj":
            # "asked diplomats to leave", not "asked Ford if he still had the ball": a question asks for no act
            return any(c.dep_ in ("xcomp", "ccomp") and not _a_question(c) for c in tok.children) and any(
                c.dep_ in ("dobj", "dative") for c in tok.children)
        if key == "weapon_subj":
            return weapon_mode_of(subject_tokens(tok)) is not None
        if key == "arg_place":
            # a place the parser tagged, a place noun with its name, or a name the places component
            # resolved ("captured Kidal", Kidal tagged NORP)
            return any(a.ent_type_ in ("GPE", "LOC", "FAC") or a.i in self.ctx.place_roots or _named_place_noun(a) for a in _args(tok)
                       if a.dep_ in ("dobj", "nsubjpass") or tok.pos_ == "NOUN" and a.head.lower_ == "of")
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
        if key in ("counts_or_date", "place_or_date", "place_or_counts", "counts"):
            return True  # checked once arguments are known
        # lexicon.check_triggers admits only CONDITION_KEYS, so this is a key given no rule here
        raise LexiconError(f"condition {key!r} is known to the lexicon but has no rule")




def _aimed_at(prep: Token) -> bool:
    """A preposition whose object is something a weapon was aimed at, not a time or the open sea."""
    for p in prep.children:
        if p.dep_ == "pobj":
            return not (p.ent_type_ in ("DATE", "TIME") or p.like_num or p.lemma_.lower() in NOT_AIMED_AT)
    return False


def demanded_party(tok: Token) -> Optional[Token]:
    """'Russia said that Sudan must return the helicopter': a statement that
    another named party must act is a demand on that party. Not 'the country
    must prepare' (no named party) nor 'we must' (the speaker's own duty)."""
    speaker = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    for clause in tok.children:
        if clause.dep_ != "ccomp" or not any(c.dep_ == "aux" and c.lower_ == "must" for c in clause.children):
            continue
        subj = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.pos_ == "PRON":
            continue
        named = subj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or subj.lemma_.lower() in FORCE_NOUNS | AUTHORITY_NOUNS
        if named and (speaker is None or subj.text.lower() not in speaker.text.lower()):
            return subj
    return None


def is_party_word(tok: Token) -> bool:
    """A person, group, institution or state, as a subject can name one."""
    lemma = tok.lemma_.lower()
    return (tok.lower_ in PARTY_PRONOUNS or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
            or tok.pos_ == "PROPN" or lemma in ROLE_NOUNS or lemma in FORCE_NOUNS or lemma in ARMED_PEOPLE
            or lemma in GENERIC_PARTIES or tok.lower_ in GENERIC_PARTIES or lemma in AUTHORITY_NOUNS or lemma in PARTY_NOUNS)


def hyphenated(tok: Token) -> str:
    """'sit-in', 'cyber-attack': a hyphenated word the tokenizer split, read
    from its last part ("a sit - in": the head "in")."""
    i = tok.i
    if i >= 2 and tok.doc[i - 1].text == "-" and not tok.doc[i - 1].whitespace_ and not tok.doc[i - 2].whitespace_:
        return f"{tok.doc[i - 2].lower_}-{tok.lemma_.lower()}"
    return ""


def find_triggers(ctx: Ctx) -> list[Mention]:
    index = trigger_index()
    conditions = Conditions(ctx)
    out: list[Mention] = []
    for sent_index, sent in enumerate(ctx.doc.sents):
        for tok in sent:
            found = _trigger_entries(tok, sent, index)
            if found is None:
                continue
            pos, entries = found
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


def _trigger_entries(tok: Token, sent, index: dict) -> Optional[tuple[str, list[dict]]]:
    """The part of speech a word is read as and the trigger entries it may
    be, or None when it is no trigger (a word of a name, a kind of charge)."""
    if _storm_title(tok) and tok.dep_ == "compound" and tok.head.pos_ == "PROPN" and tok.is_title:
        # "Typhoon Gaemi hit Taiwan": the storm a name is given to, read as the storm
        entries = index.get(("NOUN", tok.lower_))
        return ("NOUN", entries) if entries else None
    pos = tok.pos_
    if pos == "PROPN":
        if tok.is_title and tok.i != sent.start:
            return None
        pos = "NOUN"
    if pos not in ("VERB", "NOUN"):
        if pos == "ADJ" and tok.lower_ in ("offensive",):
            pos = "NOUN"
        else:
            return None
    lemma = tok.lemma_.lower()
    entries = index.get((pos, lemma)) or index.get((pos, tok.lower_)) or index.get((pos, hyphenated(tok)))
    misread_plural = not entries and _first_word_read_as_name(tok, sent) and tok.lower_.endswith("s")
    if misread_plural:
        # "Wildfires destroyed 200 homes": a plural noun opening the sentence, tagged as a name
        entries = [e for e in index.get((pos, tok.lower_[:-1]), []) if e.get("plural") != "skip"]
    if not entries:
        return None
    if tok.ent_type_ in ENTITY_NOUN_TYPES and pos == "NOUN" and not misread_plural:
        return None
    if pos == "NOUN" and tok.is_title and tok.i != sent.start and not tok.is_sent_start:
        # a capitalised noun inside a name: "Air Accidents Investigation Branch"
        if any(t.is_title for t in (tok.nbor(-1), tok.nbor(1) if tok.i + 1 < len(tok.doc) else tok) if t.i != tok.i):
            return None
    if tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN") or (
            tok.dep_ == "conj" and tok.head.dep_ == "compound" and tok.head.head.pos_ in ("NOUN", "PROPN")):
        return None  # "murder and kidnapping charges": kinds of charge, not events
    if pos == "NOUN" and _offence_named(tok):
        return None
    return pos, entries


TELLER_PRONOUNS = ("it", "they", "we")


def _pronoun_teller(tok: Token) -> Optional[Token]:
    """'the army said it had withdrawn': the one who said it, for whom the
    subject pronoun of `tok` stands (none when the teller is a pronoun too)."""
    said_by = teller_of(tok)
    return said_by if said_by is not None and said_by.pos_ != "PRON" else None


def _active_participle(tok: Token) -> bool:
    """'Israeli strikes killed at least 30 Palestinians', parsed as a noun
    with a participle: a past participle with an object of its own is no
    passive, the noun it hangs on is its subject."""
    return tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ == "NOUN" and any(
        c.dep_ == "dobj" for c in tok.children) and not any(c.dep_ == "agent" for c in tok.children)


def _offence_named(tok: Token) -> bool:
    """'convicted of assault', 'a life sentence for aggravated sexual
    assault': an offence named by its kind, with no one it was done to (but
    'charged with the killing of her husband', 'jailed for the bombing of a
    bus' tell an act)."""
    if tok.lemma_.lower() not in OFFENCE_NOUNS and tok.lower_ not in OFFENCE_NOUNS:
        return False
    head = tok.head.head if tok.dep_ == "conj" and tok.head.dep_ == "pobj" else tok
    return head.dep_ == "pobj" and head.head.lower_ in ("for", "of", "with") and not any(
        c.dep_ in ("det", "poss") or c.dep_ == "prep" and c.lower_ in ("of", "on", "against", "upon") for c in tok.children)


def _first_word_read_as_name(tok: Token, sent) -> bool:
    """The sentence's first word tagged as a one-word name."""
    return tok.pos_ == "PROPN" and tok.i == sent.start and tok.ent_iob_ != "I" and not (
        tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].ent_iob_ == "I")


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
        if key == "counts" and not has_counts:
            return False
    return True


def _named_place_noun(tok: Token) -> bool:
    """'el-Fasher city', 'the city of Bakhmut', 'Kramatorsk airport': a place
    noun with its name."""
    return tok.lemma_.lower() in PLACE_NOUNS | FACILITY_NOUNS and bool(place_noun_names(tok))


def _complements(tok: Token) -> list[Token]:
    """A verb's infinitive complements: 'offered to resume talks', also when
    a circumstance in between makes the parser hang it as an adverbial
    clause ('offered on Monday to resume talks')."""
    return [c for c in tok.children if c.dep_ == "xcomp" or _to_infinitive(c)]


def _doer(tok: Token) -> Optional[Token]:
    """Who did what a verb says: its subject, the agent of its passive, the
    noun a relative clause hangs on ('the man who killed'), or the subject
    of the clause a participle belongs to."""
    agent = next((c for c in tok.children if c.dep_ == "agent"), None)
    if agent is not None:
        return next((p for p in agent.children if p.dep_ == "pobj"), None)
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is not None and tok.tag_ == "VBN" and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in tok.children):
        return None  # "Teen Killed By Police", "she saw Horton killed": a passive without its auxiliary
    if subj is None and tok.tag_ == "VBG" and tok.dep_ in ("advcl", "conj", "xcomp"):
        subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
    if (subj is None or subj.lower_ in ("who", "that")) and tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN"):
        subj = tok.head
    return subj


def proposer(verb: Token) -> Optional[Token]:
    """The party whose proposal the verb accepts: the agent of 'proposed by
    X' on the verb's object ('accepted a ceasefire proposed by Egypt',
    'agreed to a truce that was proposed by the Quad')."""
    objects = [c for c in verb.children if c.dep_ == "dobj"] + [
        p for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" for p in c.children if p.dep_ == "pobj"]
    for obj in objects:
        for clause in obj.children:
            if clause.dep_ in ("acl", "relcl") and clause.lemma_.lower() in PROPOSING_VERBS:
                agent = next((c for c in clause.children if c.dep_ == "agent"), None)
                doer = next((p for p in agent.children if p.dep_ == "pobj"), None) if agent is not None else None
                if doer is not None:
                    return doer
        if obj.lemma_.lower() in PROPOSAL_NOUNS:
            # "accepted a ceasefire proposal from Egypt and Qatar", "accepted Egypt's plan"
            source = next((p for c in obj.children if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by")
                           for p in c.children if p.dep_ == "pobj"), None) or next(
                (c for c in obj.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
            if source is not None:
                return source
    return None


def _person_word(tok: Optional[Token]) -> bool:
    return tok is not None and not _named_storm(tok) and (
        tok.ent_type_ == "PERSON" or tok.lemma_.lower() in PERSON_NOUNS or tok.lower_ in ("he", "she"))


def _named_storm(name: Token) -> bool:
    """'Cyclone Freddy', 'Typhoon Gaemi': a storm's name, which the tagger
    takes for a person's."""
    return any(c.dep_ == "compound" and _storm_title(c) for c in name.children)


def _storm_title(tok: Token) -> bool:
    """'Typhoon', 'Hurricane', 'Cyclone', and 'Storm' after 'Tropical' ('Storm'
    alone is also a given name: 'Storm Davis, a local farmer')."""
    if tok.lower_ == "storm":
        return tok.i > 0 and tok.nbor(-1).lower_ in ("tropical", "subtropical")
    return tok.lower_ in STORM_TITLES


def _a_question(clause: Token) -> bool:
    """'(asked him) if he still had it', 'whether ...', 'why ...', or a quoted
    question: what is asked is an answer."""
    first = min(clause.subtree, key=lambda t: t.i)
    return first.lower_ in QUESTION_WORDS or any(c.dep_ == "mark" and c.lower_ in QUESTION_WORDS for c in clause.children) \
        or any(t.text == "?" for t in clause.subtree)
