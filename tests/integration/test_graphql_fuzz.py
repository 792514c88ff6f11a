"""Fuzz the live API: queries and mutations generated from its own schema (valid and
invalid ones) never cause an INTERNAL_ERROR or a 5xx.

Short by default (CI); TAILOR_FUZZ_EXAMPLES sets how many documents each run sends.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import httpx
import pytest
from graphql import build_client_schema, get_introspection_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes

from tests.integration.conftest import LiveServer

EXAMPLES = int(os.environ.get("TAILOR_FUZZ_EXAMPLES", "150"))

# Ids that exist (the fuzzing user's own) and ids that do not.
KNOWN_IDS: list[str] = []


def _scalars() -> dict[str, st.SearchStrategy[Any]]:
    moments = st.datetimes(
        min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)
    ).map(lambda d: d.replace(tzinfo=dt.UTC).isoformat())
    return {
        "DateTime": st.one_of(moments, st.text(max_size=30)).map(nodes.String),
        "Date": st.one_of(st.dates().map(str), st.text(max_size=12)).map(nodes.String),
        "Decimal": st.one_of(st.decimals(allow_nan=False).map(str), st.text(max_size=8)).map(
            nodes.String
        ),
        "Upload": st.just(nodes.Null),
        "ID": st.one_of(
            st.uuids().map(str), st.sampled_from(KNOWN_IDS or [str(uuid.uuid4())]), st.text()
        ).map(nodes.String),
    }


def _schema(base_url: str, token: str) -> Any:
    response = httpx.post(
        f"{base_url}/graphql",
        json={"query": get_introspection_query()},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    return build_client_schema(response.json()["data"])


def _sign_up(base_url: str) -> str:
    response = httpx.post(
        f"{base_url}/graphql",
        json={
            "query": 'mutation($e: String!) { signUp(email: $e, password: "fuzzing pass 12") '
            "{ accessToken } }",
            "variables": {"e": f"fuzz-{uuid.uuid4().hex[:10]}@example.com"},
        },
        timeout=30,
    )
    token: str = response.json()["data"]["signUp"]["accessToken"]
    return token


def _seed(base_url: str, token: str) -> None:
    """A resume and a job description, so generated ids sometimes hit real rows."""
    headers = {"Authorization": f"Bearer {token}"}
    resume = httpx.post(
        f"{base_url}/graphql",
        json={
            "query": "mutation($t: String!) { uploadResume(input: {text: $t}) { id } }",
            "variables": {"t": "# Ada Fuzz\n\n## Skills\nPython, SQL\n"},
        },
        headers=headers,
        timeout=60,
    ).json()
    if resume.get("data"):
        KNOWN_IDS.append(resume["data"]["uploadResume"]["id"])


def _problems(response: httpx.Response) -> list[str]:
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}: {response.text[:300]}"]
    try:
        body = response.json()
    except ValueError:
        return [f"not JSON (HTTP {response.status_code}): {response.text[:300]}"]
    return [
        str(error)
        for error in body.get("errors") or []
        if (error.get("extensions") or {}).get("code") == "INTERNAL_ERROR"
    ]


@pytest.mark.timeout(900)
def test_generated_operations_never_fail_internally(live_server: LiveServer) -> None:
    token = _sign_up(live_server.base_url)
    _seed(live_server.base_url, token)
    schema = _schema(live_server.base_url, token)
    operations = st.one_of(
        from_schema(schema, custom_scalars=_scalars()),
        from_schema(schema, custom_scalars=_scalars(), mode="negative"),  # type: ignore[arg-type]
    )
    client = httpx.Client(
        base_url=live_server.base_url,
        headers={"Authorization": f"Bearer {token}", "Apollo-Require-Preflight": "fuzz"},
        timeout=60,
    )
    found: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(document=operations)
    def send(document: str) -> None:
        response = client.post("/graphql", json={"query": document})
        problems = _problems(response)
        if problems:
            found.append(f"{document[:500]}\n -> {problems}")
        assert not problems, found[-1]

    try:
        send()
    finally:
        client.close()
