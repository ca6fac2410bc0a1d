"""Fuzz `dateline.analyze` on arbitrary text: it must return an Analysis
with valid offsets (or an error for that article), never raise.

    .venv/bin/python fuzz/fuzz_analyze.py -atheris_runs=5000 -max_len=4096

Each input runs the real spaCy pipeline (tens of milliseconds), so this
target is run for thousands of inputs, not hundreds of thousands."""

import atheris

from harness import run

with atheris.instrument_imports(include=["dateline"]):
    import dateline
    from dateline.analyze import nlp as nlp_loader
    from dateline.analyze import counts, dates, entities, events, places, pipeline, quotes, speakers  # noqa: F401

nlp_loader.load()


def target(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    result = dateline.analyze_text(text)
    if result.error:
        assert "\n" not in result.error, result.error
        return
    n = len(text)
    for q in result.quotes:
        assert 0 <= q.start <= q.end <= n, q
    for p in result.places:
        assert text[p.start:p.end] == p.name, p
    for d in result.dates:
        assert text[d.start:d.end] == d.text, d
    for e in result.entities:
        for m in e.mentions:
            assert 0 <= m.start < m.end <= n, m


if __name__ == "__main__":
    run(target)
