"""HTTP header values shared by both backends: Content-Type checks, attachment dispositions.

The download filename comes from user data (original upload names), so it is sanitised before
it reaches a response header: no control characters (header injection), no path separators
(some browsers honour them), and a plain-ASCII `filename=` fallback next to the RFC 6266 / RFC 5987
`filename*=` form so non-ASCII names survive without putting raw UTF-8 in a header.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# type/subtype with optional parameters, printable ASCII only: the value is replayed verbatim
# as a response header, so CR/LF or other control characters must never get through.
_CONTENT_TYPE_RE = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+([ \t]*;[ -~]*)?")
MAX_CONTENT_TYPE_CHARS = 255
MAX_FILENAME_CHARS = 200
FALLBACK_FILENAME = "download"
# Kept out of the quoted ASCII fallback: quote and backslash would break the quoted-string,
# '%' makes some browsers percent-decode the fallback.
_UNSAFE_IN_FALLBACK = frozenset('"\\%')


def validate_content_type(content_type: str) -> str:
    """Return `content_type` if it is a well-formed header value, else raise ValueError."""
    if len(content_type) > MAX_CONTENT_TYPE_CHARS or not _CONTENT_TYPE_RE.fullmatch(content_type):
        raise ValueError(f"invalid content type: {content_type!r}")
    return content_type


def safe_filename(name: str) -> str:
    """Drop characters that are unsafe in a header or a saved file name."""
    kept = "".join(
        ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf") and ch not in "/\\"
    )
    # Leading dots would make a hidden file; surrounding spaces are easy to spoof with.
    kept = kept.strip().lstrip(".").strip()
    return kept[:MAX_FILENAME_CHARS] or FALLBACK_FILENAME


def attachment_disposition(filename: str) -> str:
    """`attachment; filename="..."` (+ `filename*=UTF-8''...` when the name is not ASCII)."""
    name = safe_filename(filename)
    fallback = "".join(ch if ch.isascii() and ch not in _UNSAFE_IN_FALLBACK else "_" for ch in name)
    value = f'attachment; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def default_filename(key: str) -> str:
    """The key's last segment: what a download is called when no filename is given."""
    return key.rsplit("/", 1)[-1]
