"""A saved news page with its furniture (share buttons, captions, "Read more",
a "Trending" box, an embedded post) analyses as the article alone; titles and
outlet names come out as a reader says them."""

import json
from pathlib import Path

import pytest

from dateline.analyze.runner import analyze_article
from dateline.ingest import read_path
from dateline.ingest.cleaning import clean_lines, is_furniture_line
from dateline.ingest.furniture import FurnitureLexiconError, load
from dateline.ingest.html import read_html
from dateline.ingest.outlets import clean_title, outlet_name

PAGE = Path(__file__).parent / "pages" / "harbour-post-flood.html"
# Words that occur only in the page's furniture, never in its article.
FURNITURE = ("Trending", "bridge", "Dublin", "commuter", "Limerick", "Galway", "Kilkenny", "motorway", "Kerry",
             "Waterford", "Met Eireann", "Airport", "Sandbags", "South Mall", "Share", "Facebook", "WhatsApp",
             "Read more", "Related", "defence plan", "Photo", "Source", "pic.twitter")


@pytest.fixture(scope="module")
def page_analysis(nlp):
    [article] = list(read_path(PAGE))
    return analyze_article(article)


def test_saved_page_reads_as_the_article(page_analysis):
    article = page_analysis.article
    assert article.title == "Flood waters force hundreds from homes in Cork"
    assert article.source == "The Harbour Post"
    assert article.published == "2024-03-04"
    assert article.text.startswith("Hundreds of people were moved")
    for word in FURNITURE:
        assert word not in article.text, word


def test_no_furniture_in_quotes_places_or_events(page_analysis):
    a = page_analysis
    found = [q.content for q in a.quotes] + [q.speaker or "" for q in a.quotes] + [p.name for p in a.places]
    found += [e.summary for e in a.events] + [e.place.name for e in a.events if e.place]
    for item in found:
        for word in FURNITURE:
            assert word.lower() not in item.lower(), (word, item)
    assert {p.name for p in a.places} <= {"Cork", "Ireland", "River Lee", "Lee"}
    speakers = {q.speaker for q in a.quotes}
    assert "Ann Doherty" in speakers and "Tom Fitzgerald" in speakers


def test_embedded_post_is_a_direct_quote_of_its_author(page_analysis):
    post = [q for q in page_analysis.quotes if q.content.startswith("The water came up through the floor")]
    assert len(post) == 1
    assert post[0].direct and post[0].speaker == "Mary Byrne"
    assert post[0].content.rstrip(".").endswith("came back for our neighbours")


def test_post_signature_left_under_its_text_joins_it():
    lines = ["Residents shared what they saw.", "Stay off the coast road tonight, it is under water.",
             "\u2014 Cork Roads (@corkroads) March 3, 2024", "Crews worked through the night."]
    assert clean_lines(lines) == [
        "Residents shared what they saw.",
        'Cork Roads (@corkroads) posted: "Stay off the coast road tonight, it is under water."',
        "Crews worked through the night.",
    ]


@pytest.mark.parametrize("line", [
    "Photo: Crowds gather outside the court on Monday.", "Source: national statistics office",
    "Read more: Talks resume in Geneva", "READ MORE: Ceasefire holds", "Related: How the deal was done",
    "Share this article", "Facebook | X | WhatsApp | Email", "Share on Facebook, X or WhatsApp", "Copy link",
    "Image caption: Firefighters at the scene",
    "Rescuers search the rubble on Tuesday. REUTERS/Jane Doe", "Protesters gather in the capital. (AP Photo/Jane Doe)",
    "A man walks past a damaged building. Photo by John Smith/AFP via Getty Images", "Advertisement",
    "Continue reading",
])
def test_furniture_lines(line):
    assert is_furniture_line(line)


@pytest.mark.parametrize("line", [
    "Source of the fire was a faulty heater, the brigade said.",
    "Read more about the plan in the council's report, the mayor said.",
    "Facebook said it had removed the posts.",
    "X, formerly Twitter, suspended the account on Monday.",
    "The photo showed the minister at the border.",
    "An AP/NORC poll found that 40% of adults support the plan.",
    "She told AFP that the talks had failed.",
    "The service will run 24/7 from Monday.",
])
def test_article_lines_are_kept(line):
    assert not is_furniture_line(line)


