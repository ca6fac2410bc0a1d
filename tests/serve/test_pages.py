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


def test_dates_are_written_at_their_precision():
    from dateline import when

    cases = [("2020-01-01", "year", "2020", "2020"), ("2020-06-01", "month", "June 2020", "2020-06"),
             ("2020-06-01", "week", "week of 1 June 2020", "2020-W23"), ("2020-06-18", "day", "18 June 2020", "2020-06-18"),
             ("2020-06-18T09:30:00+00:00", None, "18 June 2020", "2020-06-18"), ("2020", None, "2020", "2020"),
             ("2020-06", None, "June 2020", "2020-06")]
    for value, precision, human, iso in cases:
        assert (when.human(value, precision), when.iso(value, precision)) == (human, iso), value
    assert when.human(None) == "" and when.iso(None) is None
    assert when.human("last Tuesday") == "last Tuesday" and when.iso("2020-13-45", "day") == "2020-13-45"


def test_a_date_spans_the_whole_period_it_stands_for():
    import datetime as dt

    from dateline import when

    assert when.span("2024-02-01", "month") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert when.span("2023-12-01", "month") == (dt.date(2023, 12, 1), dt.date(2023, 12, 31))
    assert when.span("2024-01-01", "week") == (dt.date(2024, 1, 1), dt.date(2024, 1, 7))
    assert when.span("2024-01-01", "year") == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert when.span("2024-01-03", "day") == (dt.date(2024, 1, 3), dt.date(2024, 1, 3))
    assert when.span(None) is None and when.span("last Tuesday") is None


def test_by_day_groups_stories_under_their_date_at_its_precision():
    from dateline.serve.storylist import by_day

    rows = [{"date": "2024-06-18", "date_precision": "day"}, {"date": "2024-06-01", "date_precision": "month"},
            {"date": "2024-06-01", "date_precision": "day"}, {"date": None}]
    assert [(d["label"], d["iso"], len(d["stories"])) for d in by_day(rows)] == [
        ("18 June 2024", "2024-06-18", 1), ("June 2024", "2024-06", 1), ("1 June 2024", "2024-06-01", 1),
        ("undated", "", 1)]
