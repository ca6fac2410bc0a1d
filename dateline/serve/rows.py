"""Response shapes of the JSON API for listings: the stored rows as the store
returns them (dateline.model has the Analysis and Story themselves)."""

from __future__ import annotations

from typing import Generic, Optional, TypeVar

from pydantic import BaseModel

from dateline.model import DatePrecision, EventStatus, EventType, SpeakerKind

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    offset: int
    next: Optional[str] = None  # the URL of the next page; None on the last


class EventRow(BaseModel):
    event_id: str  # article_id#idx
    article_id: str
    idx: int
    type: EventType
    mode: Optional[str] = None
    summary: Optional[str] = None
    actor: Optional[str] = None
    target: Optional[str] = None
    location: Optional[str] = None
    country: Optional[str] = None
    admin1: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    geonameid: Optional[int] = None
    geo_precision: Optional[str] = None
    date: Optional[str] = None
    date_precision: Optional[str] = None
    killed: Optional[int] = None
    injured: Optional[int] = None
    arrested: Optional[int] = None
    displaced: Optional[int] = None
    status: Optional[EventStatus] = None
    reported_by: Optional[str] = None
    trigger_text: Optional[str] = None
    trigger_start: Optional[int] = None
    trigger_end: Optional[int] = None
    sentence_start: Optional[int] = None
    sentence_end: Optional[int] = None
    confidence: Optional[float] = None
    source: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    title: Optional[str] = None
    duplicate_of: Optional[str] = None


class QuoteRow(BaseModel):
    article_id: str
    idx: int
    speaker: Optional[str] = None
    speaker_kind: Optional[SpeakerKind] = None
    speaker_role: Optional[str] = None
    cue: Optional[str] = None
    content: str
    direct: bool
    start: Optional[int] = None
    end: Optional[int] = None
    source: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    title: Optional[str] = None
    person_id: Optional[str] = None  # the speaker across articles (see /api/persons)


class ArticleRow(BaseModel):
    id: str
    title: Optional[str] = None
    source: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    language: Optional[str] = None
    content_hash: Optional[str] = None
    duplicate_of: Optional[str] = None


class ArticleDetail(ArticleRow):
    text: str


class StoryRow(BaseModel):
    id: str
    type: Optional[EventType] = None
    mode: Optional[str] = None
    headline: Optional[str] = None  # the most central article's title, else its lead
    summary: Optional[str] = None
    location: Optional[str] = None
    country: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    date: Optional[str] = None
    date_precision: Optional[DatePrecision] = None
    confidence: Optional[float] = None  # the best-supported report's
    killed: Optional[int] = None
    injured: Optional[int] = None
    arrested: Optional[int] = None
    displaced: Optional[int] = None
    status: Optional[EventStatus] = None
    corroboration: Optional[int] = None
    outlets: list[str] = []
    conflicts: list[str] = []
    first_reported: Optional[str] = None
    last_reported: Optional[str] = None


class PersonRow(BaseModel):
    id: str  # stable across the store: kind and normalised full name
    name: str
    kind: SpeakerKind
    quotes: int
    articles: int


class EntityRow(BaseModel):
    name: str
    type: Optional[str] = None
    articles: int  # how many articles name it
    mentions: Optional[int] = None


class PlaceRow(BaseModel):
    name: str
    country: Optional[str] = None
    admin1: Optional[str] = None
    geonameid: Optional[int] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    precision: Optional[str] = None
    articles: int


class SearchHits(BaseModel):
    articles: list[dict]
    quotes: list[dict]


class Stored(BaseModel):
    """The answer to POST /api/articles."""

    id: str
    added: bool  # False: the article (same id or same text) was already stored
    stored_as: Optional[str] = None  # when not added: the id it is stored under (another id for the same text)
    duplicate_of: Optional[str] = None  # the original when this is a syndicated near-copy
    events: int = 0
    quotes: int = 0


class Health(BaseModel):
    status: str
    version: str
    articles: int
    events: int
    stories: int
