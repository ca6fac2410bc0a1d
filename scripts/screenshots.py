"""Screenshots of the web app's main pages for the README.

Builds a store from samples/ plus a second outlet's report of the Kharkiv
strike (so that the story page shows conflicting figures), serves it on a
free loopback port and saves PNGs to docs/screenshots/ with headless
Chromium (/usr/bin/chromium, `apt-get install chromium`).

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import json
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SECOND_REPORT = {
    "id": "kharkiv-second-outlet", "title": "Four dead after drone attack on Kharkiv", "source": "Northern Post",
    "published": "2024-06-18",
    "text": "Four people were killed and 11 were injured when drones hit a residential district of Kharkiv early "
            "on Tuesday, the city's mayor said.\n\n\"We will rebuild every home,\" Mayor Iryna Kovalenko told reporters.",
}
PASTED = ("Dock workers in Mombasa ended a three-day strike on Friday after the port authority agreed to raise "
          "night-shift pay.\n\n\"We have won a fair deal for every family,\" union leader Joseph Otieno told "
          "reporters outside the port gates.\n\nThe port authority said ships delayed by the strike would be "
          "cleared by Sunday.")


def build_store(folder: Path) -> str:
    from dateline.cli import main

    extra = folder / "second-report.jsonl"
    extra.write_text(json.dumps(SECOND_REPORT) + "\n", encoding="utf-8")
    db = str(folder / "screens.db")
    if main(["ingest", str(ROOT / "samples"), str(extra), "--db", db, "--no-progress"]) != 0:
        sys.exit("screenshots: could not build the store")
    return db


def serve(db: str):
    import uvicorn

    from dateline.serve.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def kharkiv_story(db: str) -> str:
    from dateline.store import Store

    with Store.open(db, readonly=True) as store:
        return next(r["id"] for r in store.stories(type="ASSAULT") if r.get("location") == "Kharkiv" and r.get("date"))


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = build_store(Path(tmp))
        server, url = serve(db)
        story = kharkiv_story(db)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 820})
            shots = [("map", "/"), ("story", f"/stories/{story}"), ("article", "/articles/drone-strike"),
                     ("quotes", "/quotes")]
            for name, path in shots:
                page.goto(url + path)
                page.wait_for_load_state("networkidle")
                if name == "map":
                    # With the Kharkiv story's popup open.
                    page.locator(f'path.story-marker[data-story="{story}"]').dispatch_event("click")
                    page.locator(".leaflet-popup-content").wait_for()
                    page.wait_for_timeout(800)  # the map pans to fit the popup
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(OUT / f"{name}.png")
            page.goto(url + "/paste")
            page.fill("#paste-source", "Coast Daily")
            page.fill("#paste-published", "2025-03-08")
            page.fill("#paste-text", PASTED)
            page.locator("#paste-submit").click()
            page.locator("#paste-quotes li").first.wait_for()
            page.screenshot(path=str(OUT / "paste.png"))
            print(OUT / "paste.png")
            browser.close()
        server.should_exit = True


if __name__ == "__main__":
    main()
