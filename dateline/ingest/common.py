"""What every reader shares: the error type, byte decoding, dates and ids."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from itertools import accumulate
from typing import Optional

from dateline.errors import InputError, one_line as _one_line  # noqa: F401  (InputError: re-exported)

MB = 1024 * 1024
# Per file (or per JSONL line). News articles are a few KB; anything near this
# is a dump or a mistake, and would take minutes to parse.
DEFAULT_MAX_BYTES = 20 * MB


def size_label(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n} bytes"


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, then
    cp1252 / latin-1 for old Windows and Western European files. Binary data
    is rejected rather than decoded into mojibake."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_text(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise InputError("binary file (invalid UTF-16)") from None
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes)")
    try:
        return _check_text(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    # cp1252 leaves five bytes undefined; latin-1 takes anything, so the
    # control-character check below is what tells text from binary there.
    for encoding in ("cp1252", "latin-1"):
        try:
            return _check_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise InputError("binary file (not decodable as text)")  # not reached: latin-1 decodes all


# Unicode category Cc (C0, DEL, C1) less the whitespace controls. A regular
# expression, not a loop over unicodedata: this runs on every article in the
# process that also stores the results, where each millisecond limits scaling.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _check_text(text: str) -> str:
    sample = text[:65536]
    controls = len(CONTROL_CHARS.findall(sample))
    if controls > max(2, len(sample) // 200):
        raise InputError("binary file (not text: too many control characters)")
    return text


# Article objects nest two or three levels; Python's parser recurses once per
# level and raises RecursionError near 1,000, so deeper input is refused first.
MAX_JSON_DEPTH = 64
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when brackets outside strings nest deeper than `limit`. Linear, and
    skipped when there are too few opening brackets to get that deep."""
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return any(depth > limit for depth in accumulate(map(_DEPTH_STEP.__getitem__, brackets)))


def load_json(text: str, limit: int = MAX_JSON_DEPTH):
    """json.loads with a nesting limit: InputError (one line) instead of a
    RecursionError for deeply nested input; json.JSONDecodeError as usual."""
    if json_depth_exceeds(text, limit):
        raise InputError(f"JSON nested more than {limit} levels deep")
    try:
        return json.loads(text)
    except RecursionError:  # a deep call stack already: the limit was not enough
        raise InputError("JSON nested too deeply to read") from None


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def iso_date(value) -> Optional[str]:
    """A publication date as YYYY-MM-DD, or None when it is not a full date.
    Relative expressions ("yesterday") are refused: they depend on today."""
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    text = str(value).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            return None
    import dateparser  # slow-ish import; only needed for non-ISO dates

    try:
        parsed = dateparser.parse(text, languages=["en"], settings={
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["day", "month", "year"],
        })
    except Exception:  # dateparser raises assorted errors on odd strings
        return None
    return parsed.date().isoformat() if parsed else None


# Ids are read back in URL paths (/api/articles/{id}) and query strings.
MAX_ID_CHARS = 500
_ID_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def check_id(article_id: str) -> None:
    """InputError (saying why) for an id that could be stored but not read
    back through the web app's routes."""
    if len(article_id) > MAX_ID_CHARS:
        raise InputError(f"'id' is {len(article_id):,} characters, over the {MAX_ID_CHARS} limit")
    if _ID_FORBIDDEN.search(article_id):
        raise InputError("'id' holds a line break or control character")
    if article_id.endswith("/analysis"):
        raise InputError("'id' ends in /analysis, which is the path of an article's analysis")
    if any(part in (".", "..") for part in article_id.split("/")):
        raise InputError("'id' has a . or .. path segment, which clients drop from URLs")


def check_unicode(name: str, value: str) -> None:
    """A lone surrogate (from a JSON \\ud800 escape) is not text and cannot be
    stored or sent as UTF-8."""
    found = _SURROGATE.search(value)
    if found:
        raise InputError(f"'{name}' holds a lone surrogate (\\u{ord(found.group()):04x}), which is not text")


def text_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
