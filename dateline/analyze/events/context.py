"""What the event stages read from the other components, gathered once per
document (`Ctx`), the country helpers, and the working state of one trigger
mention (`Mention`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable, Iterable, Iterator, Optional

from spacy.tokens import Doc, Token

from dateline.analyze import wire as wire_mod
from dateline.analyze.entities import EntityIndex
from dateline.analyze.speakers import SpeakerResolver
from dateline.analyze.nlp import text_of
from dateline.analyze.events.lexicon import BOUNDARY_NOUNS
from dateline.analyze.places import DIRECTIONS, country_of_demonym, geocode, main_country
from dateline.analyze.pipeline import State
from dateline.analyze.wire import WireDateline
from dateline.model import DateMention, Place
from dateline import lexicons
from dateline.lexicons import country_names


@dataclass
class Ctx:
    state: State
    doc: Doc
    ent_by_char: dict[int, str]
    ent_type_by_char: dict[int, str]
    acronyms: dict[str, str]
    places: list[tuple[Place, Token, bool]]  # place, root token, is-demonym
    dates: list[tuple[DateMention, Token]]
    quotes: list
    person_country: dict[str, str]
    extra_places: list = field(default_factory=list)
    home_country: Optional[str] = None  # the article's main country as the places component saw it
    wire: Optional[WireDateline] = None  # "NAIROBI (Reuters) -": where the report was filed
    lead_end: int = 0  # where the article's lead (its first sentence or two) ends
    people: Optional[EntityIndex] = None  # the article's named people and their roles
    speakers: Optional[SpeakerResolver] = None  # who "he" and "she" are, as the quotes read them
    sports_page: bool = False  # a game report: its "attack", "beat" and "deal" are plays and contracts

    @property
    def text_start(self) -> int:
        """Where the story's own words begin, after any wire dateline."""
        return self.wire.end if self.wire is not None else 0

    @cached_property
    def place_roots(self) -> frozenset[int]:
        """The token indices of the places the article names by name (not by a demonym)."""
        return frozenset(root.i for _, root, demonym in self.places if not demonym)

    def places_named(self, name: Optional[str]) -> Iterator[Place]:
        """The places the article names so (not by a demonym), in order: a
        party named after a place ("British Columbia") is of that place."""
        return (p for p, _, demonym in self.places if name and p.name == name and not demonym)

    def direct_quote_at(self, offset: int):
        """The direct quotation holding the word at `offset`, if any."""
        return next((q for q in self.quotes if q.direct and q.start <= offset < q.end), None)

    def quoted_speaker(self, offset: int) -> Optional[Token]:
        """Where the speaker of the direct quotation holding `offset` is
        named, as a token ("Leavitt said ... '... leaders have abdicated'")."""
        q = self.direct_quote_at(offset)
        if q is None or q.speaker_mention is None:
            return None
        span = self.doc.char_span(q.speaker_mention.start, q.speaker_mention.end, alignment_mode="expand")
        return span.root if span is not None and len(span) else None


@dataclass(frozen=True)
class PlacesNotes:
    """Working data the places component leaves in `state.scratch`."""
    demonym_flags: list  # per entry of state.places: whether it was named by a demonym ("Ukrainian")
    main_country: Optional[str]


def places_notes(state: State) -> PlacesNotes:
    return PlacesNotes(state.scratch.get("places_demonym") or [], state.scratch.get("places_main_country"))


@lru_cache(maxsize=4096)
def country_of_name(name: str) -> Optional[str]:
    """ISO code of a country or well-known place name, or None."""
    code = country_of_demonym(name)
    if code:
        return code
    place = geocode(name)
    if place is not None and place.precision in ("country", "region", "place") and place.country:
        return place.country
    return None


def is_line(p: Place) -> bool:
    """'its east coast', 'the disputed western maritime boundary': a line the
    text names, with no coordinates."""
    return p.lat is None and p.name.split()[-1].lower() in BOUNDARY_NOUNS


COMPASS_ABBREVIATIONS = frozenset({"nw", "ne", "sw", "se"})  # a headline's "NW Nigeria", "NE Syria"


def part_of_country(p: Place) -> bool:
    """'eastern Congo', 'central Nigeria': a direction and a country's name,
    less precise than any region the gazetteer knows."""
    code = country_of_part(p)
    return code is not None and (p.country is None or p.country == code)


def country_of_part(p: Place) -> Optional[str]:
    """The country of 'eastern Congo' or a headline's 'NW Nigeria' (which the
    places component may leave unresolved), or None."""
    words = p.name.split()
    direction = words[0].lower().replace("-", "") if words else ""
    if p.geonameid is not None or len(words) < 2 or not (direction in DIRECTIONS or direction in COMPASS_ABBREVIATIONS):
        return None
    return country_of_name(" ".join(words[1:]))


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """The country's name as news writes it ('Russia', 'South Korea'), from
    lexicons/country_names.tsv."""
    listed = country_names().get(code)
    return listed[0] if listed is not None else code


