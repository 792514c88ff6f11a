"""Logs keep ids readable and never carry SQL parameters."""

from __future__ import annotations

import uuid

import pytest
from graphql import GraphQLError
from sqlalchemy.exc import DataError

from app.observability.redaction import redact_text
from graphql_schema.errors import coded_error


@pytest.mark.parametrize(
    "ident",
    [
        "00000000-1111-2222-3333-444444444444",
        "550e8400-e29b-41d4-a716-446655440000",
        "12345678-1234-5678-1234-567812345678",
        str(uuid.UUID(int=2**127 + 12345)),
    ],
)
def test_uuids_are_not_masked_as_phone_numbers(ident: str) -> None:
    line = f"job {ident} failed; call +1 (555) 014-2231"
    cleaned = redact_text(line)
    assert ident in cleaned
    assert "014-2231" not in cleaned


def test_a_uuid_next_to_a_phone_number_keeps_both_rules() -> None:
    ident = str(uuid.uuid4())
    cleaned = redact_text(f"{ident} 206-555-0188 {ident.upper()}")
    assert cleaned == f"{ident} [PHONE] {ident.upper()}"


def test_a_phone_number_does_not_run_into_a_uuid_whose_first_groups_are_digits() -> None:
    # A random uuid4 starts with digit-only groups a few times in a hundred: the case that
    # made the test above fail now and then.
    ident = "24187076-6515-4304-ae63-f3a7ad1eab95"
    cleaned = redact_text(f"{ident} 206-555-0188 {ident.upper()}")
    assert cleaned == f"{ident} [PHONE] {ident.upper()}"


def test_database_refusing_a_value_is_invalid_input_not_internal() -> None:
    refused = DataError("INSERT INTO users ...", None, ValueError("value too long"))
    error = coded_error(GraphQLError("boom", original_error=refused), "rid-00000001")
    assert error.extensions is not None
    assert error.extensions["code"] == "INVALID_INPUT"
    assert "INSERT" not in error.message


def test_a_database_shutting_down_is_an_outage() -> None:
    from asyncpg.exceptions import AdminShutdownError
    from sqlalchemy.exc import DBAPIError

    from app.db.outage import is_outage

    shutdown = AdminShutdownError("the database system is shutting down")
    try:
        try:
            raise shutdown
        except AdminShutdownError as exc:
            raise DBAPIError("SELECT 1", None, exc) from exc
    except DBAPIError as wrapped:
        assert is_outage(wrapped)
