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
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
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
    assert page.locator("path.story-marker").count() >= 5
    # Other stories' circles may cover this one wherever it is clicked: the
    # click goes to the marker itself, as a user's would once the map is zoomed.
    marker.dispatch_event("click")
    page.locator(".leaflet-popup .popup-story").click()

    page.wait_for_url(f"**/stories/{kharkiv}")
    assert "drones hit a residential district of Kharkiv" in page.locator("h1").inner_text()
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
    dates = page.locator(".day h3").all_inner_texts()
    assert dates and all("2024-03-01" <= d <= "2024-03-31" for d in dates)
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


def test_drop_an_html_file_and_see_its_analysis(server, page):
    page.goto(server["url"] + "/paste")
    html = ("<html><head><title>Bridge reopens in Porto</title></head><body><nav>Home | World</nav><article>"
            "<h1>Bridge reopens in Porto</h1><p>The Luiz I bridge in Porto reopened to traffic on Monday after "
            "six months of repairs.</p><p>\"The bridge is safe and it is ours again,\" said Mayor Rita Moreira "
            "at the ceremony.</p></article><footer>Contact us</footer></body></html>")
    page.set_input_files("#paste-file", files=[{"name": "bridge.html", "mimeType": "text/html",
                                                "buffer": html.encode()}])
    page.wait_for_function("() => document.getElementById('paste-text').value.includes('Luiz I bridge')")
    page.locator("#paste-submit").click()
    page.locator("#paste-quotes li").first.wait_for()
    assert "Rita Moreira" in page.locator("#paste-quotes .speaker").all_inner_texts()
    # The page's navigation and footer were left out: only the article was read.
    assert page.locator("#paste-article").inner_text().startswith("Bridge reopens in Porto · 32 words read")


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
    page.wait_for_function("() => document.getElementById('paste-text').value.includes('Luc Girard')")
    assert "lyon.txt" in page.locator("#paste-status").inner_text()
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

    # And in the map's popup.
    page.goto(server["url"] + "/")
    marker = page.locator(f'path.story-marker[data-story="{hostile}"]')
    marker.wait_for()
    # Its circle may lie under a neighbour's (Galway is close): open it from the keyboard.
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
