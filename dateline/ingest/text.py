"""Plain text articles, optionally headed by a title and a "· Outlet" byline:

    Floods close roads across the west
    · RTE.ie

    Body text ...
"""

from __future__ import annotations

import re
from typing import Optional

from dateline.model import Article
from dateline.ingest.common import InputError, iso_date, normalize_newlines

# A middle dot (or a bullet) then the outlet; more "· " parts may follow,
# such as a date: "· RTE.ie · 5 March 2024".
BYLINE = re.compile(r"^[ \t]*[\u00b7\u2022][ \t]*(\S.*?)[ \t]*$")
MAX_TITLE = 300


def split_header(text: str) -> tuple[Optional[str], Optional[str], Optional[str], str]:
    """(title, source, published, body). Without a byline the whole text is body."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    j = i + 1
    if j < len(lines) and not lines[j].strip():  # allow one blank line between
        j += 1
    if j >= len(lines) or len(lines[i].strip()) > MAX_TITLE or BYLINE.match(lines[i]):
        return None, None, None, text.strip()
    match = BYLINE.match(lines[j])
    if not match:
        return None, None, None, text.strip()
    parts = [p.strip() for p in re.split(r"[\u00b7\u2022]", match.group(1)) if p.strip()]
    source = parts[0] if parts else None
    published = next((iso_date(p) for p in parts[1:] if iso_date(p)), None)
    return lines[i].strip(), source, published, "\n".join(lines[j + 1:]).strip()


def read_text(text: str, id: Optional[str] = None) -> Article:
    title, source, published, body = split_header(normalize_newlines(text))
    if not body:
        raise InputError("no article text" + (" after the title and byline" if title else ""))
    return Article(id=id, title=title, source=source, published=published, text=body)
