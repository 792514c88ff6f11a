"""The PDF rendering worker: WeasyPrint behind a fetcher that only serves data: URLs.

Run as `python -m app.exports.pdf_worker`; `app.exports.pdf` starts, feeds and kills it.
The worker imports WeasyPrint and renders a tiny page before it reports ready, so a
request pays for layout only, not for imports or font discovery.

Wire format: see `app.exports.pdf_protocol`. The reply also lists every URL WeasyPrint
asked for, so callers can audit (and tests prove) that nothing outside the document was
read.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, BinaryIO
from urllib.request import DataHandler, Request

from weasyprint import HTML
from weasyprint.pdf.stream import Stream
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.exports.pdf_protocol import HEADER, MAX_MESSAGE, MEMORY_ENV
from app.procpool import read_exact, send, set_memory_limit

_DEFAULT_MEMORY_MB = 1024
_MAX_DATA_URL = 8 * 1024 * 1024
_COMPACTING = False
_WARM_UP_HTML = "<html><body><h1>Warm-up</h1><p>Text <b>bold</b> <i>italic</i>.</p></body></html>"


class URLRefused(ValueError):
    """Raised for every non-data: URL; WeasyPrint then skips the resource."""


class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """Serves data: URLs and refuses everything else, recording every URL requested.

    file:, http(s):, ftp: and unknown schemes are refused before any handler is
    consulted, so a hostile `<img src=file:///etc/passwd>`, `<link rel=attachment>`,
    `@import url(http://169.254.169.254/)` or `<base href=file:///>` reads nothing.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self.requested: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.requested.append(url[:500])
        if not url[:5].lower() == "data:":
            raise URLRefused(f"refused non-data URL: {url[:80]}")
        if len(url) > _MAX_DATA_URL:
            raise URLRefused("data: URL too large")
        response = DataHandler().data_open(Request(url))
        content_type = response.headers.get("Content-Type", "application/octet-stream")
        return URLFetcherResponse(url, response.read(), {"Content-Type": content_type})


def compact_glyph_runs() -> None:
    """Drop the zero adjustments WeasyPrint writes between glyphs in TJ arrays.

    WeasyPrint 70 writes each glyph as its own string followed by its kerning, which for
    almost every glyph rounds to an explicit 0: `[<0024>0<004f>0<0048>] TJ`. A zero
    adjustment moves nothing (PDF 32000-1 §9.4.3), so `[<0024004f0048>] TJ` draws the
    identical page with ~10x fewer array elements, and text extraction (our round-trip
    check, and ATS parsers) runs ~4x faster on it. Only the worker process is patched;
    a hex glyph string never contains ">" or "<", so the rewrite cannot touch glyph data.
    """
    global _COMPACTING
    if _COMPACTING:
        return
    original = Stream.show_text

    def show_text(self: Any, text: str) -> Any:
        text = text.replace(">0<", "")
        if text.endswith(">0"):  # a final zero adjustment, after the last glyph
            text = text[:-1]
        return original(self, text)

    Stream.show_text = show_text
    _COMPACTING = True


def render(html: str) -> tuple[bytes, list[str]]:
    """PDF bytes and the URLs WeasyPrint asked for. No base URL: relative URLs are void."""
    fetcher = DataOnlyFetcher()
    pdf = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    if not isinstance(pdf, bytes):
        raise TypeError("WeasyPrint returned no PDF")
    return pdf, fetcher.requested


def _limit_resources() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Runaway allocations fail as MemoryError (-> EXPORT_FAILED) instead of OOM-killing.
    set_memory_limit(int(os.environ.get(MEMORY_ENV, _DEFAULT_MEMORY_MB)))


def serve(inp: BinaryIO, out: BinaryIO) -> None:
    render(_WARM_UP_HTML)  # loads Pango and the system fonts before the first request
    send(out, {"ready": True})
    while True:
        head = read_exact(inp, HEADER.size)
        if head is None:
            return  # parent closed the pipe: exit quietly
        (length,) = HEADER.unpack(head)
        raw = read_exact(inp, length) if length <= MAX_MESSAGE else None
        request = json.loads(raw) if raw is not None else None
        if not isinstance(request, dict):
            return
        html = read_exact(inp, int(request.get("html_len", 0)))
        if html is None:
            return
        try:
            pdf, requested = render(html.decode("utf-8", "replace"))
        except MemoryError:
            send(out, {"error": "memory", "recycle": True})
            continue
        except Exception as exc:
            send(out, {"error": type(exc).__name__})
            continue
        send(out, {"pdf_len": len(pdf), "requested": requested}, pdf)


def main() -> None:
    import logging

    _limit_resources()
    compact_glyph_runs()
    # WeasyPrint logs every refused resource; the parent gets the list in the reply.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # stray prints must not corrupt the protocol stream
    serve(sys.stdin.buffer, out)


if __name__ == "__main__":
    main()
