"""Map page benchmark (not a test): the home page over a store of N synthetic
stories around a few cities, each timed against a baseline in the same run.

1. The map's points (the query and the points) from the stories' stored
   columns (headline, precision, confidence, coordinates), against reading
   each story's JSON for its place and confidence, which is what the page did
   before those columns existed.
2. GET / through the app (map, timeline and month bars), median of --repeat.

    .venv/bin/python benchmarks/map.py                  # 10,000 stories
    .venv/bin/python benchmarks/map.py --stories 50000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dateline.serve import storylist  # noqa: E402
from dateline.store import Store  # noqa: E402

CITIES = [("Kyiv", "UA", 50.45, 30.52), ("Kharkiv", "UA", 49.99, 36.23), ("Odesa", "UA", 46.48, 30.72),
          ("Gaza City", "PS", 31.5, 34.47), ("Khartoum", "SD", 15.5, 32.56), ("Manila", "PH", 14.6, 120.98)]


def synthetic_stories(n: int, seed: int = 5) -> list[dict]:
    rng = random.Random(seed)
    stories = []
    for i in range(n):
        name, cc, lat, lon = CITIES[i % len(CITIES)]
        day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        reports = [{"article_id": f"a{i}-{k}", "event_index": 0, "event": {"confidence": rng.choice([0.3, 0.6, 0.9]),
                                                                           "summary": "x" * 200}}
                   for k in range(1 + i % 4)]
        stories.append({"id": f"story-{i:07d}", "type": "ASSAULT", "summary": f"Event {i} in {name}.",
                        "headline": f"Report {i} from {name}", "location": name, "country": cc, "date": day,
                        "date_precision": "month" if i % 5 == 0 else "day",
                        "place": {"name": name, "country": cc, "lat": lat + rng.uniform(-1, 1),
                                  "lon": lon + rng.uniform(-1, 1)},
                        "evidence": reports, "articles": [r["article_id"] for r in reports], "corroboration": 1,
                        "outlets": ["Wire"]})
    return stories


def points_from_json(store, rows: list[dict]) -> list[dict]:
    """The baseline: each story's JSON read for its place and confidence."""
    points = []
    for r in rows:
        if len(points) == storylist.MAP_LIMIT:
            break
        story = store.story(r["id"]) or {}
        place = story.get("place") or {}
        if storylist.story_confidence(story) < storylist.LOW_CONFIDENCE:
            continue
        if place.get("lat") is not None:
            points.append(storylist.map_point(r, place))
    return points


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from dateline.serve.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "map.db")
        with Store.open(db) as store:
            store.replace_stories(synthetic_stories(args.stories))
        with Store.open(db, readonly=True) as store:
            f = storylist.filters({})
            rows = storylist.filtered(store, f)
            columns = timed(lambda: storylist.map_points(storylist.newest_first(storylist.filtered(store, f))),
                            args.repeat)
            baseline = timed(lambda: points_from_json(store, storylist.newest_first(store.stories())), args.repeat)
            new, old = (storylist.map_points(storylist.newest_first(rows)),
                        points_from_json(store, storylist.newest_first(store.stories())))
            assert [p["id"] for p in new] == [p["id"] for p in old]
        with TestClient(create_app(db, load_model=False)) as client:
            page = timed(lambda: client.get("/").raise_for_status(), args.repeat)
            size = len(client.get("/").content)
    print(f"{args.stories:,} stories, {len(rows):,} not weak, {min(len(rows), storylist.MAP_LIMIT):,} on the map")
    print(f"map points from the stories' columns:      {1000 * columns:8.1f} ms")
    print(f"baseline, each story's JSON read:          {1000 * baseline:8.1f} ms")
    print(f"ratio baseline / columns:                  {baseline / columns:8.1f}x")
    print(f"GET / (map, timeline, month bars):         {1000 * page:8.1f} ms, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
