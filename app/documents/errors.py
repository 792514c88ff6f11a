"""The one exception type raised by `app.documents`.

It is an `AppError` whose code is one of the registry's document codes (app/errors.py), so
it can reach a client as `extensions.code` unchanged. Messages are written for the person
who uploaded the file: what went wrong and what to do about it. They never quote document
content.
"""

from __future__ import annotations

from typing import Literal, get_args

from app.errors import AreaError

ErrorCode = Literal[
    "UNSUPPORTED_FORMAT",
    "SIZE_EXCEEDED",
    "PARSE_FAILED",
    "PARSE_TIMEOUT",
    "INVALID_INPUT",
]

ERROR_CODES: frozenset[str] = frozenset(get_args(ErrorCode))


class DocumentError(AreaError):
    """A document could not be turned into a typed result."""

    code: ErrorCode
    area_codes = ERROR_CODES

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(code, message)
