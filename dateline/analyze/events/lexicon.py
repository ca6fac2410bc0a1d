"""The event lexicons (dateline/lexicons/events_*.json, status_words.json),
read once and checked as they are read: a misspelt key in a trigger entry or
a condition the rules do not know would otherwise make a condition silently
true, so both are errors."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional, Union

from dateline import errors

Source = Union[str, Path, None]


class LexiconError(errors.LexiconError):
    """A lexicon file the event rules cannot use as written."""


# Conditions a trigger's `require` may name (evaluated by detect.Conditions).
# The last three are checked once arguments are known (detect.post_conditions).
CONDITION_KEYS = frozenset({
    "any_of", "arg", "not_arg", "not_obj", "not_agent", "arg_any", "prt", "not_prt", "verb_needs_arg", "subj", "subj_np", "subj_head",
    "not_present_head", "transitive", "not_guilty_negated", "not_dep", "not_transitive", "obj_prep", "arg_head",
    "not_prep", "not_norp", "not_compound", "not_gov", "not_subj", "party_obj", "obj_agent", "prep", "prep_on",
    "prep_arg", "not_prep_arg", "compound", "det", "head", "not_head", "head_chain", "xcomp", "xcomp_obj",
    "weapon_subj", "arg_place", "arg_person", "oprd_or_prep_arg", "market_move", "subj_party", "not_clause", "no_target",
    "clause", "agent_np", "xcomp_lemmas", "not_xcomp_lemmas", "not_doer", "blames_party", "demand_clause", "negated",
    "subj_person", "aimed_at_party", "not_person_poss", "not_person_doer", "obj_party", "proposal_arg",
    "counts_or_date", "place_or_date", "place_or_counts", "doer_np", "told", "counts", "subj_state",
})
# Conditions that take a second key: the words their preposition's object must be.
CONDITIONS_WITH_LEMMAS = frozenset({"prep_arg", "not_prep_arg"})
TRIGGER_KEYS = frozenset({"lemmas", "pos", "type", "mode", "kind", "priority", "plural", "weapon_obj",
                          "target_from_clause", "subject_is_target", "target_from_preps", "actor_from_preps", "target_is_proposer", "teller_blames",
                          "negated_sense", "require", "note"})
TRIGGER_POS = frozenset({"VERB", "NOUN", "ANY"})

WORD_SETS = frozenset({
    "light_verbs", "force_nouns", "definite", "temporal_preps", "topic_preps", "ready_adjectives", "multilateral",
    "phone", "quantity_nouns", "strong_moves", "armed_people", "generic_parties", "role_nouns", "media_nouns",
    "location_preps", "place_nouns", "open_marks", "facility_nouns", "sequence_verbs", "method_modes",
    "natural_kinds", "entity_noun_types", "authority_nouns", "party_pronouns", "target_preps", "not_aimed_at",
    "hyphen_qualifiers", "office_titles", "person_nouns", "party_nouns", "act_nouns", "boundary_nouns", "offence_nouns",
    "place_part_nouns", "stance_nouns", "subject_control_verbs", "question_words", "sequence_preps",
    "retaliation_nouns", "speech_nouns", "speech_verbs", "meeting_nouns", "transport_nouns", "settlement_nouns", "storm_titles", "regional_titles", "proposing_verbs", "quantifier_adjectives",
    "election_nouns", "proposal_nouns",
})


def read_json(name: str, source: Source = None) -> dict:
    """A lexicon from the package, or from `source` (a path) when given."""
    if source is not None:
        return json.loads(Path(source).read_text(encoding="utf-8"))
    return json.loads(resources.files("dateline.lexicons").joinpath(name).read_text(encoding="utf-8"))


# -- triggers --------------------------------------------------------------


def _check_condition(cond: object, where: str) -> None:
    if not isinstance(cond, dict) or not cond:
        raise LexiconError(f"{where}: a condition must be a non-empty object, not {cond!r}")
    key = next(iter(cond))
    if key not in CONDITION_KEYS:
        raise LexiconError(f"{where}: unknown condition key {key!r}")
    extra = set(cond) - {key}
    allowed = {"lemmas"} if key in CONDITIONS_WITH_LEMMAS else set()
    if extra - allowed:
        raise LexiconError(f"{where}: condition {key!r} does not take key(s) {sorted(extra - allowed)}")
    if key == "any_of":
        for n, inner in enumerate(cond[key]):
            _check_condition(inner, f"{where} any_of[{n}]")


def check_triggers(data: dict) -> list[dict]:
    triggers = data.get("triggers")
    if not isinstance(triggers, list):
        raise LexiconError("events_triggers.json: 'triggers' must be a list")
    for n, entry in enumerate(triggers):
        where = f"trigger #{n} {entry.get('lemmas', [])[:3]!r}" if isinstance(entry, dict) else f"trigger #{n}"
        if not isinstance(entry, dict):
            raise LexiconError(f"{where}: must be an object")
        unknown = set(entry) - TRIGGER_KEYS
        if unknown:
            raise LexiconError(f"{where}: unknown key(s) {sorted(unknown)}")
        for needed in ("lemmas", "pos", "type"):
            if needed not in entry:
                raise LexiconError(f"{where}: missing {needed!r}")
        if entry["pos"] not in TRIGGER_POS:
            raise LexiconError(f"{where}: pos {entry['pos']!r} is not one of {sorted(TRIGGER_POS)}")
        for key in ("target_from_preps", "actor_from_preps"):
            preps = entry.get(key, [])
            if not isinstance(preps, list) or not all(isinstance(w, str) and w.islower() for w in preps):
                raise LexiconError(f"{where}: {key} must be a list of lower-case prepositions")
        for cond in entry.get("require", []):
            _check_condition(cond, where)
    return triggers


def load_triggers(source: Source = None) -> list[dict]:
    return check_triggers(read_json("events_triggers.json", source))


@lru_cache(maxsize=None)
def trigger_index() -> dict[tuple[str, str], list[dict]]:
    """(VERB|NOUN, lemma) -> trigger entries, highest priority first."""
    out: dict[tuple[str, str], list[dict]] = {}
    for entry in load_triggers():
        poses = ("VERB", "NOUN") if entry["pos"] == "ANY" else (entry["pos"],)
        for lemma in entry["lemmas"]:
            for pos in poses:
                out.setdefault((pos, lemma.lower()), []).append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: -e.get("priority", 1))
    return out


def trigger_types() -> frozenset[str]:
    return frozenset(entry["type"] for entries in trigger_index().values() for entry in entries)


@lru_cache(maxsize=None)
def weapons() -> dict:
    return read_json("events_weapons.json")


STATUS_WORD_SETS = frozenset({
    "claimed_modifiers", "claimed_heads", "planned_modifiers", "planned_heads", "future_aux", "denied_heads",
    "irrealis_heads", "irrealis_nouns", "irrealis_aux", "irrealis_marks", "habitual_adverbs", "generic_determiners",
    "planned_nouns", "reporting_verbs", "generic_adjectives", "habitual_phrases", "forecast_verbs", "background_adjectives",
    "directive_heads", "opinion_heads", "attempt_heads", "none_words",
})


@lru_cache(maxsize=None)
def status_words() -> dict[str, frozenset[str]]:
    return check_status_words(read_json("status_words.json"))


def check_status_words(data: dict) -> dict[str, frozenset[str]]:
    return check_word_sets(data, STATUS_WORD_SETS, "status_words.json")


@lru_cache(maxsize=None)
def reporting_verbs() -> frozenset[str]:
    """Verbs that attribute an account (not 'speak' or 'talk', which are meetings)."""
    return status_words()["reporting_verbs"]


# -- word sets ---------------------------------------------------------------


def check_words(data: dict) -> dict[str, frozenset[str]]:
    return check_word_sets(data, WORD_SETS, "events_words.json")


def check_word_sets(data: dict, known: frozenset[str], file: str) -> dict[str, frozenset[str]]:
    """A file of named word lists: every known set there, no other, each a list of strings."""
    names = {k for k in data if not k.startswith("_")}
    missing, unknown = known - names, names - known
    if missing:
        raise LexiconError(f"{file}: missing word set(s) {sorted(missing)}")
    if unknown:
        raise LexiconError(f"{file}: unknown word set(s) {sorted(unknown)}")
    for name in names:
        value = data[name]
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise LexiconError(f"{file}: {name!r} must be a list of strings")
    return {name: frozenset(data[name]) for name in names}


def load_words(source: Optional[Source] = None) -> dict[str, frozenset[str]]:
    return check_words(read_json("events_words.json", source))


_WORDS = load_words()
LIGHT_VERBS = _WORDS["light_verbs"]
FORCE_NOUNS = _WORDS["force_nouns"]
DEFINITE = _WORDS["definite"]
TEMPORAL_PREPS = _WORDS["temporal_preps"]
TOPIC_PREPS = _WORDS["topic_preps"]
READY_ADJ = _WORDS["ready_adjectives"]
MULTILATERAL = _WORDS["multilateral"]
PHONE = _WORDS["phone"]
QUANTITY_NOUNS = _WORDS["quantity_nouns"]
STRONG_MOVES = _WORDS["strong_moves"]
ARMED_PEOPLE = _WORDS["armed_people"]
GENERIC_PARTIES = _WORDS["generic_parties"]
ROLE_NOUNS = _WORDS["role_nouns"]
MEDIA_NOUNS = _WORDS["media_nouns"]
LOC_PREPS = _WORDS["location_preps"]
PLACE_NOUNS = _WORDS["place_nouns"]
OPEN_MARKS = _WORDS["open_marks"]
FACILITY_NOUNS = _WORDS["facility_nouns"]
SEQUENCE_VERBS = _WORDS["sequence_verbs"]
METHOD_MODES = _WORDS["method_modes"]
NATURAL_KINDS = _WORDS["natural_kinds"]
ENTITY_NOUN_TYPES = _WORDS["entity_noun_types"]
AUTHORITY_NOUNS = _WORDS["authority_nouns"]
PARTY_PRONOUNS = _WORDS["party_pronouns"]
TARGET_PREPS = _WORDS["target_preps"]
NOT_AIMED_AT = _WORDS["not_aimed_at"]
HYPHEN_QUALIFIERS = _WORDS["hyphen_qualifiers"]
OFFICE_TITLES = _WORDS["office_titles"]
ACT_NOUNS = _WORDS["act_nouns"]
PERSON_NOUNS = _WORDS["person_nouns"]
SPEECH_NOUNS = _WORDS["speech_nouns"]
SPEECH_VERBS = _WORDS["speech_verbs"]
MEETING_NOUNS = _WORDS["meeting_nouns"]
TRANSPORT_NOUNS = _WORDS["transport_nouns"]  # "delivered by boat": the means, never the doer  # words that attack in words: "his speech attacked free trade"
BOUNDARY_NOUNS = _WORDS["boundary_nouns"]
PARTY_NOUNS = _WORDS["party_nouns"]
OFFENCE_NOUNS = _WORDS["offence_nouns"]
PLACE_PART_NOUNS = _WORDS["place_part_nouns"]
SETTLEMENT_NOUNS = _WORDS["settlement_nouns"]
ELECTION_NOUNS = _WORDS["election_nouns"]  # what is won or lost at the polls
PROPOSAL_NOUNS = _WORDS["proposal_nouns"]
STORM_TITLES = _WORDS["storm_titles"]
REGIONAL_TITLES = _WORDS["regional_titles"]
PROPOSING_VERBS = _WORDS["proposing_verbs"]
QUANTIFIER_ADJECTIVES = _WORDS["quantifier_adjectives"]
STANCE_NOUNS = _WORDS["stance_nouns"]
SUBJECT_CONTROL = _WORDS["subject_control_verbs"]
QUESTION_WORDS = _WORDS["question_words"]
SEQUENCE_PREPS = _WORDS["sequence_preps"]
RETALIATION = _WORDS["retaliation_nouns"]
