"""Frame recognition: spans that a frame makes places of, whatever spaCy
calls them. The dateline of a local or wire story ("HARWINTON —"), a
legislator's home after the party ("Tom Bakk, DFL-Cook"), a town before its
public body or people ("Berea police", "a Crafton man") and names listed
before a plural kind ("Becker, Clay and Wilkin counties"). The toponym
recognition that adds these to its candidates is places_recognition.
"""

from __future__ import annotations

from typing import Optional

from dateline import lexicons
from dateline.analyze import gazetteer as gz
from dateline.analyze.places_recognition import DIRECTIONS, PERSON_CUES, Mention, country_of_demonym

DASHES = {"—", "–", "-", "--", "---"}
PARTIES = {"D", "R", "I", "DFL", "GOP"}
# what else ends a dateline: a colon ("BEIRUT: ..."), and a dash mangled by a
# wrong decoding (cp1252's em and en dash as C1 controls, or as a quote mark)
DATELINE_MARKS = {":", "\x97", "\x96", "”"}


class Frames:
    """Mentions made by frames (mixed into places._Article, whose
    Recognizer.detect adds them to its candidates)."""

    def frame_mentions(self) -> list[Mention]:
        """The frames' mentions, in this order: party homes, the dateline,
        public bodies, plural lists."""
        return self._party_homes() + self._dateline_mentions() + self._body_frames() + self._plural_lists()

    def _party_homes(self) -> list[Mention]:
        """A legislator's home after the party: "Tom Bakk, DFL-Cook",
        "Harold Michael, D-Hardy" (a town or a county), "D-Calif."."""
        doc, g = self.doc, self.g
        T, IDX, CAP, n = self.T, self.IDX, self.CAP, len(doc)
        exact = g.exact
        out = []
        for k in range(2, n):
            if T[k - 1] == "-" and T[k - 2] in PARTIES and CAP[k] and T[k][0].isalpha() \
                    and not doc[k - 2].whitespace_ and not doc[k - 1].whitespace_:
                key = gz.norm(T[k])
                entries = list(exact.get(T[k]) or exact.get(T[k] + ".") or []) + g.lookup(key) \
                    + [e for e in g.lookup(key + " county") if e[0] == "B"]
                if entries:
                    out.append(Mention(IDX[k], IDX[k] + len(T[k]), k, k + 1, key, T[k], entries, "party"))
        return out

    def _dateline_mentions(self) -> list[Mention]:
        """The dateline of a local or wire story, in capitals before a dash:
        "HARWINTON — Former ...", "CHARLESTON, W.Va. -- ..." (none or one)."""
        dl = self._dateline()
        if dl is None:
            return []
        T, IDX, g = self.T, self.IDX, self.g
        i, j = dl
        form = self.text[IDX[i]:IDX[j - 1] + len(T[j - 1])]
        entries = g.lookup(gz.norm(form))
        if not entries:
            return []
        return [Mention(IDX[i], IDX[i] + len(form), i, j, gz.norm(form), form, entries, "dateline")]

    def _body_frames(self) -> list[Mention]:
        """A town's public body, officer or people right after its name
        (lexicons/places_body_words.txt): "Berea police", "Lewisburg Mayor
        John Manchester", "Tega Cay Fire Department", "a Crafton man". The
        name is the whole capitalised run before the word (at most three
        words, a leading "The" aside), read even where spaCy calls it a
        person or a firm."""
        body = lexicons.place_body_words()
        T, IDX, CAP, n, g = self.T, self.IDX, self.CAP, len(self.doc), self.g
        out = []
        for k in range(1, n):
            w = T[k].lower()
            if (w,) not in body and not (k + 1 < n and (w, T[k + 1].lower()) in body):
                continue
            a = k
            while a > 0 and k - a < 4 and CAP[a - 1] and T[a - 1][0].isalpha():
                a -= 1
            if a < k and T[a] in ("The", "A", "An"):
                a += 1
            if a == k or (a > 0 and CAP[a - 1] and T[a - 1][0].isalpha() and T[a - 1] not in ("The", "A", "An")):
                continue  # no name, or a longer one ("Lincoln Park Zoo police")
            if k - a > 3 or (a > 0 and T[a - 1].lower().rstrip(".") in PERSON_CUES):
                continue
            form = self.text[IDX[a]:IDX[k - 1] + len(T[k - 1])]
            key = gz.norm(form)
            ent = self.ent_of[a]
            if key in g.stoplist or key in DIRECTIONS or country_of_demonym(form) \
                    or (ent is not None and ent.label_ == "NORP") \
                    or (form.isupper() and len(form) <= 4) \
                    or any(self.doc[t].is_stop for t in range(a, k)):
                continue  # "But residents", "One man", "Vice Mayor", "an Arab woman"
            entries = g.lookup(key)
            if any(e[2] <= 0 for e in entries):
                # by its own name: "Berea police" is not Aleppo's old name
                entries = [e for e in entries if e[2] <= 0]
            if w == "city" and any(e[0] == "P" for e in entries):
                # "Quebec City Council" names the city, not the province
                entries = [e for e in entries if e[0] == "P"]
            if entries:
                out.append(Mention(IDX[a], IDX[a] + len(form), a, k, key, form, entries, "body"))
        return out

    def _plural_lists(self) -> list[Mention]:
        """Names listed before a plural kind: "Becker, Clay and Wilkin
        counties" (each the county), "Lakeview and Harrison streets" (each a
        street, a place without coordinates)."""
        T, IDX, CAP, n, g = self.T, self.IDX, self.CAP, len(self.doc), self.g
        kinds = lexicons.place_kinds()
        out = []
        for k in range(3, n):
            kind = kinds.get(T[k])  # lower-case: "Galaxy Lanes" is a name
            if kind not in ("county", "parish", "street"):
                continue
            names: list[tuple[int, int]] = []
            p = k  # names end before p
            while True:
                a = p
                while a > 0 and p - a < 3 and CAP[a - 1] and T[a - 1][0].isalpha():
                    a -= 1
                if a == p:
                    break
                names.append((a, p))
                if a >= 2 and T[a - 1] in ("and", "or", "&") and T[a - 2] == ",":
                    p = a - 2  # "Harvey, Harper, and Kingman"
                elif a >= 1 and T[a - 1] in (",", "and", "or", "&"):
                    p = a - 1
                else:
                    break
            if len(names) < 2 or any(T[a] in ("The", "A") for a, _ in names):
                continue
            found = []
            for a, b in names:
                form = self.text[IDX[a]:IDX[b - 1] + len(T[b - 1])]
                key = gz.norm(form)
                if kind == "street":
                    m = Mention(IDX[a], IDX[a] + len(form), a, b, key, form, [], "list-street", "FAC")
                else:
                    b_entries = [e for e in g.lookup(key + " " + kind) if e[0] == "B"]
                    if not b_entries:
                        continue
                    m = Mention(IDX[a], IDX[a] + len(form), a, b, key, form, b_entries, "list")
                    m.region_kw = True
                found.append(m)
            # counties listed together lie in one state: the states that hold
            # every one of them ("Dakota, Otoe and Washington counties")
            counties = [m for m in found if m.entries]
            if len(counties) >= 2:
                common = set.intersection(*({g.admin1_of(e) for e in m.entries} for m in counties))
                if common:
                    for m in counties:
                        m.entries = [e for e in m.entries if g.admin1_of(e) in common]
            out.extend(found)
        return out

    def _dateline(self) -> Optional[tuple[int, int]]:
        """Tokens [i, j) of a dateline: capitals starting the text or the
        sentence after the headline, then an optional ", State", then a dash."""
        T, n = self.T, len(self.doc)
        starts = [0] + [k + 1 for k in range(min(n, 40)) if T[k] in (".", "!", "?") or "\n" in T[k]][:2]
        for i in starts:
            j = i
            while j < n and j - i < 4 and (T[j].isupper() and any(c.isalpha() for c in T[j])
                                           or (j > i and T[j] in (".", "'"))):
                j += 1
            if j == i or sum(c.isalpha() for c in "".join(T[i:j])) < 3:
                continue
            k = j
            if k < n and T[k] == ",":
                k += 1
                while k < n and k - j <= 4 and T[k] not in DASHES:
                    k += 1
            if k < n and T[k] == "(":  # "NAIROBI (Reuters) -"
                while k < n and k - j <= 8 and T[k] != ")":
                    k += 1
                k += 1
            if k < n and (T[k] in DASHES or T[k] in DATELINE_MARKS):
                return i, j
        return None
