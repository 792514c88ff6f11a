"""Domain errors and the registry of every error code a client can see.

`ErrorCode` is the one list: GraphQL errors carry one of these in `extensions.code`, and
failed jobs, exports, e-mail sends and AI calls in their `errorCode` fields. Each code is
documented where it is declared; the schema's `ErrorCode` enum and the README's list are
generated from it (graphql_schema/types/errors.py, `python -m app.error_docs`), and
tests/unit/test_error_registry.py fails when code uses a code that is not registered.

The GraphQL layer turns an `AppError` into an error with `extensions.code`; anything that
is not an `AppError` is masked as INTERNAL_ERROR.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar


class ErrorCode(StrEnum):
    """Every error code a client can see, each with what it means and what to do."""

    description: str
    area: str

    def __new__(cls, value: str, area: str, description: str) -> ErrorCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.area = area
        member.description = description
        return member

    @classmethod
    def lookup(cls, raw: str) -> ErrorCode | None:
        """The registered code spelled `raw`, if any."""
        found = cls._value2member_map_.get(raw)
        return found if isinstance(found, ErrorCode) else None

    # -- any operation ------------------------------------------------------------------
    UNAUTHENTICATED = (
        "UNAUTHENTICATED",
        "request",
        "No valid credentials (missing, expired or revoked token or API key, wrong "
        "password): sign in again.",
    )
    FORBIDDEN = (
        "FORBIDDEN",
        "request",
        "Authenticated but not allowed, e.g. an API key without the scope the field needs.",
    )
    NOT_FOUND = (
        "NOT_FOUND",
        "request",
        "The object does not exist or is not yours (the two look the same on purpose).",
    )
    INVALID_INPUT = (
        "INVALID_INPUT",
        "request",
        "An argument is malformed or out of range; `extensions.field` names it when known.",
    )
    BAD_REQUEST = (
        "BAD_REQUEST",
        "request",
        "The HTTP request is unusable: no operation, a malformed body, or an operation "
        "type this endpoint does not run.",
    )
    CONFLICT = (
        "CONFLICT",
        "request",
        "The change collided with a concurrent one; read the object again and retry.",
    )
    GRAPHQL_VALIDATION_FAILED = (
        "GRAPHQL_VALIDATION_FAILED",
        "request",
        "The document does not parse or validate against the schema, or a variable does "
        "not coerce to its type.",
    )
    QUERY_TOO_COMPLEX = (
        "QUERY_TOO_COMPLEX",
        "request",
        "The document exceeds a budget (size, depth, aliases, fragments, tokens, "
        "validation time): ask for less in one operation.",
    )
    METHOD_NOT_ALLOWED = (
        "METHOD_NOT_ALLOWED",
        "request",
        "HTTP method not accepted on /graphql (use POST; GET only for queries).",
    )
    UNSUPPORTED_MEDIA_TYPE = (
        "UNSUPPORTED_MEDIA_TYPE",
        "request",
        "The body is neither JSON nor a multipart upload.",
    )
    CSRF_PREFLIGHT_REQUIRED = (
        "CSRF_PREFLIGHT_REQUIRED",
        "request",
        "A multipart or GET request without a preflight-forcing header (e.g. "
        "`Apollo-Require-Preflight`); browsers' cross-site form posts are refused.",
    )
    RATE_LIMITED = (
        "RATE_LIMITED",
        "request",
        "Too many requests of this kind; `extensions.retryAfter` says how many seconds to wait.",
    )
    INSUFFICIENT_CREDITS = (
        "INSUFFICIENT_CREDITS",
        "request",
        "Not enough credits for the job; nothing was created or charged.",
    )
    SERVICE_UNAVAILABLE = (
        "SERVICE_UNAVAILABLE",
        "request",
        "A dependency (database, Redis) is briefly down; retry after "
        "`extensions.retryAfter` seconds. Never a verdict on your credentials.",
    )
    INTERNAL_ERROR = (
        "INTERNAL_ERROR",
        "request",
        "Unexpected failure; quote `extensions.requestId` when reporting it.",
    )
    # -- documents ------------------------------------------------------------------------
    UNSUPPORTED_FORMAT = (
        "UNSUPPORTED_FORMAT",
        "documents",
        "The upload is not a PDF, DOCX, Markdown, HTML or plain-text document (or is encrypted).",
    )
    SIZE_EXCEEDED = (
        "SIZE_EXCEEDED",
        "documents",
        "An upload, pasted text or request body is over its size or page limit.",
    )
    PARSE_FAILED = (
        "PARSE_FAILED",
        "documents",
        "The document could not be read (damaged, scanned without text, or no usable content).",
    )
    PARSE_TIMEOUT = (
        "PARSE_TIMEOUT",
        "documents",
        "Reading the document took longer than its budget; simplify or re-export it.",
    )
    PARSE_NOT_READY = (
        "PARSE_NOT_READY",
        "documents",
        "The resume has not been parsed successfully, so it cannot be tailored yet.",
    )
    RESUME_TOO_THIN = (
        "RESUME_TOO_THIN",
        "documents",
        "The parsed resume lacks what tailoring needs (e.g. no experience or skills).",
    )
    # -- tailoring jobs -------------------------------------------------------------------
    JOB_ALREADY_ACTIVE = (
        "JOB_ALREADY_ACTIVE",
        "jobs",
        "A job for the same resume and job description is still queued or running.",
    )
    IDEMPOTENCY_KEY_REUSED = (
        "IDEMPOTENCY_KEY_REUSED",
        "jobs",
        "The `clientRequestId` was already used for a different request.",
    )
    ENGINE_UNAVAILABLE = (
        "ENGINE_UNAVAILABLE",
        "jobs",
        "The requested engine or model is not configured on this server.",
    )
    JOB_NOT_COMPLETED = (
        "JOB_NOT_COMPLETED",
        "jobs",
        "The job has no result yet (or failed), so it cannot be accepted.",
    )
    JOB_NOT_CANCELLABLE = (
        "JOB_NOT_CANCELLABLE",
        "jobs",
        "The job already ended (completed or failed).",
    )
    JOB_TIMEOUT = (
        "JOB_TIMEOUT",
        "jobs",
        "errorCode of a job that ran past its maximum duration; try again.",
    )
    INPUT_MISSING = (
        "INPUT_MISSING",
        "jobs",
        "The resume or job description was deleted before the job ran or was accepted.",
    )
    TEMPORARY_FAILURE = (
        "TEMPORARY_FAILURE",
        "jobs",
        "errorCode of a job that failed on every retry for a transient reason.",
    )
    # -- versions and exports -------------------------------------------------------------
    EXPORT_FAILED = (
        "EXPORT_FAILED",
        "exports",
        "An export could not be rendered or stored; `retryExport` queues it again.",
    )
    EXPORT_TIMEOUT = (
        "EXPORT_TIMEOUT",
        "exports",
        "Rendering the export took longer than its budget.",
    )
    INVALID_TEMPLATE = (
        "INVALID_TEMPLATE",
        "exports",
        "The export template does not exist.",
    )
    EXPORT_NOT_RETRYABLE = (
        "EXPORT_NOT_RETRYABLE",
        "exports",
        "Only a FAILED export, or a PENDING one whose queue entry was lost, can be retried.",
    )
    # -- applications ---------------------------------------------------------------------
    INVALID_TRANSITION = (
        "INVALID_TRANSITION",
        "applications",
        "The application cannot move from its current status to the requested one.",
    )
    VERSION_REQUIRED = (
        "VERSION_REQUIRED",
        "applications",
        "Sending an application needs an accepted version to attach (it was deleted?).",
    )
    RECIPIENT_UNKNOWN = (
        "RECIPIENT_UNKNOWN",
        "applications",
        "No recipient: the posting has no e-mail address; pass `to`.",
    )
    ATTACHMENT_TOO_LARGE = (
        "ATTACHMENT_TOO_LARGE",
        "applications",
        "errorCode of an e-mail send whose attachments exceed the mail size limit.",
    )
    SMTP_REJECTED = (
        "SMTP_REJECTED",
        "applications",
        "errorCode of an e-mail send the mail server refused permanently.",
    )
    SMTP_TEMPORARY_FAILURE = (
        "SMTP_TEMPORARY_FAILURE",
        "applications",
        "errorCode of an e-mail send that kept failing for a transient reason.",
    )
    DELIVERY_UNCONFIRMED = (
        "DELIVERY_UNCONFIRMED",
        "applications",
        "errorCode of an UNCONFIRMED e-mail send: the worker stopped while handing it to the "
        "mail server, so it may have arrived. Also refused by resendApplicationEmail until "
        "you pass confirmResend: true (same Message-ID).",
    )
    EMAIL_NOT_RESENDABLE = (
        "EMAIL_NOT_RESENDABLE",
        "applications",
        "Only an UNCONFIRMED e-mail send can be re-sent; a FAILED one was not delivered: "
        "apply by e-mail again.",
    )
    # -- AI calls (usage rows; a job falls back to the local engine) ----------------------
    PROVIDER_TIMEOUT = ("PROVIDER_TIMEOUT", "ai", "The AI provider did not answer in time.")
    PROVIDER_THROTTLED = (
        "PROVIDER_THROTTLED",
        "ai",
        "The AI provider rate-limited the call.",
    )
    PROVIDER_ERROR = ("PROVIDER_ERROR", "ai", "The AI provider returned an error.")
    SCHEMA_VALIDATION_FAILED = (
        "SCHEMA_VALIDATION_FAILED",
        "ai",
        "The model's answer did not match the expected JSON schema.",
    )
    PROVIDER_UNAVAILABLE = (
        "PROVIDER_UNAVAILABLE",
        "ai",
        "Not tried: the provider's circuit breaker is open after recent failures.",
    )
    ALL_PROVIDERS_FAILED = (
        "ALL_PROVIDERS_FAILED",
        "ai",
        "Every configured provider failed; the step used the local engine instead.",
    )


class AppError(Exception):
    code: str = ErrorCode.INTERNAL_ERROR

    def __init__(
        self, message: str, *, code: ErrorCode | str | None = None, **details: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            # Registered codes become ErrorCode members; tests/unit/test_error_registry.py
            # keeps unregistered spellings out of the code base.
            self.code = ErrorCode.lookup(code) or code
        self.details = details


class AreaError(AppError):
    """The one exception type of an area (documents, exports): an AppError whose code is
    one of the area's own, kept when the error crosses a process boundary via pickle."""

    area_codes: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, code: str, message: str) -> None:
        if code not in self.area_codes:
            raise ValueError(f"unknown {type(self).__name__} code: {code!r}")
        super().__init__(message, code=code)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __reduce__(self) -> tuple[type[AreaError], tuple[str, str]]:
        return (type(self), (self.code, self.message))


