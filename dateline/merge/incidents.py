"""Event-level alignment: which events of different reports are the same incident.

A report is one event of one article. Two reports are the same incident when
they have the same PLOVER type, a compatible place, a compatible date and,
where both name them, overlapping actors. Clustering is greedy over the
reports in a fixed order (published, article id, event index) with a
complete-link check: a report joins an incident only when it is compatible
with every report already in it, so chains (Monday -> Tuesday -> Wednesday)
do not drift. The result depends only on the set of reports, never on the
order they were given in.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, Optional

from dateline import when
from dateline.model import Event, Place, Report

FIGURE_FIELDS = ("killed", "injured", "arrested", "displaced")
NEAR_KM = 50.0


# --- keys and normalisation ---------------------------------------------------


def report_key(r: Report) -> tuple:
    """Chronological order of reports: published date, article id, event index."""
    return (r.published or "9999-99-99", r.article_id, r.event_index)


def story_id(r: Report) -> str:
    digest = hashlib.sha1(f"{r.article_id}\x1f{r.event_index}".encode("utf-8")).hexdigest()
    return "story-" + digest[:12]


@lru_cache(maxsize=65536)
def _norm_text(s: Optional[str]) -> str:
    from dateline.analyze.gazetteer import norm

    return norm(s or "")


_GENERIC = {
    "the", "a", "an", "of", "and", "s", "its", "their", "forces", "force", "troops", "military", "army",
    "armed", "government", "govt", "officials", "official", "authorities", "regime", "state", "units",
    "unit", "soldiers", "administration", "side", "federation", "republic", "people", "ministry",
    "defence", "defense", "command", "leadership", "some", "several", "two", "one", "three", "many",
}
_ALIASES = {
    "moscow": "RU", "kremlin": "RU", "kyiv": "UA", "kiev": "UA", "washington": "US", "beijing": "CN",
    "idf": "IL", "tehran": "IR", "pyongyang": "KP", "usa": "US", "uk": "GB", "britain": "GB",
}


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    """Demonyms by their normalised form (lexicons/demonyms.tsv, as the places component reads it)."""
    from dateline.analyze.places_recognition import DEMONYMS

    return {_norm_text(word): cc for word, cc in DEMONYMS.items() if cc}


@lru_cache(maxsize=4096)
def _country_of_name(key: str) -> Optional[str]:
    if key in _ALIASES:
        return _ALIASES[key]
    if key in _demonyms():
        return _demonyms()[key]
    try:
        from dateline.analyze.gazetteer import get

        for kind, ref, _ in get().lookup(key):
            if kind == "C":
                return ref
    except Exception:  # pragma: no cover - the gazetteer ships with the package
        return None
    return None


@lru_cache(maxsize=8192)
def party_tokens(name: Optional[str]) -> frozenset[str]:
    """Comparable tokens of an actor or target: content words and country codes.

    'Russia', 'Russian forces' and 'Moscow' all give {'RU'}; generic words
    (forces, officials, the ...) are dropped.
    """
    key = _norm_text(name)
    if not key:
        return frozenset()
    raw = key.split()
    tokens: set[str] = set()
    i = 0
    while i < len(raw):
        # the longest country name or demonym starting here (up to 3 words)
        for n in (3, 2, 1):
            chunk = " ".join(raw[i:i + n])
            if len(raw[i:i + n]) == n and (cc := _country_of_name(chunk)):
                tokens.add(cc)
                i += n
                break
        else:
            if raw[i] not in _GENERIC and not raw[i].isdigit():
                tokens.add(raw[i])
            i += 1
    return frozenset(tokens)


def _overlap(a: Optional[str], b: Optional[str]) -> Optional[bool]:
    """True / False when both are given and comparable, None when either is unknown."""
    ta, tb = party_tokens(a), party_tokens(b)
    if not ta or not tb:
        return None
    return bool(ta & tb)


_PLACE_WORDS = {"capital", "city", "town", "village", "region", "area", "district", "province", "oblast",
                "country", "territory", "suburb", "outskirts", "centre", "center", "border"}


@lru_cache(maxsize=8192)
def target_tokens(name: Optional[str]) -> frozenset[str]:
    """Tokens of a target that says what was hit, not where: a target that is a
    place name ('Kyiv', 'the Ukrainian capital') gives none."""
    key = _norm_text(name)
    if not key:
        return frozenset()
    stripped = " ".join(w for w in key.split() if w not in ("the", "a", "an"))
    try:
        from dateline.analyze.gazetteer import get

        if stripped and get().lookup(stripped):
            return frozenset()
    except Exception:  # pragma: no cover
        pass
    return frozenset(t for t in party_tokens(name) if not (t.isupper() and len(t) == 2) and t not in _PLACE_WORDS)


def _target_overlap(a: Event, b: Event) -> Optional[bool]:
    ta, tb = target_tokens(a.target), target_tokens(b.target)
    places = {_norm_text(x) for e in (a, b) for x in (e.location, e.place.name if e.place else None) if x}
    ta = frozenset(t for t in ta if t not in places)
    tb = frozenset(t for t in tb if t not in places)
    if not ta or not tb:
        return None
    return bool(ta & tb)


# --- places -------------------------------------------------------------------


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from dateline.analyze.gazetteer import haversine

    return haversine(lat1, lon1, lat2, lon2)


def _event_country(e: Event) -> Optional[str]:
    return e.country or (e.place.country if e.place else None)


def place_level(a: Event, b: Event) -> Optional[int]:
    """2 same place, 1 compatible (one imprecise or unknown), None incompatible."""
    ca, cb = _event_country(a), _event_country(b)
    if ca and cb and ca != cb:
        return None
    pa, pb = a.place, b.place
    la, lb = _norm_text(a.location or (pa.name if pa else None)), _norm_text(b.location or (pb.name if pb else None))
    if pa and pb:
        if pa.geonameid is not None and pa.geonameid == pb.geonameid:
            return 2
        prec_a, prec_b = pa.precision or "place", pb.precision or "place"
        if prec_a == "place" and prec_b == "place":
            if pa.lat is not None and pb.lat is not None and pa.lon is not None and pb.lon is not None:
                return 2 if _haversine(pa.lat, pa.lon, pb.lat, pb.lon) <= NEAR_KM else None
            if la and la == lb:
                return 2
            return None
        if la and la == lb:
            return 2
        # one (or both) imprecise: containment by admin1 region, else by country
        if "country" in (prec_a, prec_b):
            return 1
        if pa.admin1 and pb.admin1:
            return 1 if _region_keys(pa) & _region_keys(pb) else None
        return 1
    if la and lb:
        return 2 if la == lb else 1
    return 1


def _region_keys(p: Place) -> set[str]:
    """Stems that name a place's first-level region: 'Kyiv Oblast' and the city
    of Kyiv's own subdivision 'Kyiv' both give 'kyiv'."""
    from dateline.analyze.gazetteer import stem

    keys = {stem(_norm_text(p.admin1))} if p.admin1 else set()
    if p.precision == "region":
        keys.add(stem(_norm_text(p.name)))
    return {k for k in keys if k}


