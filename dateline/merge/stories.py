"""Stories: the articles that tell one real-world story (dateline.merge.articles
groups them), and inside each story its incidents, the events that several
reports tell (dateline.merge.incidents aligns them), with every outlet's
figures compared. Without article texts (reports alone) each incident is a
story of its own.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Iterable, Optional

from dateline.merge.articles import Sketch, central, detect, sketch
from dateline.merge.incidents import (
    FIGURE_FIELDS, _d, _event_country, _norm_text, _place_known, cluster, party_tokens, report_key,
    story_id,
)
from dateline.model import Analysis, Event, Figure, FigureClaim, Incident, Place, Report, Story

_PRECISION_RANK = {"place": 0, "region": 1, "country": 2, None: 3}


# --- story fields -------------------------------------------------------------------


def _group(r: Report) -> str:
    """Syndication group: copies share their original's article id."""
    return r.duplicate_of or r.article_id


def _outlet_label(r: Report) -> str:
    return (r.outlet or "").strip() or r.article_id


def _most_common(values: list) -> Optional[object]:
    """The most frequent non-empty value; ties go to the first seen."""
    values = [v for v in values if v not in (None, "")]
    if not values:
        return None
    counts = Counter(values)
    top = max(counts.values())
    return next(v for v in values if counts[v] == top)


def _clean(s: Optional[str]) -> Optional[str]:
    if s is None:
        return None
    s = " ".join(s.split()).strip(" ,;:")
    return s or None


def _parties(values: list[Optional[str]]) -> list[str]:
    """Distinct names (by their comparable tokens), the most reported first."""
    forms: dict[object, list[str]] = {}
    for v in values:
        v = _clean(v)
        if v:
            forms.setdefault(party_tokens(v) or _norm_text(v), []).append(v)
    order = list(forms)
    ranked = sorted(order, key=lambda k: (-len(forms[k]), order.index(k)))
    return [_most_common(forms[k]) for k in ranked]


def _corroboration(members: list[Report]) -> list[str]:
    """Distinct outlets, one per syndication group (the original's outlet when present)."""
    groups: dict[str, list[Report]] = {}
    for r in members:
        groups.setdefault(_group(r), []).append(r)
    outlets: list[str] = []
    for g, rs in groups.items():
        original = [r for r in rs if r.article_id == g]
        label = _outlet_label(original[0]) if original else min(_outlet_label(r) for r in rs)
        if outlet_key(label) not in {outlet_key(o) for o in outlets}:
            outlets.append(label)
    return outlets


_TLD = {"com", "org", "net", "co", "uk", "ie", "in", "news", "ua", "ru", "info", "gov"}


def outlet_key(name: str) -> str:
    """'Reuters', 'reuters.com' and 'www.reuters.com' are one outlet; so are 'The Guardian' and 'Guardian'."""
    words = _norm_text(name).split()
    if words and words[0] in ("www", "the"):
        words = words[1:]
    while len(words) > 1 and words[-1] in _TLD:
        words.pop()
    return " ".join(words) or name.lower()


def _figures(members: list[Report]) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for field in FIGURE_FIELDS:
        claims: list[FigureClaim] = []
        seen: dict[tuple, int] = {}
        for r in members:
            value = getattr(r.event, field)
            if value is None:
                continue
            named = _clean(r.event.reported_by)
            k = (value, r.article_id)
            if k in seen:  # the same figure twice in one article: keep the named source
                if named and claims[seen[k]].source == _outlet_label(r):
                    claims[seen[k]] = claims[seen[k]].model_copy(update={"source": named})
                continue
            seen[k] = len(claims)
            claims.append(FigureClaim(value=value, source=named or _outlet_label(r), outlet=r.outlet,
                                      article_id=r.article_id))
        if not claims:
            continue
        # the most reported value counts each syndication group once
        support: dict[int, set[str]] = {}
        by_article = {r.article_id: r for r in members}
        for c in claims:
            support.setdefault(c.value, set()).add(_group(by_article[c.article_id]))
        top = max(len(s) for s in support.values())
        headline = next(c.value for c in claims if len(support[c.value]) == top)
        out[field] = Figure(value=headline, claims=claims, conflict=len(support) > 1)
    return out


def conflict_note(field: str, figure: Figure) -> str:
    """'killed: 1 per Tymur Tkachenko, 2 per Vitali Klitschko'."""
    by_value: dict[int, list[str]] = {}
    for c in figure.claims:
        names = by_value.setdefault(c.value, [])
        if c.source not in names:
            names.append(c.source)
    parts = []
    for value in sorted(by_value):
        names = by_value[value]
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"{value} per {who}")
    return f"{field}: " + ", ".join(parts)


def render_conflicts(story: Story) -> list[str]:
    return [conflict_note(f, story.figures[f]) for f in story.conflicts if f in story.figures]


