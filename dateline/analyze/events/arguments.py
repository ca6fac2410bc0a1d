"""Stage 3, arguments: actor and target from the parse (subject, agent,
possessor, nationality adjective; object, "on X", "with X"), named by the
entities component (the parties of meetings and calls: participants.py)."""

from __future__ import annotations

from typing import Iterable, Optional

from spacy.tokens import Token

from dateline.analyze.events.context import (
    Mention, _norp_modifier, country_label, country_name, country_named_by, country_of_demonym, country_of_name,
    party_country,
)
from dateline import lexicons
from dateline.analyze.events.detect import demanded_party, is_party_word, proposer, weapon_mode_of
from dateline.analyze.events.lexicon import (
    ACT_NOUNS, ARMED_PEOPLE, FORCE_NOUNS, GENERIC_PARTIES, LIGHT_VERBS, MEDIA_NOUNS, NATURAL_KINDS, PERSON_NOUNS,
    OFFENCE_NOUNS, QUANTITY_NOUNS, ROLE_NOUNS, SEQUENCE_VERBS, SUBJECT_CONTROL, TRANSPORT_NOUNS,
)
from dateline.analyze.events.names import Namer
from dateline.analyze.events.policy import policy
from dateline.analyze.events.syntax import (
    _args, _lemma_set, _pobj, ancestors_upto, governing_verb, headline_case, is_passive, is_reporting,
    objects_of_preps, subject_tokens, teller_of,
)


RELATIVE_PRONOUNS = ("who", "that", "which")
# where a weapon's aim is told: "launched drones at Kyiv", "fired on a checkpoint"
AIM_PREPS = ("at", "on", "against", "toward", "towards", "into")


def _agent_of_noun(tok: Token) -> Optional[Token]:
    for c in tok.children:
        if c.dep_ in ("prep", "agent") and c.lower_ == "by":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
        if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_ not in SEQUENCE_VERBS:
            # "the attack launched by the RSF" (but "a truce followed by a political process": what came next)
            for a in c.children:
                if a.dep_ == "agent":
                    for p in a.children:
                        if p.dep_ == "pobj":
                            return p
    for c in tok.children:
        if c.dep_ == "poss" and c.ent_type_ not in ("DATE", "TIME") and c.pos_ != "PRON":
            return c
    return None


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
    if gov is None or gov.pos_ != "VERB" or (gov.lemma_.lower() not in heads and gov.lower_ not in heads):
        return None
    if is_passive(gov):
        agent = next((c for c in gov.children if c.dep_ == "agent"), None)
        doer = _pobj(agent) if agent is not None else None
        return None if doer is not None and doer.lemma_.lower() in TRANSPORT_NOUNS else doer  # not "by boat"
    subj = next((c for c in gov.children if c.dep_ == "nsubj"), None)
    if subj is None and gov.dep_ in ("xcomp", "conj") and gov.head.pos_ == "VERB":
        subj = next((c for c in gov.head.children if c.dep_ == "nsubj"), None)
    if subj is not None and (subj.pos_ == "PRON" and subj.lower_ in RELATIVE_PRONOUNS):
        return None
    return subj


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


def _reduced_passive(tok: Token) -> bool:
    """A past participle with a subject but no auxiliary and no object, which
    the parser reads as active: "the woman accused of killing two
    co-workers", a headline's "Teen Killed By Police", "Gang Member
    Convicted Of Murder"."""
    subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    # (a thing as subject keeps the active reading, "an IED detonated under a convoy", except in a headline)
    return (tok.tag_ == "VBN" and subject is not None and (subject.ent_type_ == "PERSON" or subject.lemma_.lower()
                                                            in PERSON_NOUNS or subject.lower_ in ("he", "she")
                                                            or tok.dep_ == "ROOT" and headline_case(tok.sent))
            and not any(c.dep_ in ("aux", "auxpass", "dobj") for c in tok.children))


