"""The web app in a real browser: headless Chromium (Debian's /usr/bin/chromium)
driven by Playwright over a real uvicorn server and a store built from the
sample articles, plus a second outlet's report and a hostile article."""

import json
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from dateline.cli import main

CHROMIUM = Path("/usr/bin/chromium")
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
# Without the networking flags Chromium keeps trying to reach Google's
# services, which hangs it on a machine without internet access.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium "
                                                             "(`apt-get install chromium`; `make test` installs it)")

HOSTILE_TITLE = "<script>window.__pwned=1</script>Floods <img src=x onerror=\"window.__pwned=2\"> hit Cork"
EXTRA_ARTICLES = [
    # A second outlet gives another death toll for the Kharkiv strike of the samples.
    # Its id is a URL, as feed and WARC articles' ids are.
    {"id": "https://northern-post.example/kharkiv?id=7", "title": "Four dead after drone attack on Kharkiv",
     "source": "Northern Post",
     "published": "2024-06-18", "url": "https://northern-post.example/kharkiv",
     "text": "Four people were killed and 11 were injured when drones hit a residential district of Kharkiv "
             "early on Tuesday, the city's mayor said.\n\n\"We will rebuild every home,\" Mayor Iryna Kovalenko "
             "told reporters."},
    # Dated to a month and to a year, with a weak event (no date, no named party).
    {"id": "nairobi-march", "title": "Farmers march on Nairobi over fuel prices", "source": "Rift Valley Times",
     "published": "2024-04-02",
     "text": "Thousands of farmers marched through Nairobi in March 2023 to demand lower fuel prices, organisers "
             "said.\n\nPolice arrested 40 protesters in Mombasa in 2021 after a similar march, according to court "
             "records."},
    {"id": "hostile", "title": HOSTILE_TITLE, "source": "<b>Bad Outlet</b>", "published": "2024-05-02",
     "url": "javascript:window.__pwned=3",
     "text": "Two people were killed when floods hit Cork <img src=x onerror=window.__pwned=7> on Thursday, police said. <script>window.__pwned=4</script>\n\n"
             "\"<img src=x onerror=window.__pwned=5> is what they wrote on the wall,\" said Mary O'Brien, a resident."},
]


@pytest.fixture(scope="module")
def server(nlp, tmp_path_factory):
    from dateline.serve.app import create_app

    folder = tmp_path_factory.mktemp("web")
    extra = folder / "extra.jsonl"
    extra.write_text("".join(json.dumps(a) + "\n" for a in EXTRA_ARTICLES), encoding="utf-8")
    db = str(folder / "web.db")
    assert main(["ingest", str(SAMPLES), str(extra), "--db", db, "--no-progress"]) == 0

    with serving(create_app(db)) as url:
        yield {"url": url, "db": db}


