"""WARC files (warcio): every `response` record whose HTTP Content-Type is
text/html becomes an Article through the HTML reader, with the record's
target URI as url and id."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, Union

from dateline.ingest.common import DEFAULT_MAX_BYTES, InputError, decode, size_label
from dateline.ingest.html import read_html
from dateline.model import Article

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def is_warc(path: Union[str, Path]) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES)


def read_warc(path: Union[str, Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Union[Article, InputError]]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    name = str(path)
    try:
        stream = open(path, "rb")
    except OSError as exc:
        yield InputError(exc.strerror or type(exc).__name__, source_file=name)
        return
    with stream:
        try:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if "html" not in ctype:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    yield InputError(f"record is over the {size_label(max_bytes)} limit", source_file=name, id=uri)
                    continue
                try:
                    article = read_html(decode(data), id=uri)
                    yield article.model_copy(update={"url": article.url or uri, "id": uri or article.id})
                except InputError as err:
                    yield err.at(name, id=uri)
        except (ArchiveLoadFailed, OSError, ValueError) as exc:
            yield InputError(f"not a readable WARC file ({exc})", source_file=name)
