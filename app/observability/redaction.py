"""Scrub personal data and secrets from anything that is about to be logged."""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from typing import Any

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Ids are not personal data and must stay readable: a UUID's digit groups look like a
# phone number, so UUIDs are matched first and kept as they are, and a phone-like run
# never extends into one that follows it ("206-555-0188 24187076-6515-...").
UUID = re.compile(r"\b[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\b")
# Phone-like runs: 7+ digits with the usual separators, optionally a leading +.
PHONE = re.compile(rf"(?<![\w.])\+?\(?\d(?:(?!{UUID.pattern})[\d\s().-]){{6,}}\d(?![\w.])")
_PHONE_OR_UUID = re.compile(f"(?P<uuid>{UUID.pattern})|{PHONE.pattern}")
BEARER = re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+")
JWT = re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
API_KEY = re.compile(r"\btk_[A-Za-z0-9_-]{8,}")
REFRESH_TOKEN = re.compile(r"\brt_[A-Za-z0-9_-]{16,}")
PROVIDER_KEY = re.compile(r"\b(?:sk|sk-ant|pk)-[A-Za-z0-9_-]{8,}")

SECRET_FIELDS = frozenset(
    {
        "password",
        "new_password",
        "token",
        "access_token",
        "refresh_token",
        "authorization",
        "api_key",
        "secret",
        "jwt",
        "cookie",
        "resume_text",
        "text",
        "content",
    }
)


def redact_text(value: str) -> str:
    value = BEARER.sub("Bearer [REDACTED]", value)
    value = JWT.sub("[REDACTED_JWT]", value)
    value = API_KEY.sub("[REDACTED_KEY]", value)
    value = REFRESH_TOKEN.sub("[REDACTED_TOKEN]", value)
    value = PROVIDER_KEY.sub("[REDACTED_KEY]", value)
    value = EMAIL.sub("[EMAIL]", value)
    return _PHONE_OR_UUID.sub(_mask_phone, value)


def _mask_phone(match: re.Match[str]) -> str:
    return match.group(0) if match.group("uuid") else "[PHONE]"


def redact_value(key: str, value: Any) -> Any:
    if key.lower() in SECRET_FIELDS:
        return "[REDACTED]"
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(key, v) for v in value]
    return value


def redact_event(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> Mapping[str, Any]:
    """structlog processor: the last line of defence before a log line leaves the process."""
    return {k: redact_value(k, v) for k, v in event_dict.items()}
