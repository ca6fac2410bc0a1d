-- Stories group articles (dateline.merge.articles): every article is in one
-- story, events or not. An article's sketch (its weighted terms) is kept with
-- the connected set of linked articles it belongs to, so that a new article
-- is compared only with the articles sharing one of its heaviest terms.
CREATE TABLE story_articles (
    article_id  TEXT PRIMARY KEY,
    story_id    TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE
);
CREATE INDEX story_articles_story ON story_articles(story_id);

CREATE TABLE article_sketches (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    component   TEXT NOT NULL,          -- id of the first article of its connected set
    json        TEXT NOT NULL
);
CREATE INDEX article_sketches_component ON article_sketches(component);

CREATE TABLE sketch_terms (
    term        TEXT NOT NULL,
    published   TEXT,                   -- the article's, to keep to the time window
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX sketch_terms_term ON sketch_terms(term, published);
CREATE INDEX sketch_terms_article ON sketch_terms(article_id);

-- Stories of events alone are rebuilt as stories of articles.
DELETE FROM story_events;
DELETE FROM stories;
