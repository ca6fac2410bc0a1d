"""Reports of one real-world event from different articles become one story."""

import itertools

import pytest

import dateline
from dateline.merge import build_stories, conflict_note, find_syndicated, stories_from_analyses
from dateline.model import Event, Place, Report
from kyiv_strike import BBC, KYIV_INDEPENDENT, REUTERS, REUTERS_A_WEEK_LATER

KYIV = Place(name="Kyiv", start=0, end=4, geonameid=703448, lat=50.4547, lon=30.5238, country="UA",
             admin1="Kyiv", precision="place")
BROVARY = Place(name="Brovary", start=0, end=7, geonameid=711660, lat=50.5114, lon=30.7903, country="UA",
                admin1="Kyiv Oblast", precision="place")
ODESA = Place(name="Odesa", start=0, end=5, geonameid=698740, lat=46.4775, lon=30.7326, country="UA",
              admin1="Odessa", precision="place")
KYIV_REGION = Place(name="Kyiv region", start=0, end=11, geonameid=703446, lat=50.33, lon=30.5, country="UA",
                    admin1="Kyiv Oblast", precision="region")


def strike(article, outlet, published, *, date="2025-06-09", place=KYIV, killed=None, injured=None,
           reported_by=None, actor="Russia", target=None, index=0, duplicate_of=None, mode="drone",
           type="ASSAULT", precision="day"):
    event = Event(type=type, mode=mode, summary=f"{outlet}: a strike on {place.name if place else 'somewhere'}",
                  actor=actor, target=target, location=place.name if place else None,
                  country=place.country if place else None, date=date,
                  date_precision=precision if date else None, killed=killed, injured=injured,
                  reported_by=reported_by, place=place)
    return Report(article_id=article, event_index=index, outlet=outlet, url=f"https://{outlet}.example/{article}",
                  published=published, duplicate_of=duplicate_of, event=event)


def three_reports():
    return [
        strike("ki-1", "Kyiv Independent", "2025-06-09", killed=1, injured=5, reported_by="Tymur Tkachenko"),
        strike("rt-1", "Reuters", "2025-06-09", killed=2, reported_by="Vitali Klitschko", actor="Russian forces"),
        strike("bbc-1", "BBC", "2025-06-10", killed=2, injured=5, actor="Moscow", target="apartment building"),
    ]


def test_three_outlets_one_strike_one_story_with_the_conflict_flagged():
    stories = build_stories(three_reports())
    assert len(stories) == 1
    story = stories[0]
    assert story.type == "ASSAULT" and story.mode == "drone"
    assert story.location == "Kyiv" and story.country == "UA" and story.date == "2025-06-09"
    assert story.corroboration == 3
    assert sorted(story.outlets) == ["BBC", "Kyiv Independent", "Reuters"]
    assert len(story.evidence) == 3
    assert {e.outlet for e in story.evidence} == {"BBC", "Kyiv Independent", "Reuters"}
    assert story.conflicts == ["killed"]
    assert story.killed == 2  # the most reported figure
    assert story.injured == 5
    assert [(c.value, c.source) for c in story.figures["killed"].claims] == [
        (1, "Tymur Tkachenko"), (2, "Vitali Klitschko"), (2, "BBC")]
    assert story.conflict_notes == ["killed: 1 per Tymur Tkachenko, 2 per Vitali Klitschko and BBC"]
    assert story.actors[0] == "Russia"


def test_conflict_note_reads_as_in_the_issue():
    reports = [strike("a", "Kyiv Independent", "2025-06-09", killed=1, reported_by="Tymur Tkachenko"),
               strike("b", "Reuters", "2025-06-09", killed=2, reported_by="Vitali Klitschko")]
    story = build_stories(reports)[0]
    assert conflict_note("killed", story.figures["killed"]) == "killed: 1 per Tymur Tkachenko, 2 per Vitali Klitschko"
    assert story.killed == 1  # a tie goes to the first reported


def test_two_strikes_on_one_city_a_week_apart_stay_two_stories():
    reports = three_reports() + [
        strike("rt-2", "Reuters", "2025-06-16", date="2025-06-16", killed=3, reported_by="Vitali Klitschko"),
        strike("ki-2", "Kyiv Independent", "2025-06-17", date="2025-06-16", killed=3),
    ]
    stories = build_stories(reports)
    assert len(stories) == 2
    assert [s.date for s in stories] == ["2025-06-09", "2025-06-16"]
    assert [len(s.evidence) for s in stories] == [3, 2]
    assert stories[1].conflicts == [] and stories[1].killed == 3


def test_places_far_apart_or_other_actors_or_types_are_other_stories():
    reports = [
        strike("a", "Reuters", "2025-06-09"),
        strike("b", "BBC", "2025-06-09", place=ODESA),                      # 440 km away
        strike("c", "AP", "2025-06-09", actor="Ukraine"),                  # another actor
        strike("d", "AFP", "2025-06-09", type="PROTEST", mode="demo"),     # another type
    ]
    assert len(build_stories(reports)) == 4


