"""Analysing many articles at once.

On one machine, `dateline.scale.pool` keeps N worker processes, each with
the spaCy model loaded once, and hands them small batches in order while the
parent only reads input and writes the store. Across machines,
`dateline.scale.cluster` cuts the input into partitions (files, JSONL line
ranges, WARC record ranges) that Dask workers read and analyse; the client
stores the results in input order and records each finished partition as a
checkpoint (`dateline.scale.checkpoints`), so an interrupted ingest resumes
where it stopped. Both run `dateline.analyze.runner` in their workers, which
batches the articles, applies the per-article limits and isolates a failing
article; `dateline.scale.pool.analyze_records` picks the pool or the
in-process runner by the number of workers.
"""