def _place_known(e: Event) -> bool:
    return bool(e.place or e.location or _event_country(e))


# --- dates --------------------------------------------------------------------


def _d(s: Optional[str]) -> Optional[date]:
    if not s:
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        return None


def _period(e: Event) -> Optional[tuple[date, date]]:
    return when.span(e.date, e.date_precision or "day") if e.date else None


def date_level(a: Report, b: Report) -> Optional[float]:
    """2 same day, 1 next day or period containment, 0.5 two days apart,
    0 unknown but plausible (from publication dates), None incompatible."""
    pa, pb = _period(a.event), _period(b.event)
    if pa and pb:
        if a.event.date_precision in (None, "day") and b.event.date_precision in (None, "day"):
            gap = abs((pa[0] - pb[0]).days)
            return {0: 2.0, 1: 1.0, 2: 0.5}.get(gap)
        if pa[0] <= pb[1] + timedelta(days=1) and pb[0] <= pa[1] + timedelta(days=1):
            return 1.0
        return None
    # one or both dates missing: the publication dates must fit
    if pa or pb:
        known, other = (pa, b) if pa else (pb, a)
        pub = _d(other.published)
        if pub is None:
            return 0.0
        return 0.0 if known[0] - timedelta(days=1) <= pub <= known[1] + timedelta(days=3) else None
    da, db = _d(a.published), _d(b.published)
    if da is None or db is None:
        return 0.0
    return 0.0 if abs((da - db).days) <= 2 else None


# --- pairwise compatibility -----------------------------------------------------


