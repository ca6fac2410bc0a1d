"""events component: PLOVER typing, arguments, counts and status on short
invented texts, with the real spaCy model and the whole pipeline; the dev
answer keys when ../shared is present."""

from __future__ import annotations


import pytest

from dateline.analyze.counts import find_tolls
from dateline.analyze.pipeline import run_components
from dateline.model import Article, Event


def events(nlp, text: str, published: str = "2025-07-03") -> list[Event]:
    article = Article(text=text, published=published)
    return run_components(nlp(text), article).events


def only(evs: list[Event], typ: str) -> Event:
    found = [e for e in evs if e.type == typ]
    assert len(found) == 1, [e.model_dump(include={"type", "mode", "trigger_text"}) for e in evs]
    return found[0]


def test_drone_strike_on_a_city_with_counts(nlp):
    evs = events(nlp, "A Russian drone strike on the city of Kharkiv killed three people and injured 12 others "
                      "on Tuesday, the regional governor said.")
    ev = only(evs, "ASSAULT")
    assert ev.mode == "drone"
    assert (ev.killed, ev.injured) == (3, 12)
    assert ev.location == "Kharkiv" and ev.country == "UA"
    assert ev.actor == "Russia"
    assert ev.date == "2025-07-01" and ev.date_precision == "day"
    assert ev.status == "occurred"


def test_police_detentions_are_coerce_arrest(nlp):
    ev = only(events(nlp, "Police detained 12 protesters in Minsk on Sunday."), "COERCE")
    assert ev.mode == "arrest" and ev.arrested == 12
    assert ev.location == "Minsk"


def test_phone_call_is_consult_phone(nlp):
    text = ("French President Emmanuel Macron and German Chancellor Olaf Scholz held a phone call on Friday "
            "to discuss the war.")
    ev = only(events(nlp, text), "CONSULT")
    assert ev.mode == "phone"
    assert "Macron" in (ev.actor or "")
    assert ev.location is None and ev.status == "occurred"


def test_future_meeting_is_planned(nlp):
    ev = only(events(nlp, "The foreign ministers of Armenia and Azerbaijan will meet next week in Geneva."), "CONSULT")
    assert ev.status == "planned"
    assert ev.location == "Geneva"


def test_denied_strike(nlp):
    text = "Israel denied carrying out the strike on a market in Khan Younis on Monday."
    ev = only(events(nlp, text), "ASSAULT")
    assert ev.status == "denied"


def test_apparent_attack_is_claimed(nlp):
    text = "An apparent Russian drone attack set fire to a building in Kyiv, Ukrainian officials said."
    ev = only(events(nlp, text), "ASSAULT")
    assert ev.status == "claimed" and ev.mode == "drone"
    assert ev.reported_by == "Ukrainian officials"


def test_earthquake_is_other_with_deaths(nlp):
    text = ("At least 14 people were killed when a magnitude-6.2 earthquake struck near the city of Van "
            "in eastern Turkey on Monday, officials said.")
    ev = only(events(nlp, text), "OTHER")
    assert ev.killed == 14
    assert ev.actor is None
    assert ev.country == "TR"


def test_counts_in_parts_are_summed(nlp):
    text = "In 2017, a small plane crashed into a shopping mall in Melbourne, killing the pilot and four tourists."
    ev = only(events(nlp, text), "OTHER")
    assert ev.killed == 5
    assert ev.date == "2017-01-01" and ev.date_precision == "year"
    assert ev.location == "Melbourne"


def test_summoning_an_envoy_is_accuse_disapprove(nlp):
    ev = only(events(nlp, "Poland summoned the Russian ambassador on Wednesday over the drone incursion."), "ACCUSE")
    assert ev.mode == "disapprove"
    assert ev.date == "2025-07-02"


def test_pausing_weapons_deliveries_is_sanction_discontinue(nlp):
    ev = only(events(nlp, "The US has paused some shipments of weapons to Ukraine."), "SANCTION")
    assert ev.mode == "discontinue"
    assert ev.actor == "US" and ev.target == "Ukraine"


def test_habitual_and_negated_actions_are_not_events(nlp):
    text = ("Russia has repeatedly bombed cities far from the front. The two presidents did not discuss "
            "a meeting, and no talks are planned.")
    assert not [e for e in events(nlp, text) if e.type in ("ASSAULT", "CONSULT")]


def test_coreferent_mentions_make_one_event(nlp):
    text = ("Two people were killed in a Russian airstrike on the city of Poltava on Thursday. "
            "The strike on Poltava also injured 47 people, the governor said.")
    ev = only(events(nlp, text), "ASSAULT")
    assert (ev.killed, ev.injured) == (2, 47)
    assert ev.mode == "aerial"


@pytest.mark.parametrize("text,expected", [
    ("At least 9 people were killed.", 9),
    ("More than 700 people were arrested.", 700),
    ("The attack killed more than 1,200 people.", 1200),
    ("Up to 60 people died.", 60),
    ("Dozens of people were killed.", None),
    ("The blast killed a brigade commander.", 1),
    ("The crash killed the pilot and four American tourists.", 5),
])
def test_counts_drop_qualifiers(nlp, text, expected):
    tolls = find_tolls(nlp(text))
    assert tolls and tolls[0].value == expected


# The figures measured on ../shared/gold/dev, kept as a floor so that a change
# that loses ground fails; the targets (event F1 0.75, date 0.85, killed 0.90,
# country 0.95) and the current figures are in docs/events.md.
FLOORS = {"f1": 0.54, "date": 0.80, "killed": 0.90, "injured": 0.95, "country": 0.87, "status": 0.90}


def test_dev_answer_keys_hold_their_measured_floor(shared):
    from dateline.evaluate.gold import evaluate, load_key

    keys = [load_key(p) for p in sorted((shared / "gold" / "dev").glob("*.json"))]
    if not keys:
        pytest.skip("no dev answer keys")
    report = evaluate(keys)
    _, _, f1 = report.events.scores
    assert f1 >= FLOORS["f1"]
    for name in ("date", "killed", "injured", "country", "status"):
        assert report.event_fields[name].value >= FLOORS[name], name