"""The data model: the JSON a user gets back from dateline.

Every field here is part of the public output. Extraction code fills these
objects; nothing else invents fields. `dateline schema` exports the JSON
Schema; bump SCHEMA_VERSION when a field changes meaning or disappears.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1"

SpeakerKind = Literal["person", "organization", "anonymous"]
EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
    "MOBILIZE", "COERCE", "ASSAULT", "OTHER",
]
EventStatus = Literal["occurred", "planned", "claimed", "denied"]
DatePrecision = Literal["day", "week", "month", "year"]
PlacePrecision = Literal["place", "region", "country"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """Character offsets into Article.text: text[start:end]."""

    start: int
    end: int


class Article(_Model):
    id: Optional[str] = None
    title: Optional[str] = None
    source: Optional[str] = Field(None, description="The outlet, e.g. 'RTE.ie'.")
    url: Optional[str] = None
    published: Optional[str] = Field(None, description="ISO date (YYYY-MM-DD) of publication.")
    language: str = Field("en", description="ISO 639-1 code, detected from the text when there is enough of it; only English (en) is analysed.")
    text: str


class Entity(_Model):
    name: str = Field(description="The fullest name the article gives.")
    type: str = Field(description="PERSON, ORG, GPE, NORP, LOC, FAC ...")
    aliases: list[str] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)


class Place(_Model):
    name: str
    start: int
    end: int
    geonameid: Optional[int] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    country: Optional[str] = Field(None, description="ISO 3166-1 alpha-2 code.")
    admin1: Optional[str] = Field(None, description="First-level subdivision name.")
    precision: Optional[PlacePrecision] = None
    score: Optional[float] = Field(None, description="Ranking score of the chosen gazetteer reading (resolved places).")
    reason: Optional[str] = Field(None, description="Main reason for the reading, in words, e.g. 'in a state or province the article names'.")


class Quote(_Model):
    speaker: Optional[str] = Field(None, description="Fullest name or the article's own description of the source.")
    speaker_kind: SpeakerKind = "anonymous"
    speaker_role: Optional[str] = Field(None, description="Role from the text, e.g. 'Kremlin aide'.")
    cue: Optional[str] = Field(None, description="The reporting words: 'said', 'told reporters', 'according to'.")
    content: str = Field(description="What was said, as it stands in the text, without quotation marks.")
    direct: bool = Field(description="True when the whole content is inside quotation marks.")
    start: int = Field(description="Offset of the content in Article.text.")
    end: int
    speaker_mention: Optional[Span] = Field(None, description="Where the speaker is named for this quote (may be a pronoun).")
    cue_span: Optional[Span] = None


class DateMention(_Model):
    text: str
    start: int
    end: int
    date: Optional[str] = Field(None, description="ISO date; the first day of the period for week/month/year.")
    precision: Optional[DatePrecision] = None


class Event(_Model):
    type: EventType
    mode: Optional[str] = None
    summary: str = Field(description="The sentence (or clause) that reports the event.")
    actor: Optional[str] = None
    target: Optional[str] = None
    location: Optional[str] = None
    country: Optional[str] = None
    date: Optional[str] = None
    date_precision: Optional[DatePrecision] = None
    killed: Optional[int] = None
    injured: Optional[int] = None
    arrested: Optional[int] = None
    displaced: Optional[int] = None
    status: EventStatus = "occurred"
    reported_by: Optional[str] = None
    trigger: Optional[Span] = None
    trigger_text: Optional[str] = None
    sentence: Optional[Span] = None
    place: Optional[Place] = None
    confidence: float = Field(
        0.5, ge=0.0, le=1.0,
        description="How much of the evidence an event needs was found: a realis clause, named actor or target, "
                    "a place and a date the text ties to it, the article's lead. Below 0.5 is low (hidden on the "
                    "map by default), 0.75 and above is high.")


class PipelineInfo(_Model):
    version: str
    schema_version: str = SCHEMA_VERSION
    model: str


class Analysis(_Model):
    article: Article
    entities: list[Entity] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    pipeline: PipelineInfo
    error: Optional[str] = Field(None, description="Set instead of results when this article could not be analysed.")


def json_schema() -> dict:
    schema = Analysis.model_json_schema()
    schema["$id"] = f"https://dateline.invalid/schema/analysis-{SCHEMA_VERSION}.json"
    schema["title"] = "dateline Analysis"
    return schema


# --- Stories: reports of one real-world event merged across articles -------
# These models are not part of Analysis (and so not of its JSON Schema); they
# are the output of dateline.merge.


class Report(_Model):
    """One event as one article reports it: the unit that stories are made of."""

    article_id: str
    event_index: int = Field(0, description="Position of the event in the article's Analysis.events.")
    outlet: Optional[str] = Field(None, description="The article's source, e.g. 'Reuters'.")
    url: Optional[str] = None
    published: Optional[str] = Field(None, description="ISO date of the article.")
    duplicate_of: Optional[str] = Field(None, description="Article id of the original when this article is a syndicated copy.")
    quote: Optional[str] = Field(None, description="A quotation the article gives inside the event's sentence, if any.")
    headline: bool = Field(False, description="The event is read from the article's headline.")
    event: Event


class FigureClaim(_Model):
    value: int
    source: str = Field(description="Whose figure: the event's reported_by, else the outlet, else the article id.")
    outlet: Optional[str] = None
    article_id: str


class Figure(_Model):
    value: Optional[int] = Field(None, description="Headline figure: the most reported value, ties to the first reported.")
    claims: list[FigureClaim] = Field(default_factory=list)
    conflict: bool = False


class Incident(_Model):
    """One real-world event inside a story: the reports of it from every outlet, figures compared."""

    type: EventType
    mode: Optional[str] = None
    summary: str
    actors: list[str] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    location: Optional[str] = None
    place: Optional[Place] = None
    country: Optional[str] = None
    date: Optional[str] = None
    date_precision: Optional[DatePrecision] = None
    killed: Optional[int] = None
    injured: Optional[int] = None
    arrested: Optional[int] = None
    displaced: Optional[int] = None
    figures: dict[str, Figure] = Field(default_factory=dict, description="Every claim per figure field (killed, injured, arrested, displaced).")
    conflicts: list[str] = Field(default_factory=list, description="Figure fields whose reports disagree.")
    conflict_notes: list[str] = Field(default_factory=list, description="e.g. 'killed: 1 per Tymur Tkachenko, 2 per Vitali Klitschko'.")
    status: EventStatus = "occurred"
    outlets: list[str] = Field(default_factory=list, description="Distinct outlets of the non-syndicated articles.")
    corroboration: int = Field(0, description="Number of distinct outlets; syndicated copies count once.")
    first_reported: Optional[str] = None
    last_reported: Optional[str] = None
    evidence: list[Report] = Field(default_factory=list)


class Story(Incident):
    """The articles that tell one story. Its event fields are those of its
    main incident (the one most articles report); a story whose articles
    report no event has no type."""

    id: str = Field(description="Stable id: derived from the earliest article (published, then id).")
    type: Optional[EventType] = None
    headline: Optional[str] = Field(None, description="The title of the story's most central article, else its lead.")
    articles: list[str] = Field(default_factory=list, description="Ids of every article in the story, events or not.")
    incidents: list[Incident] = Field(default_factory=list, description="The story's events, each merged across outlets; the main one first.")
    record_stale: bool = Field(False, description="True while the story's incidents, figures and headline were made "
                               "from other articles than it holds now (a large story's record is remade after the update "
                               "that changed it).")
    record_articles: Optional[int] = Field(None, description="How many articles the story's record was made from.")
