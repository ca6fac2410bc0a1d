"""Speakers across the store: one person (or organisation) quoted in many
articles is one row of `persons`, with a stable id made of its kind and its
normalised full name ("person:hadi-tjahjanto"), so that "quotes by X" gathers
every article's quotes of X.

Normalised: lower case, accents folded, titles, dots and a possessive dropped
("Mr. Martínez's" -> "martinez"; "the Kremlin" -> "kremlin"). A person the
article names only in part ("Tjahjanto") is linked to the one stored person
whose full name ends with it ("Hadi Tjahjanto"); when two stored people share
that surname, it keeps an id of its own. A full name stored later takes over
the quotes of the short forms that now have it as their only full name, and
the short form's row points to it (`same_as`), so its id still finds them.
Unnamed sources ("a senior official") are no entity across articles: their
quotes have no person id.
"""

from __future__ import annotations

import re
from typing import Optional

from dateline.analyze.entities import fold, name_key

KINDS = ("person", "organization")
SLUG = re.compile(r"[^\w]+", re.UNICODE)


def person_words(name: Optional[str], kind: Optional[str]) -> list[str]:
    """The words a speaker's name is compared by."""
    if not name or kind not in KINDS:
        return []
    if kind == "person":
        words = name_key(name)
    else:
        words = fold(name.replace("’s", "").replace("'s", "")).replace(".", "").split()
        if words and words[0] == "the":
            words = words[1:]
    return [w for w in (SLUG.sub("", w.replace("-", "")) for w in words) if w]


def person_id(name: Optional[str], kind: Optional[str]) -> Optional[str]:
    """The stable id of a speaker: "person:hadi-tjahjanto",
    "organization:kremlin"; None for unnamed sources."""
    words = person_words(name, kind)
    return f"{kind}:{'-'.join(words)}" if words else None


def shorter_form(short: list[str], full: list[str]) -> bool:
    """"tjahjanto" and "hadi tjahjanto" of "air marshal hadi tjahjanto": fewer
    words, in order, with the same surname."""
    if not short or len(short) >= len(full) or short[-1] != full[-1]:
        return False
    it = iter(full)
    return all(w in it for w in short)


class PersonLinks:
    """Part of Store: the persons table and the person_id of quotes."""

    def link_person(self, name: Optional[str], kind: Optional[str]) -> Optional[str]:
        """The id the quotes of this speaker are stored under, creating the
        person row when it is new (inside the caller's transaction)."""
        words = person_words(name, kind)
        if not words:
            return None
        pid = f"{kind}:{'-'.join(words)}"
        row = self.conn.execute("SELECT id, same_as FROM persons WHERE id = ?", (pid,)).fetchone()
        if row is not None:
            return row["same_as"] or row["id"]
        fuller = self._fuller(words, kind) if kind == "person" else []
        same_as = fuller[0] if len(fuller) == 1 else None
        self.conn.execute("INSERT INTO persons(id, name, kind, key, surname, same_as) VALUES (?, ?, ?, ?, ?, ?) "
                          "ON CONFLICT (id) DO NOTHING", (pid, name, kind, " ".join(words), words[-1], same_as))
        if kind == "person" and len(words) >= 2:
            self._take_over_short_forms(pid, words)
        return same_as or pid

    def _fuller(self, words: list[str], kind: str) -> list[str]:
        rows = self.conn.execute("SELECT id, key FROM persons WHERE surname = ? AND kind = ? AND same_as IS NULL",
                                 (words[-1], kind)).fetchall()
        return [r["id"] for r in rows if shorter_form(words, r["key"].split())]

    def _take_over_short_forms(self, pid: str, words: list[str]) -> None:
        """Short forms stored before ("Tjahjanto") whose only full name is
        this one ("Hadi Tjahjanto") move to it."""
        rows = self.conn.execute("SELECT id, key FROM persons WHERE surname = ? AND kind = 'person' "
                                 "AND same_as IS NULL AND id <> ?", (words[-1], pid)).fetchall()
        for row in rows:
            short = row["key"].split()
            if shorter_form(short, words) and self._fuller(short, "person") == [pid]:
                self.conn.execute("UPDATE persons SET same_as = ? WHERE id = ?", (pid, row["id"]))
                self.conn.execute("UPDATE persons SET same_as = ? WHERE same_as = ?", (pid, row["id"]))
                self.conn.execute("UPDATE quotes SET person_id = ? WHERE person_id = ?", (pid, row["id"]))

    def link_stored_quotes(self) -> int:
        """Give quotes stored before the persons table existed their person
        id (run once, by the migration that adds it). Full names first, so
        short forms find them."""
        rows = self.conn.execute("SELECT DISTINCT speaker, speaker_kind FROM quotes WHERE person_id IS NULL "
                                 "AND speaker IS NOT NULL AND speaker_kind IN ('person', 'organization')").fetchall()
        speakers = sorted(((r["speaker"], r["speaker_kind"]) for r in rows),
                          key=lambda s: (-len(person_words(*s)), s[0]))
        linked = 0
        with self.transaction():
            for name, kind in speakers:
                pid = self.link_person(name, kind)
                if pid is not None:
                    linked += self.conn.execute("UPDATE quotes SET person_id = ? WHERE speaker = ? AND speaker_kind = ? "
                                                "AND person_id IS NULL", (pid, name, kind)).rowcount
        return linked

    def person_ids(self, name: str) -> list[str]:
        """Ids of the stored persons whose name holds these words in order
        ("Tjahjanto", "hadi tjahjanto", "Martinez" for "Miguel Martínez")."""
        words = person_words(name, "person")
        if not words:
            return []
        pattern = "% " + " ".join(words).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " %"
        rows = self.conn.execute("SELECT id, same_as FROM persons WHERE (' ' || key || ' ') LIKE ? ESCAPE '\\'",
                                 (pattern,)).fetchall()
        return sorted({r["same_as"] or r["id"] for r in rows})

    def persons(self, *, name: Optional[str] = None, kind: Optional[str] = None, limit: Optional[int] = None,
                offset: int = 0) -> list[dict]:
        """Speakers across articles, one row per person or organisation (short
        forms folded into their full name), most quoted first: id, name, kind,
        quotes, articles."""
        where, params = ["p.same_as IS NULL"], []
        if name:
            ids = self.person_ids(name)
            if not ids:
                return []
            where.append(f"p.id IN ({', '.join('?' * len(ids))})"); params += ids
        if kind:
            where.append("p.kind = ?"); params.append(kind.lower())
        sql = ("SELECT p.id, p.name, p.kind, COUNT(q.id) AS quotes, COUNT(DISTINCT q.article_id) AS articles "
               "FROM persons p LEFT JOIN quotes q ON q.person_id = p.id WHERE " + " AND ".join(where) +
               " GROUP BY p.id, p.name, p.kind ORDER BY quotes DESC, p.name")
        if limit or offset:
            sql += " LIMIT ? OFFSET ?"
            params += [limit or self.NO_LIMIT, offset]
        return [dict(r) for r in self.conn.execute(sql, params)]
