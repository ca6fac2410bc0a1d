"""Stage 5, date: the nearest date mention in the event's clause, else the
date of the report that tells it; undated parts of a dated summary."""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from spacy.tokens import Token

from dateline.analyze.counts import TOLL_RISES
from dateline.analyze.events.context import Ctx, Mention
from dateline.analyze.events.lexicon import ELECTION_NOUNS
from dateline.analyze.events.policy import policy
from dateline.analyze.events.syntax import (
    ancestors_upto, crosses_clause, in_subtree, is_reporting, sent_of, tree_distance,
)
from dateline.model import DateMention


def choose_date(m: Mention, ctx: Ctx, all_mentions: list[Mention]) -> None:
    tok = m.tok
    sent = sent_of(tok)
    strong = None
    weak = None
    sent_mentions = [o for o in all_mentions if o.sent_index == m.sent_index]
    for dm, root in ctx.dates:
        if not dm.date or not (sent.start <= root.i < sent.end):
            continue
        if is_a_stretch(ctx.state.article.text, dm):
            continue  # "over the past year": how long something lasted, not when an event happened
        if "a day after" in dm.text.lower():
            # dates the clause that follows it
            if tok.i > root.i:
                strong = strong or (0, dm)
            continue
        if root.dep_ in ("compound", "amod", "nmod", "poss", "nummod") and root.head.i != tok.i and root.head.pos_ in ("NOUN", "PROPN") \
                and not (m.kind == "election" and root.head.lemma_.lower() in ELECTION_NOUNS and in_subtree(root.head, tok)):
            continue  # "the 2024 presidential election": a date of something else (unless it was won or lost)
        if _inside_a_charge(root, tok):
            continue  # "convicted a gang member of murdering a deputy in June": the murder's date
        in_clause = not crosses_clause(tok, root)
        d = tree_distance(tok, root)
        if in_clause and (_dates_a_report(root, tok) or _dates_a_toll(root, tok)):
            if weak is None or d < weak[0]:
                weak = (d, dm)  # the day it was told: used only when the act has no day of its own
        elif in_clause:
            nearest = min((tree_distance(o.tok, root) for o in sent_mentions), default=d)
            if d > nearest and not in_subtree(root, tok):
                continue
            if strong is None or d < strong[0]:
                strong = (d, dm)
        else:
            anc = ancestors_upto(root, 6)
            rep = next((a for a in [root.head] + anc if is_reporting(a)), None)
            if rep is not None and (in_subtree(tok, rep)):
                if weak is None or d < weak[0]:
                    weak = (d, dm)
    if strong is not None:
        m.date = strong[1]
        m.date_since = ctx.state.article.text[max(0, strong[1].start - 7):strong[1].start].lower().strip().endswith("since")
    if weak is not None:
        if m.date is None:
            m.date, m.date_weak = weak[1], True
        elif m.date_since:
            m.date_weak_alt = weak[1]


def _dates_a_toll(root: Token, trigger: Token) -> bool:
    """'the death toll from the earthquake rose to 600 on Wednesday': the day
    the toll was counted, not the day of the quake inside its subject."""
    verb = root.head.head if root.dep_ == "pobj" else root.head
    if verb.lemma_ not in TOLL_RISES:
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.lemma_.lower() == "toll"), None)
    return subject is not None and in_subtree(trigger, subject)


def _dates_a_report(root: Token, trigger: Token) -> bool:
    """Whether the first verb above a date is a reporting verb other than the
    trigger ('were slaughtered by gang members, the agency reported on
    Wednesday (June 21)'): the parser may hang the report inside the
    trigger's clause, and then the date is when it was told, not done."""
    for a in ancestors_upto(root, 8):
        if a.i == trigger.i:
            return False
        if a.pos_ == "VERB":
            return is_reporting(a)
    return False


