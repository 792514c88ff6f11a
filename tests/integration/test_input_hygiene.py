"""Every string argument is checked before a resolver runs: NUL characters and over-long
strings are INVALID_INPUT (never INTERNAL_ERROR) and create nothing; database errors
never log statement parameters."""

from __future__ import annotations

import traceback
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.db.models import User
from app.db.session import make_engine
from app.runtime import Runtime
from tests.conftest import Servers
from tests.integration.conftest import GraphQLClient, error_codes

INTROSPECT_MUTATIONS = """
{ __schema { mutationType { fields { name type { ...T } args { name type { ...T } } } } types {
    kind name inputFields { name type { ...T } } enumValues { name } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
"""

SAMPLE_BY_SCALAR: dict[str, Any] = {
    "String": "poisoned\x00value",
    "ID": str(uuid.uuid4()),
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "DateTime": "2026-01-01T00:00:00+00:00",
    "JSON": {},
}


def _unwrap(ref: dict[str, Any]) -> tuple[dict[str, Any], bool, bool]:
    """(named type, required, list) of a type reference."""
    required = ref["kind"] == "NON_NULL"
    if required:
        ref = ref["ofType"]
    is_list = ref["kind"] == "LIST"
    while ref.get("ofType"):
        ref = ref["ofType"]
    return ref, required, is_list


def _sample(ref: dict[str, Any], types: dict[str, Any]) -> Any:
    named, _, is_list = _unwrap(ref)
    if named["kind"] == "ENUM":
        value: Any = types[named["name"]]["enumValues"][0]["name"]
    elif named["kind"] == "INPUT_OBJECT":
        value = {
            f["name"]: _sample(f["type"], types)
            for f in types[named["name"]]["inputFields"]
            if _unwrap(f["type"])[1] or _string(f["type"])
        }
    else:
        value = SAMPLE_BY_SCALAR.get(named["name"], "poisoned\x00value")
    return [value] if is_list else value


def _string(ref: dict[str, Any]) -> bool:
    return bool(_unwrap(ref)[0]["name"] == "String")


def _mentions_string(ref: dict[str, Any], types: dict[str, Any], seen: set[str]) -> bool:
    named = _unwrap(ref)[0]
    if named["name"] == "String":
        return True
    if named["kind"] != "INPUT_OBJECT" or named["name"] in seen:
        return False
    seen.add(named["name"])
    return any(
        _mentions_string(f["type"], types, seen) for f in types[named["name"]]["inputFields"]
    )


async def _mutations_with_strings(client: GraphQLClient) -> tuple[list[Any], dict[str, Any]]:
    schema = (await client.ok(INTROSPECT_MUTATIONS))["__schema"]
    types = {t["name"]: t for t in schema["types"]}
    fields = [
        f
        for f in schema["mutationType"]["fields"]
        if any(_mentions_string(a["type"], types, set()) for a in f["args"])
    ]
    return fields, types


async def _users(runtime: Runtime) -> int:
    async with runtime.db() as session:
        return int((await session.execute(select(func.count()).select_from(User))).scalar_one())


async def test_nul_in_any_string_argument_of_any_mutation_is_invalid_input(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    fields, types = await _mutations_with_strings(client)
    assert len(fields) >= 5
    users_before = await _users(runtime)
    for field in fields:
        variables = {a["name"]: _sample(a["type"], types) for a in field["args"]}
        declared = ", ".join(f"${a['name']}: {_type_text(a['type'])}" for a in field["args"])
        passed = ", ".join(f"{a['name']}: ${a['name']}" for a in field["args"])
        leaf = _unwrap(field["type"])[0]["kind"] in ("SCALAR", "ENUM")
        selection = "" if leaf else "{ __typename }"
        document = f"mutation({declared}) {{ {field['name']}({passed}) {selection} }}"
        body = await client.run(document, variables)
        assert error_codes(body) == ["INVALID_INPUT"], (field["name"], body)
    assert await _users(runtime) == users_before


def _type_text(ref: dict[str, Any]) -> str:
    if ref["kind"] == "NON_NULL":
        return _type_text(ref["ofType"]) + "!"
    if ref["kind"] == "LIST":
        return f"[{_type_text(ref['ofType'])}]"
    return str(ref["name"])


@pytest.mark.parametrize("length", [201, 5_000])
async def test_over_long_display_name_is_invalid_input(
    client: GraphQLClient, runtime: Runtime, length: int
) -> None:
    body = await client.run(
        "mutation($e: String!, $n: String) { signUp(email: $e, password: "
        '"correct horse battery", displayName: $n) { accessToken } }',
        {"e": f"long-{uuid.uuid4().hex[:8]}@example.com", "n": "N" * length},
    )
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "displayName"
    assert await _users(runtime) == 0


async def test_database_errors_never_carry_statement_parameters(servers: Servers) -> None:
    engine = make_engine(servers.database_url)
    secret = "argon2-hash-that-must-not-leak-" + uuid.uuid4().hex
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, display_name) "
                    "VALUES (:id, :email, :hash, :name)"
                ),
                {"id": uuid.uuid4(), "email": "x@example.com", "hash": secret, "name": "N" * 500},
            )
    except DBAPIError as exc:
        rendered = "".join(traceback.format_exception(exc))
        assert secret not in rendered
        assert "N" * 500 not in rendered
    else:
        pytest.fail("the over-long display name was stored")
    finally:
        await engine.dispose()