def compatibility(a: Report, b: Report) -> Optional[float]:
    """How strongly a and b look like reports of one real-world event.

    None: they cannot be (another type, place, date or actor); 0: nothing
    against it but not enough for it; > 0: the same event, the higher the surer.
    """
    if a.event.type != b.event.type:
        return None
    if a.article_id == b.article_id:
        if a.event_index == b.event_index:
            return 10.0
        return _same_article(a, b)
    return across_articles(a, b)


def _levels(a: Report, b: Report) -> Optional[tuple[int, float, Optional[bool], Optional[bool]]]:
    """Place level, date level, actor and target overlap; None when any clashes."""
    ea, eb = a.event, b.event
    pl = place_level(ea, eb)
    if pl is None:
        return None
    dl = date_level(a, b)
    if dl is None:
        return None
    actors = _overlap(ea.actor, eb.actor)
    if actors is False:
        return None
    return pl, dl, actors, _target_overlap(ea, eb)


def _same_article(a: Report, b: Report) -> Optional[float]:
    # one article's own events are distinct (the analyzer merges its
    # mentions), but for the headline, which retells one of them
    levels = _levels(a, b)
    if levels is None:
        return None
    pl, dl, actors, targets = levels
    if not (a.headline or b.headline):
        return None
    if targets is False and dl < 2:
        return None
    ea, eb = a.event, b.event
    return 1 + pl + dl + 0.25 * sum(getattr(ea, f) is not None and getattr(ea, f) == getattr(eb, f)
                                    for f in FIGURE_FIELDS)


def across_articles(a: Report, b: Report) -> Optional[float]:
    """compatibility() of two reports of the same type from different articles:
    a function of their comparison_key()s alone."""
    levels = _levels(a, b)
    if levels is None:
        return None
    pl, dl, actors, targets = levels
    ea, eb = a.event, b.event
    parties = (actors is True) or (targets is True)
    both_placeless = not _place_known(ea) and not _place_known(eb)
    if both_placeless:
        # nothing to anchor the event: the same day and the same parties
        ok = dl >= 2 and actors is True and targets is not False
    elif pl == 2:
        if dl >= 1:
            ok = targets is not False or dl >= 2
        else:  # two days apart, or the date unknown: the parties must match
            ok = parties and targets is not False
    else:  # place only compatible (one imprecise or unknown)
        if dl >= 2:
            ok = parties or (targets is None and actors is None and _place_known(ea) and _place_known(eb)
                             and ea.mode is not None and ea.mode == eb.mode)
        elif dl >= 1:
            ok = parties and targets is not False
        else:
            ok = actors is True and targets is True
    if not ok:
        return 0.0
    score = pl + dl + (actors is True) + (targets is True)
    score += 0.25 * sum(getattr(ea, f) is not None and getattr(ea, f) == getattr(eb, f) for f in FIGURE_FIELDS)
    if ea.mode and eb.mode:
        score += 0.5 if ea.mode == eb.mode else -0.5
    return max(float(score), 0.5)


# --- clustering -------------------------------------------------------------------


def _dedupe(reports: Iterable[Report]) -> list[Report]:
    """One report per (article id, event index); re-ingested copies collapse."""
    best: dict[tuple[str, int], Report] = {}
    for r in reports:
        k = (r.article_id, r.event_index)
        if k not in best or r.model_dump_json() > best[k].model_dump_json():
            best[k] = r
    return sorted(best.values(), key=report_key)


_REACH = 4  # days: no two compatible reports have time spans further apart than this


def _span(r: Report) -> Optional[tuple[int, int]]:
    """The days (as ordinals) a report can be about, None when unbounded."""
    period = _period(r.event)
    if period:
        return period[0].toordinal(), period[1].toordinal()
    pub = _d(r.published)
    return (pub.toordinal(), pub.toordinal()) if pub else None


def comparison_key(r: Report) -> tuple:
    """Everything compatibility() reads of a report when the other report is
    from another article: reports with equal keys (a wire story's reprints,
    one outlet's updates) compare alike, so each pair of keys is compared once."""
    e, p = r.event, r.event.place
    return (e.type, e.mode, e.actor, e.target, e.location, e.country, e.date, e.date_precision, e.killed, e.injured,
            e.arrested, e.displaced, r.published,
            (p.name, p.geonameid, p.lat, p.lon, p.country, p.admin1, p.precision) if p else None)