def test_trending_box_dropped_up_to_the_next_paragraph():
    lines = ["The vote was delayed.", "Most read", "Minister resigns over housing row",
             "Storm closes schools in the west", "The council will meet again on Friday, its chair said."]
    assert clean_lines(lines) == ["The vote was delayed.", "The council will meet again on Friday, its chair said."]


@pytest.mark.parametrize("raw,site,url,expected", [
    ("Germany warns of cyber attacks | DW | 19.01.2020", "DW", "https://www.dw.com/en/x/a-1", "Germany warns of cyber attacks"),
    ("Germany warns of cyber attacks | DW | 19.01.2020", None, None, "Germany warns of cyber attacks"),
    ("Southend plane crash: four dead - BBC News", "BBC News", "https://www.bbc.co.uk/news/uk-1", "Southend plane crash: four dead"),
    ("Quake hits Philippines - Reuters", None, "https://www.reuters.com/world/x", "Quake hits Philippines"),
    ("Floods close roads | Latest news | The Harbour Post", "The Harbour Post", None, "Floods close roads"),
    ("The Harbour Post | Floods close roads across the west", "The Harbour Post", None, "Floods close roads across the west"),
    ("Talks end - Kremlin says no deal yet - The Moscow Times", None, "https://www.themoscowtimes.com/2025/a", "Talks end - Kremlin says no deal yet"),
    ("Pakistan - India ceasefire holds", None, None, "Pakistan - India ceasefire holds"),
    ("Live: ceasefire talks resume", None, None, "Live: ceasefire talks resume"),
    ("Ukraine war latest | 5 March 2024", None, None, "Ukraine war latest"),
])
def test_titles_lose_site_suffixes(raw, site, url, expected):
    assert clean_title(raw, site, url) == expected


@pytest.mark.parametrize("site,url,expected", [
    ("Reuters_Co_Uk", None, "Reuters"),
    ("reuters.co.uk", None, "Reuters"),
    ("www.reuters.com", "https://www.reuters.com/world/x", "Reuters"),
    (None, "https://www.reuters.co.uk/world/x", "Reuters"),
    (None, "https://www.bbc.co.uk/news/x", "BBC"),
    ("Bbc_Co_Uk", None, "BBC"),
    (None, "https://news.harbourpost.co.uk/a", "Harbourpost"),
    ("The Harbour Post", "https://www.harbourpost.co.uk/a", "The Harbour Post"),
    ("Al Jazeera", "https://www.aljazeera.com/news/x", "Al Jazeera"),
    ("RTE.ie", None, "RTE.ie"),  # as the outlet writes itself
    ("REUTERS.COM", None, "Reuters"),
    (None, None, None),
])
def test_outlet_names(site, url, expected):
    assert outlet_name(site, url) == expected


def test_jsonl_html_without_site_name_takes_the_outlet_from_the_url(tmp_path):
    html = PAGE.read_text(encoding="utf-8").replace('<meta property="og:site_name" content="The Harbour Post">', "")
    html = html.replace("harbourpost.co.uk", "reuters.co.uk").replace("The Harbour Post", "Reuters")
    article = read_html(html)
    assert article.source == "Reuters"
    assert article.title == "Flood waters force hundreds from homes in Cork"


def test_lexicon_is_checked_on_load(tmp_path):
    data = json.loads((Path(__file__).parents[2] / "dateline" / "lexicons" / "page_furniture.json").read_text())
    good = tmp_path / "good.json"
    good.write_text(json.dumps(data))
    assert "read more" in load(good).link_labels
    for broken in ({**data, "link_label": []}, {k: v for k, v in data.items() if k != "outlets"},
                   {**data, "share_words": "facebook"}, {**data, "outlets": {"bbc": 3}}):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(broken))
        with pytest.raises(FurnitureLexiconError):
            load(path)
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(FurnitureLexiconError, match="not JSON"):
        load(path)
