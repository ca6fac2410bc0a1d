-- Checkpoints of `dateline ingest --dask`: the input partitions (a file, or a
-- range of JSONL lines or WARC records) whose every article is stored. A
-- resumed ingest skips them without reading them again. The key is a hash of
-- the file's path, size, modification time and range, so a changed file is read anew.
CREATE TABLE ingest_partitions (
    key          TEXT PRIMARY KEY,
    description  TEXT NOT NULL,   -- path and range, for people
    records      INTEGER NOT NULL, -- articles it held (all stored)
    finished_at  TEXT NOT NULL
);