class Unauthenticated(AppError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(AppError):
    code = ErrorCode.FORBIDDEN


class NotFound(AppError):
    code = ErrorCode.NOT_FOUND

    def __init__(self, what: str = "resource") -> None:
        # Same message whether the row is missing or someone else's: no existence oracle.
        super().__init__(f"{what} not found")


class InvalidInput(AppError):
    code = ErrorCode.INVALID_INPUT

    def __init__(
        self, message: str, *, field: str | None = None, code: ErrorCode | str | None = None
    ) -> None:
        super().__init__(message, code=code, field=field)
        self.field = field


class Conflict(AppError):
    code = ErrorCode.CONFLICT


class RateLimited(AppError):
    code = ErrorCode.RATE_LIMITED


class InsufficientCredits(AppError):
    code = ErrorCode.INSUFFICIENT_CREDITS


class ServiceUnavailable(AppError):
    """A dependency (database, Redis) is down: transient, so clients retry rather than
    treat it as a verdict (never UNAUTHENTICATED: that would log people out)."""

    code = ErrorCode.SERVICE_UNAVAILABLE

    def __init__(
        self,
        message: str = "the service is briefly unavailable; try again soon",
        *,
        retry_after_s: int = 5,
    ) -> None:
        super().__init__(message, retryAfter=retry_after_s)
