-- A story's record (incidents, figures, headline) is no longer remade inside
-- the update that adds an article to a large story: the story is marked
-- stale instead, and its record is remade later, outside that update
-- (`dateline stories --refresh`, and the due ones at the end of an ingest;
-- see docs/stories.md). `stale` is 1 while the record was made from other
-- articles than the story holds now; `record_n` still says how many.
ALTER TABLE story_counts ADD COLUMN stale INTEGER NOT NULL DEFAULT 0;
CREATE INDEX story_counts_stale ON story_counts(story_id) WHERE stale = 1;
