"""Analysis of one article: nlp, entities, places, dates, quotes, events
(the components of `pipeline.py`); `runner.py` runs them over many articles."""