def _party_asked_in_clause(tok: Token) -> Optional[Token]:
    """'demanded that the Turkish government provide information': the
    subject of the clause a demand asks for is the one asked."""
    for clause in tok.children:
        if clause.dep_ == "ccomp" and clause.pos_ in ("VERB", "AUX"):
            subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.pos_ != "PRON" and is_party_word(subject):
                return subject
    return None


def _pronoun_fits(pronoun: Token, speaker: Token) -> bool:
    """Whether the speaker can be the pronoun: 'the ministry said it had
    arrested', 'Lopez said he fired', but not 'She shot the other three,
    police say'."""
    body = speaker.ent_type_ in ("ORG", "GPE", "NORP")  # "the Rapid Support Forces said it"
    named_person = speaker.ent_type_ == "PERSON" or speaker.lemma_.lower() in PERSON_NOUNS | ROLE_NOUNS
    person = not body and (named_person or speaker.pos_ == "PROPN" and speaker.ent_type_ not in ("LOC", "FAC"))
    common_plural = speaker.tag_ == "NNS" or speaker.lower_ == "police"  # "police say"
    plural = common_plural or speaker.tag_ == "NNPS"
    if pronoun.lower_ in ("he", "she"):
        return person and not plural
    if pronoun.lower_ == "it":
        return body or not (named_person or common_plural)
    return body or plural or not person  # "they", "we": a body or several people


def _verb_or_be(clause: Token) -> bool:
    """Whether a clause's head is a verb, or 'be' carrying a plan ('Toledo is to surrender')."""
    head = clause.head
    return head.pos_ == "VERB" or (head.pos_ == "AUX" and head.lemma_ == "be" and clause.dep_ == "xcomp"
                                   and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children))


def _passive_conjunct_subject(tok: Token) -> Optional[Token]:
    """'was arrested in March and charged with fraud', 'was extradited ...
    and convicted ... and sentenced': a participle joined to a passive verb,
    with no subject, auxiliary or object of its own, is passive on the same
    subject. Returns that subject."""
    if tok.tag_ != "VBN" or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj") for c in tok.children):
        return None
    up = tok
    for _ in range(3):
        if up.dep_ != "conj" or up.head.pos_ != "VERB":
            return None
        up = up.head
        subject = next((c for c in up.children if c.dep_ == "nsubjpass"), None)
        if subject is not None:
            return subject
        if up.tag_ != "VBN" or any(c.dep_ in ("nsubj", "dobj") for c in up.children):
            return None
    return None


def _modified_noun_arguments(tok: Token, actor: Optional[Token], target: Optional[Token],
                             ) -> tuple[Optional[Token], Optional[Token]]:
    """A verb trigger inside a clause that describes a noun takes that noun
    as an argument: 'the men who kidnapped ...' and 'prosecutors
    investigating ...' name the doers, 'the workers who were kidnapped' and
    'the aid workers kidnapped in Gao' the victims."""
    head = tok.head
    if tok.dep_ not in ("relcl", "acl") or head.pos_ not in ("NOUN", "PROPN") or head.ent_type_ in ("DATE", "TIME"):
        return actor, target
    if tok.dep_ == "relcl":
        if actor is not None and actor.lower_ in RELATIVE_PRONOUNS:
            actor = head
        if target is not None and target.lower_ in RELATIVE_PRONOUNS:
            target = head
        return actor, target
    if tok.tag_ == "VBG" and actor is None:
        actor = head
        if head.lemma_.lower() in lexicons.words("document_nouns.txt") and head.dep_ == "dobj":
            # "the party issued a declaration demanding ...": its authors demand
            actor = next((c for c in head.head.children if c.dep_ == "nsubj"), head)
    elif tok.tag_ == "VBN" and target is None:
        target = head
    return actor, target