def article_main_country(state: State) -> Optional[str]:
    return main_country(state)


def country_label(code: str) -> str:
    """A country acting as a party: 'US', 'Britain'."""
    listed = country_names().get(code)
    return listed[1] if listed is not None else country_name(code)


def build_ctx(state: State) -> Ctx:
    doc = state.doc
    wire = wire_mod.find(text_of(doc))
    text_start = wire.end if wire is not None else 0
    ent_by_char: dict[int, str] = {}
    ent_type_by_char: dict[int, str] = {}
    for ent in state.entities:
        for m in ent.mentions:
            if m.start < text_start:
                continue  # "DOHA-Arch-foes": the dateline glued to the first words is no party
            for i in range(m.start, m.end):
                ent_by_char[i] = ent.name
                ent_type_by_char[i] = ent.type
    acronyms = _acronyms(doc)
    places: list[tuple[Place, Token, bool]] = []
    notes = places_notes(state)
    flags = notes.demonym_flags
    for i, p in enumerate(state.places):
        if p.start < text_start:
            continue  # the dateline's city is a fallback, not a place named for an event
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        places.append((p, span.root, bool(flags[i]) if i < len(flags) else False))
    dates: list[tuple[DateMention, Token]] = []
    for d in state.dates:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        dates.append((d, span.root))
    person_country = _person_countries(doc, state)
    return Ctx(state, doc, ent_by_char, ent_type_by_char, acronyms, places, dates, list(state.quotes), person_country,
               home_country=notes.main_country, wire=wire, lead_end=_lead_end(doc, text_start),
               people=state.scratch.get("entity_index"), speakers=state.scratch.get("speaker_resolver"),
               sports_page=is_sports_page(doc))


SPORTS_PAGE_MIN_WORDS = 3  # distinct words; on ECB+ train 46 sports reports reach it and one other story does not


def is_sports_page(doc: Doc) -> bool:
    """Whether the article reports games: three or more different words
    that only sports reporting uses ('quarterback', 'playoffs', 'rebounds')."""
    sports_words = lexicons.words("sports_words.txt")
    found = {t.lower_ for t in doc if t.lower_ in sports_words}
    return len(found) >= SPORTS_PAGE_MIN_WORDS


def _lead_end(doc: Doc, text_start: int) -> int:
    """The end of the lead: the first sentence of the story, and the second
    too when the first is only a few words (a kicker or a headline line)."""
    story = (s for s in doc.sents if s.end_char > text_start)
    first = next(story, None)
    if first is None:
        return 0
    second = next(story, None) if len(first) < 12 else None
    return (second or first).end_char


def _acronyms(doc: Doc) -> dict[str, str]:
    """'the Rapid Support Forces (RSF)' -> {'RSF': 'Rapid Support Forces'}."""
    out: dict[str, str] = {}
    for tok in doc:
        if tok.text == "(" and tok.i + 2 < len(doc) and doc[tok.i + 2].text == ")":
            acr = doc[tok.i + 1].text
            if not (acr.isupper() and 2 <= len(acr) <= 6 and acr.isalpha()):
                continue
            j = tok.i - 1
            words: list[Token] = []
            while j >= 0 and (doc[j].is_title or doc[j].lower_ in ("of", "and", "for", "the")) and len(words) < 8:
                words.insert(0, doc[j])
                j -= 1
            while words:
                while words and not words[0].is_title:
                    words.pop(0)
                initials = "".join(w.text[0] for w in words if w.is_title).upper()
                if initials == acr or len(initials) <= len(acr):
                    break
                words.pop(0)  # "Sunday for the Shanghai Cooperation Organization (SCO)"
            if words:
                initials = "".join(w.text[0] for w in words if w.is_title)
                if initials.upper().startswith(acr[0]):
                    out[acr] = " ".join(w.text for w in words)
    # "the Rapid Support Forces ... the RSF": the one organisation the article
    # names in full whose initials the acronym is, defined in brackets or not
    full_names: dict[str, set[str]] = {}
    for ent in doc.ents:
        words = [t for t in ent if t.lower_ != "the"]
        if ent.label_ in ("ORG", "NORP", "GPE") and len(words) >= 2:
            initials = "".join(t.text[0] for t in words if t.is_title)
            full_names.setdefault(initials, set()).add(" ".join(t.text for t in words))
    for tok in doc:
        acr = tok.text
        if acr in out or not (acr.isupper() and 2 <= len(acr) <= 6 and acr.isalpha()):
            continue
        names = full_names.get(acr, set())
        if len(names) == 1:
            out[acr] = next(iter(names))
    return out


