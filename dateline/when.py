"""Dates written at their precision.

An event's date is stored as an ISO day with a precision: a year-precision
date is stored as its first day ("2020-01-01", "year"). Written out, it must
say no more than is known: "2020", never "1 January 2020".

    iso("2020-06-01", "month")     -> "2020-06"          (CSV cells)
    human("2020-06-01", "month")   -> "June 2020"        (the web pages)
    human("2020-06-18T09:30:00")   -> "18 June 2020"     (a day when no precision is given)
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
PRECISIONS = ("day", "week", "month", "year")


def _day(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _precision(value: str, precision: Optional[str]) -> str:
    """The precision given, else what the value's own length says ("2020" is a year)."""
    if precision in PRECISIONS:
        return precision
    return {4: "year", 7: "month"}.get(len(value.strip()), "day")


def _parse(value: Optional[str], precision: Optional[str]) -> tuple[Optional[dt.date], str]:
    value = (value or "").strip()
    precision = _precision(value, precision)
    if len(value) == 4 and value.isdigit():
        value += "-01-01"
    elif len(value) == 7 and value[:4].isdigit() and value[5:7].isdigit():
        value += "-01"
    return _day(value), precision


def span(value: Optional[str], precision: Optional[str] = None) -> Optional[tuple[dt.date, dt.date]]:
    """The first and the last day of the period a date stands for (a month
    ends on its last day, not its first); None when the value is no date."""
    start, precision = _parse(value, precision)
    if start is None:
        return None
    if precision == "week":
        return start, start + dt.timedelta(days=6)
    if precision == "month":
        following = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return start, following - dt.timedelta(days=1)
    if precision == "year":
        return start, dt.date(start.year, 12, 31)
    return start, start


def iso(value: Optional[str], precision: Optional[str] = None) -> Optional[str]:
    """The ISO 8601 form at the precision: "2020", "2020-06", "2020-W23" or
    "2020-06-18". A value that is not a date is returned as it is."""
    day, precision = _parse(value, precision)
    if day is None:
        return value or None
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if precision == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return day.isoformat()


def human(value: Optional[str], precision: Optional[str] = None) -> str:
    """The date as a person reads it: "2020", "June 2020", "week of 1 June
    2020" or "18 June 2020"; "" for no date, the value itself when it is not one."""
    day, precision = _parse(value, precision)
    if day is None:
        return (value or "").strip()
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return "week of " + text if precision == "week" else text
