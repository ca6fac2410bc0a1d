-- A story's record (incidents, figures, headline) is no longer remade inside
-- the update that adds an article to a large story: the story is marked
-- stale instead, and its record is remade later, outside that update
-- (`dateline stories --refresh`, and the due ones at the end of an ingest;
-- see docs/stories.md). `stale` is 1 while the record was made from other
-- articles than the story holds now; `record_n` still says how many.
ALTER TABLE story_counts ADD COLUMN stale INTEGER NOT NULL DEFAULT 0;
CREATE INDEX story_counts_stale ON story_counts(story_id) WHERE stale = 1;

-- An article's candidates are the latest k before it in article order on
-- each of its terms: an index in that order reads those k, where the one on
-- (term, published) read and sorted every article with the term.
DROP INDEX sketch_terms_term;
CREATE INDEX sketch_terms_order ON sketch_terms(term, (COALESCE(published, '9999')), article_id);
