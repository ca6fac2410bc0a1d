"""Candidate ranking: a small hand-set linear score per gazetteer entry.

score = log10(population + 10) + KIND_BONUS[feature class] - ALT_PENALTY[how
the name matched] + MAIN_COUNTRY_BONUS (the entry lies in the article's main
country) + ADMIN1_BONUS x (share of the article's other names voting for the
entry's state / province, scaled down for a state far less backed than the
best-backed one) + NEAR_BONUS x (agreement of the other names'
readings within NEAR_KM). Two rounds: soft votes from every reading, then
votes from the first round's choices. The weights are set by hand and
documented in docs/places.md; nothing here is learned from a corpus.
"""

from __future__ import annotations

import math

from dateline.analyze import gazetteer as gz
from dateline.analyze.places_recognition import DIRECTIONS, Mention, SETTLEMENT_WORDS

# Frames that make a name a place whatever spaCy calls it (places_frames; an echo repeats one, places_recognition)
FRAMED = ("body", "echo", "dateline")
GAZ_ONLY_MIN_POP = 15000  # a gazetteer-only town outside the article's country
GAZ_CONTEXT_MIN_POP = 1000  # ... inside it
# An airport has no population: its bonus puts its short form ("Heathrow")
# above a same-named village (under ~20,000) and below a town.
KIND_BONUS = {"C": 2.0, "A": 1.0, "B": -0.5, "P": 0.0, "R": 1.5, "F": 4.3}
MAX_CANDIDATES = 25
ROUNDS = 4  # soft votes, then votes from the previous round's readings until they settle
MAIN_COUNTRY_BONUS = 2.5
ADMIN1_BONUS = 2.0
NEAR_BONUS = 2.0
NEAR_KM = 60.0
MAIN_A1_BONUS = 1.0  # ... and more for the state or province most of them name
MAIN_A1_SHARE = 0.4
# A state backed by far fewer of the other names than the best-backed one
# gets its bonus in proportion: one namesake in Colorado does not weigh as
# much as fifteen names in Minnesota ("Douglas County" among them)
ADMIN1_FULL_SHARE = 2 / 3
COUNTY_BONUS = 2.0  # a town in a county the article names, a county holding a town it names
FRAME_BONUS = 1.0  # "X-based" favours towns, "in northern X" areas
ALT_PENALTY = {-1: -2.0, 0: 0.0, 1: 1.0, 2: 1.0}


def _rival_share(votes: float, top: float) -> float:
    """The share of the state bonus a state gets: all of it with at least
    ADMIN1_FULL_SHARE of the best-backed state's votes, less in proportion."""
    if top <= 0.0:
        return 1.0
    return min(1.0, votes / (ADMIN1_FULL_SHARE * top))