def _person_countries(doc: Doc, state: State) -> dict[str, str]:
    """People's countries from their descriptions: 'Indian Prime Minister
    Narendra Modi' -> IN."""
    out: dict[str, str] = {}
    for ent in state.entities:
        if ent.type != "PERSON":
            continue
        for m in ent.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            j = span.start - 1
            steps = 0
            while j >= 0 and steps < 5:
                t = doc[j]
                if t.ent_type_ in ("NORP", "GPE") or t.tag_ == "NNP" and country_of_demonym(t.text):
                    pair = f"{doc[j - 1].text} {t.text}" if j > 0 else None  # "North Korean", "South African"
                    code = (pair and (country_of_demonym(pair) or country_of_name(pair))) or \
                        country_of_demonym(t.text) or country_of_name(t.text.rstrip("’'s"))
                    if code:
                        out.setdefault(ent.name, code)
                    break
                if t.is_punct and t.text not in (".",) or t.pos_ in ("VERB", "ADP") and t.lower_ != "of":
                    break
                j -= 1
                steps += 1
            if ent.name in out:
                break
    return out


def _norp_modifier(tok: Token) -> Optional[Token]:
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "nmod") and (c.ent_type_ in ("NORP", "GPE") or country_of_demonym(c.text)):
            return c
    return None


def _reporter_country(name: Optional[str], ctx: "Ctx") -> Optional[str]:
    """The country a reporting party speaks for: a place's ('British
    Columbia' is Canada's, not Britain's), else its demonym's ('Ukrainian
    officials')."""
    return party_country(name, country_of_demonym, ctx) if name else None


def party_country(name: str, lookup: Callable[[str], Optional[str]], ctx: "Ctx") -> Optional[str]:
    """The country of a party's name: the place's when the article takes the
    name for a state, province or town ('British Columbia' is in Canada, not
    Britain), else that of its first word `lookup` knows ('U.S. Department of
    Treasury'). Only the article's own places count: 'Red Cross' is no town."""
    place = next(ctx.places_named(name), None)
    if place is not None and place.precision in ("region", "place") and place.country:
        return place.country
    return country_word_in(name, lookup)


@lru_cache(maxsize=1)
def _country_name_words() -> dict[str, str]:
    """Words that can only name a country: its name as news writes it, its
    short form, and the country aliases of places_aliases.tsv ('U.S.')."""
    words = {}
    for code, (name, short) in country_names().items():
        words[name] = words[short] = code
    for form, _, target in (line.partition("\t") for line in lexicons.lines("places_aliases.tsv")):
        if target.strip().startswith("country:"):
            words[form.strip()] = target.strip()[len("country:"):]
    return words


def country_named_by(word: str) -> Optional[str]:
    """'U.S.' -> US, 'Russian' -> RU, 'Support' -> None: a country name or
    demonym, never a town that happens to share the word."""
    return _country_name_words().get(word) or country_of_demonym(word)


def country_word_in(text: str, lookup: Callable[[str], Optional[str]]) -> Optional[str]:
    """The country of the first word of `text` that `lookup` knows ("US
    President" -> US), possessives dropped."""
    for word in text.replace("'s", "").replace("’s", "").split():
        code = lookup(word)
        if code:
            return code
    return None


def _party_countries(names: Iterable[str], ctx: Ctx) -> set[str]:
    out = set()
    for n in names:
        # a place's country only for a name the article takes for a place or a country ("President Ruto" is
        # no town in Indonesia)
        code = ctx.person_country.get(n) or country_of_demonym(n) or country_named_by(n) or next(
            (p.country for p in ctx.places_named(n) if p.country), None)
        if code:
            out.add(code)
    return out


@dataclass
class Mention:
    type: str
    mode: Optional[str]
    tok: Token
    entry: dict
    kind: Optional[str] = None
    drop: bool = False
    definite: bool = False
    actor: Optional[str] = None
    actor_tok: Optional[Token] = None
    target: Optional[str] = None
    target_tok: Optional[Token] = None
    participants: list[str] = field(default_factory=list)
    place: Optional[Place] = None
    place_country: Optional[str] = None
    date: Optional[DateMention] = None
    date_weak: bool = False
    date_since: bool = False
    counts: dict[str, Optional[int]] = field(default_factory=dict)
    status: str = "occurred"
    reported_by: Optional[str] = None
    # a total told "since" a date goes on the report's date instead (see date.draft_date)
    date_weak_alt: Optional[DateMention] = None
    weapon_mode: Optional[str] = None
    victim_tok: Optional[Token] = None  # whom its toll names ("killing 24 villagers")
    actor_country: Optional[str] = None
    sent_index: int = 0
    # a move made on a condition set for another party ("will withdraw unless ..."): the threat or demand is made now
    conditional: bool = False
