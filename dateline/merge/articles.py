"""Article-level story detection: which articles tell the same story.

Each article gets a sketch: its content words and named entities, weighted
by how often it uses them, as a unit vector, plus the place and day of its
main event. Two articles are *linked* when they share one of their heaviest
terms and their sketches' cosine reaches the `link` threshold, unless the
evidence says they cannot be one story (published further apart than the
window, main events of one type on days apart, or precise places far apart).
Articles are taken one by one in article order: each joins the story of its
earlier candidates it fits best, or starts one; when it fits several, those
are one story.

No corpus statistics are used (no IDF): the weight of a word depends on the
article alone, with spaCy's stop words and a list of words every report uses
left out. So the similarity of two articles never changes as others arrive.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional

from dateline.analyze.events.policy import policy
from dateline.model import Analysis

_WORD = re.compile(r"[^\W_]+(?:[-'.][^\W_]+)*")
_ENTITY_TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
_SETTINGS = {"link": float, "merge": float, "candidates_per_term": int, "entity_weight": float, "event_weight": float, "title_weight": float, "terms_indexed": int, "terms_kept": int,
             "window_days": int, "same_event_days": int, "far_km": float, "record_exact_below": int,
             "record_lag": float}


@lru_cache(maxsize=1)
def settings() -> dict:
    """The shipped thresholds (lexicons/story_detection.json), checked on load."""
    raw = json.loads(resources.files("dateline.lexicons").joinpath("story_detection.json").read_text("utf-8"))
    out = {}
    for name, kind in _SETTINGS.items():
        value = raw.get(name)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise ValueError(f"story_detection.json: {name} must be a number >= 0, not {value!r}")
        out[name] = kind(value)
    if not 0 < out["link"] <= 1 or out["terms_indexed"] < 1 or out["terms_kept"] < out["terms_indexed"]:
        raise ValueError("story_detection.json: need 0 < link <= 1 and 1 <= terms_indexed <= terms_kept")
    return out


@lru_cache(maxsize=1)
def _ignored() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    from dateline.lexicons import words

    generic = words("story_generic_words.txt")
    if any(not _WORD.fullmatch(w) for w in generic):
        raise ValueError("story_generic_words.txt: one lower-case word a line")
    return frozenset(STOP_WORDS) | generic


@dataclass(frozen=True)
class Sketch:
    """What story detection reads of an article."""

    article_id: str
    published: Optional[str] = None
    outlet: Optional[str] = None
    duplicate_of: Optional[str] = None
    title: Optional[str] = None
    lead: Optional[str] = None
    terms: dict[str, float] = field(default_factory=dict)  # unit vector, heaviest first
    place: Optional[tuple[float, float]] = None  # main event's precise place
    event: Optional[tuple[str, str]] = None  # main event's type and day
    # the type of the first act (no incident) naming a person in full, then the words of those names
    subject: Optional[tuple[str, ...]] = None
    # the other stories (their first articles) this article fits as well as
    # the one it joined: decided with it and stored with it, they make one story
    also: tuple[str, ...] = ()

    def indexed(self) -> list[str]:
        """The heaviest terms: two articles that share none are never linked."""
        return list(self.terms)[:settings()["terms_indexed"]]

    def order(self) -> tuple:
        # by day, as the store's term index orders them (undated last)
        return ((self.published or "")[:10] or "9999", self.article_id)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Sketch":
        d = json.loads(text)
        for k in ("place", "event", "also", "subject"):
            if d.get(k) is not None:
                d[k] = tuple(d[k])
        return cls(**d)


def _words(text: str) -> list[str]:
    ignored = _ignored()
    return [w for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in ignored]


def _lead(text: str) -> Optional[str]:
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    if not line:
        return None
    return line if len(line) <= 160 else line[:157].rsplit(" ", 1)[0] + "..."


def sketch(analysis: Analysis, article_id: Optional[str] = None, duplicate_of: Optional[str] = None) -> Sketch:
    s = settings()
    a = analysis.article
    counts = Counter(_words(a.text))
    weights = {"w:" + w: 1 + math.log(c) for w, c in counts.items()}
    for w in _words(a.title or ""):
        weights["w:" + w] = weights.get("w:" + w, 0.0) + s["title_weight"]
    for e in analysis.entities:
        if e.type in _ENTITY_TYPES and (name := " ".join(_words(e.name))):
            k = "e:" + name
            weights[k] = weights.get(k, 0.0) + s["entity_weight"] * (1 + math.log(max(1, len(e.mentions))))
    # the events as terms too: reports that word one incident differently still meet on its type, day and place
    for e in analysis.events:
        if e.status != "occurred":
            continue
        keys = ["v:" + e.type]
        if e.date and e.date_precision in (None, "day"):
            keys.append(f"v:{e.type}@{e.date[:10]}")
        if e.place and e.place.geonameid is not None:
            keys.append(f"v:{e.type}@{e.place.geonameid}")
        for k in keys:
            weights[k] = max(weights.get(k, 0.0), s["event_weight"])
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:s["terms_kept"]]
    norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
    place = event = None
    for e in analysis.events:
        p = e.place
        if place is None and p and p.precision in (None, "place") and p.lat is not None and p.lon is not None:
            place = (round(p.lat, 4), round(p.lon, 4))
        if event is None and e.date and e.date_precision in (None, "day") and e.status == "occurred":
            event = (e.type, e.date[:10])
    title = (a.title or "").strip() or None
    return Sketch(subject=_subject(analysis), article_id=article_id or a.id or "", published=a.published, outlet=a.source,
                  duplicate_of=duplicate_of, title=title, lead=_lead(a.text),
                  terms={k: round(v / norm, 6) for k, v in top}, place=place, event=event)


def _subject(analysis: Analysis) -> Optional[tuple[str, ...]]:
    """The type of the first occurred event whose actor or target is a
    person the article names in full, and the words of those persons' names:
    two reports of one kind of act done to or by different people ("Jackson
    arrested", "Williams arrested") are two stories, dated or not. A name of
    one word is no evidence (the tagger calls words like "Ricochet" a
    person), nor is an incident's: reports of one shooting name different
    victims first."""
    people: dict[str, list[str]] = {}
    for e in analysis.entities:
        if e.type == "PERSON" and len(names := _words(e.name)) >= 2:
            for n in [e.name, *e.aliases]:
                people[n.lower()] = names
    for e in analysis.events:
        if e.status != "occurred" or policy(e.type).incident:
            continue  # (a shooting or a crash has many victims, and reports name different ones first)
        names = sorted({w for n in (e.actor, e.target) if n and n.lower() in people for w in people[n.lower()]})
        if names:
            return (e.type, *names)
    return None


def _day(s: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None


def _apart(a: Optional[str], b: Optional[str], days: int) -> bool:
    da, db = _day(a), _day(b)
    return da is not None and db is not None and abs((da - db).days) > days


def similarity(a: Sketch, b: Sketch) -> Optional[float]:
    """Cosine of two sketches; None when the evidence rules out one story."""
    if a.duplicate_of == b.article_id or b.duplicate_of == a.article_id or (
            a.duplicate_of and a.duplicate_of == b.duplicate_of):
        return 1.0
    s = settings()
    if _apart(a.published, b.published, s["window_days"]):
        return None
    if a.event and b.event and a.event[0] == b.event[0] and _apart(a.event[1], b.event[1], s["same_event_days"]):
        return None
    if a.subject and b.subject and a.subject[0] == b.subject[0] and not set(a.subject[1:]) & set(b.subject[1:]):
        return None
    if s["far_km"] and a.place and b.place:
        from dateline.analyze.gazetteer import haversine

        if haversine(a.place[0], a.place[1], b.place[0], b.place[1]) > s["far_km"]:
            return None
    small, big = (a.terms, b.terms) if len(a.terms) <= len(b.terms) else (b.terms, a.terms)
    return sum(v * big.get(k, 0.0) for k, v in small.items())


def copies(sketches: dict[str, Sketch]) -> dict[str, str]:
    """Copy id -> original id, for the syndicated copies whose original is
    among these articles and is no copy itself: a copy follows its original
    and is never compared with other articles (hundreds of reprints of one
    wire story cost what one does)."""
    return {k: s.duplicate_of for k, s in sketches.items()
            if s.duplicate_of and s.duplicate_of != k and s.duplicate_of in sketches
            and not sketches[s.duplicate_of].duplicate_of}


def choose(s: Sketch, candidates: Iterable[Sketch], story_of: dict[str, str]) -> tuple[Optional[str], tuple[str, ...]]:
    """The story s joins (None: it starts one) and the other stories it fits
    that are one story with it.

    Of the stories of its candidates, s fits those whose candidate members
    it is similar to on average by at least `link` with none of them ruling
    it out; it joins the one of highest mean (the earliest story of equals).
    Another story it fits is the same when its candidate members and those of
    the joined story are similar on average by at least `merge`, with no
    pair ruled out.
    `candidates`: the articles before s in article order sharing one of its
    indexed terms, the latest `candidates_per_term` per term, with their
    stories (as decided in the pass, before any merge) in `story_of`."""
    members: dict[str, list[Sketch]] = {}
    sims: dict[str, list[float]] = {}
    for c in candidates:
        v = similarity(s, c)
        members.setdefault(story_of[c.article_id], []).append(c)
        sims.setdefault(story_of[c.article_id], []).append(-math.inf if v is None else v)
    link, merge = settings()["link"], settings()["merge"]
    fits = {story: sum(v) / len(v) for story, v in sims.items() if sum(v) / len(v) >= link}
    if not fits:
        return None, ()
    best = min(fits, key=lambda story: (-fits[story], story))
    # another story s fits is the same one when its candidate members are, on
    # average, as similar to those of the story s joins (average link, as
    # between two articles): an article that fits two stories of one kind of
    # event about equally is no evidence that they are one
    also = []
    for other in sorted(x for x in fits if x != best):
        pairs = [similarity(a, b) for a in members[best] for b in members[other]]
        if None not in pairs and sum(pairs) / len(pairs) >= merge:
            also.append(other)
    return best, tuple(also)


def decide(sketches: Iterable[Sketch]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Article id -> (the story it joined or started, the other stories it
    fits), in one pass in article order, the way topic detection and
    tracking does it. A story here is named by its first article.

    What an article decides depends on the articles before it alone, and of
    those only on the latest few sharing each of its indexed terms and on
    their own decisions: an article added after all others changes nothing
    else, and one added earlier only the articles that follow it on one of
    its terms (dateline.merge.update). Stories fitted by one article are
    merged afterwards (`merged`), not during the pass: the articles after it
    are decided against the stories as they were joined, so a merge never
    reaches back into decisions already made."""
    by_id = {s.article_id: s for s in sketches}
    copy_of = copies(by_id)
    k = settings()["candidates_per_term"]
    postings: dict[str, list[Sketch]] = {}
    joined: dict[str, str] = {}
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for s in sorted(by_id.values(), key=Sketch.order):
        if s.article_id in copy_of:
            continue
        near = {c.article_id: c for t in s.indexed() for c in postings.get(t, ())[-k:]}
        best, also = choose(s, near.values(), joined)
        joined[s.article_id] = best or s.article_id
        out[s.article_id] = (joined[s.article_id], also)
        for t in s.indexed():
            postings.setdefault(t, []).append(s)
    for k_, original in copy_of.items():
        out[k_] = (joined[original], ())
    return out


def merged(decisions: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, str]:
    """Article id -> its story: the stories one article fits are one.
    `decisions` (from `decide`) must hold every article of the stories
    concerned. A story is named by any of its articles here: its id derives
    from its earliest article (dateline.merge.stories), so the story that
    began first keeps its id."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])  # path halving: long merge chains stay cheap
            x = parent[x]
        return x

    for story, also in decisions.values():
        for other in also:
            a, b = sorted((root(story), root(other)))
            if a != b:
                parent[b] = a
    return {k: root(story) for k, (story, _) in decisions.items()}


def assign(sketches: Iterable[Sketch]) -> dict[str, str]:
    """Article id -> story (a name for it: one of its articles)."""
    return merged(decide(sketches))


def detect(sketches: Iterable[Sketch]) -> list[list[Sketch]]:
    """Every article in exactly one story, each story in article order;
    stories in order of their first article."""
    by_id = {s.article_id: s for s in sketches}
    groups: dict[str, list[Sketch]] = {}
    for k, root in assign(by_id.values()).items():
        groups.setdefault(root, []).append(by_id[k])
    return sorted((sorted(g, key=Sketch.order) for g in groups.values()), key=lambda g: g[0].order())


def central(members: list[Sketch]) -> Sketch:
    """The member whose words are closest to the others' (the earliest of
    equals): the largest dot product with the sum of the members' sketches,
    which ranks them as their mean cosine to the others does, in time linear
    in the story's size (a story of a thousand reprints stays cheap)."""
    if len(members) < 3:
        return min(members, key=Sketch.order)
    total: dict[str, float] = {}
    for m in members:
        for k, v in m.terms.items():
            total[k] = total.get(k, 0.0) + v

    def score(m: Sketch) -> float:
        return round(sum(v * total.get(k, 0.0) for k, v in m.terms.items()), 9)

    return max(sorted(members, key=Sketch.order), key=score)
