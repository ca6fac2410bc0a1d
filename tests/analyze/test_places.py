"""places component: recognition and offline geocoding with the real spaCy
model and the shipped gazetteer."""

from __future__ import annotations

import io
import os

import pytest

from dateline.analyze import places as places_mod
from dateline.analyze.pipeline import State
from dateline.model import Article, Place

LGL = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "geo", "lgl.jsonl")


def run(nlp, text: str) -> State:
    state = State(doc=nlp(text), article=Article(text=text), published=None)
    places_mod.places_component(state)
    return state


def find(state: State, name: str) -> Place:
    hits = [p for p in state.places if p.name == name]
    assert hits, f"{name!r} not found in {[p.name for p in state.places]}"
    return hits[0]


def test_demonym_city_of(nlp):
    s = run(nlp, "Russian missiles struck the central Ukrainian city of Poltava on Monday, officials said.")
    p = find(s, "Poltava")
    assert p.country == "UA" and p.precision == "place"
    assert p.lat is not None and abs(p.lat - 49.59) < 0.2 and abs(p.lon - 34.55) < 0.2
    assert p.geonameid == 696643
    assert s.article.text[p.start:p.end] == "Poltava"


def test_kiev_and_kyiv_are_one_place(nlp):
    s = run(nlp, "Explosions were heard in Kiev overnight. Kyiv's mayor said air defences were active.")
    kiev, kyiv = find(s, "Kiev"), find(s, "Kyiv")
    assert kiev.geonameid == kyiv.geonameid and kyiv.country == "UA"


def test_odessa_in_ukraine_context(nlp):
    s = run(nlp, "Ukraine said its forces repelled attacks near Kharkiv. Drones also hit the port of Odessa, "
                 "Ukrainian officials said.")
    p = find(s, "Odessa")
    assert p.country == "UA" and p.precision == "place" and p.geonameid == 698740  # Odesa
    assert places_mod.main_country(s) == "UA"


def test_paris_texas(nlp):
    s = run(nlp, "He grew up in Paris, Texas, before moving to Dallas.")
    p = find(s, "Paris")
    assert p.country == "US" and p.admin1 == "Texas"
    assert find(s, "Texas").precision == "region"


def test_suburb_of_kyiv(nlp):
    s = run(nlp, "Police found the bodies in Bucha, a northern suburb of Kyiv.")
    p = find(s, "Kyiv")
    assert p.country == "UA" and p.geonameid == 703448
    sent = s.doc[:].sents.__next__()
    names = [q.name for q in places_mod.places_in_span(s, sent.start_char, sent.end_char)]
    assert "Kyiv" in names


def test_direction_of_country(nlp):
    s = run(nlp, "Fighting intensified in southeastern Ukraine as Russian troops advanced.")
    p = [q for q in s.places if "Ukraine" in q.name][0]
    assert p.country == "UA" and p.precision in ("region", "country")
    assert p.lat is not None


def test_region_keyword(nlp):
    s = run(nlp, "The governor of the Belgorod region said two people were killed.")
    p = [q for q in s.places if q.name.startswith("Belgorod")][0]
    assert p.country == "RU" and p.precision == "region"


def test_province_keyword(nlp):
    s = run(nlp, "A strong earthquake struck Cebu province in the central Philippines.")
    p = [q for q in s.places if q.name.startswith("Cebu")][0]
    assert p.country == "PH" and p.precision == "region"


def test_oblast_and_kryvyi_rih(nlp):
    s = run(nlp, "Shelling hit Kryvyi Rih and several villages in Donetsk oblast, Ukraine's military said.")
    assert find(s, "Kryvyi Rih").country == "UA"
    p = [q for q in s.places if q.name.startswith("Donetsk")][0]
    assert p.country == "UA" and p.precision == "region"


def test_us_state_abbreviation_and_country(nlp):
    s = run(nlp, "CHARLESTON, W.Va. -- The U.S. Senate met in Washington on Tuesday.")
    assert find(s, "W.Va.").admin1 == "West Virginia"
    assert find(s, "CHARLESTON").admin1 == "West Virginia"
    us = find(s, "U.S.")
    assert us.country == "US" and us.precision == "country"


def test_person_names_are_not_places(nlp):
    s = run(nlp, "Sheriff John Moore said deputies arrested Taylor Hughes. Moore said Hughes was held in the jail.")
    assert not [p for p in s.places if p.name in ("Moore", "Hughes", "Taylor")]


def test_offsets_sorted_and_text_match(nlp):
    text = "From Gaza to the West Bank, Israeli troops and Palestinian militants clashed, Egypt said."
    s = run(nlp, text)
    starts = [p.start for p in s.places]
    assert starts == sorted(starts)
    for p in s.places:
        assert text[p.start:p.end] == p.name
    assert places_mod.main_country(s) in ("PS", "IL", "EG")


