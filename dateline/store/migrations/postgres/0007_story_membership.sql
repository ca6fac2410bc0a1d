-- An article joining a story updates the story's membership in place
-- (story_articles, story_events and the story's article count), without
-- rewriting the whole story: each sketch keeps, beside its JSON, the stories
-- it fitted as well (`also`, a JSON list, NULL for none) and its publication
-- day, which are all that grouping its story's articles reads. A story's
-- record (incidents, figures, headline) is recomputed when the story has
-- grown enough since (see docs/stories.md).
ALTER TABLE article_sketches ADD COLUMN also TEXT;
ALTER TABLE article_sketches ADD COLUMN day TEXT;

-- Each story's article count now and when its record was made, and its first
-- article in article order (publication day, undated last, then id), whose id
-- its own derives from: kept apart from the story's record, which can be large.
CREATE TABLE story_counts (
    story_id       TEXT COLLATE "C" PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    articles_n     INTEGER NOT NULL,
    record_n       INTEGER NOT NULL,
    first_day      TEXT,
    first_article  TEXT NOT NULL
);

-- The sketches stored before lack the new columns: stories are merged anew
-- from the stored analyses by the next update.
DELETE FROM sketch_terms;
DELETE FROM article_sketches;
DELETE FROM story_articles;
DELETE FROM story_events;
DELETE FROM stories;

-- The analysed articles in no story yet, so that finding them reads no more
-- than they are (filled as analyses are stored, emptied as stories take them).
CREATE TABLE story_pending (
    article_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
);
INSERT INTO story_pending(article_id) SELECT article_id FROM analyses;