class Ranker:
    """Resolution and the keep / drop decision (mixed into places._Article)."""

    # -- resolution -------------------------------------------------------
    def prior(self, e, region_kw: bool) -> float:
        kind, _, level = e
        if level == 2 and not region_kw:
            return -1e9
        pop = self.g.population(e)
        return math.log10(pop + 10) + KIND_BONUS[kind] - ALT_PENALTY[level]

    def resolve(self) -> None:
        """Reads every mention; then again without the weak matches that
        `keep` drops, so that they do not sway the others."""
        self._resolve(self.mentions)
        kept = [m for m in self.mentions if self.keep(m)]
        if len(kept) < len(self.mentions):
            self._resolve(kept)
            self.mentions = [m for m in kept if self.keep(m)]

    def _resolve(self, mentions: list[Mention]) -> None:
        g = self.g
        ms = [m for m in mentions if m.entries]
        # mentions of one name with the same constraints form a group, read
        # once (one sense per discourse) and voting once
        groups: dict[tuple, list[Mention]] = {}
        for m in ms:
            gk = (m.key, m.region_kw, m.cc_constraint, m.a1_constraint, m.demonym)
            groups.setdefault(gk, []).append(m)
        cands: dict[tuple, list[tuple[float, tuple]]] = {}
        probs: dict[tuple, dict[tuple, float]] = {}
        for gk, gms in groups.items():
            m = gms[0]
            fb = self._frame_bonus(gms)
            ps = [(self.prior(e, m.region_kw) + fb.get(e[0], 0.0), e) for e in m.entries]
            ps = [(p, e) for p, e in ps if p > -1e8]
            if not ps and (m.source == "ner" or " " in m.key):
                # spaCy's place whose only reading is a subdivision's bare stem
                # ("Surigao del Norte" for the Province of Surigao del Norte)
                ps = [(self.prior(e, True), e) for e in m.entries]
            if not ps:
                continue
            ps.sort(key=lambda x: -x[0])
            ps = ps[:MAX_CANDIDATES]
            cands[gk] = ps
            top = ps[0][0]
            ws = [math.exp(2.0 * (p - top)) for p, _ in ps]
            tot = sum(ws)
            probs[gk] = {e: w / tot for (_, e), w in zip(ps, ws)}
        choice: dict[tuple, tuple] = {}
        why: dict[tuple, tuple] = {}
        cvotes: dict[str, float] = {}
        avotes: dict[tuple, float] = {}
        own_a: dict[tuple, dict] = {}
        for rnd in range(ROUNDS):
            if rnd >= 2 and prev == choice:
                break  # the readings no longer change
            prev = dict(choice)
            # votes for the article's country and subdivisions: soft in the
            # first round, from the first round's readings in the second
            cvotes, avotes, own_a, own_c = {}, {}, {}, {}
            for gk, pr in probs.items():
                dist = {choice[gk]: 1.0} if rnd and gk in choice else pr
                own: dict[tuple, float] = {}
                oc: dict[str, float] = {}
                for e, w in dist.items():
                    cc = g.country_of(e)
                    if cc:
                        cvotes[cc] = cvotes.get(cc, 0.0) + w
                        oc[cc] = oc.get(cc, 0.0) + w
                    a1 = g.admin1_of(e)
                    if a1 and e[0] != "C":
                        v = w * (1.5 if e[0] == "A" else 1.0)
                        avotes[a1] = avotes.get(a1, 0.0) + v
                        own[a1] = own.get(a1, 0.0) + v
                own_a[gk] = own
                own_c[gk] = oc
            total = sum(cvotes.values())
            self.main = None
            if cvotes:
                best = max(cvotes, key=cvotes.get)
                if cvotes[best] >= 0.9 and cvotes[best] >= 0.3 * total:
                    self.main = best
            cur = probs if not rnd else {gk: {e: 1.0} for gk, e in choice.items()}
            near = self._nearness(cands, cur)
            inside = self._same_county(cands, cur)
            for gk, ps in cands.items():
                best_e, bs, best_parts = None, -1e18, {}
                main = self._main_without(cvotes, own_c.get(gk, {}))
                main_a1 = self._main_without(avotes, own_a.get(gk, {}), MAIN_A1_SHARE)
                top_a1 = max((v - own_a[gk].get(a, 0.0) for a, v in avotes.items()), default=0.0)
                for p, e in ps:
                    parts = {"prior": p}
                    cc = g.country_of(e)
                    if e[0] != "C" and cc and cc == main:
                        parts["country"] = MAIN_COUNTRY_BONUS
                    a1 = g.admin1_of(e)
                    if a1 and e[0] in "PBAF":
                        v = avotes.get(a1, 0.0) - own_a[gk].get(a1, 0.0)
                        parts["admin1"] = ADMIN1_BONUS * min(1.0, v / 0.8) * _rival_share(v, top_a1)
                        if a1 == main_a1:
                            parts["admin1"] += MAIN_A1_BONUS
                    parts["near"] = NEAR_BONUS * min(1.0, near.get((gk, e), 0.0))
                    parts["county"] = COUNTY_BONUS * min(1.0, inside.get((gk, e), 0.0))
                    s = sum(parts.values())
                    if s > bs:
                        best_e, bs, best_parts = e, s, parts
                choice[gk] = best_e
                why[gk] = (bs, best_parts)
        # a small place (or a name only the gazetteer found) whose one reading
        # lies in a country nothing else in the article points to, in an
        # article about another country, is a place the gazetteer lacks ("Benue state's Ukum district" is not
        # Ukum, Mexico): left unresolved rather than put on another continent
        for gk, e in list(choice.items()):
            cc = g.country_of(e) if e is not None else None
            main = self._main_without(cvotes, own_c.get(gk, {}))
            small = g.population(e) < GAZ_ONLY_MIN_POP if e is not None else False
            gazetteer_only = all(m.source == "gaz" for m in groups[gk])
            if cc and main and cc != main and e[0] in "PA" and len(cands[gk]) == 1 and (small or gazetteer_only) \
                    and cvotes.get(cc, 0.0) - own_c[gk].get(cc, 0.0) < 0.5:
                choice[gk] = None
        # a constrained reading of a name wins for its other mentions
        fixed = {}
        for gk, e in choice.items():
            if (gk[1] or gk[2] or gk[3]) and e is not None:
                fixed.setdefault(gk[0], e)
        for gk, gms in groups.items():
            e = choice.get(gk)
            if not (gk[1] or gk[2] or gk[3]) and gk[0] in fixed and e is not None:
                f = fixed[gk[0]]
                if f in gms[0].entries or f[0] == e[0]:
                    e = f
            elif not (gk[1] or gk[2] or gk[3]):
                e = self._county_of_bare_name(gms[0], e, choice)
            score, parts = why.get(gk, (0.0, {}))
            reason = self._reason(gms[0], e, parts, e != choice.get(gk))
            for m in gms:
                m.choice = e
                m.score, m.why = round(score, 2), reason
        self.cvotes = cvotes
        self.avotes = avotes
        self.own_votes = {id(m): own_a.get(gk, {}) for gk, gms in groups.items() for m in gms}
        self.standalone_keys = {m.key for m in ms if m.source in ("ner", "gaz", "exact")}
        self.ner_keys = {m.key for m in ms if m.source == "ner" and m.choice is not None and m.ner_label == "GPE"}

    def _county_of_bare_name(self, m: Mention, e, choice: dict):
        """'Hall County ... retiring from Hall': a bare name that is the
        stem of a county the article names is that county, unless it reads
        as a town inside it ('Marion County ... Marion')."""
        for gk, f in choice.items():
            if f is None or f[0] != "B" or gk[0] == m.key or gz.stem(gk[0]) != m.key:
                continue
            if e is not None and e[0] == "P" and self.g.c_a2[e[1]] == f[1]:
                return e
            own = [x for x in m.entries if x[0] == "B" and x[1] == f[1]]
            if own:
                return own[0]
        return e

    @staticmethod
    def _main_without(cvotes: dict, own: dict, share: float = 0.3):
        """The article's main country as the other names vote: a name does
        not vote for its own readings' country ("Lebanon" alone does not make
        Lebanon the main country for itself)."""
        votes = {cc: v - own.get(cc, 0.0) for cc, v in cvotes.items()}
        total = sum(votes.values())
        if not votes:
            return None
        best = max(votes, key=votes.get)
        return best if votes[best] >= 0.9 and votes[best] >= share * total else None

    def _frame_bonus(self, gms: list[Mention]) -> dict[str, float]:
        """The words around a name say what kind of place it is: "the
        Seattle-based firm" names a town, "in northern Georgia" an area."""
        doc, n = self.doc, len(self.doc)
        out: dict[str, float] = {}
        for m in gms:
            j, i = m.tok_end, m.tok_start
            if j + 1 < n and doc[j].text == "-" and doc[j + 1].lower_ in ("based", "born", "area"):
                out["P"] = FRAME_BONUS
            elif j < n and doc[j].lower_ in ("-based", "-born"):
                out["P"] = FRAME_BONUS
            if i > 0 and doc[i - 1].lower_.replace("-", "") in DIRECTIONS and doc[i - 1].lower_ not in ("north", "south", "east", "west"):
                for k in "CAR":
                    out[k] = FRAME_BONUS
        return out

    def _reason(self, m: Mention, e, parts: dict, fixed: bool) -> str:
        """The main reason for a reading, in words, for the article page."""
        if e is None:
            return ""
        if fixed:
            return "same name read with a qualifier elsewhere in the article"
        if m.a1_constraint or m.cc_constraint:
            return "narrowed by the words around it (e.g. 'X, State', 'Country's X')"
        if m.region_kw:
            return "followed by a place-kind word (region, county, airport...)"
        if len(m.entries) == 1:
            return "the only gazetteer reading of the name"
        ctx = {k: v for k, v in parts.items() if k != "prior" and v > 0}
        if ctx:
            k = max(ctx, key=ctx.get)
            return {"country": "in the article's main country", "admin1": "in a state or province the article names",
                    "near": "near the article's other places",
                    "county": "in a county the article names, or holding a town it names"}[k]
        return "the most populous or most prominent reading"

    def _same_county(self, cands, probs) -> dict:
        """For each (group, candidate) town or county: the support of the
        other names for its county -- a town reading lies in a county read for
        another name ("Lebanon ... Boone County"), or a county reading holds a
        town read for another name. The sum over other groups of the best
        such reading's weight."""
        g = self.g
        towns: dict[tuple, dict[int, float]] = {}  # group -> county index -> weight, from its town readings
        counties: dict[tuple, dict[int, float]] = {}  # ... from its county readings
        for gk, ps in cands.items():
            pr = probs.get(gk, {})
            for _, e in ps:
                if e not in pr:
                    continue
                w = 0.5 + 0.5 * pr[e]
                if e[0] == "P":
                    b = g.c_a2[e[1]]
                    if b >= 0:
                        d = towns.setdefault(gk, {})
                        d[b] = max(d.get(b, 0.0), w)
                elif e[0] == "B":
                    d = counties.setdefault(gk, {})
                    d[e[1]] = max(d.get(e[1], 0.0), w)
        out = {}
        if not towns or not counties:
            return out
        for gk, ps in cands.items():
            for _, e in ps:
                if e[0] == "P":
                    b, other = g.c_a2[e[1]], counties
                elif e[0] == "B":
                    b, other = e[1], towns
                else:
                    continue
                if b < 0:
                    continue
                tot = sum(d.get(b, 0.0) for ok, d in other.items() if ok[0] != gk[0])
                if tot:
                    out[(gk, e)] = tot
        return out

    def _nearness(self, cands, probs) -> dict:
        """For each (group, candidate) town or county: how well the other
        names' readings agree with it -- the sum over other groups of the
        probability of their nearest reading within NEAR_KM."""
        g = self.g
        cell = 0.5
        grids: dict[tuple, dict] = {}
        for gk, ps in cands.items():
            pr = probs.get(gk, {})
            grid: dict[tuple, list] = {}
            for _, e in ps:
                if e[0] in "PBF" and e in pr:
                    lat, lon = g.coords(e)
                    grid.setdefault((int(lat // cell), int(lon // cell)), []).append((lat, lon, 0.5 + 0.5 * pr[e]))
            if grid:
                grids[gk] = grid
        out = {}
        if len(grids) < 2:
            return out
        for gk, ps in cands.items():
            for _, e in ps:
                if e[0] not in "PBF":
                    continue
                lat, lon = g.coords(e)
                ci, cj = int(lat // cell), int(lon // cell)
                tot = 0.0
                for ok, grid in grids.items():
                    if ok[0] == gk[0]:
                        continue
                    best = 0.0
                    for di in (-1, 0, 1):
                        for dj in (-1, 0, 1):
                            for la, lo, w in grid.get((ci + di, cj + dj), ()):
                                if w > best and gz.haversine(lat, lon, la, lo) <= NEAR_KM:
                                    best = w
                    tot += best
                if tot:
                    out[(gk, e)] = tot
        return out

    def _actor_like(self, m: Mention) -> bool:
        """A small town's name used as a speaker or firm: "Petrova said",
        "Stevens & Wilkinson", "the Duma voted"."""
        doc, j = self.doc, m.tok_end
        if m.source == "exact" or m.region_kw or m.choice is None:
            return False
        # "Lincoln said", but not "the mayor of Lyon said", where the town
        # ends the speaker's description
        speaks = j < len(doc) and doc[j].lemma_ in ("say", "tell", "add", "note", "explain", "write") \
            and not (m.tok_start > 0 and doc[m.tok_start - 1].pos_ == "ADP")
        if speaks and (m.source == "gaz-in-PERSON" or m.choice[0] == "P"):
            return True  # a name that speaks is a person or a body, however big the town
        if m.choice[0] != "P" or self.g.c_pop[m.choice[1]] >= 100000:
            return False
        if j < len(doc):
            nxt = doc[j]
            if nxt.text == "&" or nxt.lemma_ in ("say", "tell", "add", "note", "explain", "write"):
                return True
        if m.source == "gaz-in-ORG" and m.tok_start > 0 and doc[m.tok_start - 1].lower_ == "the":
            return True
        return False

    def _known_reading(self, m: Mention):
        """The reading that decides whether a name found by the gazetteer
        alone is kept: the chosen one, or when that is a hamlet of the US
        post-office list, the name's likeliest GeoNames reading (a hamlet
        reads a name, it does not make one)."""
        e = m.choice
        if e[0] == "P" and not self.g.c_id[e[1]]:
            known = [k for k in m.entries if not (k[0] == "P" and not self.g.c_id[k[1]])]
            if known:
                return max(known, key=lambda k: self.prior(k, True))
        return e

    def _settled_or_qualified(self, m: Mention) -> bool:
        """After "the village of", or before ", Ukraine"."""
        doc, i, j = self.doc, m.tok_start, m.tok_end
        settled = i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in SETTLEMENT_WORDS
        return settled or (j + 1 < len(doc) and doc[j].text == "," and any(
            q.tok_start == j + 1 and not q.demonym and any(e[0] in "CA" for e in q.entries)
            for q in self.mentions))

    def keep(self, m: Mention) -> bool:
        """Drops weak gazetteer-only matches after resolution."""
        if self._actor_like(m) and (m.key not in self.ner_keys or m.source == "gaz-in-PERSON"):
            # "Jackson said ... back to Jackson, Miss.": the speaker stays a person
            return False
        minor = m.choice is not None and all(e[0] == "P" and not self.g.c_id[e[1]] for e in m.entries)
        if minor and (m.source in FRAMED or m.key in self.framed_keys):
            return True  # "Lanexa police", "HARWINTON --": the frame makes the name a place
        if minor and not (m.a1_constraint or m.cc_constraint):
            # a name known only as a hamlet of the US post-office list
            # ("Belk", "Crown", "Fred") reads a name found otherwise, never
            # makes one: only a span
            # spaCy calls a place of more than one word, or one qualified
            if m.source == "gaz" and m.tok_end - m.tok_start >= 2:
                # "Avondale Estates", "Tennessee Colony": in a state the
                # article's other names lie in
                a1 = self.g.admin1_of(m.choice)
                return self.avotes.get(a1, 0.0) - self.own_votes.get(id(m), {}).get(a1, 0.0) >= 0.8
            if m.source != "ner" or m.tok_end - m.tok_start == 1:
                return m.source == "ner" and self._settled_or_qualified(m)
        if m.choice is None:
            if m.source in ("street", "list-street"):
                return True
            if m.source != "ner":
                return False
            if m.tok_end - m.tok_start == 1 and m.ner_label in ("GPE", "LOC"):
                # a lone word spaCy calls a place but no gazetteer knows is
                # mostly a person's name
                return self._settled_or_qualified(m)
            return True
        if m.source == "gaz-prefix":
            e = self._known_reading(m)
            if e[0] in "CA":
                return True
            if e[0] not in "PB":
                return False
            # the town is named elsewhere on its own, or its state is
            if m.key in self.standalone_keys:
                return True
            a1 = self.g.admin1_of(e)
            return self.g.population(e) >= 100000 or (
                self.avotes.get(a1, 0.0) - self.own_votes.get(id(m), {}).get(a1, 0.0) >= 0.8)
        if m.source not in ("gaz", "gaz-in-PERSON", "gaz-in-ORG") or m.region_kw or m.cc_constraint or m.a1_constraint:
            if m.source.startswith("gaz-in-"):
                pass
            else:
                return True
        e = self._known_reading(m)
        if m.key in self.ner_keys:
            return True  # spaCy calls the same name a place elsewhere
        if e[0] in "CAR":
            return not m.source.startswith("gaz-in-") or e[0] == "C"
        pop = self.g.population(e)
        in_ctx = self.main is not None and self.g.country_of(e) == self.main
        if m.source.startswith("gaz-in-"):
            return pop >= 100000 or (in_ctx and pop >= 10000)
        return pop >= GAZ_ONLY_MIN_POP or (in_ctx and pop >= GAZ_CONTEXT_MIN_POP)
