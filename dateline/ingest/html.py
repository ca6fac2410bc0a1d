"""HTML pages: trafilatura finds the article body and its metadata."""

from __future__ import annotations

import logging
import re
from typing import Optional

from dateline.analyze import limits
from dateline.model import Article
from dateline.ingest.cleaning import clean_lines, rewrite_embedded_posts
from dateline.ingest.common import InputError, iso_date
from dateline.ingest.outlets import clean_title, outlet_name

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
            page = _parse(html)
            # News pages: trafilatura's precision setting, then our own line
            # filters below for the furniture it keeps.
            doc = trafilatura.bare_extraction(
                page if page is not None else html, with_metadata=True, include_comments=False,
                include_tables=False, favor_precision=True,
            )
    except limits.AnalysisTimeout as exc:
        raise InputError(str(exc)) from None
    except RecursionError:  # deeply nested markup
        raise InputError("could not parse HTML (nested too deeply)") from None
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken pages
        raise InputError(f"could not parse HTML ({type(exc).__name__})") from None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    url = getattr(doc, "url", None) or None
    site_name = (getattr(doc, "sitename", None) or "").strip() or None
    raw_title = (getattr(doc, "title", None) or "").strip() or None
    title = clean_title(raw_title, site_name, url) or None
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    # trafilatura repeats the <h1> headline as the first line of the body.
    if lines and lines[0] in (title, raw_title):
        lines = lines[1:]
    lines = clean_lines(lines)
    words = sum(len(line.split()) for line in lines)
    if words < MIN_WORDS or max((len(line.split()) for line in lines), default=0) < MIN_LONGEST_LINE_WORDS:
        raise InputError("no article text found in the HTML page")
    return Article(
        id=id,
        title=title,
        source=outlet_name(site_name, url),
        url=url,
        published=iso_date(getattr(doc, "date", None)),
        # Blank lines between paragraphs, as in the plain-text format, so
        # sentence and quote boundaries follow the page's paragraphs.
        text="\n\n".join(lines),
    )


def _parse(html: str):
    """The page as an lxml tree with its embedded social posts rewritten as
    quotes of their authors, or None when lxml cannot read it (trafilatura
    then parses the string itself)."""
    from lxml import etree, html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    rewrite_embedded_posts(tree)
    return tree
