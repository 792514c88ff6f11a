"""The schema's `ErrorCode` enum: the error-code registry (app/errors.py) as clients see it.

Fields stay `String` where a code is stored (a job's `errorCode` may predate a code's
registration); this enum documents every value they and `extensions.code` can take, so
typed clients can generate a union of them from the SDL.
"""

from __future__ import annotations

from app.errors import ErrorCode
from graphql_schema.types.enums import described

described(
    ErrorCode,
    "ErrorCode",
    "Every value of `extensions.code` on errors and of the `errorCode` fields of jobs, "
    "exports, e-mail sends and AI calls.",
    {code.name: code.description for code in ErrorCode},
)

__all__ = ["ErrorCode"]
