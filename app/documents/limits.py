"""Size and structure budgets for untrusted uploads.

Every limit is a module constant so deployments can see them in one place; the public
functions take overrides for tests and for callers with stricter needs.
"""

from __future__ import annotations

from app.documents.errors import DocumentError

MB = 1024 * 1024

MAX_RESUME_BYTES = 5 * MB
MAX_JOB_BYTES = 10 * MB
# Pasted job descriptions arrive as str; counted in characters, same order as the bytes cap.
MAX_JOB_TEXT_CHARS = 10 * MB

# DOCX is a zip: check the central directory before anything inflates an entry.
DOCX_MAX_ENTRIES = 1000
DOCX_MAX_TOTAL_UNCOMPRESSED = 50 * MB
DOCX_MAX_COMPRESSION_RATIO = 100
# Tiny XML parts (styles, settings) can legitimately compress very well; the ratio rule
# only matters for entries big enough to hurt.
DOCX_RATIO_CHECK_MIN_BYTES = 1 * MB

PDF_MAX_PAGES = 50
# Structure caps per document. They bound the parse and every later read of the stored
# document (a 19,000-bullet "resume" made every read rebuild 19,000 objects). Resumes are
# short: even a long academic CV stays well under these.
MAX_LINES = 4_000
MAX_SECTIONS = 80
MAX_BULLETS = 2_000
# Job postings: a few hundred lines at most; pasted pages with more are not one posting.
MAX_JOB_LINES = 4_000

DEFAULT_SANDBOX_TIMEOUT_S = 10.0
DEFAULT_SANDBOX_MEMORY_MB = 512


def check_size(data: bytes | str, limit: int, what: str) -> None:
    """Raise SIZE_EXCEEDED when `data` is larger than `limit` bytes (or characters)."""
    if len(data) > limit:
        raise DocumentError(
            "SIZE_EXCEEDED",
            f"The {what} is {_human(len(data))}, over the {_human(limit)} limit. "
            "Upload a smaller file (remove embedded images, or export as text/DOCX).",
        )


def check_count(count: int, limit: int, what: str) -> None:
    """Raise SIZE_EXCEEDED when a document has more than `limit` of `what`."""
    if count > limit:
        raise DocumentError(
            "SIZE_EXCEEDED",
            f"The document has {count:,} {what}, over the limit of {limit:,}; "
            "upload only the resume or posting itself.",
        )


def check_not_empty(data: bytes | str, what: str) -> None:
    if not data or (isinstance(data, str) and not data.strip()):
        raise DocumentError("INVALID_INPUT", f"The {what} is empty.")


def _human(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"
