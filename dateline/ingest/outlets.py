"""Outlet names and titles as a reader says them: "Reuters", not
"Reuters_Co_Uk" or "www.reuters.com"; "Floods close roads", not
"Floods close roads | DW | 19.01.2020" or "... - BBC News"."""

from __future__ import annotations

import re
from typing import Optional

from dateline.ingest.common import iso_date
from dateline.ingest.furniture import Furniture, lexicon

# Title parts: "A | B", "A - B", "A – B", "A — B", "A :: B", "A · B".
TITLE_SEPARATOR = re.compile(r"\s+(\||-|\u2013|\u2014|::|\u00b7|\u2022)\s+")
NUMERIC_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
# "Reuters_Co_Uk", "www.reuters.com", "REUTERS.CO.UK": a host name, not a name.
HOST_LIKE = re.compile(r"^(?:https?://)?(?:www\.)?[a-z0-9-]+(?:[._][a-z0-9-]+)*[._](?:[a-z]{2,12})$", re.I)
MIN_TITLE_WORDS = 3


def registered_label(url_or_host: Optional[str]) -> Optional[str]:
    """The registered domain's own label: 'reuters' for https://www.reuters.co.uk/x."""
    if not url_or_host:
        return None
    from tld import get_tld

    text = url_or_host.strip()
    if "://" not in text:
        text = "http://" + text.split("/")[0]
    try:
        found = get_tld(text, as_object=True, fail_silently=True)
    except Exception:  # tld raises on odd hosts despite fail_silently
        return None
    label = getattr(found, "domain", None)
    return label.lower() if label else None


def _machine_made(name: str) -> bool:
    """A host name or a slug of one ("Reuters_Co_Uk", "www.bbc.co.uk",
    "reuters.com"), not a name an outlet writes itself ("RTE.ie", "Reuters")."""
    if not HOST_LIKE.match(name):
        return False
    return "_" in name or "://" in name or name.lower().startswith("www.") or name == name.lower() or name == name.upper()


def _known(label: Optional[str], furniture: Furniture) -> Optional[str]:
    return furniture.outlets.get(label) if label else None


def _from_label(label: str, furniture: Furniture) -> str:
    return _known(label, furniture) or (label.upper() if len(label) <= 3 else label.capitalize())


def outlet_name(site_name: Optional[str], url: Optional[str] = None,
                furniture: Optional[Furniture] = None) -> Optional[str]:
    """The outlet as a reader names it, from the page's site name and the
    URL's registered domain. A site name that is a written-out name is kept;
    one that is a host name or a slug of one becomes the outlet's name."""
    furniture = furniture or lexicon()
    name = " ".join((site_name or "").split())
    if NUMERIC_DATE.match(name) or not any(c.isalpha() for c in name):
        name = ""  # a date taken from the title's tail is not a site name
    if name and not _machine_made(name):
        return name
    label = registered_label(name.replace("_", ".")) if name else None
    if label is None and name:
        label = name.lower().replace("_", ".").removeprefix("www.").split(".")[0] or None
    if label is None:
        label = registered_label(url)
    return _from_label(label, furniture) if label else None


def clean_title(title: Optional[str], site_name: Optional[str] = None, url: Optional[str] = None,
                furniture: Optional[Furniture] = None) -> Optional[str]:
    """The headline without the site's suffix or prefix, and without a date
    or a section name tacked on after a separator."""
    if not title:
        return title
    furniture = furniture or lexicon()
    title = " ".join(title.split())
    pieces = TITLE_SEPARATOR.split(title)
    parts, separators = pieces[0::2], pieces[1::2]
    if len(parts) < 2:
        return title
    names = _outlet_names(site_name, url, furniture)
    while len(parts) > 1 and _is_site_part(parts[-1], separators[-1], names, furniture, parts):
        parts.pop()
        separators.pop()
    while len(parts) > 1 and _norm(parts[0]) in names:
        parts.pop(0)
        separators.pop(0)
    out = parts[0]
    for separator, part in zip(separators, parts[1:]):
        out += f" {separator} {part}"
    return out


def _norm(text: str) -> str:
    text = " ".join(text.lower().replace("\u2019", "'").split())
    return text[4:] if text.startswith("the ") else text


def _outlet_names(site_name, url, furniture: Furniture) -> set[str]:
    names = set()
    for value in (site_name, outlet_name(site_name, url, furniture)):
        if value:
            names.add(_norm(value))
    label = registered_label(url)
    if label:
        names.add(label)
        if _known(label, furniture):
            names.add(_norm(_known(label, furniture)))
    names |= {_norm(v) for v in furniture.outlets.values()}
    # "BBC" also goes by "BBC News", "Reuters" by "Reuters.com".
    names |= {f"{n} news" for n in list(names)} | {f"{n}.com" for n in list(names)}
    return names


def _is_site_part(part: str, separator: str, names: set[str], furniture: Furniture, parts: list[str]) -> bool:
    norm = _norm(part)
    if norm in names or norm in furniture.title_suffixes or NUMERIC_DATE.match(part) or HOST_LIKE.match(part):
        return True
    if any(c.isdigit() for c in part) and len(part.split()) <= 5 and iso_date(part):
        return True
    # After a pipe, a short trailing part is the site's ("| DW |"), as long as
    # a headline of some length is left.
    return separator == "|" and len(part.split()) <= 3 and len(parts[0].split()) >= MIN_TITLE_WORDS
