"""The batch runner (dateline.analyze.runner): an article whose analysis
raises costs only itself, in the same place, whether analysed in this
process or on the pool; read errors keep their place."""

import dateline
from dateline.analyze.pipeline import DEFAULT_COMPONENTS, register
from dateline.analyze.runner import analyze_records
from dateline.errors import AnalysisError, InputError
from dateline.model import Article
from dateline.scale.pool import analyze_in_order
from sample_data import sample_articles


@register("raise_on_poison")
def raise_on_poison(state):  # stands for a bug that one article's text triggers
    if "POISON" in state.article.text:
        raise ValueError("poisoned\narticle")


COMPONENTS = DEFAULT_COMPONENTS + ("raise_on_poison",)


def records():
    articles = sample_articles()[:4]
    poison = Article(id="poison", text="POISON. " + articles[0].text)
    return articles, [articles[0], InputError("unreadable", id="bad"), articles[1], poison, articles[2], articles[3]]


def test_a_raising_article_fails_alone_and_the_rest_of_its_batch_is_analysed():
    articles, given = records()
    results = list(analyze_records(given, chunk=4, components=COMPONENTS))
    assert [type(r).__name__ for r in results] == ["Analysis", "InputError", "Analysis", "AnalysisError",
                                                   "Analysis", "Analysis"]
    assert str(results[3]) == "article poison: analysis failed: ValueError: poisoned article"
    good = [r.model_dump() for r in results if not isinstance(r, InputError)]
    assert good == [a.model_dump() for a in dateline.analyze_many(articles)]


def test_the_pool_runs_the_same_fallback():
    _, given = records()
    here = list(analyze_records(given, components=COMPONENTS))
    pooled = list(analyze_in_order(given, 2, batch=3, components=COMPONENTS))
    assert [type(r) for r in pooled] == [type(r) for r in here]
    assert isinstance(pooled[3], AnalysisError) and str(pooled[3]) == str(here[3])