def _best_place(members: list[Report]) -> Optional[Place]:
    places = [r.event.place for r in members if r.event.place is not None]
    if not places:
        return None
    counts = Counter(p.geonameid if p.geonameid is not None else _norm_text(p.name) for p in places)
    ranked = sorted(
        range(len(places)),
        key=lambda i: (_PRECISION_RANK.get(places[i].precision, 3),
                       -counts[places[i].geonameid if places[i].geonameid is not None else _norm_text(places[i].name)],
                       i),
    )
    return places[ranked[0]]


def _story_date(members: list[Report]) -> tuple[Optional[str], Optional[str]]:
    days = sorted(r.event.date[:10] for r in members
                  if r.event.date and (r.event.date_precision in (None, "day")) and _d(r.event.date))
    if days:
        return days[0], "day"
    rank = {"week": 0, "month": 1, "year": 2}
    coarse = sorted(((rank.get(r.event.date_precision, 3), r.event.date) for r in members if r.event.date))
    if coarse:
        return coarse[0][1], next(r.event.date_precision for r in members
                                  if r.event.date == coarse[0][1] and rank.get(r.event.date_precision, 3) == coarse[0][0])
    return None, None


def _summary(reports: list[Report]) -> str:
    """The sentence of the most informative report (date, place, parties, figures), earliest first."""
    def info(r: Report) -> int:
        e = r.event
        return (bool(e.date) + _place_known(e) + bool(e.actor) + bool(e.target)
                + any(getattr(e, f) is not None for f in FIGURE_FIELDS) + bool(e.reported_by))
    best = max(reports, key=info)  # max keeps the first of equals
    return _clean(best.event.summary) or best.event.summary


def _incident_fields(members: list[Report]) -> dict:
    members = sorted(members, key=report_key)
    events = [r.event for r in members]
    place = _best_place(members)
    figures = _figures(members)
    statuses = [e.status for e in events]
    originals = [r for r in members if not r.duplicate_of] or members
    day, precision = _story_date(members)
    published = sorted(r.published for r in members if r.published)
    outlets = _corroboration(members)
    fields = dict(
        type=members[0].event.type,
        mode=_most_common([e.mode for e in events]),
        summary=_summary(originals),
        actors=_parties([e.actor for e in events]),
        targets=_parties([e.target for e in events]),
        location=place.name if place else _most_common([_clean(e.location) for e in events]),
        place=place,
        country=_most_common([_event_country(e) for e in events]),
        date=day,
        date_precision=precision,
        figures=figures,
        conflicts=[f for f in FIGURE_FIELDS if f in figures and figures[f].conflict],
        status="occurred" if "occurred" in statuses else _most_common(statuses),
        outlets=outlets,
        corroboration=len(outlets),
        first_reported=published[0] if published else None,
        last_reported=published[-1] if published else None,
        evidence=members,
        **{f: figures[f].value for f in figures},
    )
    fields["conflict_notes"] = [conflict_note(f, figures[f]) for f in fields["conflicts"]]
    return fields


def make_incident(members: list[Report]) -> Incident:
    return Incident(**_incident_fields(members))


def make_story(members: list[Report]) -> Story:
    """A story of one incident (reports with no article text to group them by)."""
    fields = _incident_fields(members)
    first = fields["evidence"][0]
    return Story(id=story_id(first), articles=sorted({r.article_id for r in members}),
                 incidents=[Incident(**fields)], **fields)


def build_stories(reports: Iterable[Report]) -> list[Story]:
    """Merge reports into stories, one per incident. Deterministic: the same set of reports gives
    the same stories, ids and order (by date, then id) whatever the input order."""
    stories = [make_story(members) for members in cluster(reports)]
    return sorted(stories, key=lambda s: (s.date or s.first_reported or "9999", s.id))


def article_story_id(article_id: str) -> str:
    return "story-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


def _article_outlets(members: list[Sketch]) -> list[str]:
    """Distinct outlets, one per syndication group (the original's outlet when present)."""
    groups: dict[str, list[Sketch]] = {}
    for s in members:
        groups.setdefault(s.duplicate_of or s.article_id, []).append(s)
    outlets: list[str] = []
    for g, ss in groups.items():
        original = [s for s in ss if s.article_id == g]
        label = ((original[0].outlet or "").strip() or g) if original else min(
            (s.outlet or "").strip() or s.article_id for s in ss)
        if outlet_key(label) not in {outlet_key(o) for o in outlets}:
            outlets.append(label)
    return outlets


def story_of_articles(members: list[Sketch], reports: list[Report]) -> Story:
    """One story from its articles and their reports: incidents aligned
    inside it, the main incident (most articles, then most reports, then
    earliest) giving the story's event fields."""
    members = sorted(members, key=Sketch.order)
    incidents = [make_incident(m) for m in cluster(reports)]
    incidents.sort(key=lambda i: (-len({r.article_id for r in i.evidence}), -len(i.evidence),
                                  report_key(i.evidence[0])))
    head = central(members)
    headline = head.title or head.lead
    published = sorted(s.published for s in members if s.published)
    fields = incidents[0].model_dump() if incidents else {"summary": headline or ""}
    outlets = _article_outlets(members)
    fields.update(outlets=outlets, corroboration=len(outlets), first_reported=published[0] if published else None,
                  last_reported=published[-1] if published else None,
                  evidence=sorted(reports, key=report_key))
    return Story.model_validate({**fields, "id": article_story_id(members[0].article_id), "headline": headline,
                                 "articles": [s.article_id for s in members],
                                 "incidents": [i.model_dump() for i in incidents]})


