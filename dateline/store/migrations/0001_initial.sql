-- dateline corpus store, schema version 1.
-- Plain tables a person can open with the sqlite3 shell or datasette.

CREATE TABLE articles (
    id            TEXT PRIMARY KEY,
    title         TEXT,
    source        TEXT,
    url           TEXT,
    published     TEXT,                 -- ISO date
    language      TEXT,
    text          TEXT NOT NULL,
    content_hash  TEXT NOT NULL,        -- sha256 of the normalised text
    signature     BLOB,                 -- MinHash signature (64 x uint64, little-endian)
    duplicate_of  TEXT REFERENCES articles(id),  -- the original of a syndicated near-copy
    ingested_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_source ON articles(source);

-- MinHash LSH bands: candidate near-copies are the articles sharing a band.
CREATE TABLE article_bands (
    band        INTEGER NOT NULL,
    hash        INTEGER NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX article_bands_lookup ON article_bands(band, hash);
CREATE INDEX article_bands_article ON article_bands(article_id);

CREATE TABLE analyses (
    article_id        TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    pipeline_version  TEXT,
    schema_version    TEXT,
    model             TEXT,
    json              TEXT NOT NULL     -- the whole dateline Analysis
);

CREATE TABLE entities (
    id          INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    type        TEXT,
    aliases     TEXT,                   -- JSON list
    mentions    INTEGER
);
CREATE INDEX entities_article ON entities(article_id);
CREATE INDEX entities_name ON entities(name COLLATE NOCASE);

CREATE TABLE places (
    id          INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    start       INTEGER,
    "end"       INTEGER,
    geonameid   INTEGER,
    lat         REAL,
    lon         REAL,
    country     TEXT,
    admin1      TEXT,
    precision   TEXT
);
CREATE INDEX places_article ON places(article_id);
CREATE INDEX places_country ON places(country);

CREATE TABLE quotes (
    id            INTEGER PRIMARY KEY,
    article_id    TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,     -- position in Analysis.quotes
    speaker       TEXT,
    speaker_kind  TEXT,
    speaker_role  TEXT,
    cue           TEXT,
    content       TEXT NOT NULL,
    direct        INTEGER NOT NULL,
    start         INTEGER,
    "end"         INTEGER,
    UNIQUE (article_id, idx)
);
CREATE INDEX quotes_speaker ON quotes(speaker COLLATE NOCASE);

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    article_id      TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx             INTEGER NOT NULL,   -- position in Analysis.events
    type            TEXT NOT NULL,
    mode            TEXT,
    summary         TEXT,
    actor           TEXT,
    target          TEXT,
    location        TEXT,
    country         TEXT,
    admin1          TEXT,
    lat             REAL,
    lon             REAL,
    geonameid       INTEGER,
    geo_precision   TEXT,
    date            TEXT,
    date_precision  TEXT,
    killed          INTEGER,
    injured         INTEGER,
    arrested        INTEGER,
    displaced       INTEGER,
    status          TEXT,
    reported_by     TEXT,
    trigger_text    TEXT,
    trigger_start   INTEGER,
    trigger_end     INTEGER,
    sentence_start  INTEGER,
    sentence_end    INTEGER,
    UNIQUE (article_id, idx)
);
CREATE INDEX events_type_date ON events(type, date);
CREATE INDEX events_country_date ON events(country, date);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_location ON events(location COLLATE NOCASE);
CREATE INDEX events_admin1 ON events(admin1 COLLATE NOCASE);

-- Stories: one real-world event's reports merged across outlets (dateline.merge).
CREATE TABLE stories (
    id              TEXT PRIMARY KEY,
    type            TEXT,
    mode            TEXT,
    summary         TEXT,
    location        TEXT,
    country         TEXT,
    date            TEXT,
    killed          INTEGER,
    injured         INTEGER,
    arrested        INTEGER,
    displaced       INTEGER,
    status          TEXT,
    corroboration   INTEGER,
    outlets         TEXT,               -- JSON list
    conflicts       TEXT,               -- JSON list
    first_reported  TEXT,
    last_reported   TEXT,
    json            TEXT                -- the whole Story
);
CREATE INDEX stories_date ON stories(date);
CREATE INDEX stories_country ON stories(country);

CREATE TABLE story_events (
    story_id     TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id   TEXT NOT NULL,
    event_index  INTEGER NOT NULL,
    PRIMARY KEY (story_id, article_id, event_index)
);
CREATE INDEX story_events_article ON story_events(article_id, event_index);

-- Full-text search (FTS5, external content kept in step by triggers).
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;

CREATE VIRTUAL TABLE quotes_fts USING fts5(speaker, content, content='quotes', content_rowid='id');
CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, speaker, content) VALUES (new.id, new.speaker, new.content);
END;
CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, speaker, content) VALUES ('delete', old.id, old.speaker, old.content);
END;
