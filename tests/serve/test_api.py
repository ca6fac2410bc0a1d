"""The Python API: one article, a stream of articles, in order, in one or two processes."""

import dateline
from dateline.model import Analysis, Article

TEXTS = [
    'The mayor said the bridge would reopen on Monday. "We are nearly there," she said.',
    "Police arrested 12 people in Mombasa on Wednesday during protests, a police commander said.",
    "According to the health ministry, two people were killed when a drone hit a house in Kharkiv.",
]


def test_analyze_returns_the_article_and_its_record():
    analysis = dateline.analyze_text(TEXTS[0], published="2025-07-03", source="Test Outlet", title="Bridge")
    assert isinstance(analysis, Analysis)
    assert analysis.article.published == "2025-07-03" and analysis.article.source == "Test Outlet"
    assert analysis.pipeline.version == dateline.__version__
    assert {q.content for q in analysis.quotes} == {"the bridge would reopen on Monday", "We are nearly there"}


def test_analyze_many_accepts_strings_dicts_and_articles_in_order():
    items = [TEXTS[0], {"id": "b", "text": TEXTS[1], "published": "2025-07-03"}, Article(id="c", text=TEXTS[2])]
    analyses = list(dateline.analyze_many(items))
    assert [a.article.text for a in analyses] == TEXTS
    assert analyses[1].article.id == "b"


def test_two_processes_give_the_same_results_in_the_same_order():
    articles = [Article(id=str(i), text=TEXTS[i % 3], published="2025-07-03") for i in range(9)]
    one = [a.model_dump() for a in dateline.analyze_many(articles)]
    two = [a.model_dump() for a in dateline.analyze_many(articles, n_process=2)]
    assert one == two
