"""Analysing many articles at once.

On one machine, `dateline.scale.pool` keeps N worker processes, each with
the spaCy model loaded once, and hands them small batches in order while the
parent only reads input and writes the store. Across machines,
`dateline.scale.cluster` cuts the input into partitions (files, JSONL line
ranges, WARC record ranges) that Dask workers read and analyse; the client
stores the results in input order and records each finished partition as a
checkpoint (`dateline.scale.checkpoints`), so an interrupted ingest resumes
where it stopped. `dateline.scale.worker` is the code both run in a worker.
"""