def test_nearby_towns_and_the_region_are_compatible():
    reports = [
        strike("a", "Reuters", "2025-06-09", place=KYIV, killed=1),
        strike("b", "BBC", "2025-06-09", place=BROVARY, killed=1),     # 20 km away
        strike("c", "AP", "2025-06-10", place=KYIV_REGION, killed=1),  # the wider region, next day
    ]
    stories = build_stories(reports)
    assert len(stories) == 1
    assert stories[0].place.precision == "place"


def test_days_do_not_chain():
    reports = [
        strike("mon", "Reuters", "2025-06-09", date="2025-06-09"),
        strike("tue", "BBC", "2025-06-10", date="2025-06-10"),
        strike("wed", "AP", "2025-06-11", date="2025-06-11"),
        strike("thu", "AFP", "2025-06-12", date="2025-06-12"),
    ]
    stories = build_stories(reports)
    assert len(stories) == 2
    for s in stories:  # two days apart at most, whatever links the days in between
        days = sorted(r.event.date for r in s.evidence)
        assert (int(days[-1][-2:]) - int(days[0][-2:])) <= 2


def test_one_articles_own_events_stay_apart_but_its_headline_joins():
    body = [strike("a", "Reuters", "2025-06-09", index=1, killed=2, target="apartment building"),
            strike("a", "Reuters", "2025-06-09", index=2, killed=3, target="school")]
    assert len(build_stories(body)) == 2
    headline = strike("a", "Reuters", "2025-06-09", index=0, date=None, place=None, actor=None, killed=3)
    headline = headline.model_copy(update={"headline": True})
    stories = build_stories(body + [headline])
    assert sorted(len(s.evidence) for s in stories) == [1, 2]
    joined = next(s for s in stories if len(s.evidence) == 2)
    assert joined.killed == 3 and joined.targets == ["school"]  # the one whose toll it repeats
    assert all(s.corroboration == 1 and not s.conflicts for s in stories)


def test_a_week_precision_date_contains_the_day():
    reports = [strike("a", "Reuters", "2025-06-09", date="2025-06-09"),
               strike("b", "Weekly", "2025-06-14", date="2025-06-09", precision="week", target="apartment building")]
    story, = build_stories(reports)
    assert story.date == "2025-06-09" and story.date_precision == "day"


def test_a_missing_date_joins_only_a_strong_match():
    dated = strike("a", "Reuters", "2025-06-09")
    undated_same = strike("b", "BBC", "2025-06-09", date=None)              # same place, actor, published
    undated_late = strike("c", "AP", "2025-07-20", date=None)               # published six weeks later
    stories = build_stories([dated, undated_same, undated_late])
    assert sorted(len(s.evidence) for s in stories) == [1, 2]


def test_syndicated_copies_count_once():
    reports = three_reports() + [
        strike("yahoo-1", "Yahoo News", "2025-06-09", killed=2, reported_by="Vitali Klitschko",
               duplicate_of="rt-1"),
        strike("msn-1", "MSN", "2025-06-10", killed=2, reported_by="Vitali Klitschko", duplicate_of="rt-1"),
    ]
    story, = build_stories(reports)
    assert len(story.evidence) == 5
    assert story.corroboration == 3
    assert sorted(story.outlets) == ["BBC", "Kyiv Independent", "Reuters"]
    # copies do not outvote: 2 is backed by Reuters (and its copies) and the BBC, 1 by the Kyiv Independent
    assert story.killed == 2


def test_one_outlet_under_several_spellings_counts_once():
    reports = [strike("a", "Reuters", "2025-06-09"), strike("b", "www.reuters.com", "2025-06-09"),
               strike("c", "The Guardian", "2025-06-09"), strike("d", "guardian.co.uk", "2025-06-10")]
    story, = build_stories(reports)
    assert story.corroboration == 2 and story.outlets == ["Reuters", "The Guardian"]


def test_input_order_does_not_change_the_result():
    reports = three_reports() + [
        strike("rt-2", "Reuters", "2025-06-16", date="2025-06-16", killed=3),
        strike("ki-2", "Kyiv Independent", "2025-06-17", date="2025-06-16", killed=4),
        strike("od-1", "BBC", "2025-06-09", place=ODESA, killed=1),
    ]
    expected = [s.model_dump() for s in build_stories(reports)]
    for perm in itertools.islice(itertools.permutations(reports), 0, 720, 37):
        assert [s.model_dump() for s in build_stories(perm)] == expected


def test_adding_a_fourth_report_keeps_the_story_id_and_reingesting_changes_nothing():
    before, = build_stories(three_reports())
    later = strike("ap-1", "AP", "2025-06-11", killed=3, reported_by="Ukraine's interior ministry")
    after, = build_stories(three_reports() + [later])
    assert after.id == before.id
    assert after.corroboration == 4
    assert "killed: 1 per Tymur Tkachenko" in after.conflict_notes[0]
    again = build_stories(three_reports() + [later] + three_reports())
    assert [s.model_dump() for s in again] == [after.model_dump()]


ARTICLES = [KYIV_INDEPENDENT, REUTERS, BBC, REUTERS_A_WEEK_LATER]


