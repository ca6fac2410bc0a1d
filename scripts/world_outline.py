"""Build the web app's world outline (a GeoJSON of country shapes) from the
Natural Earth 1:110m countries TopoJSON of the `world-atlas` npm package.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/world_outline.py package/countries-110m.json

writes dateline/serve/static/vendor/world/countries-110m.geojson. Run once;
the output is committed so that the app needs no network or tile server.
Natural Earth data is in the public domain; world-atlas is ISC-licensed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "dateline/serve/static/vendor/world/countries-110m.geojson"


def decode_arcs(topology: dict) -> list[list[list[float]]]:
    """Absolute lon/lat points of every arc (TopoJSON quantises and delta-encodes them)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            # Two decimals (about 1 km) is finer than the 1:110m data itself.
            points.append([round(x * sx + tx, 2), round(y * sy + ty, 2)])
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list) -> list[list[float]]:
    points: list[list[float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        # Consecutive arcs share their joining point.
        points.extend(arc if not points else arc[1:])
    # A ring cut at the antimeridian (Russia, Fiji) would be drawn as a line
    # across the whole map: continue its western part past 180 instead.
    if any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:])):
        points = [[x + 360 if x < 0 else x, y] for x, y in points]
    return points


def geometry(geom: dict, arcs: list) -> dict | None:
    if geom["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r, arcs) for r in geom["arcs"]]}
    if geom["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [[ring(r, arcs) for r in p] for p in geom["arcs"]]}
    return None


def main(path: str) -> None:
    topology = json.loads(Path(path).read_text())
    arcs = decode_arcs(topology)
    features = []
    for geom in topology["objects"]["countries"]["geometries"]:
        name = geom.get("properties", {}).get("name")
        # Antarctica would fill the bottom of a Mercator map and hold no news.
        shape = geometry(geom, arcs) if name != "Antarctica" else None
        if shape:
            features.append({"type": "Feature", "properties": {"name": name},
                             "geometry": shape})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")))
    print(f"{OUT}: {len(features)} countries, {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/world_outline.py countries-110m.json")
    main(sys.argv[1])