_BUCKET = 8  # days per bucket of the time index of clusters


class _Cluster:
    """A story being built: its members, how many of them share each comparison
    key, its members by article and the hull of their time spans."""

    __slots__ = ("members", "keys", "articles", "hull")

    def __init__(self, r: Report, key: int, span: Optional[tuple[int, int]]):
        self.members = [r]
        self.keys = {key: [r]}
        self.articles = {r.article_id: [r]}
        self.hull = span

    def add(self, r: Report, key: int, span: Optional[tuple[int, int]]) -> None:
        self.members.append(r)
        self.keys.setdefault(key, []).append(r)
        self.articles.setdefault(r.article_id, []).append(r)
        self.hull = (min(self.hull[0], span[0]), max(self.hull[1], span[1])) if self.hull and span else None


def _buckets(span: tuple[int, int]) -> range:
    return range((span[0] - _REACH) // _BUCKET, (span[1] + _REACH) // _BUCKET + 1)


def cluster(reports: Iterable[Report]) -> list[list[Report]]:
    """Groups of reports of one event, each in chronological order.

    Greedy in a fixed order with a complete-link check. A report is compared
    with the clusters whose time spans come near its own (a time index), and
    with each comparison key of a cluster once, weighted by how many members
    share it; scores are multiples of 1/4, so the weighted sums are exact and
    the result is the same as comparing member by member."""
    by_type: dict[str, list[_Cluster]] = {}
    index: dict[str, dict[int, set[int]]] = {}   # type -> bucket -> clusters whose hull reaches it
    unbounded: dict[str, list[int]] = {}          # type -> clusters with no time bound
    key_ids: dict[tuple, int] = {}
    scores_of: dict[tuple[int, int], Optional[float]] = {}
    # reports that give a date and a place first: vaguer ones (a headline with
    # neither) then join the story their own article's body anchors
    ordered = sorted(_dedupe(reports), key=lambda r: (not (r.event.date and _place_known(r.event)), report_key(r)))
    for r in ordered:
        t = r.event.type
        clusters = by_type.setdefault(t, [])
        buckets = index.setdefault(t, {})
        loose = unbounded.setdefault(t, [])
        key = key_ids.setdefault(comparison_key(r), len(key_ids))
        own = _span(r)
        if own is None:
            candidates: Iterable[int] = range(len(clusters))
        else:
            near = set(loose)
            for b in _buckets(own):
                near |= buckets.get(b, set())
            candidates = sorted(near)
        best_i, best_score = None, None
        for i in candidates:
            c = clusters[i]
            hull = c.hull
            if own and hull and (own[0] > hull[1] + _REACH or hull[0] > own[1] + _REACH):
                continue  # every member is too far in time to be compatible
            score = _score(c, r, key, key_ids, scores_of)
            if score is not None and (best_score is None or score > best_score):
                best_i, best_score = i, score
        if best_i is None:
            best_i = len(clusters)
            clusters.append(_Cluster(r, key, own))
        else:
            clusters[best_i].add(r, key, own)
        hull = clusters[best_i].hull
        if hull is None:
            if best_i not in loose:
                loose.append(best_i)
        else:
            for b in _buckets(hull):
                buckets.setdefault(b, set()).add(best_i)
    return [sorted(c.members, key=report_key) for t in sorted(by_type) for c in by_type[t]]


def _score(c: _Cluster, r: Report, key: int, key_ids: dict, scores_of: dict) -> Optional[float]:
    """How well r joins cluster c: the mean of its scores against every member
    plus a hundredth of the best; None when it clashes with any member or no
    member vouches for it."""
    total, top = 0.0, None
    own = c.articles.get(r.article_id, [])
    for m in own:  # members of r's own article, one by one
        s = compatibility(m, r)
        if s is None:
            return None
        total += s
        top = s if top is None else max(top, s)
    mine = {id(m) for m in own}
    for k, members in c.keys.items():
        n = len(members) - sum(id(m) in mine for m in members) if mine else len(members)
        if not n:
            continue
        pair = (k, key)
        if pair not in scores_of:
            scores_of[pair] = across_articles(members[0], r)
        s = scores_of[pair]
        if s is None:
            return None
        total += n * s
        top = s if top is None else max(top, s)
    if top is None or top <= 0:
        return None
    return total / len(c.members) + 0.01 * top


