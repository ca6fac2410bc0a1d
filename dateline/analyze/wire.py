"""The wire dateline at the head of an agency story: "NAIROBI (Reuters) -",
"KYIV, Ukraine (AP) —", "DOHA-Arch-foes ...". It names where the report was
filed, which is often but not always where the news happened: events use it
only when the text names no place of its own, and never as an argument."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from dateline.analyze import gazetteer
from dateline.model import Place

# An upper-case place (letters, spaces, dots, apostrophes, inner hyphens), an
# optional ", Country" or ", State", an optional "(Agency)", then a dash or a
# colon, and the story's first word starting with a capital, a digit or a quote.
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+){0,3})"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.]+(?:\s[A-Za-z0-9.]+){0,2}))?"
    r"\s*(?:\((?P<agency>[A-Za-z][A-Za-z .&/-]{1,30})\))?"
    r"\s*(?:-{1,2}|–|—|:)\s*(?=[A-Z0-9\"“‘'])"
)


@dataclass(frozen=True)
class WireDateline:
    start: int
    end: int  # where the story's own text begins
    place: Optional[Place]


def find(text: str) -> Optional[WireDateline]:
    m = _DATELINE.match(text[:200])
    if not m:
        return None
    name = m.group("place")
    if len(name.replace(" ", "")) < 3:
        return None
    place = _resolve(name.title(), m.start("place"), m.end("place"), m.group("region"))
    if place is None and not m.group("agency"):
        return None  # "UN -" or an acronym in capitals: not a dateline unless an agency follows
    return WireDateline(m.start("place"), m.end(), place)


def _resolve(name: str, start: int, end: int, region: Optional[str]) -> Optional[Place]:
    g = gazetteer.get()
    entries = g.lookup(gazetteer.norm(name))
    if not entries:
        return None
    if region:
        in_region = [e for e in entries if region.lower() in {(g.country_of(e) or "").lower(),
                                                              (g.describe(e).get("admin1") or "").lower()}
                     or _country_named(region) == g.country_of(e)]
        entries = in_region or entries
    # a dateline names a city: "WASHINGTON" is the capital, not the state
    cities = [e for e in entries if e[0] == "P"]
    best = max(cities or entries, key=g.population)
    return Place(name=g.label(best), start=start, end=end, **g.describe(best))


def _country_named(name: str) -> Optional[str]:
    g = gazetteer.get()
    for e in g.lookup(gazetteer.norm(name)):
        if e[0] == "C":
            return e[1]
    return None
