"""Events: what happened, where, when, to whom and how many, coded in PLOVER.

One stage a module, run in this order by `assembly.extract_events`:

1. detect: triggers. Verbs and nouns from a data file
   (lexicons/events_triggers.json) with their PLOVER type and mode, each with
   conditions on the parse ("call" + particle "in" + an envoy object is
   ACCUSE disapprove; "pause" + "deliveries" is SANCTION discontinue; "strike"
   is ASSAULT, "on strike" PROTEST). Weapon words (lexicons/events_weapons.json)
   give ASSAULT modes.
2. filter: negated, conditional, hypothetical, habitual and generic mentions
   ("has repeatedly bombed", "any talks", "attacks" summing up many) do not
   become events; plural summaries still absorb their casualty counts.
3. arguments: actor and target from the parse (subject/agent/possessor/
   nationality adjective; object/"on X"/"with X"), named by the entities
   component; the parties of meetings.
4. place: the nearest place in the event's clause (places component).
5. date: the nearest date mention in the clause, else the report date of the
   verb that reports it.
6. status: from tense, modality and hedges (lexicons/status_words.json);
   reported_by from quotes and attributions.
7. counts: tolls (dateline.analyze.counts) attached to the nearest trigger.
8. coreference: mentions of the same type merge into one event when they are
   compatible (place, date, mode, participants, counts) and linked: in the
   same clause, anaphoric ("the strike", "Sunday's crash"), or adding nothing
   new. The first reported figure wins.
9. assembly: each merged draft becomes an Event.

Shared by the stages: lexicon (the lexicons and word sets, checked on load),
policy (what each PLOVER type takes, lexicons/events_policy.json), syntax
(parse-tree helpers) and context (what the other components found, country
helpers, the per-mention state). Stages import these and earlier stages;
only this package imports assembly.
"""

from dateline.analyze.events.assembly import events_component, extract_events, finish
from dateline.analyze.events.context import Ctx, Mention, build_ctx, country_label, country_of_demonym, country_of_name
from dateline.analyze.events.coreference import EventDraft
from dateline.analyze.events.lexicon import LexiconError, status_words, trigger_index, weapons
from dateline.analyze.events.policy import TypePolicy, policy

__all__ = [
    "Ctx", "EventDraft", "LexiconError", "Mention", "TypePolicy", "build_ctx", "country_label", "country_of_demonym",
    "country_of_name", "events_component", "extract_events", "finish", "policy", "status_words", "trigger_index",
    "weapons",
]
