-- What the story lists and the map show without reading each story's JSON:
-- the headline (the most central article's title, else its lead), the date's
-- precision, the story's confidence (its best-supported report's; 0.5 for a
-- story with no event) and its place's coordinates. Stories stored before
-- take theirs from their JSON.
ALTER TABLE stories ADD COLUMN headline TEXT;
ALTER TABLE stories ADD COLUMN date_precision TEXT;
ALTER TABLE stories ADD COLUMN confidence DOUBLE PRECISION NOT NULL DEFAULT 0.5;
ALTER TABLE stories ADD COLUMN lat DOUBLE PRECISION;
ALTER TABLE stories ADD COLUMN lon DOUBLE PRECISION;
UPDATE stories SET
    headline = json::jsonb ->> 'headline',
    date_precision = json::jsonb ->> 'date_precision',
    lat = (json::jsonb #>> '{place,lat}')::double precision,
    lon = (json::jsonb #>> '{place,lon}')::double precision,
    confidence = COALESCE((SELECT MAX(COALESCE((e #>> '{event,confidence}')::double precision, 0.5))
                           FROM jsonb_array_elements(COALESCE(json::jsonb -> 'evidence', '[]'::jsonb)) AS e), 0.5)
WHERE json IS NOT NULL;
