"""The pages' text helpers: article text marked safely, quotes in context,
the month bars of the timeline."""

from dateline.serve.highlight import Mark, context, highlight
from dateline.serve.storylist import by_month, filters


def test_marked_text_escapes_every_piece_and_nests_spans():
    text = 'Police said "<script>alert(1)</script> was found" in Kyiv. <img src=x onerror=alert(2)>'
    html = str(highlight(text, [Mark(12, 50, "quote", 'the "police" <b>', "q0"), Mark(0, 58, "event", "SEIZE", "e0"),
                                Mark(-3, 5, "quote"), Mark(80, 999, "quote")]))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert '<mark class="event quote" title="SEIZE · the &quot;police&quot; &lt;b&gt;" data-refs="e0 q0">' in html
    # Spans reaching outside the text are dropped.
    assert html.startswith('<mark class="event"') and html.endswith(" &lt;img src=x onerror=alert(2)&gt;")


def test_quote_context_is_its_sentence():
    text = "Rain fell all night. The mayor said the river would peak on Friday. Schools are shut."
    start = text.index("the river")
    before, quote, after = context(text, start, start + len("the river would peak on Friday"))
    assert (before, quote, after) == ("The mayor said ", "the river would peak on Friday", ".")


def test_month_bars_cover_every_month_and_select_it():
    rows = [{"date": "2024-11-03"}, {"date": "2025-01-30"}, {"date": "2025-01-02"}, {"date": None}]
    bars = by_month(rows, filters({"type": "assault", "since": "not a date"}))
    assert [(b["month"], b["count"], b["height"]) for b in bars] == [
        ("2024-11", 1, 50), ("2024-12", 0, 0), ("2025-01", 2, 100)]
    assert bars[0]["query"] == {"type": "ASSAULT", "since": "2024-11-01", "until": "2024-11-30"}
    assert bars[-1]["query"]["until"] == "2025-01-31"
