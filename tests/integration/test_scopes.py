"""API-key scopes hold at every depth: walk every path from every root query field, with a
key of each scope, and check that nothing outside the key's scopes comes back.

The queries are generated from introspection, so a field or type added later is walked
too; a new type holding user data must be given a scope in graphql_schema/permissions.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from app.auth.api_keys import Scope
from app.main import create_app
from app.runtime import Runtime
from graphql_schema.permissions import TYPE_SCOPES
from tests.conftest import Servers
from tests.integration.conftest import GraphQLClient, error_codes, make_settings, sign_up
from tests.integration.hardening_support import accepted_version

MAX_DEPTH = 5
# Types that hold no user data of their own: reachable from a root without a scope.
NEUTRAL = {"PageInfo", "RateLimit"}

INTROSPECTION = """
{ __schema { queryType { name } types { kind name
    fields { name args { name type { ...T } } type { ...T } } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name } } } } }
"""


def _named(ref: dict[str, Any]) -> dict[str, Any]:
    while ref.get("ofType"):
        ref = ref["ofType"]
    return ref


def _required(ref: dict[str, Any]) -> bool:
    return bool(ref["kind"] == "NON_NULL")


def _type_text(ref: dict[str, Any]) -> str:
    if ref["kind"] == "NON_NULL":
        return _type_text(ref["ofType"]) + "!"
    if ref["kind"] == "LIST":
        return f"[{_type_text(ref['ofType'])}]"
    return str(ref["name"])


class Walker:
    """Builds, for one root field, a query selecting every path up to MAX_DEPTH."""

    def __init__(self, schema: dict[str, Any], ids: dict[str, str]) -> None:
        self.types = {t["name"]: t for t in schema["types"]}
        self.root = self.types[schema["queryType"]["name"]]
        self.ids = ids

    def arg_value(self, arg: dict[str, Any], owner: str) -> Any:
        named = _named(arg["type"])
        if named["name"] == "ID":
            return self.ids.get(owner, "00000000-0000-0000-0000-000000000000")
        if named["name"] == "DateTime":
            return (
                "2000-01-01T00:00:00+00:00"
                if arg["name"] == "from"
                else "2100-01-01T00:00:00+00:00"
            )
        if named["name"] == "Int":
            return 5
        if named["kind"] == "ENUM":
            return None  # filled below from the enum's first value
        return None

    def selection(self, type_name: str, depth: int, path: tuple[str, ...]) -> str:
        parts = ["__typename"]
        for field in self.types[type_name]["fields"] or []:
            if any(_required(a["type"]) for a in field["args"]):
                continue  # nested fields with required arguments are not walked
            named = _named(field["type"])
            if named["kind"] in ("SCALAR", "ENUM"):
                parts.append(field["name"])
            elif named["kind"] == "OBJECT" and depth < MAX_DEPTH and named["name"] not in path:
                inner = self.selection(named["name"], depth + 1, (*path, named["name"]))
                parts.append(f"{field['name']} {{ {inner} }}")
        return " ".join(parts)

    def root_queries(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for field in self.root["fields"]:
            named = _named(field["type"])
            owner = self._node_type(named["name"])
            variables: dict[str, Any] = {}
            declared = []
            for arg in field["args"]:
                value = self.arg_value(arg, owner)
                if value is None and _named(arg["type"])["kind"] == "ENUM":
                    enum = self.types[_named(arg["type"])["name"]]
                    value = (
                        enum.get("enumValues", [{}])[0].get("name")
                        if "enumValues" in enum
                        else None
                    )
                if value is None and _required(arg["type"]):
                    break
                if value is not None:
                    variables[arg["name"]] = value
                    declared.append(f"${arg['name']}: {_type_text(arg['type'])}")
            else:
                passed = ", ".join(f"{k}: ${k}" for k in variables)
                call = f"{field['name']}({passed})" if passed else field["name"]
                body = ""
                if named["kind"] == "OBJECT":
                    body = "{ " + self.selection(named["name"], 1, (named["name"],)) + " }"
                header = f"query({', '.join(declared)})" if declared else "query"
                yield field["name"], f"{header} {{ {call} {body} }}", variables

    def _node_type(self, name: str) -> str:
        """Resume for ResumeConnection (what an `id` argument refers to)."""
        return name.removesuffix("Connection")

    def unscoped_from_roots(self) -> set[str]:
        """Object types reachable from a root without passing through a scoped type."""
        seen: set[str] = set()
        stack = [_named(f["type"])["name"] for f in self.root["fields"]]
        while stack:
            name = stack.pop()
            kind = self.types[name]["kind"]
            if kind != "OBJECT" or name in seen or name in TYPE_SCOPES:
                continue
            seen.add(name)
            stack.extend(_named(f["type"])["name"] for f in self.types[name]["fields"] or [])
        return seen


def typenames(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if "__typename" in value:
            yield value["__typename"]
        for item in value.values():
            yield from typenames(item)
    elif isinstance(value, list):
        for item in value:
            yield from typenames(item)


@pytest_asyncio.fixture
async def roomy_client(servers: Servers, tmp_path: Path) -> AsyncIterator[GraphQLClient]:
    """Document limits raised: the generated queries select everything."""
    settings = make_settings(
        servers,
        tmp_path,
        query_max_depth=40,
        query_max_fields=100_000,
        query_max_tokens=200_000,
        query_max_chars=1_000_000,
        query_validation_budget_ms=30_000,
    )
    application: Starlette = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            client = GraphQLClient(http)
            client.runtime = application.state.runtime  # type: ignore[attr-defined]
            yield client


async def _fixture_data(client: GraphQLClient) -> dict[str, str]:
    runtime: Runtime = client.runtime  # type: ignore[attr-defined]
    made = await accepted_version(client, runtime, ["TEXT"])
    application = await client.ok(
        "mutation($v: ID!) { createApplication(input: {versionId: $v}) { id } }",
        {"v": made["version"]},
    )
    return {
        "Resume": made["resume"],
        "JobDescription": made["jobDescription"],
        "Job": made["job"],
        "Version": made["version"],
        "Application": application["createApplication"]["id"],
    }


async def _key(client: GraphQLClient, scopes: list[str]) -> str:
    created = await client.ok(
        'mutation($s: [ApiScope!]!) { createApiKey(name: "walk", scopes: $s) { secret } }',
        {"s": scopes},
    )
    secret: str = created["createApiKey"]["secret"]
    return secret


@pytest.mark.timeout(600)
async def test_every_path_from_every_root_respects_each_scope(roomy_client: GraphQLClient) -> None:
    client = roomy_client
    client.token, _ = await sign_up(client)
    ids = await _fixture_data(client)
    walker = Walker((await client.ok(INTROSPECTION))["__schema"], ids)
    assert set(TYPE_SCOPES) <= set(walker.types), "TYPE_SCOPES names a type that is gone"
    unscoped = {t for t in walker.unscoped_from_roots() if not t.endswith(("Connection", "Edge"))}
    assert unscoped <= NEUTRAL, f"give these types a scope in TYPE_SCOPES: {unscoped - NEUTRAL}"

    queries = list(walker.root_queries())
    everything = await _key(client, [s.name for s in Scope])
    reached: set[str] = set()
    for credential in (client.token, everything):
        for root, query, variables in queries:
            body = await client.run(query, variables, token=credential)
            assert "FORBIDDEN" not in error_codes(body) or root in {"apiKeys", "shareLinks"}, body
            assert "INTERNAL_ERROR" not in error_codes(body), (root, body)
            reached |= set(typenames(body.get("data")))
    # The walk reached real data for every kind the issue named (so the checks below bite).
    assert {"User", "Resume", "ParsedResume", "JobDescription", "Job", "JobResult"} <= reached
    assert {"Version", "DownloadLink", "Application"} <= reached

    for scope in Scope:
        key = await _key(client, [scope.name])
        for root, query, variables in queries:
            body = await client.run(query, variables, token=key)
            assert "INTERNAL_ERROR" not in error_codes(body), (scope, root, body)
            leaked = {
                t for t in typenames(body.get("data")) if TYPE_SCOPES.get(t, scope) is not scope
            }
            assert not leaked, f"a {scope.value} key read {leaked} through {root}"


async def test_versions_key_cannot_reach_resume_or_job_content(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime, ["TEXT"])
    key = await _key(client, ["VERSIONS_READ"])
    body = await client.run(
        """query($id: ID!) { version(id: $id) { id number
             resume { parsed { contact { email phone } } }
             job { result { coverLetter { text } } } } }""",
        {"id": made["version"]},
        token=key,
    )
    assert "FORBIDDEN" in error_codes(body)
    text = str(body.get("data"))
    assert "example.com" not in text and "555" not in text
    own = await client.run(
        "query($id: ID!) { version(id: $id) { id number } }", {"id": made["version"]}, token=key
    )
    assert own["data"]["version"]["id"] == made["version"]
