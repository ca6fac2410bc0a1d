"""dates component: date expressions resolved against the publication date,
with the real spaCy model."""

from __future__ import annotations

import datetime as dt


from dateline.analyze.dates import find_dates

THURSDAY = dt.date(2025, 7, 3)


def resolve(nlp, text: str, published: dt.date = THURSDAY) -> dict[str, tuple]:
    return {m.text: (m.date, m.precision) for m in find_dates(nlp(text), published)}


def test_weekday_is_the_latest_one_before_publication(nlp):
    found = resolve(nlp, "A drone attack on Monday hit a recruitment centre.")
    assert found["Monday"] == ("2025-06-30", "day")


def test_weekday_in_the_future_tense_is_the_next_one(nlp):
    found = resolve(nlp, "The ministers will meet on Monday in Brussels.")
    assert found["Monday"] == ("2025-07-07", "day")


def test_publication_weekday_is_that_day(nlp):
    assert resolve(nlp, "The governor said Thursday that three people died.")["Thursday"] == ("2025-07-03", "day")


def test_relative_days(nlp):
    found = resolve(nlp, "They met yesterday and will speak again tomorrow; today was quiet.")
    assert found["yesterday"] == ("2025-07-02", "day")
    assert found["tomorrow"] == ("2025-07-04", "day")
    assert found["today"] == ("2025-07-03", "day")


def test_early_june_is_month_precision(nlp):
    assert resolve(nlp, "Talks were held in Istanbul in early June.")["early June"] == ("2025-06-01", "month")


def test_month_after_publication_is_last_year(nlp):
    assert resolve(nlp, "The offensive began in September.")["September"] == ("2024-09-01", "month")


def test_last_month_and_this_week(nlp):
    found = resolve(nlp, "In a statement last month the agency said strikes grew this week.")
    assert found["last month"] == ("2025-06-01", "month")
    assert found["this week"] == ("2025-06-30", "week")


def test_years(nlp):
    found = resolve(nlp, "In 2017, a plane crashed; arrests have been made since 2024.")
    assert found["2017"] == ("2017-01-01", "year")
    assert found["2024"] == ("2024-01-01", "year")


def test_explicit_dates(nlp):
    found = resolve(nlp, "Fighting has raged since May 10, 2024. The vote is on 3 July 2025, not 2025-07-10.")
    assert found["May 10, 2024"] == ("2024-05-10", "day")
    assert found["3 July 2025"] == ("2025-07-03", "day")
    assert found["2025-07-10"] == ("2025-07-10", "day")


def test_weekday_in_brackets_corrects_a_relative_day(nlp):
    found = resolve(nlp, "The attack yesterday (Friday) killed 100 civilians.", dt.date(2025, 4, 13))
    assert found["yesterday (Friday)"] == ("2025-04-11", "day")


def test_a_day_after_dates_the_clause_it_introduces(nlp):
    found = resolve(nlp, "The Kremlin said Thursday that talks will go on, a day after Trump held calls.",
                    dt.date(2025, 2, 13))
    assert found["a day after"] == ("2025-02-12", "day")


def test_times_and_vague_spans_are_not_dates(nlp):
    found = resolve(nlp, "It was thwarted at around 11:50 pm (2050 GMT), after several months of talks.")
    assert all(v[0] is None for k, v in found.items() if "2050" in k or "months" in k)


def test_no_publication_date_leaves_relative_dates_unresolved(nlp):
    found = {m.text: m.date for m in find_dates(nlp("The strike on Monday killed two. It began in 2017."), None)}
    assert found["Monday"] is None
    assert found["2017"] == "2017-01-01"


def test_last_week_written_on_a_sunday_is_the_week_just_ended(nlp):
    sunday = dt.date(2024, 1, 14)
    assert resolve(nlp, "Kim Jong Un last week called South Korea an enemy.", sunday)["last week"] == ("2024-01-08", "week")
    # on a weekday it is the calendar week before
    assert resolve(nlp, "Kim Jong Un last week called South Korea an enemy.")["last week"] == ("2025-06-23", "week")


def test_weekends_are_told_as_their_week(nlp):
    # written on a Thursday: the weekend just past is in the week of Monday 23 June, the coming one in this week
    assert resolve(nlp, "Floods killed five people over the weekend.")["over the weekend"] == ("2025-06-23", "week")
    assert resolve(nlp, "Floods killed five people last weekend.")["last weekend"] == ("2025-06-23", "week")
    assert resolve(nlp, "The leaders will meet over the weekend.")["over the weekend"] == ("2025-06-30", "week")
    # written on a Sunday, the weekend is the one under way
    sunday = dt.date(2025, 7, 6)
    assert resolve(nlp, "Floods killed five people over the weekend.", sunday)["over the weekend"] == ("2025-06-30", "week")


def test_earlier_in_the_week_is_this_week(nlp):
    found = resolve(nlp, "Rains flooded the capital earlier in the week.")
    assert found["earlier in the week"] == ("2025-06-30", "week")


def test_near_miss_weekend_words_that_name_no_weekend(nlp):
    found = resolve(nlp, "She sells honey at the weekend market.")
    assert not [d for d, (date, _) in found.items() if "weekend" in d and date]


def test_a_weekday_of_last_or_next_week_is_that_day(nlp):
    found = resolve(nlp, "Gunmen attacked the town on Tuesday last week; talks resume on Monday next week.")
    assert found["Tuesday last week"] == ("2025-06-24", "day")
    assert found["Monday next week"] == ("2025-07-07", "day")
    # written on a Sunday, "last week" is the working week just ended
    assert resolve(nlp, "The strike was on Tuesday last week.", dt.date(2025, 7, 6))["Tuesday last week"] == (
        "2025-07-01", "day")
