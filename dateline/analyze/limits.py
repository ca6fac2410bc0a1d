"""Per-article limits on the analysis: text length, time, and language.

An article over a limit, or not in English, is not analysed: its Analysis
carries an `error` ("text is 1,048,576 characters, over the 100,000 limit")
and the batch goes on with the next article.

The limits are settings: DATELINE_MAX_CHARS and DATELINE_TIMEOUT (seconds;
0 turns either off), which `dateline analyze` and `dateline ingest` set from
--max-chars and --article-timeout. They are environment variables so that
worker processes, however started, see the same values.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from functools import lru_cache
from typing import Iterator, Optional

from dateline.model import Article

# Long-form features run to 60,000 characters; past 100,000 a "news article"
# is a dump, a book or junk, and the parser would spend minutes on it.
DEFAULT_MAX_CHARS = 100_000
# A typical article takes a tenth of a second; one at the length limit, a few
# seconds on a busy machine. A minute means something is wrong with the text.
DEFAULT_TIMEOUT = 60.0

SUPPORTED_LANGUAGES = ("en",)
# Language detection needs some text to go on: below this many letters (a
# headline, a caption) the article is taken to be in its stated language.
MIN_LETTERS = 80
# The detector's confidence (0-1, calibrated for length) needed before an
# article is refused as not English. English news with an Arabic or Hebrew
# quotation scores English at ~1.0; repetitive or name-heavy text scores low
# for every language and is analysed as English.
MIN_CONFIDENCE = 0.9
# Detection on the opening is enough, and keeps it at a millisecond or two.
SAMPLE_CHARS = 20_000


class AnalysisTimeout(Exception):
    pass


def max_chars() -> int:
    return _setting("DATELINE_MAX_CHARS", DEFAULT_MAX_CHARS, int)


def timeout() -> float:
    return _setting("DATELINE_TIMEOUT", DEFAULT_TIMEOUT, float)


def configure(*, max_chars: Optional[int] = None, timeout: Optional[float] = None) -> None:
    """Set the limits for this process and any worker it starts."""
    if max_chars is not None:
        os.environ["DATELINE_MAX_CHARS"] = str(int(max_chars))
    if timeout is not None:
        os.environ["DATELINE_TIMEOUT"] = str(float(timeout))


def _setting(name: str, default, kind):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        parsed = kind(value)
    except ValueError:
        return default
    return parsed if parsed >= 0 else default


def check(article: Article) -> tuple[Article, Optional[str]]:
    """The article with its detected language filled in, and why it must
    not be analysed (None when it may)."""
    limit = max_chars()
    if limit and len(article.text) > limit:
        return article, f"text is {len(article.text):,} characters, over the {limit:,} limit (see --max-chars)"
    language = detect_language(article.text)
    if language and language != article.language:
        article = article.model_copy(update={"language": language})
    # A stated "en-GB" or "EN" is English too.
    if article.language.strip().lower().replace("_", "-").split("-")[0] not in SUPPORTED_LANGUAGES:
        return article, f"language '{article.language}' is not supported (English only)"
    return article, None


def detect_language(text: str) -> Optional[str]:
    """An ISO 639-1 code when the text is long enough and the detector sure
    enough, else None ("can't tell")."""
    sample = text[:SAMPLE_CHARS]
    if not _has_letters(sample, MIN_LETTERS):
        return None
    language, confidence = _identifier().classify(sample)
    return language if confidence >= MIN_CONFIDENCE else None


def _has_letters(text: str, n: int) -> bool:
    """At least n letters in text (counting stops at n, not at the end of 20,000 characters)."""
    for ch in text:
        if ch.isalpha():
            n -= 1
            if n <= 0:
                return True
    return n <= 0


@lru_cache(maxsize=1)
def _identifier():
    # Decompressing the model takes half a second; the disk cache (dateline.cache) keeps it ready.
    from pathlib import Path

    import py3langid.langid as langid

    from dateline import cache

    model = langid.MODEL_DIR / langid.MODEL_FILE
    return cache.load("langid", [model, Path(langid.__file__), Path(__file__)],
                      lambda: langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True))


def preload() -> None:
    """Load the language model now (before worker processes fork)."""
    _identifier()


@contextlib.contextmanager
def time_limit(seconds: Optional[float] = None, what: str = "analysis") -> Iterator[None]:
    """Raise AnalysisTimeout in this block after `seconds` (default: the
    DATELINE_TIMEOUT setting). Uses SIGALRM, so it applies only in a main
    thread on Unix; elsewhere (a web server's worker threads) it is a no-op
    and the length limit is what bounds the work."""
    global _active
    seconds = timeout() if seconds is None else seconds
    usable = (seconds and hasattr(signal, "setitimer") and not _active
              and threading.current_thread() is threading.main_thread())
    if not usable:  # (an enclosing limit, if any, still applies)
        yield
        return

    def expire(signum, frame):
        if not _active or (frame is not None and frame.f_code in _CLEANUP_CODE):
            return  # the block is ending: its cleanup stops the timer
        # Python drops exceptions raised inside a gc callback or a __del__;
        # if that is where this one lands, the next alarm raises it again.
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
        raise AnalysisTimeout(f"{what} exceeded {seconds:g} s (see --article-timeout)")

    previous = signal.signal(signal.SIGALRM, expire)
    _active = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        _active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_active = False
RETRY_SECONDS = 0.2
_CLEANUP_CODE = {time_limit.__wrapped__.__code__, contextlib._GeneratorContextManager.__exit__.__code__}
