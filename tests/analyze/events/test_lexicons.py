"""The event lexicons are checked when they are loaded: a key the rules do not
know is an error, not a condition that silently holds."""

import inspect
import json
from importlib import resources

import pytest

from dateline.analyze.events import detect
from dateline.analyze.events.lexicon import CONDITION_KEYS, LexiconError, check_status_words, load_triggers, load_words
from dateline.analyze.events.policy import load_policy


def _packaged(name: str) -> dict:
    return json.loads(resources.files("dateline.lexicons").joinpath(name).read_text(encoding="utf-8"))


def _write(tmp_path, name: str, data: dict):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _condition_keys(conds: list[dict]) -> set[str]:
    keys = set()
    for cond in conds:
        keys.add(next(iter(cond)))
        keys |= _condition_keys(cond.get("any_of", []))
    return keys


def test_every_condition_in_the_trigger_lexicon_is_known():
    used = set()
    for entry in _packaged("events_triggers.json")["triggers"]:
        used |= _condition_keys(entry.get("require", []))
    assert used <= CONDITION_KEYS, sorted(used - CONDITION_KEYS)
    assert load_triggers()


def test_every_known_condition_has_a_rule():
    rules = inspect.getsource(detect.Conditions.one)
    assert [k for k in sorted(CONDITION_KEYS) if f'"{k}"' not in rules] == []


def test_an_unknown_condition_key_is_rejected(tmp_path):
    data = _packaged("events_triggers.json")
    entry = data["triggers"][0]
    entry["require"] = entry.get("require", []) + [{"subj_is_spelt_wrong": ["army"]}]
    with pytest.raises(LexiconError, match="subj_is_spelt_wrong") as err:
        load_triggers(_write(tmp_path, "events_triggers.json", data))
    assert repr(entry["lemmas"][0]) in str(err.value)  # names the entry


def test_an_unknown_condition_key_inside_any_of_is_rejected(tmp_path):
    data = _packaged("events_triggers.json")
    data["triggers"][0]["require"] = [{"any_of": [{"arg": ["envoy"]}, {"argg": ["envoy"]}]}]
    with pytest.raises(LexiconError, match="argg"):
        load_triggers(_write(tmp_path, "events_triggers.json", data))


def test_an_unknown_trigger_key_is_rejected(tmp_path):
    data = _packaged("events_triggers.json")
    data["triggers"][0]["requires"] = [{"arg": ["envoy"]}]
    with pytest.raises(LexiconError, match="requires"):
        load_triggers(_write(tmp_path, "events_triggers.json", data))


def test_an_unknown_policy_column_is_rejected(tmp_path):
    data = _packaged("events_policy.json")
    data["types"]["ASSAULT"]["takes_casualites"] = True
    with pytest.raises(LexiconError, match="ASSAULT.*takes_casualites"):
        load_policy(_write(tmp_path, "events_policy.json", data))


def test_a_trigger_type_without_a_policy_row_is_rejected(tmp_path):
    data = _packaged("events_policy.json")
    del data["types"]["PROTEST"]
    with pytest.raises(LexiconError, match="PROTEST"):
        load_policy(_write(tmp_path, "events_policy.json", data))


def test_word_sets_must_all_be_there_and_known(tmp_path):
    data = _packaged("events_words.json")
    assert load_words(_write(tmp_path, "events_words.json", data))
    unknown = {**data, "light_verb": ["carry"]}
    with pytest.raises(LexiconError, match="light_verb"):
        load_words(_write(tmp_path, "events_words.json", unknown))
    missing = {k: v for k, v in data.items() if k != "phone"}
    with pytest.raises(LexiconError, match="phone"):
        load_words(_write(tmp_path, "events_words.json", missing))
    not_words = {**data, "phone": "call"}
    with pytest.raises(LexiconError, match="phone"):
        load_words(_write(tmp_path, "events_words.json", not_words))


def test_status_word_sets_must_all_be_there_and_known(tmp_path):
    data = _packaged("status_words.json")
    assert check_status_words(data)["background_adjectives"]
    with pytest.raises(LexiconError, match="irrealis_aux"):
        check_status_words({k: v for k, v in data.items() if k != "irrealis_aux"})
    with pytest.raises(LexiconError, match="future_auxes"):
        check_status_words({**data, "future_auxes": ["will"]})
    with pytest.raises(LexiconError, match="future_aux"):
        check_status_words({**data, "future_aux": "will"})


def test_one_country_name_table_names_countries_as_news_does():
    from dateline.analyze.events.context import country_label, country_name
    from dateline.lexicons import country_names

    assert country_name("RU") == "Russia" and country_name("KR") == "South Korea"
    assert country_label("US") == "US" and country_label("GB") == "Britain"
    assert country_name("FR") == "France" and country_name("ZZ") == "ZZ"  # an unknown code stays a code
    assert all(len(code) == 2 for code in country_names())


@pytest.mark.parametrize("rows", [["usa\tUnited States"], ["US\t"], ["US\tUnited States", "US\tAmerica"]])
def test_a_malformed_country_name_row_is_refused(rows):
    from dateline.lexicons import CountryNamesError, parse_country_names

    with pytest.raises(CountryNamesError):
        parse_country_names(rows)


def test_capitals_name_their_states():
    from dateline.lexicons import capitals

    assert capitals()["Kyiv"] == "UA" and capitals()["Pyongyang"] == "KP"
    assert "Brussels" not in capitals()  # news uses it for the European Union


@pytest.mark.parametrize("rows", [["ua\tKyiv"], ["UA\t"], ["UA\tKyiv", "RU\tKyiv"], ["UA\tKyiv\textra"]])
def test_a_malformed_capital_row_is_refused(rows):
    from dateline.lexicons import CapitalsError, parse_capitals

    with pytest.raises(CapitalsError):
        parse_capitals(rows)


def test_a_negative_incident_reach_is_rejected(tmp_path):
    data = _packaged("events_policy.json")
    data["types"]["COERCE"]["incident_reach"] = -1
    with pytest.raises(LexiconError, match="COERCE.*incident_reach"):
        load_policy(_write(tmp_path, "events_policy.json", data))
