"""Transport checks that happen before a body is read or parsed."""

from __future__ import annotations

import pytest
from starlette.datastructures import Headers

from app.observability.middleware import redact_query_string
from graphql_schema.transport import BodyLimits, TransportError, check_post, parse_json_body

LIMITS = BodyLimits(json_bytes=1000, multipart_bytes=5000)


def refusal(headers: dict[str, str]) -> tuple[int, str] | None:
    try:
        check_post(Headers(headers), LIMITS)
    except TransportError as exc:
        return exc.status, exc.code
    return None


def test_content_types_and_caps() -> None:
    assert refusal({"content-type": "application/json"}) is None
    assert refusal({"content-type": "application/json; charset=utf-8"}) is None
    assert refusal({"content-type": "text/plain"}) == (415, "UNSUPPORTED_MEDIA_TYPE")
    assert refusal({}) == (415, "UNSUPPORTED_MEDIA_TYPE")
    big = {"content-type": "application/json", "content-length": "1001"}
    assert refusal(big) == (413, "SIZE_EXCEEDED")
    assert check_post(Headers({"content-type": "application/json"}), LIMITS) == 1000


def test_multipart_needs_a_preflight_header_and_has_its_own_cap() -> None:
    form = {"content-type": "multipart/form-data; boundary=x"}
    assert refusal(form) == (400, "CSRF_PREFLIGHT_REQUIRED")
    assert refusal({**form, "apollo-require-preflight": "  "}) == (400, "CSRF_PREFLIGHT_REQUIRED")
    assert refusal({**form, "x-apollo-operation-name": "Upload"}) is None
    with_header = {**form, "apollo-require-preflight": "true"}
    assert check_post(Headers(with_header), LIMITS) == 5000
    assert refusal({**with_header, "content-length": "5001"}) == (413, "SIZE_EXCEEDED")


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deep_json_is_a_coded_bad_request(depth: int) -> None:
    with pytest.raises(TransportError) as refused:
        parse_json_body("[" * depth + "]" * depth)
    assert (refused.value.status, refused.value.code) == (400, "BAD_REQUEST")


def test_query_strings_keep_names_not_values() -> None:
    graphql = b"query=mutation%20%7B%20signIn(password%3A%22hunter22%22)%20%7D&operationName=Op"
    assert redact_query_string(graphql) == "query=[REDACTED]&operationName=Op"
    signed = b"exp=1700000000&sig=abcdef0123&fn=Ada%20Lovelace.pdf"
    assert redact_query_string(signed) == "exp=1700000000&sig=[REDACTED]&fn=[REDACTED]"
    assert redact_query_string(b"") == ""


def test_default_json_cap_fits_the_largest_allowed_inputs() -> None:
    from graphql_schema.transport import default_json_cap

    resume, posting = 5 * 1024 * 1024, 10 * 1024 * 1024
    cap = default_json_cap(resume, posting)
    assert cap >= resume * 4 // 3 and cap >= posting
    assert cap < 16 * 1024 * 1024  # and a 200 MB body is still refused unread


def test_refresh_tokens_never_reach_the_logs() -> None:
    from app.auth.tokens import new_refresh_secret
    from app.observability.redaction import redact_text

    secret = new_refresh_secret()
    assert secret not in redact_text(f"refresh failed for {secret} at 10:00")
