"""Place recognition: which spans of an article name places.

A toponym is a spaCy GPE / LOC / FAC mention, a demonym ("Ukrainian"), or a
gazetteer phrase over capitalised tokens that passes the guards below: never
a part of a person's name or of a street's, never a bare compass word, a
vocative in a quote, a language, a date. The candidates of each span (its
gazetteer entries) are attached here; the spans that frames make places of
(a dateline, a town before its public body...) come from places_frames;
narrowing and ranking come after (places_candidates, places_ranking).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

from dateline import lexicons
from dateline.errors import LexiconError
from dateline.analyze import gazetteer as gz

# -- demonyms -----------------------------------------------------------


class DemonymsError(LexiconError):
    """demonyms.tsv has a malformed place column."""


def _demonym_place(word: str, cc: str, target: str) -> tuple[str, str]:
    """The optional third column: the first-level subdivision a people's
    name stands for ("Abkhaz" -> admin1:GE.02, Abkhazia), in the country of
    the second column."""
    kind, _, ref = target.partition(":")
    a1_cc, _, code = ref.partition(".")
    if kind != "admin1" or a1_cc != cc or not code:
        raise DemonymsError(f"demonyms.tsv: {word!r}: place {target!r} is not admin1:{cc}.CODE")
    return a1_cc, code


def _load_demonyms() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    out: dict[str, str] = {}
    places: dict[str, tuple[str, str]] = {}
    path = os.path.join(gz.LEXICONS, "demonyms.tsv")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            cols = line.rstrip("\n").split("\t")
            word, cc = cols[:2]
            out[word] = cc
            if len(cols) > 2 and cols[2]:
                places[word] = _demonym_place(word, cc, cols[2])
    return out, places


DEMONYMS, DEMONYM_PLACES = _load_demonyms()
_DEMONYMS_LOWER = {k.lower(): v for k, v in DEMONYMS.items()}


def demonym_entries(word: str, cc: str, g: gz.Gazetteer) -> list[tuple]:
    """A demonym's reading: its subdivision where the lexicon names one
    the gazetteer has ("Abkhaz" is Abkhazia, not all of Georgia), else its
    country."""
    a1 = DEMONYM_PLACES.get(word.strip())
    if a1 is not None and a1 in g.admin1:
        return [("A", a1, 0)]
    return [("C", cc, 0)]


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
REGION_CITY_MIN_POP = 15000  # a city that gives its name to the region around it ("the Kherson region")

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
# "the island of Lesbos", "off the coast of Crete": a place word whose "of" names a place
PLACE_OF_WORDS = SETTLEMENT_WORDS | {"coast", "shores"}
# Words between a cue and a language it governs: "spoke only French", "in
# English and Spanish"
LANGUAGE_LINKS = {"and", "or", ",", "only", "both", "mostly", "little", "mainly", "either"}


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
    score: float = 0.0  # the chosen reading's ranking score
    why: str = ""  # the main reason for it, in words


def _is_cap(tok) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper()


def _major(m: "Mention") -> bool:
    """A country or a state / province by its own name: not a surname."""
    return any(e[0] in "CA" and e[2] <= 0 for e in m.entries)


ROAD_WORDS = {
    "street", "st", "road", "rd", "avenue", "ave", "boulevard", "blvd", "drive", "dr", "lane", "ln", "highway",
    "hwy", "parkway", "pkwy", "way", "court", "ct", "place", "pl", "trail", "route", "bridge", "square", "circle",
    "pike", "turnpike", "expressway", "freeway", "interstate", "terrace",
}
# German and Dutch street names glue the street word on ("Anna-Mungunda-Allee",
# "Hauptstrasse"); these endings mark a street, whatever the first part names.
ROAD_SUFFIXES = ("allee", "strasse", "straße", "str.", "weg", "platz", "gasse", "damm", "ufer", "laan", "straat",
                 "gracht", "chaussee")
# Road words that end a street's name after a town's ("Salinas Road"); not
# "Court" or "Place", which more often end a court's or a square's name.
STREET_WORDS = ROAD_WORDS - {"court", "ct", "place", "pl", "square", "circle", "bridge", "way"}
OPEN_QUOTES = {'"', "“", "'", "‘"}
FRAMES = ("body", "dateline")



class Recognizer:
    """Mention detection for one doc (mixed into places._Article, beside
    places_frames.Frames, whose frame_mentions detect adds to its candidates)."""

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
        self.framed_keys: dict[str, list] = {}

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
                                demonym_entries(ent.text, cc, g), "demonym", label)
                    m.demonym = True
                    cands.append(m)
                elif label == "NORP":
                    cands.extend(self._norp_place(ent))
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
        cands.extend(self.frame_mentions())
        # demonyms spaCy did not tag (e.g. as ADJ)
        for i in range(n):
            if not CAP[i] or T[i] not in DEMONYMS:
                continue
            ent = self.ent_of[i]
            if ent is not None and not (ent.label_ in ("ORG", "FAC", "EVENT", "PRODUCT")
                                        and (ent.start == i or (ent.start == i - 1 and T[i - 1].lower() == "the"))):
                continue
            if not self._language_use(i, i + 1):
                w = T[i]
                m = Mention(IDX[i], IDX[i] + len(w), i, i + 1, w.lower(), w, demonym_entries(w, DEMONYMS[w], g), "demonym")
                m.demonym = True
                cands.append(m)
        # one sense per discourse: a name a frame makes a place (a body, the
        # dateline) is a place wherever else it starts a name in the article
        self.framed_keys = {m.key: m.entries for m in cands if m.source in FRAMES}
        self.mentions = self._select(cands)

    def _norp_place(self, ent) -> list[Mention]:
        """A span spaCy calls a group that is no demonym but a country,
        region or first-level subdivision by its own name ("Georgia's
        breakaway Abkhazia")."""
        key = gz.norm(ent.text)
        entries = [e for e in self.g.lookup(key) if e[0] in "CAR" and e[2] <= 0]
        if not entries or not ent.text[:1].isupper():
            return []
        return [Mention(ent.start_char, ent.end_char, ent.start, ent.end, key, ent.text, entries, "ner", "NORP")]

    def _language_use(self, i: int, j: int) -> bool:
        """'spoke French', 'in English', 'French-language': a language; so is
        the second of two ('in English and Spanish', 'spoke only French
        and Farsi') unless it goes on to a noun ('in English and Russian
        cities')."""
        doc = self.doc
        k = i - 1
        while k > 0 and (doc[k].lower_ in LANGUAGE_LINKS or doc[k].text in DEMONYMS) \
                and not (j < len(doc) and doc[j].pos_ == "NOUN"):
            k -= 1
        if k >= 0 and (doc[k].lemma_ in ("speak", "in", "into", "learn", "teach", "fluent", "translate")
                       or doc[k].lower_ in ("in", "into")):
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

    def _street_part(self, m: Mention) -> bool:
        """'Salinas Road', 'Anna-Mungunda-Allee', 'Bed-Stuy': the name is a
        piece of a street's or a compound's name, not the town it spells."""
        doc, n = self.doc, len(self.doc)
        i, j = m.tok_start, m.tok_end
        if j < n and _is_cap(doc[j]) and doc[j].lower_.rstrip(".") in STREET_WORDS:
            if doc[j - 1].lower_ in ("county", "parish") \
                    and lexicons.place_kinds().get(doc[j].lower_.rstrip(".")) == "county-road":
                return False  # "Otter Tail County Road 122": a road of the county, which is the place
            # "Florida Highway Patrol", "Massachusetts Turnpike": the state's road
            return not (_major(m) and doc[j].lower_ in ("highway", "turnpike", "interstate", "route"))
        # the run of tokens glued by hyphens, without spaces
        a, b = i, j
        while a >= 2 and doc[a - 1].text == "-" and not doc[a - 2].whitespace_ and not doc[a - 1].whitespace_:
            a -= 2
        while b + 1 < n and doc[b].text == "-" and not doc[b - 1].whitespace_ and not doc[b].whitespace_:
            b += 2
        run = [doc[k] for k in range(a, min(b, n)) if doc[k].text != "-"]
        if len(run) <= len(doc[i:j]):
            return False
        if any(t.lower_.endswith(ROAD_SUFFIXES) for t in run):
            return True
        # "Bed-Stuy": glued to a capitalised piece that is no place itself;
        # "Dallas-Fort Worth", "Israeli-Palestinian", "Seattle-based" pass
        def place_piece(k: int) -> bool:
            t = doc[k]
            if not (t.is_alpha and _is_cap(t)) or t.is_upper or t.text in DEMONYMS or self.g.has(gz.norm(t.text)):
                return True  # "D-Chicopee", "Watertown-ML": a party or a code
            # the piece starts a longer name: "Dallas-Fort Worth"
            return k + 1 < n and self.g.has(gz.norm(t.text + " " + doc[k + 1].text))

        return not all(place_piece(k) for k in range(a, b, 2) if not (i <= k < j))

    def _locative(self, m: Mention) -> bool:
        """A name standing alone after "in", "near" or "off", after ", of"
        (where a person lives: "Jane Doe, 22, of Winfield,") or after "the
        city (island, coast ...) of": a place, whatever spaCy calls it. Not
        before a possessive or more capitalised words."""
        T, CAP, i, j = self.T, self.CAP, m.tok_start, m.tok_end
        if i < 1 or (j < len(T) and (CAP[j] and T[j][0].isalpha() or T[j] in ("'s", "’s", "'", "’", "-"))) \
                or country_of_demonym(m.text):
            return False  # "in English"
        prev = T[i - 1].lower()
        return prev in ("in", "near", "off") or (prev == "of" and i >= 2 and (
            T[i - 2] == "," or T[i - 2].lower() in PLACE_OF_WORDS))  # "the island of Lesbos"

    def _saints_institution(self, m: Mention) -> bool:
        """"St. Michael's Catholic School", "St. John's Health System", "the
        St. Mary's students": a saint's possessive names a church, school or
        hospital, not the small town of the same name. A city stays one
        ("St. Petersburg's main street"), and so does a name before a comma
        ("ST. JOHN'S, N.L.")."""
        T, i, j = self.T, m.tok_start, m.tok_end
        words = [t for t in T[i:j] if t != "."]
        if len(words) != 2 or words[0].lower().rstrip(".") not in ("st", "saint") or j + 1 >= len(T) \
                or T[j] not in ("'s", "’s", "'S") or T[j + 1] == ",":
            return False
        return not any(e[0] == "C" or (e[2] <= 0 and self.g.population(e) >= 100000) for e in m.entries)

    def _vocative(self, m: Mention) -> bool:
        """'"Papa, come home"': a name called out at the start of a quote."""
        doc, i, j = self.doc, m.tok_start, m.tok_end
        return i > 0 and doc[i - 1].text in OPEN_QUOTES and j < len(doc) and doc[j].text in (",", "!")

    def _compass(self, m: Mention) -> bool:
        """'moved East', 'the North's peace process': a direction, not the
        region of some country that is named like one."""
        words = m.key.split()
        if words and words[0] == "the":
            words = words[1:]
        return len(words) == 1 and words[0] in DIRECTIONS

    def _plausible_gaz(self, m: Mention) -> bool:
        """Guards for a gazetteer n-gram that NER did not call a place."""
        doc = self.doc
        toks = doc[m.tok_start:m.tok_end]
        first = toks[0]
        if m.source == "exact":
            return True
        if m.key in self.g.stoplist:
            return False
        if m.key in self.framed_keys and not m.region_kw and not (first.i > 0 and _is_cap(doc[first.i - 1])
                                              and doc[first.i - 1].is_alpha and not doc[first.i - 1].is_sent_start):
            m.source = "echo"  # "Tega Cay Fire Department ... lives in Tega Cay"
            m.entries = list(self.framed_keys[m.key])  # the frame's readings: "Berea police" is no province
            return True
        if all(e[0] == "P" and not self.g.c_id[e[1]] for e in m.entries) and len(toks) < 2:
            return False  # one word known only as a hamlet of the US post-office list
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
        if self._locative(m):
            m.source = "locative"  # "re-enactment planned in Clinton April 4", "James Tauber, 58, of Nelson,"
            return True
        j = m.tok_end
        if j + 1 < len(doc) and doc[j].text in ("'s", "’s") and doc[j + 1].text == "Day":
            return False  # a holiday: "St. Patrick's Day"
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
        T, IDX, CAP = self.T, self.IDX, self.CAP
        n = len(doc)
        # region keywords and directions extend a candidate
        for m in cands:
            if m.demonym:
                continue
            j = m.tok_end
            state_of = j < n and doc[j].lower_ == "state" and any(e[0] == "A" for e in m.entries) \
                and not (j + 1 < n and CAP[j + 1])  # "in Kaduna state": the state, not its capital city
            if j < n and doc[j].lower_ in gz.REGION_WORDS and (doc[j].lower_ not in ("area", "state", "states") or state_of):
                kw = doc[j].lower_
                region_entries = [e for e in m.entries if e[0] in "AB"]
                if not region_entries and not (j + 1 < n and CAP[j + 1] and T[j + 1][0].isalpha()):
                    # "the Kherson region" is the town's province, but "the
                    # London District School Board" names a body of the town
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
            if j < n and doc[j].lower_ in ("airport", "airfield") and any(e[0] == "F" for e in m.entries):
                # "Stansted airport": the airport, not the village
                m.entries = [e for e in m.entries if e[0] == "F"]
                m.region_kw = True
                m.tok_end = j + 1
                m.end = doc[j].idx + len(doc[j].text)
                m.text = self.text[m.start:m.end]
            if m.tok_start > 0 and doc[m.tok_start - 1].lower_ in DIRECTIONS and any(e[0] == "C" for e in m.entries):
                m.direction = doc[m.tok_start - 1].lower_.replace("-", "")
        kept: list[Mention] = []
        city_bodies = {(m.tok_start, m.tok_end) for m in cands if m.source == "body" and m.tok_end < n
                       and T[m.tok_end].lower() == "city"}
        for m in cands:
            if self._city_alias_of_body(m, city_bodies):
                continue
            if not m.demonym and m.source not in ("exact", "list-street") \
                    and (self._compass(m) or self._street_part(m)):
                j = m.tok_end
                if self._compass(m) or not (j < n and doc[j].lower_.rstrip(".") in STREET_WORDS):
                    continue
                # the street itself is a place, not the town it is named after
                m.tok_end = j + 1
                m.end = doc[j].idx + len(doc[j].text)
                if j + 1 < n and doc[j + 1].text == "." and not doc[j].whitespace_ and doc[j].lower_ in ROAD_WORDS \
                        and len(doc[j].text) <= 4:
                    m.tok_end, m.end = j + 2, m.end + 1  # "Hungerford St."
                i = m.tok_start
                while i > 0 and CAP[i - 1] and T[i - 1][0].isalpha() and not doc[i - 1].is_sent_start:
                    i -= 1  # "Mitchell Bridge Road", "Martin Luther King Parkway"
                m.tok_start, m.start = i, IDX[i]
                m.text = self.text[m.start:m.end]
                m.key, m.entries, m.source, m.ner_label = gz.norm(m.text), [], "street", "FAC"
            if m.source in ("gaz", "ner") and self._vocative(m) and not _major(m):
                continue
            if self._saints_institution(m):
                continue
            if m.source in ("gaz", "exact") and not self._plausible_gaz(m):
                continue
            if m.source == "ner" and m.tok_end - m.tok_start == 1 and self._person_like(m.tok_start) \
                    and not _major(m):
                continue
            if m.source == "ner" and not m.entries and not self._unknown_name_ok(m):
                continue
            if m.source == "ner" and not m.entries and m.ner_label == "FAC":
                # streets, buildings: kept only when they look like roads
                last = doc[m.tok_end - 1].lower_.rstrip(".")
                if last not in ROAD_WORDS:
                    continue
                kinds = lexicons.place_kinds()
                if any(T[k].lower() in ("county", "parish") and kinds.get(T[k + 1].lower().rstrip(".")) == "county-road"
                       for k in range(m.tok_start + 1, m.tok_end - 1)):
                    continue  # "Otter Tail County Road": the county's road; the county is the place
            kept.append(m)
        # priority: longer spans first, then exact > region kw > ner with entries > gaz > ner unresolved
        rank = {"exact": 0, "dateline": 0, "party": 0, "body": 0, "demonym": 1, "ner": 2,
                "street": 2, "list-street": 2, "gaz": 3, "echo": 3, "list": 3}

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

    def _city_alias_of_body(self, m: Mention, city_bodies: set[tuple[int, int]]) -> bool:
        """'Dublin City' before 'Council' is Dublin's council, not Dublin,
        Ireland, whose alternate name it is: a name ending in 'City' known
        only by alternate names yields to the town's body frame. A town
        named so ('Boulder City Council') keeps its whole name."""
        if m.source not in ("gaz", "ner") or m.tok_end - m.tok_start < 2 \
                or self.T[m.tok_end - 1].lower() != "city" or not m.entries:
            return False
        return (m.tok_start, m.tok_end - 1) in city_bodies and all(e[2] >= 1 for e in m.entries)

    def _unknown_name_ok(self, m: Mention) -> bool:
        """A span spaCy calls a place but no gazetteer knows is kept (without
        coordinates) only when it reads as a name: capitalised throughout but
        for connectors ("new county plan", "the K-8 district" are not; "the
        east coast" is, after a direction), not
        ending in a connector ("The City of Paris"), not a holiday ("St.
        Patrick's Day")."""
        toks = self.T[m.tok_start:m.tok_end]
        if toks[0].lower() not in DIRECTIONS and any(
                t[0].isalpha() and not t[0].isupper() and t.lower() not in CONNECTORS for t in toks):
            return False  # a direction keeps its lower-case kind: "off its east coast"
        if toks[-1].lower() in CONNECTORS:
            return False
        return not (len(toks) >= 3 and toks[-1] == "Day" and toks[-2] in ("'s", "’s"))

    def _regions_of_cities(self, entries, kw) -> list:
        """'the Kherson region' where Kherson is only a city: its admin1. A
        region is named after a city, not after a hamlet ('the Darfur
        region' is not Minnesota, where a village of 100 is called Darfur)."""
        out = []
        for e in entries:
            if e[0] == "P" and e[2] == 0 and self.g.population(e) >= REGION_CITY_MIN_POP:
                a1 = self.g.admin1_of(e)
                if a1 in self.g.admin1:
                    ent = ("A", a1, 0)
                    if ent not in out:
                        out.append(ent)
        return out

