from pathlib import Path

import pytest

from dateline.analyze import nlp as nlp_loader
from store_backends import module_store_target, pg_server, store_target  # noqa: F401  (fixtures)

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (answer keys and corpora) is not present")
    return SHARED


@pytest.fixture(scope="session")
def nlp():
    """The English pipeline, loaded once for the whole run."""
    return nlp_loader.load()
