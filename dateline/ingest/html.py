"""HTML pages: trafilatura finds the article body and its metadata."""

from __future__ import annotations

import logging
import re
from typing import Optional

from dateline.analyze import limits
from dateline.model import Article
from dateline.ingest.common import InputError, iso_date

HTML_START = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
# Below this, what trafilatura returns is a menu or a cookie notice, not an article.
MIN_WORDS = 20
MIN_LONGEST_LINE_WORDS = 8


def looks_like_html(text: str) -> bool:
    return bool(HTML_START.match(text[:4096]))


def read_html(html: str, id: Optional[str] = None) -> Article:
    import trafilatura

    # trafilatura logs "discarding data" and the like at WARNING; our own
    # one-line errors say what matters.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        with limits.time_limit(what="reading the HTML"):
            doc = trafilatura.bare_extraction(
                html, with_metadata=True, include_comments=False, include_tables=False,
            )
    except limits.AnalysisTimeout as exc:
        raise InputError(str(exc)) from None
    except RecursionError:  # deeply nested markup
        raise InputError("could not parse HTML (nested too deeply)") from None
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken pages
        raise InputError(f"could not parse HTML ({type(exc).__name__})") from None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    title = (getattr(doc, "title", None) or "").strip() or None
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    # trafilatura repeats the <h1> headline as the first line of the body.
    if lines and title and lines[0] == title:
        lines = lines[1:]
    words = sum(len(line.split()) for line in lines)
    if words < MIN_WORDS or max((len(line.split()) for line in lines), default=0) < MIN_LONGEST_LINE_WORDS:
        raise InputError("no article text found in the HTML page")
    return Article(
        id=id,
        title=title,
        source=(getattr(doc, "sitename", None) or "").strip() or None,
        url=getattr(doc, "url", None) or None,
        published=iso_date(getattr(doc, "date", None)),
        # Blank lines between paragraphs, as in the plain-text format, so
        # sentence and quote boundaries follow the page's paragraphs.
        text="\n\n".join(lines),
    )
