"""The public side of share links: `/share/{token}` (a clean, read-only HTML page of the
resume and cover letter) and `/share/{token}/{document}.pdf`.

The page body comes from the export HTML writer, which escapes every piece of text and
then sanitises the markup with an allowlist; the shell around it is ours. A strict
Content-Security-Policy forbids scripts and every remote load, and nothing but the one
version behind the token is reachable: no ids, no links into the API.
"""

from __future__ import annotations

import asyncio
import re
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from app.db.models import Version
from app.db.models.enums import ExportDocument, ExportFormat
from app.db.unit_of_work import reading, transaction
from app.errors import NotFound, RateLimited
from app.exports import ExportError, export, from_markdown, render_html
from app.exports.templates import template_css
from app.runtime import Runtime
from app.services import gates, share_links

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
PDF_RENDERS_PER_MINUTE = 10

NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Not found</title>"
    "</head><body><p>This link does not exist, has expired or was revoked.</p></body></html>"
)


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _not_found() -> Response:
    return HTMLResponse(NOT_FOUND_PAGE, status_code=404, headers=SECURITY_HEADERS)


def _letter_markdown(version: Version) -> str:
    return str(version.content.get("cover_letter_markdown") or "")


def _sanitised_body(markdown: str, kind: str, template: str) -> str:
    page = render_html(from_markdown(markdown, kind), template)  # type: ignore[arg-type]
    match = _BODY.search(page)
    return match.group(1) if match else ""


def render_page(version: Version, token: str) -> str:
    resume = _sanitised_body(version.markdown, "resume", version.template)
    letter_md = _letter_markdown(version)
    letter = _sanitised_body(letter_md, "cover_letter", version.template) if letter_md else ""
    base = escape(share_links.ROUTE_PREFIX + token, quote=True)
    links = f'<a href="{base}/resume.pdf">Download resume (PDF)</a>'
    if letter:
        links += f' | <a href="{base}/cover-letter.pdf">Download cover letter (PDF)</a>'
    letter_block = f'<hr><article class="letter">{letter}</article>' if letter else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n<title>Resume</title>\n'
        f"<style>\n{template_css(version.template)}</style>\n</head>\n"
        f'<body class="{escape(version.template, quote=True)}">\n'
        f'<nav class="downloads">{links}</nav>\n'
        f'<article class="resume">{resume}</article>\n{letter_block}\n</body>\n</html>\n'
    )


async def share_page(request: Request) -> Response:
    token = str(request.path_params["token"])
    try:
        async with transaction(_runtime(request).db) as session:  # counts the view
            version = await share_links.open_link(session, token, count_view=True)
    except NotFound:
        return _not_found()
    html = await asyncio.to_thread(render_page, version, token)
    return HTMLResponse(html, headers=SECURITY_HEADERS)


async def _pdf(
    runtime: Runtime, version: Version, document: ExportDocument, ready_key: str | None
) -> bytes:
    """The READY export's file if there is one, else rendered now (rate-limited)."""
    if ready_key:
        return await runtime.store.get(ready_key)
    await gates.hit(
        runtime, "share-pdf", str(version.id), PDF_RENDERS_PER_MINUTE, what="PDF renders"
    )
    if document is ExportDocument.RESUME:
        doc = from_markdown(version.markdown, "resume")
    else:
        doc = from_markdown(_letter_markdown(version), "cover_letter")
    result = await asyncio.to_thread(export, doc, "PDF", version.template)
    return result.data


async def share_pdf(request: Request) -> Response:
    token = str(request.path_params["token"])
    name = str(request.path_params["document"])
    document = {"resume": ExportDocument.RESUME, "cover-letter": ExportDocument.COVER_LETTER}
    runtime = _runtime(request)
    try:
        async with reading(runtime.db) as session:
            version = await share_links.open_link(session, token, count_view=False)
            if name not in document or (name == "cover-letter" and not _letter_markdown(version)):
                raise NotFound("document")
            ready = await share_links.ready_export_keys(session, version.id, ExportFormat.PDF)
        data = await _pdf(runtime, version, document[name], ready.get(document[name]))
    except NotFound:
        return _not_found()
    except RateLimited as exc:
        retry = str(exc.details.get("retryAfter", 60))
        return Response("busy; retry later", status_code=429, headers={"Retry-After": retry})
    except ExportError:
        return Response("the PDF could not be rendered", status_code=503)
    headers = {
        **SECURITY_HEADERS,
        "Content-Disposition": f'attachment; filename="{name}.pdf"',
    }
    return Response(data, media_type="application/pdf", headers=headers)


def share_routes() -> list[Route]:
    return [
        Route("/share/{token}", share_page, methods=["GET"]),
        Route("/share/{token}/{document}.pdf", share_pdf, methods=["GET"]),
    ]
