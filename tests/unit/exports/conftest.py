"""Fixtures for export tests: the Markdown sample resume (tests/fixtures/samples), a cover letter, hostile input,
and one rendering per (format, template), cached for the session because PDF layout is
the slow part of the suite."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.exports import ExportFormat, ExportResult, RenderDocument, export, from_markdown
from app.exports.pdf import default_pool
from app.exports.roundtrip import squash

HOSTILE_MD = """\
# Eve <script>alert(1)</script>
eve@example.com | <img src=x onerror=alert(1)> | [site](javascript:alert(1))

## Summary <iframe src="file:///etc/passwd"></iframe>

Hi <script>alert(1)</script> there ![a](file:///etc/passwd) and [x](javascript:alert(1)).

<link rel=attachment href=file:///etc/passwd>

<style>body { background: url(http://169.254.169.254/latest/meta-data/) }</style>

## Experience

### Engineer <img src=x onerror=alert(1)> — Acme
2020 – Present
- Did <a href="javascript:alert(1)" onclick="alert(1)">things</a>
- <div style="background:url(http://169.254.169.254/)">styled</div>
- [file](file:///etc/passwd) and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
"""

COVER_LETTER_MD = """\
# Cover letter

Dear Hiring Manager,

I am writing to apply for the Platform Engineer role at Orbital. Over seven years I have
built APIs and data pipelines in Python and Go, most recently at Lumen Freight.

At Lumen I designed a shipment-tracking API serving 12k requests per second, and led the
move from a monolith to six services on Kubernetes.

I would welcome the chance to talk about how I can help your platform team.

Sincerely, Alex Rivera
"""


@pytest.fixture(scope="session")
def sample_md(samples_dir: Path) -> str:
    return (samples_dir / "resumes" / "jonah-brandt-backend.md").read_text("utf-8")


@pytest.fixture(scope="session")
def resume(sample_md: str) -> RenderDocument:
    return from_markdown(sample_md)


@pytest.fixture(scope="session")
def cover_letter() -> RenderDocument:
    return from_markdown(COVER_LETTER_MD, kind="cover_letter")


@pytest.fixture(scope="session")
def hostile() -> RenderDocument:
    return from_markdown(HOSTILE_MD)


@pytest.fixture(scope="session", autouse=True)
def warm_pdf_pool() -> Iterator[None]:
    default_pool().warm_up()
    yield


Exporter = Callable[[ExportFormat, str], ExportResult]


@pytest.fixture(scope="session")
def exported(resume: RenderDocument) -> Exporter:
    """exported(fmt, template) -> ExportResult of the sample resume (cached)."""
    cache: dict[tuple[str, str], ExportResult] = {}

    def get(fmt: ExportFormat, template: str) -> ExportResult:
        if (fmt, template) not in cache:
            cache[fmt, template] = export(resume, fmt, template)
        return cache[fmt, template]

    return get


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def assert_in_order(haystack: str, needles: list[str]) -> None:
    """Every needle occurs in `haystack` after the previous one (extraction-normalised)."""
    text, cursor = squash(haystack), 0
    for needle in needles:
        at = text.find(squash(needle), cursor)
        assert at >= 0, f"{needle!r} missing or out of order"
        cursor = at + len(squash(needle))


def has_event_handler(html: str) -> bool:
    return re.search(r"<[^>]*\son\w+\s*=", html, re.IGNORECASE) is not None
