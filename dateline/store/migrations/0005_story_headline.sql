-- What the story lists and the map show without reading each story's JSON:
-- the headline (the most central article's title, else its lead), the date's
-- precision, the story's confidence (its best-supported report's; 0.5 for a
-- story with no event) and its place's coordinates. Stories stored before
-- take theirs from their JSON.
ALTER TABLE stories ADD COLUMN headline TEXT;
ALTER TABLE stories ADD COLUMN date_precision TEXT;
ALTER TABLE stories ADD COLUMN confidence REAL NOT NULL DEFAULT 0.5;
ALTER TABLE stories ADD COLUMN lat REAL;
ALTER TABLE stories ADD COLUMN lon REAL;
UPDATE stories SET
    headline = json_extract(json, '$.headline'),
    date_precision = json_extract(json, '$.date_precision'),
    lat = json_extract(json, '$.place.lat'),
    lon = json_extract(json, '$.place.lon'),
    confidence = COALESCE((SELECT MAX(COALESCE(json_extract(e.value, '$.event.confidence'), 0.5))
                           FROM json_each(stories.json, '$.evidence') AS e), 0.5)
WHERE json IS NOT NULL;