def _offence(tok: Token) -> bool:
    """What one is charged with or sentenced to ('two counts of murder',
    'life in prison'), not whom an act is aimed at."""
    return tok.lemma_.lower() in OFFENCE_NOUNS or tok.lower_ in OFFENCE_NOUNS


def _is_weapon(tok: Token) -> bool:
    """The head noun itself names a weapon ('20 bombs', 'a barrage of rockets'),
    not a target that merely has one in its phrase ('the weapons depot')."""
    heads = [tok] + [t for t in tok.subtree if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.i == tok.i
                     and tok.lemma_.lower() in QUANTITY_NOUNS]
    return any(weapon_mode_of([h]) is not None and h.pos_ == "NOUN" for h in heads)


def _speaker_for_own_side(m: Mention, namer: Namer) -> Optional[tuple[Token, Optional[Token]]]:
    """A statement-type event told by a named person about his own country or
    organisation ('Putin told Trump that Moscow will not give up') is the
    person's act, aimed at whom he told. Returns the speaker and the listener."""
    tok = m.tok
    if not policy(m.type).speech or tok.pos_ != "VERB" or tok.dep_ != "ccomp" or not is_reporting(tok.head) \
            or is_passive(tok) or _reduced_passive(tok) or m.entry.get("subject_is_target"):
        return None  # (a passive's doer is unnamed: "says the woman accused of killing ..." accuses no one)
    speaker = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
    if speaker is None or speaker.ent_type_ != "PERSON":
        return None
    side = m.actor_tok
    side_country = namer.country_of(side) if side is not None and side.ent_type_ in ("GPE", "ORG", "NORP") else None
    own = side is None or side.lower_ in ("it", "we") or (
        side_country is not None and side_country == namer.ctx.person_country.get(namer.name(speaker) or ""))
    if not own:
        return None
    listener = next((c for c in tok.head.children if c.dep_ in ("dobj", "dative") and can_be_party(c)), None)
    return speaker, listener


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
        shared_subject = _passive_conjunct_subject(tok)
        passive = is_passive(tok) or _reduced_passive(tok) or shared_subject is not None
        target_tok = shared_subject
        for c in tok.children:
            if c.dep_ == "nsubj" and passive:
                target_tok = c  # "the woman accused of killing two co-workers", "Teen Killed By Police"
            elif c.dep_ == "nsubj":
                actor_tok = c
            elif c.dep_ == "agent":
                agent = _pobj(c)
                if agent is not None and agent.lemma_.lower() not in TRANSPORT_NOUNS:
                    actor_tok = agent  # (not "delivered by boat": the means)
            elif c.dep_ == "nsubjpass" and passive:
                target_tok = c
            elif c.dep_ == "dobj" and not passive and not _offence(c):
                target_tok = c  # (not "handed a death sentence to Lan": the one sentenced follows)
        up = tok
        for _ in range(3):
            # "Iran vowed to retaliate and launched ...": the subject up the chain of shared-subject verbs
            if actor_tok is not None or up.dep_ not in ("xcomp", "conj", "advcl") or not _verb_or_be(up) or (
                    passive and up.dep_ == "advcl"):  # "charged a man after he was arrested": not by the prosecutors
                break
            if up.dep_ == "advcl" and any(c.dep_ in ("nsubj", "nsubjpass") for c in up.children):
                break
            if passive and up.dep_ == "conj" and is_passive(up):
                # "entered a not guilty plea and was remanded in custody": the shared subject undergoes it
                if target_tok is None:
                    target_tok = next((c for c in up.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                break
            actor_tok = next((c for c in up.head.children if c.dep_ == "nsubj"), None)
            if up.dep_ == "xcomp" and up.head.lemma_.lower() not in SUBJECT_CONTROL:
                # "ordered Toledo to surrender", "persuaded her to surrender": the one told acts
                actor_tok = next((c for c in up.head.children if c.dep_ == "dobj"), actor_tok)
            up = up.head
        if actor_tok is None and not passive and tok.dep_ == "conj" and tok.head.pos_ == "ADJ" \
                and tok.head.dep_ == "acomp" and any(c.dep_ == "dobj" for c in tok.children):
            # "Alia said the attack was unprovoked and directed security agents to ...": the parser joins the
            # act to the adjective; one who acts on an object is the one who said it
            actor_tok = teller_of(tok, 5)
        if target_tok is None and passive:
            # "A deputy interviewing a woman ... was fatally shot", parsed as a clause for the subject
            clause = next((c for c in tok.children if c.dep_ == "csubjpass"), None)
            target_tok = next((c for c in clause.children if c.dep_ == "nsubj"), None) if clause is not None else None
        if target_tok is None:
            # "found Nicolas Sarkozy guilty": the subject of the small clause
            small = next((c for c in tok.children if c.dep_ in ("ccomp", "oprd") and c.pos_ in ("ADJ", "NOUN")), None)
            if small is not None:
                target_tok = next((c for c in small.children if c.dep_ == "nsubj"), None)
        actor_tok, target_tok = _modified_noun_arguments(tok, actor_tok, target_tok)
        if actor_tok is None and tok.tag_ == "VBG" and tok.i > 0 and tok.nbor(-1).pos_ == "PROPN":
            actor_tok = tok.nbor(-1)  # "led to Ukraine calling in the envoy"
        if m.entry.get("target_from_clause"):
            target_tok = demanded_party(tok)  # "said that Sudan must return ...": Sudan is asked
        elif m.type == "REQUEST" and target_tok is None:
            target_tok = _party_asked_in_clause(tok)  # "demanded that President Mugabe abandon ...": Mugabe is asked
        if tok.lemma_.lower() == "blame":
            # "blamed the attack on a militia gang": the one blamed is the target, not the attack
            target_tok = next(iter(objects_of_preps(tok, ("on",))), target_tok)
        wanted = _arg_matching(tok, m.entry)
        if wanted is not None and not _offence(wanted):
            target_tok = wanted
        means_object = bool(m.entry.get("target_from_preps"))
        if means_object:
            # "handed over medicine to the Red Crescent", "withdrew its troops from Panama", "set fire to the
            # bank": what is given, moved or used is the object, never the target ("set the bank on fire": an
            # object that is not the means is)
            target_tok = _recipient(tok, m.entry["target_from_preps"])
            if target_tok is None:
                target_tok = next((c for c in tok.children if c.dep_ == "dobj"
                                   and (wanted is None or wanted.i not in {t.i for t in c.subtree})), None)
        if m.entry.get("target_is_proposer"):
            target_tok = proposer(tok) or target_tok  # "agreed to a truce proposed by the Quad": the Quad
        if m.entry.get("subject_is_target"):
            # "the two men face charges", "was handed a ten-year sentence": the subject is accused or sentenced
            subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            actor_tok, target_tok = None, subject if subject is not None else actor_tok
        if m.entry.get("teller_blames"):
            # "Castro said the attack was planned by the gangs", "Leavitt said the leaders abdicated their
            # responsibility", "Peskov said Kyiv was to blame": the one who said it accuses the one blamed
            if passive:
                blamed = next((_pobj(c) for c in tok.children if c.dep_ == "agent"), None)
            else:
                blamed = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                if blamed is None and tok.dep_ == "xcomp":
                    blamed = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            actor_tok = namer.ctx.quoted_speaker(tok.idx) or teller_of(tok, 5)
            target_tok = blamed
        if target_tok is not None and target_tok.lemma_.lower() in ("winner", "victor"):
            # "declared Conde winner of the October 11 poll", parsed with the name as a compound of "winner"
            target_tok = next((c for c in target_tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"), target_tok)
        if m.entry.get("weapon_obj"):
            # "launched 40 drones at Ukraine": the object is the weapon, the target follows a preposition
            target_tok = next(iter(objects_of_preps(tok, AIM_PREPS)), None)
        if target_tok is None and not means_object:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("on", "upon", "against", "with", "to", "at"):
                    target_tok = _pobj(c)
                    if target_tok is not None and c.lower_ == "with" and weapon_mode_of(target_tok.subtree):
                        target_tok = None  # "shot with rubber pellets", "attacked with knives": the means
                    elif target_tok is not None and _offence(target_tok):
                        target_tok = None  # "charged with murder", "sentenced to life", "stabbed to death"
                    if target_tok is not None:
                        break
        if target_tok is not None and m.type == "ASSAULT" and _is_weapon(target_tok):
            # "fired a barrage of rockets at Sderot": the weapon is the object, its aim hangs from it (or
            # nothing: the weapon is never the target, see below)
            target_tok = next((_pobj(c) for c in target_tok.children if c.dep_ == "prep" and c.lower_ in AIM_PREPS), None)
    else:
        actor_tok = _agent_of_noun(tok)
        carrier = tok
        while carrier.dep_ == "pobj" and carrier.head.lower_ == "of" and carrier.head.head.pos_ == "NOUN":
            carrier = carrier.head.head  # "declared a state of emergency": the state is what was declared
        if actor_tok is None:
            gov = carrier.head
            if carrier.dep_ in ("dobj",) and gov.lemma_.lower() in LIGHT_VERBS:
                actor_tok = next((c for c in gov.children if c.dep_ == "nsubj"), None)
                if actor_tok is None and gov.dep_ == "xcomp":
                    # "prompting Kyiv's top general to order a strengthening": object control
                    actor_tok = next((c for c in gov.head.children if c.dep_ in ("dobj",)), None) or next(
                        (c for c in gov.head.children if c.dep_ == "nsubj"), None)
            elif tok.dep_ == "nsubjpass" and gov.lemma_.lower() in LIGHT_VERBS:
                agent = next((c for c in gov.children if c.dep_ == "agent"), None)
                actor_tok = _pobj(agent) if agent is not None else None
                if actor_tok is not None and actor_tok.lemma_.lower() in TRANSPORT_NOUNS:
                    actor_tok = None  # "aid was delivered by boat": the means
        if actor_tok is None:
            actor_tok = _doer_of_head(tok, m.entry)
        if actor_tok is not None and actor_tok.i == tok.i:
            actor_tok = None  # "tear gas filled the air": the trigger is no doer of itself
        if actor_tok is None and m.type != "PROTEST":
            # ("Greek riots" are where they are, not the Greek state's act: see place.choose_place)
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
        preps = policy(m.type).noun_target_preps
        # "the attack launched by X on Y", "shelling by the RSF on the camp"
        holders = [tok] + [c for c in tok.children if c.dep_ == "acl"] + [
            p for c in tok.children if c.dep_ in ("prep", "agent") and c.lower_ == "by" for p in c.children if p.dep_ == "pobj"]
        if tok.dep_ == "nsubjpass":
            holders.append(tok.head)  # "sanctions were imposed on six banks": the verb carries the noun's target
        for h in holders:
            # in the policy's order: "the withdrawal of its forces from Panama" is from Panama
            found = [(preps.index(c.lower_), _pobj(c)) for c in h.children if c.dep_ == "prep" and c.lower_ in preps]
            found = sorted((n, cand.i, cand) for n, cand in found if cand is not None and cand.ent_type_ not in ("DATE", "TIME"))
            if found:
                target_tok = found[0][2]
                # "the withdrawal of some forces from Panama", where "from" hangs on the forces
                inner = [(preps.index(c.lower_), _pobj(c)) for c in target_tok.children
                         if c.dep_ == "prep" and c.lower_ in preps[:found[0][0]]]
                inner = sorted((n, cand.i, cand) for n, cand in inner if cand is not None and cand.ent_type_ not in ("DATE", "TIME"))
                if inner:
                    target_tok = inner[0][2]
                break
        if target_tok is None and m.entry.get("target_from_preps") and tok.dep_ == "dobj":
            # "lodged a protest with North Korea": the one a formal protest is delivered to, on the verb
            target_tok = next((t for p in m.entry["target_from_preps"]
                               for t in objects_of_preps(tok.head, (p,)) + objects_of_preps(tok, (p,))), None)
        if target_tok is None:
            # "sanctions targeting Iran's oil network", "strikes hitting power plants"
            aimed = next((c for c in tok.children if c.dep_ == "acl" and c.lemma_ in ("target", "hit", "aim")), None)
            target_tok = next((c for c in aimed.children if c.dep_ == "dobj"), None) if aimed is not None else None
        if target_tok is None and tok.dep_ in ("nsubj",) and tok.head.lemma_ in ("hit", "target", "destroy", "damage", "strike", "kill"):
            target_tok = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
        if m.entry.get("subject_is_target"):
            # "four officers went on trial", "her trial opened": the one tried is no doer
            if actor_tok is not None and actor_tok.i != tok.i and target_tok is None:
                target_tok = actor_tok
            if target_tok is None:
                target_tok = next((c for c in tok.children if c.dep_ == "poss"), None)
            actor_tok = None
        if m.entry.get("actor_from_preps"):
            # "drew condemnation from the United Nations": the one condemning
            actor_tok = next(iter(objects_of_preps(tok, tuple(m.entry["actor_from_preps"]))), actor_tok)
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
        subj = teller_of(tok)
        if subj is not None and subj.pos_ != "PRON" and _pronoun_fits(actor_tok, subj) \
                and namer.ctx.direct_quote_at(actor_tok.idx) is None:
            # (inside a direct quotation "she" is never the one quoted, who would say "I")
            actor_tok = subj
    if between is not None and not (m.mode == "third-party" and actor_tok is not None):
        # two-sided actions: "fighting between the SAF and the RSF"
        actor_tok, actor_name = between, None
    if actor_tok is not None and actor_name is None:
        actor_name = namer.name(actor_tok)
        # "Honduran President Xiomara Castro": a person's country from how the article introduces them
        m.actor_country = namer.country_of(actor_tok) or namer.ctx.person_country.get(actor_name or "") or (
            country_of_name(actor_name) if actor_name in namer.countries_named() else None) or (  # "the North"
            party_country(actor_name, country_named_by, namer.ctx)  # "U.S. Department of Treasury" as the entities name it
            if actor_name and namer.ctx.ent_type_by_char.get(actor_tok.idx) == "ORG" else None)
    m.actor, m.actor_tok = actor_name, actor_tok
    _as_its_state(actor_name, actor_tok, m)
    speaker = _speaker_for_own_side(m, namer)
    if speaker is not None:
        # "Putin told Trump that Moscow will not give up its aims": the leader speaks for his country to the listener
        m.actor, m.actor_tok = namer.name(speaker[0]), speaker[0]
        if speaker[1] is not None and (target_tok is None or not can_be_party(target_tok)):
            target_tok = speaker[1]
    if target_tok is not None and m.type == "ASSAULT" and _is_weapon(target_tok):
        target_tok = None  # "detonated at least 20 bombs", "fired rockets": the weapon, not whom it hit
    if target_tok is None or not is_party_word(target_tok):
        # "threatened further action against Russia", "staged rallies against the party's leader": what an
        # act is against is its target when its object is no party
        aimed = _against(tok, target_tok)
        if aimed is not None:
            target_tok = aimed
    if m.type == "THREATEN" and (target_tok is None or not can_be_party(target_tok)):
        target_tok = _party_of_the_condition(tok) or target_tok
    if target_tok is not None and policy(m.type).speech:
        target_tok = _doer_of_act(target_tok) or target_tok
    if target_tok is not None:
        m.target = namer.name(target_tok)
        m.target_tok = target_tok
        if policy(m.type).speech:
            # "Kyiv accused Moscow of ...": a capital spoken to or of is its state (one struck is the city)
            _as_its_state(m.target, target_tok, m, field="target")


def _as_its_state(name: Optional[str], tok: Optional[Token], m: Mention, field: str = "actor") -> None:
    """'Pyongyang launched a satellite', 'Moscow said': a capital standing
    alone for a party is its state (lexicons/capitals.tsv), named as news
    names the country."""
    code = lexicons.capitals().get(name or "")
    if code is not None and tok is not None and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos") \
            and not any(c.dep_ in ("poss", "compound") for c in tok.children):
        setattr(m, field, country_name(code))
        if field == "actor":
            m.actor_country = code


def _against(trigger: Token, target: Optional[Token]) -> Optional[Token]:
    """The party after "against" on the trigger, on its object or on a noun
    the trigger governs ("for a war against Iraq")."""
    holders = [trigger] + ([target] if target is not None else [])
    if trigger.pos_ != "VERB" and trigger.dep_ == "dobj" and trigger.head.pos_ == "VERB":
        holders.append(trigger.head)  # "staged rallies in Tirana against the prime minister"
    holders += [p for h in list(holders) for c in h.children if c.dep_ == "prep" and c.lower_ in ("for", "in", "of")
                for p in c.children if p.dep_ == "pobj"]
    for h in holders:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ == "against":
                party = _pobj(c)
                if party is not None and is_party_word(party):
                    return party
    return None


def _recipient(verb: Token, preps: Iterable[str]) -> Optional[Token]:
    """The target of a verb whose object is what it gives or moves (its
    trigger names the prepositions of the target): the verb's dative ("gave the villagers food") or the object of
    a recipient preposition on the verb or its object ("delivered goods to
    the hospital")."""
    if not preps:
        return None
    dative = next((c for c in verb.children if c.dep_ == "dative" and c.pos_ != "ADP"), None)
    return dative if dative is not None else next(iter(objects_of_preps(verb, preps)), None)


def _party_of_the_condition(tok: Token) -> Optional[Token]:
    """'a threat that if Newsom and Bass can't do their jobs, the federal
    government will step in': the one threatened is the party whose conduct
    the threat's condition names."""
    for t in tok.subtree:
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in t.children):
            subject = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject.pos_ != "PRON" and can_be_party(subject):
                return subject
    return None


def _doer_of_act(tok: Token) -> Optional[Token]:
    """'rejected Toledo's latest legal move', 'objected to the move from the
    president': a statement about a party's act is about the party."""
    if tok.lemma_.lower() not in ACT_NOUNS and tok.lower_ not in ACT_NOUNS:
        return None
    doer = _named_doer(tok)
    if doer is None and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
        # "objected to the move and said that the move from the president was ...": one act, named once
        doer = next((d for t in tok.sent if t.i != tok.i and t.lemma_ == tok.lemma_
                     for d in [_named_doer(t)] if d is not None), None)
    return doer


def _named_doer(tok: Token) -> Optional[Token]:
    for c in tok.children:
        if c.dep_ == "poss" and c.pos_ != "PRON" and can_be_party(c):
            return c
    for c in tok.children:
        if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from", "of"):
            doer = _pobj(c)
            if doer is not None and doer.pos_ != "PRON" and (can_be_party(doer) or is_party_word(doer)):
                return doer  # (a collective noun too: "calls by student unions")
    return None


def can_be_party(tok: Token) -> bool:
    """A person, group, institution or state named as such (not the media)."""
    if tok.lemma_.lower() in MEDIA_NOUNS:
        return False
    return (tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or tok.pos_ in ("PROPN", "PRON")
            or tok.lemma_.lower() in ROLE_NOUNS or tok.lower_ in GENERIC_PARTIES)
