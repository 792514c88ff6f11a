"""The one exception type raised by `app.exports`.

It is an `AppError`, so the GraphQL layer surfaces `code` as `extensions.code`.
Messages are written for the person exporting and never quote document content.
"""

from __future__ import annotations

from typing import Literal, get_args

from app.errors import AreaError

ExportErrorCode = Literal["EXPORT_FAILED", "EXPORT_TIMEOUT", "INVALID_TEMPLATE"]

EXPORT_ERROR_CODES: frozenset[str] = frozenset(get_args(ExportErrorCode))


class ExportError(AreaError):
    """An export could not be rendered, checked or stored."""

    code: ExportErrorCode
    area_codes = EXPORT_ERROR_CODES

    def __init__(self, code: ExportErrorCode, message: str) -> None:
        super().__init__(code, message)
