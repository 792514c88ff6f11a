"""HTTP transport rules for /graphql, applied before Strawberry reads anything.

Every refusal is a GraphQL-over-HTTP JSON body with `extensions.code` and `requestId`:
wrong method (405), unsupported content type (415), body too large (413, checked from
Content-Length and again while streaming), malformed or too deeply nested JSON (400),
multipart upload without a CSRF preflight header (400, as Apollo Server's `csrfPrevention`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import Message, Receive

from app.errors import ErrorCode

BAD_REQUEST = ErrorCode.BAD_REQUEST
METHOD_NOT_ALLOWED = ErrorCode.METHOD_NOT_ALLOWED
UNSUPPORTED_MEDIA_TYPE = ErrorCode.UNSUPPORTED_MEDIA_TYPE
SIZE_EXCEEDED = ErrorCode.SIZE_EXCEEDED
CSRF_PREFLIGHT_REQUIRED = ErrorCode.CSRF_PREFLIGHT_REQUIRED

# Headers a browser cannot send cross-site without a CORS preflight: their presence proves
# the request is not a "simple" form post from another site. Apollo Client sends them.
CSRF_PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name")
JSON_TYPES = ("application/json", "application/graphql-response+json")
MULTIPART = "multipart/form-data"
# Room for the multipart envelope (operations, map, part headers) around the file itself.
MULTIPART_OVERHEAD_BYTES = 256 * 1024


@dataclass
class TransportError(Exception):
    status: int
    code: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def response(self, request_id: str) -> JSONResponse:
        return error_response(self.status, self.code, self.message, request_id, self.headers)


def error_response(
    status: int,
    code: str,
    message: str,
    request_id: str,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code, "requestId": request_id}}]}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


@dataclass(frozen=True)
class BodyLimits:
    json_bytes: int
    multipart_bytes: int


def default_json_cap(max_resume_bytes: int, max_job_description_bytes: int) -> int:
    """JSON bodies carry base64 resumes (4/3 of the file) and pasted job descriptions:
    the larger of the two, plus a quarter for JSON escaping and 64 KiB for the rest."""
    largest = max(-(-max_resume_bytes * 4 // 3), max_job_description_bytes)
    return largest * 5 // 4 + 64 * 1024


def media_type(headers: Headers) -> str:
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


def check_post(headers: Headers, limits: BodyLimits) -> int:
    """The body cap for this POST, or a TransportError before a byte of it is read."""
    kind = media_type(headers)
    if kind in JSON_TYPES:
        cap = limits.json_bytes
    elif kind == MULTIPART:
        if not any(headers.get(name, "").strip() for name in CSRF_PREFLIGHT_HEADERS):
            raise TransportError(
                400,
                CSRF_PREFLIGHT_REQUIRED,
                "multipart requests must carry a non-empty 'Apollo-Require-Preflight' "
                "(or 'X-Apollo-Operation-Name') header",
            )
        cap = limits.multipart_bytes
    else:
        raise TransportError(
            415,
            UNSUPPORTED_MEDIA_TYPE,
            "send 'Content-Type: application/json' (or multipart/form-data for uploads)",
        )
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise too_large(cap)
    return cap


def too_large(cap: int) -> TransportError:
    return TransportError(413, SIZE_EXCEEDED, f"the request body exceeds {cap} bytes")


def capped_receive(receive: Receive, cap: int) -> Receive:
    """A receive that fails as soon as the streamed body passes `cap` bytes."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > cap:
                raise too_large(cap)
        return message

    return wrapped


def parse_json_body(data: str | bytes) -> Any:
    try:
        return json.loads(data)
    except RecursionError as exc:
        # json's C scanner recurses per nesting level; 100,000 '[' ends here, not in a 500.
        raise TransportError(400, BAD_REQUEST, "the JSON body is nested too deeply") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TransportError(400, BAD_REQUEST, "the request body is not valid JSON") from exc


def code_for_status(status: int) -> str:
    return {405: METHOD_NOT_ALLOWED, 413: SIZE_EXCEEDED, 415: UNSUPPORTED_MEDIA_TYPE}.get(
        status, ErrorCode.NOT_FOUND if status == 404 else BAD_REQUEST
    )