@contextmanager
def serving(app):
    """The app on a free loopback port, served by uvicorn in a thread."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Generous: the machine running the suite may be busy with other work.
    page.set_default_timeout(30_000)
    yield page
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def story_id(db, **match):
    from dateline.store import Store

    with Store.open(db, readonly=True) as store:
        for row in store.stories():
            if all(row.get(k) == v for k, v in match.items()):
                return row["id"]
    raise AssertionError(f"no story with {match}")


def test_map_to_story_to_article(server, page, capsys):
    kharkiv = story_id(server["db"], type="ASSAULT", location="Kharkiv", date="2024-06-18")
    page.goto(server["url"] + "/")
    load_ms = page.evaluate("() => { const t = performance.getEntriesByType('navigation')[0];"
                            " return t.loadEventEnd - t.startTime; }")
    with capsys.disabled():
        print(f"\n[first page] / loaded in {load_ms:.0f} ms on loopback")

    marker = page.locator(f'path.story-marker[data-story="{kharkiv}"]')
    marker.wait_for()
    assert drawn(page)[1] >= 5
    # Other stories' circles may cover this one wherever it is clicked: the
    # click goes to the marker itself, as a user's would once the map is zoomed.
    marker.dispatch_event("click")
    page.locator(".leaflet-popup .popup-story").click()

    page.wait_for_url(f"**/stories/{kharkiv}")
    # The story is headed by its most central report's title; its event's sentence follows.
    assert page.locator("h1").inner_text() in ("Drone strike on Kharkiv kills three, injures 11",
                                               "Four dead after drone attack on Kharkiv")
    assert "drones hit a residential district of Kharkiv" in page.locator(".story-summary").inner_text()
    assert "18 June 2024" in page.locator("dl.facts").inner_text()
    killed = page.locator("table.figures tr", has=page.locator("th", has_text="killed"))
    assert "conflict" in killed.get_attribute("class")
    assert sorted(killed.locator(".claim strong").all_inner_texts()) == ["3", "4"]
    assert {"Eastern Wire", "Northern Post"} <= set(page.locator(".report-head strong").all_inner_texts())

    page.locator("a.article-link", has_text="Four dead after drone attack").first.click()
    assert page.locator("h1").inner_text() == "Four dead after drone attack on Kharkiv"
    page.go_back()
    page.locator("a.article-link", has_text="Drone strike on Kharkiv").first.click()
    page.wait_for_url("**/articles/drone-strike")
    assert page.locator("h1").inner_text() == "Drone strike on Kharkiv kills three, injures 11"
    marked = page.locator("#article-text mark.quote").all_inner_texts()
    assert any("We are checking why the alerts were late" in m for m in marked)
    assert page.locator("#article-text mark.trigger", has_text="hit").count() >= 1
    assert "Oleh Marchenko" in page.locator("aside .quotes").inner_text()

    # Clicking a quotation in the text shows who said it in the side list.
    page.locator("#article-text mark.quote", has_text="We are checking why the alerts were late").click()
    assert page.locator("aside .quotes li.current .speaker").inner_text() == "Oleh Marchenko"

    # And the article's events lead back to their stories.
    page.locator("#e0 a.story-link").click()
    page.wait_for_url(f"**/stories/{kharkiv}")


def test_timeline_filters(server, page):
    page.goto(server["url"] + "/stories")
    everything = page.locator(".story-item").count()
    page.select_option("select[name=type]", "ASSAULT")
    page.fill("input[name=country]", "UA")
    page.locator("form.filters button").click()
    page.wait_for_url("**/stories?*type=ASSAULT*")
    types = page.locator(".story-item .badge").all_inner_texts()
    assert types and set(types) == {"ASSAULT"} and len(types) < everything
    assert all("(UA)" in m for m in page.locator(".story-item .meta").all_inner_texts())


def test_timeline_text_and_date_filters(server, page):
    page.goto(server["url"] + "/stories?since=2024-03-01&until=2024-03-31")
    dates = page.locator(".day h3 time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
    assert dates and all("2024-03-01" <= d <= "2024-03-31" for d in dates)
    assert "3 March 2024" in page.locator(".day h3").all_inner_texts()
    page.fill("input[name=q]", "chittagong fire")
    page.locator("form.filters button").click()
    page.wait_for_url("**q=chittagong*")
    items = page.locator(".story-item").all_inner_texts()
    assert len(items) == 1 and "fire broke out at a private container depot" in items[0]


def test_unknown_story_and_article_say_so(server, page):
    for path, words in (("/stories/story-000000000000", "There is no story"), ("/articles/no-such-id", "There is no article")):
        response = page.goto(server["url"] + path)
        assert response.status == 404
        assert words in page.locator("p.error").inner_text()


def test_quotes_grouped_by_speaker(server, page):
    page.goto(server["url"] + "/quotes?speaker=Marchenko")
    groups = page.locator("section.speaker-group h2")
    assert groups.count() == 1 and groups.first.inner_text().startswith("Oleh Marchenko")
    contexts = page.locator("section.speaker-group .context").all_inner_texts()
    assert any("The regional governor, Oleh Marchenko, said that the drones struck" in c for c in contexts)


def test_paste_an_article_and_see_its_quotes(server, page):
    page.goto(server["url"] + "/paste")
    page.fill("#paste-title", "Port strike ends")
    page.fill("#paste-text", "Dock workers in Mombasa ended a three-day strike on Friday.\n\n"
                             "\"We have won a fair deal for every family,\" union leader Joseph Otieno told "
                             "reporters outside the port gates. <img src=x onerror=window.__pwned=6>")
    page.locator("#paste-submit").click()
    quotes = page.locator("#paste-quotes li")
    quotes.first.wait_for()
    speakers = page.locator("#paste-quotes .speaker").all_inner_texts()
    assert "Joseph Otieno" in speakers
    assert "We have won a fair deal for every family" in page.locator("#paste-quotes").inner_text()
    marked = page.locator("#paste-text-marked")
    assert "We have won a fair deal for every family" in marked.locator("mark.quote").all_inner_texts()
    assert "<img src=x onerror=window.__pwned=6>" in marked.inner_text()
    assert page.locator("#paste-result img").count() == 0
    assert page.evaluate("() => window.__pwned") is None


def test_choose_an_html_file_and_see_its_analysis(server, page):
    page.goto(server["url"] + "/paste")
    html = ("<html><head><title>Bridge reopens in Porto | Douro News</title></head><body><nav>Home | World</nav><article>"
            "<h1>Bridge reopens in Porto</h1><p>The Luiz I bridge in Porto reopened to traffic on Monday after "
            "six months of repairs.</p><p>Protesters briefly blocked the bridge on Monday, police said.</p><p>\"The bridge is safe and it is ours again,\" said Mayor Rita Moreira "
            "at the ceremony.</p></article><footer>Contact us</footer></body></html>")
    page.set_input_files("#paste-file", files=[{"name": "bridge.html", "mimeType": "text/html",
                                                "buffer": html.encode()}])
    # The file is read on the server, as `dateline analyze` reads it: its markup never fills the box.
    assert "bridge.html" in page.locator("#paste-file-name").inner_text()
    assert page.locator("#paste-text").input_value() == ""
    page.fill("#paste-source", "Douro News")
    page.fill("#paste-published", "2025-03-12")
    page.locator("#paste-submit").click()
    page.locator("#paste-quotes li").first.wait_for()
    assert "Rita Moreira" in page.locator("#paste-quotes .speaker").all_inner_texts()
    # The page's navigation and footer were left out: only the article was read.
    read = page.locator("#paste-article").inner_text()
    assert read.startswith("Bridge reopens in Porto") and "41 words read" in read
    assert "Douro News" in read and "published 12 March 2025" in read
    assert "<nav>" not in page.locator("#paste-text-marked").inner_text()
    # "on Monday" is read from the publication date given: Monday 10 March 2025.
    assert "10 March 2025" in page.locator("#paste-events").inner_text()


def test_choose_a_json_file(server, page):
    page.goto(server["url"] + "/paste")
    article = {"title": "Ferry service resumes in Split", "source": "Adriatic Post", "published": "2025-05-06",
               "text": "The ferry service between Split and Hvar resumed on Tuesday after a week of storms.\n\n"
                       "\"Every boat is running again,\" said harbour master Ivo Babic."}
    page.set_input_files("#paste-file", files=[{"name": "ferry.json", "mimeType": "application/json",
                                                "buffer": json.dumps(article).encode()}])
    page.locator("#paste-submit").click()
    page.locator("#paste-quotes li").first.wait_for()
    read = page.locator("#paste-article").inner_text()
    assert read.startswith("Ferry service resumes in Split") and "Adriatic Post" in read and "6 May 2025" in read
    assert "Ivo Babic" in page.locator("#paste-quotes .speaker").all_inner_texts()
    # Removing the file gives the text box back.
    page.locator("#paste-file-clear").click()
    assert page.locator("#paste-text").is_enabled()


def test_paste_with_a_publication_date_and_outlet(server, page):
    page.goto(server["url"] + "/paste")
    page.fill("#paste-source", "Coast Daily")
    page.fill("#paste-published", "2024-06-20")
    page.fill("#paste-text", "Two people were killed when a bus crashed near Mombasa on Tuesday, police said.\n\n"
                             "\"We have won a fair deal,\" union leader Joseph Otieno told reporters.")
    page.locator("#paste-submit").click()
    page.locator("#paste-quotes li").first.wait_for()
    assert "Coast Daily" in page.locator("#paste-article").inner_text()
    assert "18 June 2024" in page.locator("#paste-events").inner_text()


def test_drag_a_text_file_onto_the_box(server, page):
    page.goto(server["url"] + "/paste")
    text = ("Farmers blocked roads near Lyon on Monday.\n\n"
            "\"We will stay until the minister comes,\" said Luc Girard, a union leader.")
    # A file dragged from the desktop arrives as a drop event carrying it.
    files = page.evaluate_handle("""text => {
        const data = new DataTransfer();
        data.items.add(new File([text], "lyon.txt", {type: "text/plain"}));
        return data;
    }""", text)
    page.dispatch_event("#paste-text", "drop", {"dataTransfer": files})
    page.wait_for_function("() => document.getElementById('paste-status').textContent.includes('lyon.txt')")
    page.locator("#paste-submit").click()
    page.locator("#paste-quotes li").first.wait_for()
    assert "Luc Girard" in page.locator("#paste-quotes .speaker").all_inner_texts()


def test_script_in_article_content_runs_nowhere(server, page):
    hostile = story_id(server["db"], location="Cork")
    for path in ("/", "/stories", "/quotes", f"/stories/{hostile}", "/articles/hostile"):
        page.goto(server["url"] + path)
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__pwned") is None, path
        assert page.locator("main img").count() == 0, path

    # On the article page the markup shows as the text it is.
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert "<script>window.__pwned=4</script>" in page.locator("#article-text").inner_text()
    assert page.locator(".byline").inner_text().startswith("<b>Bad Outlet</b>")
    assert page.locator("a[href^='javascript:']").count() == 0

    # And in the map's popup (filtered to it: Galway is close enough to share a cluster).
    page.goto(server["url"] + "/?q=cork")
    marker = page.locator(f'path.story-marker[data-story="{hostile}"]')
    marker.wait_for()
    # Opened from the keyboard.
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "floods hit Cork <img src=x onerror=window.__pwned=7> on Thursday" in popup.inner_text()
    assert page.evaluate("() => window.__pwned") is None
    assert popup.locator("img, script").count() == 0


def test_locked_reads_lock_the_pages_too(server, page):
    from dateline.serve.app import create_app

    with serving(create_app(server["db"], api_key="page-key", lock_reads=True, load_model=False)) as url:
        for path in ("/", "/stories", "/quotes", "/articles/drone-strike"):
            response = page.goto(url + path)
            assert response.status == 401, path
            assert "Oleh Marchenko" not in page.content()
        page.set_extra_http_headers({"X-API-Key": "page-key"})
        assert page.goto(url + "/articles/drone-strike").status == 200
        assert "Oleh Marchenko" in page.locator("aside .quotes").inner_text()


# --- headlines, dates at their precision, the map, paging, weak events -------------

def test_stories_are_listed_by_headline(server, page):
    page.goto(server["url"] + "/stories")
    chittagong = page.locator(".story-item", has_text="Chittagong")
    assert chittagong.locator("a.headline").inner_text() == "Fire at Chittagong container depot injures 23"
    assert "fire broke out at a private container depot" in chittagong.locator(".summary").inner_text()


def test_dates_show_at_their_precision(server, page):
    from dateline.store import Store

    nairobi = story_id(server["db"], country="KE", headline="Farmers march on Nairobi over fuel prices")
    with Store.open(server["db"], readonly=True) as store:
        story = store.story(nairobi)
    shown = {"month": "March 2023", "year": "2021"}[story["date_precision"]]
    page.goto(server["url"] + f"/stories?country=KE&weak=1")
    assert shown in page.locator(".day h3").all_inner_texts()
    page.goto(server["url"] + f"/stories/{nairobi}")
    assert shown in page.locator("dl.facts").inner_text()
    page.goto(server["url"] + "/articles/nairobi-march")
    events = page.locator("aside .events").inner_text()
    assert "March 2023" in events and "2021" in events
    assert "1 March 2023" not in events and "1 January 2021" not in events
    # And in the CSV export.
    csv = page.request.get(server["url"] + "/api/export/csv?article_id=nairobi-march").text()
    dates = {line.split(",")[1] for line in csv.splitlines()[1:]}
    assert {"2023-03", "2021"} <= dates


def test_weak_events_are_hidden_with_a_toggle(server, page):
    from dateline.serve.storylist import LOW_CONFIDENCE
    from dateline.store import Store

    with Store.open(server["db"], readonly=True) as store:
        events = store.events(article_id="nairobi-march")
    weak = [e for e in events if e["confidence"] < LOW_CONFIDENCE]
    assert weak and len(weak) < len(events)
    page.goto(server["url"] + "/articles/nairobi-march")
    assert page.locator("aside .events > li").count() == len(events) - len(weak)
    assert f"{len(weak)} weak" in page.locator(".weak-toggle").inner_text()
    page.locator(".weak-toggle a", has_text="show").click()
    page.wait_for_url("**weak=1")
    assert page.locator("aside .events > li").count() == len(events)



def test_weak_stories_are_hidden_from_lists_and_map_with_a_toggle(crowded, page):
    for path in ("/stories?type=AID", "/?type=AID"):
        page.goto(crowded + path)
        assert page.locator(".story-item").count() == 0 and page.locator("path.story-marker").count() == 0
        page.check("input[name=weak]")
        page.locator("form.filters button").click()
        page.wait_for_url("**weak=1*")
        assert page.locator(".story-item a.headline").all_inner_texts() == ["Aid sent"]
    assert page.locator('path.story-marker[data-story="story-weak"]').count() == 1


def test_the_map_opens_on_the_stories_and_labels_places(server, page):
    page.goto(server["url"] + "/")
    page.locator("path.story-marker").first.wait_for()
    area = page.locator("#map").bounding_box()
    boxes = [m.bounding_box() for m in page.locator("path.story-marker, path.story-cluster").all()]
    # Every circle is in view, and they spread over the map: not a world view with the data in one corner.
    assert all(area["x"] <= b["x"] + b["width"] / 2 <= area["x"] + area["width"] and
               area["y"] <= b["y"] + b["height"] / 2 <= area["y"] + area["height"] for b in boxes)
    xs, ys = [b["x"] for b in boxes], [b["y"] for b in boxes]
    assert max(xs) - min(xs) > area["width"] / 3 or max(ys) - min(ys) > area["height"] / 3
    labels = page.locator(".place-label").all_inner_texts()
    assert "Kharkiv" in labels and "Chittagong" in labels
    rects = [b.bounding_box() for b in page.locator(".place-label").all()]
    for i, a in enumerate(rects):  # labels never cover one another
        for b in rects[i + 1:]:
            assert a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or \
                   a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]


MANY = [("Kyiv", "UA", 50.45, 30.52), ("Kharkiv", "UA", 49.99, 36.23), ("Odesa", "UA", 46.48, 30.72),
        ("Gaza City", "PS", 31.5, 34.47), ("Khartoum", "SD", 15.5, 32.56), ("Manila", "PH", 14.6, 120.98)]


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """A store of 3,000 stories around six cities (a third of them scattered
    up to half a degree away), and four protests at one spot in Porto."""
    import random

    from dateline.store import Store

    rng = random.Random(5)
    stories = []
    for i in range(3004):
        name, cc, lat, lon = MANY[i % len(MANY)] if i < 3000 else ("Porto", "PT", 41.15, -8.61)
        spread = 0.5 if i < 3000 and i % 3 == 0 else 0
        stories.append({
            "id": f"story-{i:06d}", "type": "ASSAULT" if i < 3000 else "PROTEST", "summary": f"Event {i} in {name}.",
            "headline": f"Report {i} from {name}", "location": name, "country": cc, "date": "2024-06-01",
            "date_precision": "month" if i % 2 else "day",
            "place": {"name": name, "country": cc, "lat": lat + rng.uniform(-spread, spread),
                      "lon": lon + rng.uniform(-spread, spread)},
            "evidence": [{"article_id": f"a{i}", "event_index": 0, "event": {"confidence": 0.8}}],
            "articles": [f"a{i}"], "corroboration": 1, "outlets": ["Wire"]})
    # One story whose only report is weak (little evidence).
    stories.append({"id": "story-weak", "type": "AID", "summary": "Aid was sent.", "headline": "Aid sent",
                    "location": "Manila", "country": "PH", "place": {"name": "Manila", "lat": 14.6, "lon": 120.98},
                    "evidence": [{"article_id": "weak", "event_index": 0, "event": {"confidence": 0.3}}],
                    "articles": ["weak"], "corroboration": 1, "outlets": ["Wire"]})
    db = str(tmp_path_factory.mktemp("crowded") / "crowded.db")
    with Store.open(db) as store:
        store.replace_stories(stories)
    with serving(create_app_without_model(db)) as url:
        yield url


def create_app_without_model(db):
    from dateline.serve.app import create_app

    return create_app(db, load_model=False)


def drawn(page) -> tuple[int, int]:
    """(circles drawn, stories they hold)."""
    singles = page.locator("path.story-marker").count()
    held = page.locator("path.story-cluster").evaluate_all(
        "cs => cs.reduce((n, c) => n + c.getAttribute('data-stories').split(' ').length, 0)")
    return singles + page.locator("path.story-cluster").count(), singles + held


def test_thousands_of_stories_cluster(crowded, page):
    page.goto(crowded + "/")
    page.locator("path.story-cluster").first.wait_for()
    circles, stories = drawn(page)
    assert stories == 3004 and circles <= 12
    assert "Manila" in page.locator(".place-label").all_inner_texts()
    # Clicking a cluster zooms in on its stories: more, smaller clusters.
    biggest = max(page.locator("path.story-cluster").all(),
                  key=lambda c: len(c.get_attribute("data-stories").split()))
    biggest.dispatch_event("click")
    page.wait_for_function(f"() => document.getElementById('map').getAttribute('data-markers') > {circles}")
    assert drawn(page)[0] > circles


def test_stories_at_one_place_are_listed_in_one_popup(crowded, page):
    page.goto(crowded + "/?type=PROTEST")
    cluster = page.locator("path.story-cluster")
    cluster.wait_for()
    assert page.locator(".place-label").all_inner_texts() == ["Porto"]
    cluster.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "4 stories here" in popup.inner_text()
    assert sorted(popup.locator("a.popup-story").all_inner_texts()) == [
        f"Report {i} from Porto" for i in range(3000, 3004)]
    heads = popup.locator(".popup-head").all_inner_texts()
    assert any(h.endswith("June 2024") and "1 June" not in h for h in heads)
    assert any(h.endswith("1 June 2024") for h in heads)


def test_quotes_come_in_pages(server, page):
    from dateline.serve.pages import QUOTES_PAGE
    from dateline.store import Store

    with Store.open(server["db"], readonly=True) as store:
        total = len(store.quotes())
    assert total > QUOTES_PAGE
    page.goto(server["url"] + "/quotes")
    first = page.locator("li.quote .context").all_inner_texts()
    assert len(first) == QUOTES_PAGE
    page.locator("a[rel=next]").click()
    page.wait_for_url(f"**offset={QUOTES_PAGE}")
    second = page.locator("li.quote .context").all_inner_texts()
    assert len(second) == total - QUOTES_PAGE and not set(second) & set(first)
    assert page.locator("a[rel=next]").count() == 0
    page.locator("a[rel=prev]").click()
    assert page.locator("li.quote .context").all_inner_texts() == first


def test_quotes_filter_by_speaker_and_search(server, page):
    page.goto(server["url"] + "/quotes")
    page.locator("a.speaker-filter", has_text="Oleh Marchenko").click()
    page.wait_for_url("**speaker=Oleh*")
    assert page.locator("section.speaker-group h2 .speaker-name").all_inner_texts() == ["Oleh Marchenko"]
    page.fill("input[name=said]", "alerts")
    page.locator("form.filters button").click()
    page.wait_for_url("**said=alerts*")
    contexts = page.locator("li.quote mark.quote").all_inner_texts()
    assert contexts and all("alerts" in c.lower() for c in contexts)
