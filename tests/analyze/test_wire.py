"""The wire dateline at the head of an agency story."""

import pytest

from dateline.analyze import wire


@pytest.mark.parametrize("text,name,country", [
    ("NAIROBI (Reuters) - Kenyan police arrested 12 people.", "Nairobi", "KE"),
    ("KYIV, Ukraine (AP) — Russia fired missiles overnight.", "Kyiv", "UA"),
    ("DOHA-Arch-foes the United States and Iran released detainees.", "Doha", "QA"),
    ("WASHINGTON -- Two cartel leaders were arrested.", "Washington", "US"),
    ("NEW DELHI, July 3 (Reuters) - India said on Thursday ...", None, "IN"),
])
def test_dateline_gives_the_filing_city(text, name, country):
    found = wire.find(text)
    assert found and found.place.country == country
    assert name is None or found.place.name == name
    assert text[found.end:][0].isupper()  # the story's own text starts after it


@pytest.mark.parametrize("text", [
    "US-led talks began in Geneva on Monday.",
    "UN - The council met.",
    "The plane crashed near Lagos.",
    "Kenyan police arrested 12 people in NAIROBI - officials said.",
])
def test_no_dateline(text):
    assert wire.find(text) is None