def stories_of(sketches: Iterable[Sketch], reports: Iterable[Report],
               story_of: Optional[dict[str, str]] = None) -> list[Story]:
    """Stories of articles (their sketches) and of their reports, in order of
    their first article; `story_of` (article id -> story) when already decided."""
    sketches = list(sketches)
    if story_of is None:
        groups = detect(sketches)
    else:
        by_story: dict[str, list[Sketch]] = {}
        for s in sketches:
            by_story.setdefault(story_of[s.article_id], []).append(s)
        groups = sorted((sorted(g, key=Sketch.order) for g in by_story.values()), key=lambda g: g[0].order())
    by_article: dict[str, list[Report]] = {}
    for r in reports:
        by_article.setdefault(r.article_id, []).append(r)
    return [story_of_articles(g, [r for s in g for r in by_article.get(s.article_id, ())])
            for g in groups]


# --- from analyses ----------------------------------------------------------------


def article_key(analysis: Analysis) -> str:
    """The article's id, else its url, else a hash of its text."""
    a = analysis.article
    if a.id:
        return a.id
    if a.url:
        return a.url
    return "sha1:" + hashlib.sha1(a.text.encode("utf-8")).hexdigest()[:16]


_WORD = re.compile(r"\w+")


def _shingles(text: str, n: int = 6) -> set[int]:
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return {hash(" ".join(words))} if words else set()
    return {hash(" ".join(words[i:i + n])) for i in range(len(words) - n + 1)}


def find_syndicated(analyses: Iterable[Analysis], threshold: float = 0.8) -> dict[str, str]:
    """Article id -> id of the original for near-identical texts (syndicated copies).

    The original is the earliest published (then the smallest id); a text counts
    as a copy when most of its word 6-grams are in the original.
    """
    items = sorted(((a.article.published or "9999", article_key(a), _shingles(a.article.text)) for a in analyses),
                   key=lambda t: (t[0], t[1]))
    index: dict[int, set[int]] = {}
    out: dict[str, str] = {}
    for i, (_, key, sh) in enumerate(items):
        if not sh:
            continue
        candidates: Counter = Counter()
        for h in sh:
            for j in index.get(h, ()):
                candidates[j] += 1
        for j, shared in sorted(candidates.items(), key=lambda t: (-t[1], t[0])):
            other = items[j][2]
            if shared / min(len(sh), len(other)) >= threshold:
                out[key] = out.get(items[j][1], items[j][1])
                break
        if key not in out:
            for h in sh:
                index.setdefault(h, set()).add(i)
    return out


def _quote_in(analysis: Analysis, event: Event) -> Optional[str]:
    if event.sentence is None:
        return None
    for q in analysis.quotes:
        if q.direct and q.start < event.sentence.end and q.end > event.sentence.start:
            return q.content
    return None


def _is_headline(analysis: Analysis, event: Event) -> bool:
    """The event's sentence is in the text's first line, that line is a title
    (the article's title, or short with no final stop) and a body follows it."""
    text = analysis.article.text
    first = text.find("\n")
    if event.sentence is None or first < 0 or not text[first:].strip():
        return False
    line = text[:first].strip()
    title = (analysis.article.title or "").strip()
    if not (line == title or (0 < len(line) <= 160 and line[-1] not in '.!?"\u201d')):
        return False
    return event.sentence.start < first and not text[first:event.sentence.end].strip()


def reports_from_analysis(analysis: Analysis, duplicate_of: Optional[str] = None) -> list[Report]:
    a = analysis.article
    key = article_key(analysis)
    return [
        Report(article_id=key, event_index=i, outlet=a.source, url=a.url, published=a.published,
               duplicate_of=duplicate_of if duplicate_of != key else None,
               quote=_quote_in(analysis, e), headline=_is_headline(analysis, e), event=e)
        for i, e in enumerate(analysis.events)
    ]


def stories_from_analyses(analyses: Iterable[Analysis], duplicates: Optional[dict[str, str]] = None) -> list[Story]:
    """Stories from analysed articles, every article in one. `duplicates` maps
    an article id to the id of the article it is a syndicated copy of; when
    None, near-identical texts are found with find_syndicated."""
    analyses = list(analyses)
    if duplicates is None:
        duplicates = find_syndicated([a for a in analyses if not a.error])
    sketches, reports = [], []
    for a in analyses:
        key = article_key(a)
        dup = duplicates.get(key) if duplicates.get(key) != key else None
        sketches.append(sketch(a, key, dup))
        if not a.error:
            reports.extend(reports_from_analysis(a, dup))
    return stories_of(sketches, reports)