@pytest.fixture(scope="module")
def analyses():
    return list(dateline.analyze_many(ARTICLES))


def test_stories_from_analysed_articles(analyses):
    stories = stories_from_analyses(analyses)
    assaults = [s for s in stories if s.type == "ASSAULT"]
    assert len(assaults) == 2
    first, second = assaults
    assert first.date == "2025-06-09" and first.location == "Kyiv" and first.country == "UA"
    assert first.corroboration == 3
    assert {r.article_id for r in first.evidence} == {"ki-1", "rt-1", "bbc-1"}
    # the Reuters headline and body tell one strike: one event of that article, found in its headline
    assert [r.headline for r in first.evidence if r.article_id == "rt-1"] == [True]
    assert first.conflicts == ["killed"]
    assert first.killed == 2
    assert "killed: 1 per Tymur Tkachenko" in first.conflict_notes[0]
    assert "2 per" in first.conflict_notes[0] and "Vitali Klitschko" in first.conflict_notes[0]
    assert second.date == "2025-06-17" and [r.article_id for r in second.evidence] == ["rt-2"]
    assert stories_from_analyses(list(reversed(analyses))) == stories


def test_syndicated_texts_are_found_and_counted_once(analyses):
    copy = analyses[1].model_copy(deep=True)
    copy.article.id, copy.article.source, copy.article.published = "yahoo-1", "Yahoo News", "2025-06-11"
    assert find_syndicated(analyses + [copy]) == {"yahoo-1": "rt-1"}
    story = next(s for s in stories_from_analyses(analyses + [copy]) if s.date == "2025-06-09")
    assert len({r.article_id for r in story.evidence}) == 4
    assert story.corroboration == 3
    explicit = stories_from_analyses(analyses + [copy], duplicates={})
    assert next(s for s in explicit if s.date == "2025-06-09").corroboration == 4


def test_every_article_is_in_one_story_and_one_without_events_joins_by_its_words(analyses):
    retold = analyses[1].model_copy(deep=True)
    retold.article.id, retold.article.source, retold.events = "ap-1", "AP", []
    stories = stories_from_analyses(analyses + [retold], duplicates={})
    ids = [a for s in stories for a in s.articles]
    assert sorted(ids) == sorted(["ki-1", "rt-1", "bbc-1", "rt-2", "ap-1"])
    strike = next(s for s in stories if "ap-1" in s.articles)
    assert set(strike.articles) == {"ki-1", "rt-1", "bbc-1", "ap-1"}
    assert strike.corroboration == 4 and strike.headline
    assert strike.incidents[0].conflicts == ["killed"] and strike.conflicts == ["killed"]


def test_story_detection_settings_are_checked(monkeypatch):
    from dateline.merge import articles

    assert 0 < articles.settings()["link"] <= 1
    articles.settings.cache_clear()
    monkeypatch.setattr(articles.resources, "files", lambda _: _Files('{"link": 2}'))
    with pytest.raises(ValueError):
        articles.settings()
    articles.settings.cache_clear()


class _Files:
    def __init__(self, text):
        self.text = text

    def joinpath(self, _):
        return self

    def read_text(self, _):
        return self.text


def _arrest(article_id: str, name: str, role: str, lead: str) -> "dateline.Article":
    from dateline.model import Article

    surname = name.split()[-1]
    return Article(id=article_id, source=f"Outlet {article_id}", title=f"Sharks {role} {name} arrested on drunk-driving charge",
                   text=f"{lead.format(name=name, role=role)}\n{surname}, 27, was stopped by highway patrol officers "
                        "after his car was seen weaving across lanes.\nThe Sharks said they were aware of the arrest "
                        "and would not comment further.")


def test_one_kind_of_act_against_different_people_is_two_stories_dated_or_not():
    # two players of one club arrested for the same offence: the words match, the people do not
    leads = ["Harbor City Sharks {role} {name} was arrested on suspicion of drunk driving, police said.",
             "Police arrested Sharks {role} {name} on suspicion of driving under the influence."]
    articles = [_arrest("a1", "Marco Delgado", "striker", leads[0]), _arrest("a2", "Marco Delgado", "striker", leads[1]),
                _arrest("b1", "Tobias Rennert", "defender", leads[0]), _arrest("b2", "Tobias Rennert", "defender", leads[1])]
    analyses = list(dateline.analyze_many(articles))
    groups = sorted(sorted(s.articles) for s in stories_from_analyses(analyses, duplicates={}))
    assert groups == [["a1", "a2"], ["b1", "b2"]]


def test_the_same_person_named_in_full_or_by_surname_stays_one_story():
    from dateline.model import Article

    full = _arrest("a1", "Marco Delgado", "striker", "Police arrested Sharks {role} {name} on suspicion of drunk driving.")
    short = Article(id="a2", source="Outlet a2", title="Delgado held after traffic stop",
                    text="Police arrested the Sharks striker Delgado on suspicion of drunk driving.\nHe was released "
                         "on bail hours later, the highway patrol said.")
    groups = [sorted(s.articles) for s in stories_from_analyses(list(dateline.analyze_many([full, short])), duplicates={})]
    assert groups == [["a1", "a2"]]
