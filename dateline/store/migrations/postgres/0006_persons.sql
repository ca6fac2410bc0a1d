-- Speakers across articles: one row per person or organisation, with a stable
-- id made of its kind and normalised full name ("person:hadi-tjahjanto"); a
-- short form ("Tjahjanto") points to its one full name (same_as). Each quote
-- of a named speaker carries the id (dateline.store.persons). Quotes stored
-- before this migration are linked by the code that runs it.
CREATE TABLE persons (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,          -- as first stored
    kind     TEXT NOT NULL,          -- person | organization
    key      TEXT NOT NULL,          -- normalised words: "hadi tjahjanto"
    surname  TEXT NOT NULL,          -- its last word
    same_as  TEXT                    -- the full name a short form stands for
);
CREATE INDEX persons_surname ON persons(surname, kind);
CREATE INDEX persons_same_as ON persons(same_as);
ALTER TABLE quotes ADD COLUMN person_id TEXT;
CREATE INDEX quotes_person ON quotes(person_id);
