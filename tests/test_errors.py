"""The exception tree (dateline.errors): one root, and the old import paths
name the same classes."""

import pytest

from dateline import errors
from dateline.errors import DatelineError


def test_every_error_dateline_raises_on_purpose_has_one_root():
    import dateline.acled
    import dateline.ingest.furniture
    import dateline.lexicons
    from dateline.analyze.events import lexicon as events_lexicon

    for cls in (errors.InputError, errors.AnalysisError, errors.AnalysisTimeout, errors.ModelNotFound,
                errors.LexiconError, errors.StoreError, errors.StoreUnavailable, errors.StoreFull,
                errors.ClusterError, dateline.acled.LexiconError, events_lexicon.LexiconError,
                dateline.lexicons.CountryNamesError, dateline.ingest.furniture.FurnitureLexiconError):
        assert issubclass(cls, DatelineError), cls
    # What callers caught before still catches them.
    assert issubclass(errors.LexiconError, ValueError) and issubclass(errors.ModelNotFound, RuntimeError)
    assert issubclass(errors.StoreFull, errors.StoreUnavailable) and not issubclass(errors.StoreUnavailable, errors.StoreError)


def test_old_import_paths_name_the_same_classes():
    from dateline.analyze.limits import AnalysisTimeout
    from dateline.analyze.nlp import ModelNotFound
    from dateline.ingest import InputError
    from dateline.store import StoreError, StoreFull, StoreUnavailable

    assert (InputError, AnalysisTimeout, ModelNotFound) == (errors.InputError, errors.AnalysisTimeout, errors.ModelNotFound)
    assert (StoreError, StoreFull, StoreUnavailable) == (errors.StoreError, errors.StoreFull, errors.StoreUnavailable)


def test_an_input_error_is_one_line_and_says_where():
    err = errors.AnalysisError("analysis failed:\n  ValueError: boom", id="a\nb")
    assert str(err) == "article a b: analysis failed: ValueError: boom"
    assert err.to_json() == {"id": "a\nb", "source_file": None, "error": "analysis failed: ValueError: boom"}
    with pytest.raises(errors.InputError):
        raise err
