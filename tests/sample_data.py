"""The bundled sample articles (samples/), read the way `dateline ingest samples/` reads them."""

from pathlib import Path

from dateline.model import Article
from dateline.store.ingest import expand, read_inputs

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def sample_articles() -> list[Article]:
    return [r for r in read_inputs(expand([str(SAMPLES)])) if isinstance(r, Article)]
