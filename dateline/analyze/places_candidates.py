"""Candidate narrowing: what the words around a mention say about which
place it is. "Paris, Texas", "Jackson, Miss.", "Tripoli in northern
Lebanon", "the Ukrainian city of Poltava", "Ukraine's Kharkiv region" each
cut a mention's gazetteer entries down to those inside the qualifier.
"""

from __future__ import annotations

from dateline.analyze import gazetteer as gz
from dateline.analyze.places_recognition import DEMONYMS, DIRECTIONS, SETTLEMENT_WORDS, country_of_demonym

# how far from a town a place it owns ("London's Heathrow") may lie
INSIDE_KM = 60.0


class Narrowing:
    """Constraints from apposition and possessives (mixed into places._Article)."""

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
                    if q is None and doc[k - 1].lower_.replace("-", "") in DIRECTIONS:
                        q = by_tok.get(k - 1)  # "in North Darfur": the direction is part of the name
                    if q is not None and (self.mentions[q].demonym
                                          or not any(e[0] in "CAR" for e in self.mentions[q].entries)):
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
                    elif "R" in kinds and doc[j].text == "in":
                        cc = g.country_of(next(e for e in qm.entries if e[0] == "R"))
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
                    elif (q is not None and doc[j].text == "in" and all(e[0] in "PBF" for e in m.entries)
                          and len({g.country_of(e) for e in self.mentions[q].entries if e[0] in "CAR"}) == 1):
                        # "the village of Tura in Darfur": the gazetteer's only Tura lies in India, so
                        # the village is one it does not know, not the Indian town (a qualifier of two
                        # readings, "in Georgia", proves nothing)
                        m.entries = []
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
                        else:
                            self._inside(mm, m)
            elif i >= 1 and doc[i - 1].text in DEMONYMS and m.region_kw:
                cc = DEMONYMS[doc[i - 1].text]
                ok = [e for e in m.entries if g.country_of(e) == cc]
                if ok:
                    m.entries, m.cc_constraint = ok, cc

    def _inside(self, outer, m) -> None:
        """'London's Heathrow', 'Houston's Third Ward': the second place lies
        in or next to the first; both keep only the readings that agree."""
        g = self.g
        outs = [e for e in outer.entries if e[0] in "PAB" and e[2] <= 1]
        ins = [e for e in m.entries if e[0] in "PBF"]
        pairs = [(o, e) for o in outs for e in ins
                 if (o[0] == "A" and g.admin1_of(e) == o[1])
                 or (o[0] != "A" and gz.haversine(*g.coords(o), *g.coords(e)) <= INSIDE_KM)]
        if pairs:
            m.entries = list(dict.fromkeys(e for _, e in pairs))
            m.cc_constraint = g.country_of(m.entries[0])
            outer.entries = list(dict.fromkeys(o for o, _ in pairs))
            outer.cc_constraint = g.country_of(outer.entries[0])
