"""Wire format shared by `app.exports.pdf` (parent) and `app.exports.pdf_worker`.

Both directions: 4-byte big-endian length + JSON header, then the number of raw bytes
the header announces (`html_len` in a request, `pdf_len` in a reply). Kept apart from the
worker so the parent never imports WeasyPrint.
"""

from __future__ import annotations

from app.procpool import HEADER

__all__ = ["HEADER", "MAX_MESSAGE", "MEMORY_ENV"]

MAX_MESSAGE = 64 * 1024 * 1024
# Worker address-space limit in MB (RLIMIT_AS); read by the worker at start-up.
MEMORY_ENV = "TAILOR_EXPORT_MEMORY_MB"
