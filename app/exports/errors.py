"""The one exception type raised by `app.exports`.

It is an `AppError`, so the GraphQL layer surfaces `code` as `extensions.code`.
Messages are written for the person exporting and never quote document content.
"""

from __future__ import annotations

from typing import Literal, get_args

from app.errors import AppError

ExportErrorCode = Literal["EXPORT_FAILED", "EXPORT_TIMEOUT", "INVALID_TEMPLATE"]

EXPORT_ERROR_CODES: frozenset[str] = frozenset(get_args(ExportErrorCode))


class ExportError(AppError):
    code: ExportErrorCode

    def __init__(self, code: ExportErrorCode, message: str) -> None:
        if code not in EXPORT_ERROR_CODES:
            raise ValueError(f"unknown export error code: {code!r}")
        super().__init__(message, code=code)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __reduce__(self) -> tuple[type[ExportError], tuple[str, str]]:
        # Keeps the code if the error crosses a process boundary via pickle.
        return (type(self), (self.code, self.message))
