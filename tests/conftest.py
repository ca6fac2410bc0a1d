import shutil
from pathlib import Path

import pytest

from dateline.analyze import nlp as nlp_loader
from dateline.store import Store
from dateline.store.ingest import ingest, rebuild_stories
from sample_data import sample_articles
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


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, nlp) -> Path:
    """A SQLite store of samples/, with its stories (the web app's tests read it)."""
    path = tmp_path_factory.mktemp("api") / "samples.db"
    with Store.open(path) as store:
        stats = ingest(store, sample_articles())
        assert stats.added and not stats.failed
        rebuild_stories(store)
    return path


@pytest.fixture()
def fresh_db(sample_db, tmp_path) -> Path:
    """A copy of the sample store that a test may write to."""
    path = tmp_path / "copy.db"
    shutil.copy(sample_db, path)
    return path