def test_each_resolved_place_keeps_its_score_and_reason(nlp):
    s = run(nlp, "The fair was held in Paris, Texas. Officials in Austin said Texas would pay for it.")
    resolved = [p for p in s.places if p.lat is not None]
    assert resolved and all(p.score is not None and p.reason for p in resolved)
    paris = next(p for p in resolved if p.name == "Paris")
    assert paris.admin1 == "Texas" and "narrowed by the words around it" in paris.reason
    austin = next(p for p in resolved if p.name == "Austin")
    assert austin.admin1 == "Texas" and austin.reason in (
        "in a state or province the article names", "near the article's other places", "in the article's main country")
    # the output carries them, and a place without coordinates has neither
    dumped = s.places[0].model_dump()
    assert "score" in dumped and "reason" in dumped
    street = run(nlp, "He lives on Salinas Road in Watsonville, California.")
    road = next(p for p in street.places if p.name == "Salinas Road")
    assert road.lat is None and road.reason is None


def test_helpers():
    assert places_mod.country_of_demonym("Ukrainian") == "UA"
    assert places_mod.country_of_demonym("Russians") == "RU"
    assert places_mod.country_of_demonym("Filipino") == "PH"
    assert places_mod.country_of_demonym("Martian") is None
    assert places_mod.DEMONYMS["Sudanese"] == "SD"
    p = places_mod.geocode("Kharkov")
    assert p is not None and p.country == "UA"
    assert places_mod.geocode("Odessa", country="US").country == "US"


@pytest.mark.skipif(not os.path.exists(LGL), reason="shared LGL corpus not available")
def test_lgl_evaluation_runs():
    from dateline.evaluate import geo

    out = io.StringIO()
    assert geo.main(LGL, out=out, limit=15) == 0
    text = out.getvalue()
    assert "recognition F1" in text and "acc@161km" in text
    # every third article (lines 3, 6, 9, ...) is the held-out part
    assert [r["n"] for r in geo.part_of([{"n": i} for i in range(9)], "held-out")] == [2, 5, 8]
    assert len(geo.part_of([{"n": i} for i in range(9)], "tuning")) == 6
    out = io.StringIO()
    assert geo.main(LGL, out=out, limit=6, part="held-out") == 0
    assert "(2 articles, held-out part)" in out.getvalue()


def test_lgl_bars(shared):
    """Toponym recognition and resolution on the whole LGL corpus."""
    from dateline.evaluate import geo

    rows = geo.load(str(shared / "data" / "geo" / "lgl.jsonl"))
    results, _, _, sources = geo.run_places(rows)
    scores = geo.score(results, sources)
    assert scores["f1"] >= 0.80
    assert scores["acc161"] >= 0.85


def test_seats_of_government_are_not_foreign_towns(nlp):
    from dateline.analyze.pipeline import run_components
    from dateline.model import Article

    text = "The White House said the president would travel to Kyiv, officials at the Pentagon said."
    state = run_components(nlp(text), Article(text=text), ("entities", "places"))
    assert [(p.name, p.country) for p in state.places] == [("Kyiv", "UA")]


def test_place_body_words_lexicon_is_checked_on_load():
    from dateline.lexicons import PlaceBodyWordsError, parse_place_body_words, place_body_words
    assert ("police",) in place_body_words() and ("fire", "department") in place_body_words()
    assert parse_place_body_words(["police", "fire chief"]) == {("police",), ("fire", "chief")}
    for bad in (["Police"], ["fire department chief"], ["police", "police"], ["fire-chief"]):
        with pytest.raises(PlaceBodyWordsError):
            parse_place_body_words(bad)


def test_place_kinds_lexicon_is_checked_on_load():
    from dateline.lexicons import PlaceKindsError, parse_place_kinds, place_kinds
    kinds = place_kinds()
    assert kinds["counties"] == "county" and kinds["streets"] == "street" and kinds["road"] == "county-road"
    assert parse_place_kinds(["counties\tcounty"]) == {"counties": "county"}
    for bad in (["counties\tcountry"], ["Counties\tcounty"], ["counties"], ["streets\tstreet", "streets\tstreet"]):
        with pytest.raises(PlaceKindsError):
            parse_place_kinds(bad)


def test_demonym_places_are_checked_on_load():
    from dateline.analyze.places_recognition import DEMONYM_PLACES, DemonymsError, _demonym_place
    assert DEMONYM_PLACES["Abkhaz"] == ("GE", "02")
    assert places_mod.DEMONYMS["Abkhaz"] == "GE"  # the country stays the demonym's everywhere else
    assert _demonym_place("Abkhaz", "GE", "admin1:GE.02") == ("GE", "02")
    for bad in ("admin1:RU.02", "country:GE", "admin1:GE", "GE.02"):
        with pytest.raises(DemonymsError):
            _demonym_place("Abkhaz", "GE", bad)


def test_a_headline_ending_in_a_place_gives_the_place_without_the_line_break(nlp):
    text = "Estonian Minister Tarvo Kask to meet Latvian counterpart in Riga\nKask will travel on Thursday."
    s = run(nlp, text)
    p = find(s, "Riga")
    assert p.country == "LV" and text[p.start:p.end] == "Riga"


def test_an_entity_does_not_end_in_a_preposition(nlp):
    # the recogniser sometimes runs a name into the next word: "Christie for"
    doc = nlp("Tuttle's article also attacked Christie for endorsing Trump.")
    assert all(not e[-1].is_space and e[-1].pos_ not in ("ADP", "CCONJ", "DET") for e in doc.ents)
    assert "Christie" in [e.text for e in doc.ents]
