"""The one exception type raised by `app.documents`.

Callers (GraphQL resolvers, workers) map `DocumentError.code` to a user-facing error code,
so messages are written for the person who uploaded the file: what went wrong and what
to do about it. Messages never quote document content.
"""

from __future__ import annotations

from typing import Literal, get_args

ErrorCode = Literal[
    "UNSUPPORTED_FORMAT",
    "SIZE_EXCEEDED",
    "PARSE_FAILED",
    "PARSE_TIMEOUT",
    "INVALID_INPUT",
]

ERROR_CODES: frozenset[str] = frozenset(get_args(ErrorCode))


class DocumentError(Exception):
    """A document could not be turned into a typed result."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown document error code: {code!r}")
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __reduce__(self) -> tuple[type[DocumentError], tuple[ErrorCode, str]]:
        # Keeps the code when the error crosses a process boundary via pickle.
        return (type(self), (self.code, self.message))
