"""Analysis of one article: nlp, entities, places, dates, quotes, events."""