def _inside_a_charge(root: Token, trigger: Token) -> bool:
    """Whether a date hangs in a gerund after a preposition that the trigger
    does not head ('convicted X of murdering Y in June', 'accused of
    attacking the base on Monday'): it dates that act, not the trigger's."""
    for a in ancestors_upto(root, 8):
        if a.i == trigger.i:
            return False
        if a.dep_ == "pcomp" and a.tag_ == "VBG" and not in_subtree(trigger, a):
            return True
    return False


# "over the past year", "in the last week", "for the previous months", "in recent years"
STRETCH = re.compile(r"\b(?:over|for|in|during|throughout|within)\s+(?:the\s+)?(?:past|last|previous|recent)\s+"
                     r"(?:few\s+|several\s+|\w+\s+)?(?:days?|weeks?|months?|years?|decades?)\s*$", re.IGNORECASE)


def is_a_stretch(text: str, dm: DateMention) -> bool:
    """A span of time something lasted, not a day an event happened."""
    return bool(STRETCH.search(text[max(0, dm.start - 20):dm.end]))


def _date_from_summary(mentions: list[Mention]) -> None:
    """'... carried out similar strikes in other parts overnight, killing 10.
    Five people were killed when an air strike hit ...': the undated incidents
    that follow a dated summary of several such actions are its parts."""
    for m in mentions:
        if m.drop or m.date is not None or not policy(m.type).incident or m.status != "occurred":
            continue
        summary = next((o for o in reversed(mentions) if o.drop and o.type == m.type and o.tok.tag_ in ("NNS", "NNPS")
                        and o.date is not None and not o.date_weak and o.date.date
                        and 1 <= m.sent_index - o.sent_index <= 2 and o.tok.i < m.tok.i), None)
        if summary is not None and not any(x.sent_index == summary.sent_index and not x.drop and x.type == m.type
                                           and not _result_of(x, summary) for x in mentions):
            m.date = summary.date


def _result_of(x: Mention, summary: Mention) -> bool:
    """'carried out several strikes ..., killing at least 20': the participle
    tells what the summarised actions did, it is not another incident."""
    return x.tok.tag_ == "VBG" and x.tok.dep_ in ("advcl", "conj", "xcomp") and x.tok.head.i == summary.tok.head.i


def draft_date(mentions: list[Mention], status: str, counts: dict[str, Optional[int]],
               ctx: Ctx) -> tuple[Optional[DateMention], Optional[Mention]]:
    """The date linked in a clause, else the report's date (not for plans);
    also the mention that gave a linked date, if any."""
    date_m = next((m for m in mentions if m.date is not None and not m.date_weak), None)
    if date_m is not None and date_m.date_since and any(v is not None for v in counts.values()):
        date = date_m.date_weak_alt  # a total since X goes on the latest day
    elif date_m is not None:
        date = date_m.date
    else:
        weak = next((m for m in mentions if m.date is not None), None)
        date = weak.date if weak is not None and status != "planned" else None
    if status == "planned" and isinstance(date, DateMention) and date.date and ctx.state.published:
        if date.date < ctx.state.published.isoformat() and date.precision == "day":
            # the day a plan was announced is not the day of the plan ("said Wednesday the pair could meet")
            told_for = date_m is not None and date is date_m.date and _after_on(ctx.state.article.text, date)
            date = _coming_weekday(date, ctx.state.published) if told_for else None
    return date, date_m


WEEKDAY = re.compile(r"^(?:on\s+|this\s+|next\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day$", re.IGNORECASE)


def _after_on(text: str, date: DateMention) -> bool:
    """'to surrender on Friday' names the plan's day; 'said Wednesday' the day it was said."""
    return date.text.lower().startswith("on ") or text[max(0, date.start - 3):date.start].lower() == "on "


def _coming_weekday(date: DateMention, published: dt.date) -> Optional[DateMention]:
    """'ordered to surrender on Friday': a plan's bare weekday is the coming
    one, not the one the date stage read as past; any other past day is no
    day of the plan."""
    day = dt.date.fromisoformat(date.date)
    if WEEKDAY.match(date.text.strip()) and 0 < (published - day).days < 7:
        return date.model_copy(update={"date": (day + dt.timedelta(days=7)).isoformat()})
    return None
