"""News-page cleaning around trafilatura: embedded social posts become direct
quotes of their author, and line-level filters drop the furniture trafilatura
leaves in the body (captions and credits, "Read more: ..." links, share-button
rows, "Trending on ..." boxes). The phrases are data:
lexicons/page_furniture.json (dateline.ingest.furniture)."""

from __future__ import annotations

import re
from typing import Optional

from dateline.ingest.furniture import Furniture, lexicon

# "— Mary Byrne (@marybyrne_cork) March 3, 2024", the signature under an
# embedded post; also "A post shared by Name (@handle)".
SIGNATURE = re.compile(
    r"(?:[\u2014\u2013]|(?:^|\s)--?|(?:^|\s)a post shared by)\s*(?P<name>[^()\n]{1,80}?)\s*"
    r"\(@(?P<handle>[A-Za-z0-9_.]{1,40})\)(?P<rest>[^\n]{0,60})$",
    re.I,
)
POST_LINKS = re.compile(r"\s*(?:pic\.twitter\.com/\w+|https?://t\.co/\w+)")
# What separates the buttons of a share row: "Facebook | X | WhatsApp".
SHARE_SEPARATORS = re.compile(r"\s*(?:[|\u2022\u00b7,/:]|\s-\s|\bor\b|\band\b)\s*", re.I)
HEADING_TAIL = re.compile(r"^(?P<head>.+?)(?:\s+(?:on|from|at|in)\s+(?P<outlet>.{1,60}))?\s*:?$", re.I)
MAX_LABEL_LINE_WORDS = 60
MAX_SHARE_PROMPT_WORDS = 15
MAX_BOX_HEADLINE_WORDS = 22
MAX_BOX_LINES = 12


def post_sentence(name: str, handle: str, platform: Optional[str], text: str) -> str:
    """An embedded post as a sentence that reads as its author's direct quote."""
    text = " ".join(POST_LINKS.sub("", text).split())
    # The post goes in double quotation marks; its own become single ones.
    text = text.replace('"', "'").replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    where = f" on {platform}" if platform else ""
    return f'{" ".join(name.split())} (@{handle}) posted{where}: "{text}"'


# -- embedded posts in the page --------------------------------------------


def rewrite_embedded_posts(tree, furniture: Optional[Furniture] = None) -> int:
    """Replace each embedded post (a blockquote of a known embed class, or one
    ending in a "— Name (@handle)" signature) with a paragraph quoting it.
    Returns how many were rewritten."""
    from lxml import html as lxml_html

    furniture = furniture or lexicon()
    count = 0
    for element in list(tree.iter("blockquote", "div")):
        if element.getparent() is None:
            continue
        classes = set((element.get("class") or "").lower().split())
        platform_class = next((c for c in classes if c in furniture.post_platforms), None)
        if element.tag == "div" and platform_class is None:
            continue
        post = _read_post(element)
        if post is None:
            continue
        name, handle, text = post
        platform = furniture.post_platforms.get(platform_class) if platform_class else None
        paragraph = lxml_html.Element("p")
        paragraph.text = post_sentence(name, handle, platform, text)
        paragraph.tail = element.tail
        element.getparent().replace(element, paragraph)
        count += 1
    return count


def _read_post(element) -> Optional[tuple[str, str, str]]:
    """(author, handle, text) of an embedded post, or None."""
    for script in element.iter("script", "style"):
        script.text = ""
    paragraphs = [" ".join(p.text_content().split()) for p in element.iter("p")]
    paragraphs = [p for p in paragraphs if p]
    whole = " ".join(element.text_content().split())
    signature = None
    for match in SIGNATURE.finditer(whole):
        signature = match
    if signature is None:
        return None
    text = " ".join(p for p in paragraphs if not SIGNATURE.search(p)) or whole[:signature.start()]
    text = text.strip()
    if not text or len(text.split()) < 2:
        return None
    return signature.group("name").strip(" -\u2014\u2013"), signature.group("handle"), text


# -- line filters ------------------------------------------------------------


def clean_lines(lines: list[str], furniture: Optional[Furniture] = None) -> list[str]:
    """The body's lines less page furniture; a "— Name (@handle) date" line
    left under a post's text joins it as the author's quote."""
    furniture = furniture or lexicon()
    out: list[str] = []
    in_box = 0  # lines left that may still be the headlines of a "Trending" box
    for raw in lines:
        line = POST_LINKS.sub("", raw).strip()
        if not line:
            continue
        signature = SIGNATURE.match(line)
        if signature and out and len(line.split()) <= 16:
            out[-1] = post_sentence(signature.group("name").strip(), signature.group("handle"), None, out[-1])
            in_box = 0
            continue
        if is_section_heading(line, furniture):
            in_box = MAX_BOX_LINES
            continue
        if in_box and _headline_like(line):
            in_box -= 1
            continue
        in_box = 0
        if is_furniture_line(line, furniture):
            continue
        out.append(line)
    return out


def is_furniture_line(line: str, furniture: Optional[Furniture] = None) -> bool:
    furniture = furniture or lexicon()
    words = len(line.split())
    lowered = " ".join(line.lower().split())
    if lowered.rstrip(".:") in furniture.drop_lines or lowered in furniture.drop_lines:
        return True
    if words <= MAX_LABEL_LINE_WORDS and (furniture.label_line.match(line) or furniture.credit_tail.search(line)):
        return True
    if words <= MAX_SHARE_PROMPT_WORDS and lowered.startswith(furniture.share_prefixes):
        return True
    parts = [p for p in SHARE_SEPARATORS.split(lowered.rstrip(".")) if p]
    return bool(parts) and all(p in furniture.share_words for p in parts)


def is_section_heading(line: str, furniture: Optional[Furniture] = None) -> bool:
    furniture = furniture or lexicon()
    lowered = " ".join(line.lower().split()).rstrip(":")
    if lowered in furniture.section_headings:
        return True
    match = HEADING_TAIL.match(lowered)
    return bool(match and match.group("outlet") and match.group("head") in furniture.section_headings
                and len(line.split()) <= 10)


def _headline_like(line: str) -> bool:
    """A short line without a closing full stop: a link to another story."""
    stripped = line.rstrip("\"'\u201d\u2019 ")
    return len(line.split()) <= MAX_BOX_HEADLINE_WORDS and not stripped.endswith((".", "!", "?", ";", ":"))
