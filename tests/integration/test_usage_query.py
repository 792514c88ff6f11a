"""The usage query adds up what was recorded, per user, and partners read it by API key."""

from __future__ import annotations

import decimal
import uuid

from app.runtime import Runtime
from app.services.usage import UsageCall, record_calls
from tests.integration.conftest import GraphQLClient, error_codes, sign_up

USAGE = """
query($groupBy: UsageGroupBy!) {
  usage(groupBy: $groupBy, first: 2) {
    totals { key calls inputTokens outputTokens costUsd }
    calls { edges { node { operation model inputTokens outcome } } pageInfo { hasNextPage endCursor } }
  }
}
"""


def _call(user_id: str, operation: str, model: str, tokens: int, outcome: str = "ok") -> UsageCall:
    return UsageCall(
        user_id=uuid.UUID(user_id),
        job_id=None,
        operation=operation,
        provider="openai",
        model=model,
        input_tokens=tokens,
        output_tokens=tokens // 2,
        latency_ms=120,
        cost_usd=decimal.Decimal("0.001"),
        outcome=outcome,
    )


async def test_usage_totals_and_calls(
    client: GraphQLClient, runtime: Runtime, user: tuple[str, str]
) -> None:
    user_id = user[1]
    _, other_id = await sign_up(client)
    await record_calls(
        runtime,
        [
            _call(user_id, "plan", "gpt-4.1-mini", 1000),
            _call(user_id, "draft", "gpt-4.1-mini", 3000, outcome="retry"),
            _call(user_id, "draft", "claude-sonnet-4-5", 2000),
            _call(other_id, "plan", "gpt-4.1-mini", 99999),
        ],
    )
    data = await client.ok(USAGE, {"groupBy": "OPERATION"})
    totals = {t["key"]: t for t in data["usage"]["totals"]}
    assert totals["plan"]["calls"] == 1 and totals["plan"]["inputTokens"] == 1000
    assert totals["draft"]["calls"] == 2 and totals["draft"]["inputTokens"] == 5000
    assert totals["draft"]["outputTokens"] == 2500
    assert decimal.Decimal(str(totals["draft"]["costUsd"])) == decimal.Decimal("0.002")
    page = data["usage"]["calls"]
    assert len(page["edges"]) == 2 and page["pageInfo"]["hasNextPage"] is True

    by_model = await client.ok(USAGE, {"groupBy": "MODEL"})
    assert {t["key"]: t["calls"] for t in by_model["usage"]["totals"]} == {
        "claude-sonnet-4-5": 1,
        "gpt-4.1-mini": 2,
    }
    by_day = await client.ok(USAGE, {"groupBy": "DAY"})
    assert sum(t["calls"] for t in by_day["usage"]["totals"]) == 3


async def test_usage_by_api_key_needs_scope(client: GraphQLClient, user: tuple[str, str]) -> None:
    create = """mutation($s: [String!]!) { createApiKey(name: "partner", scopes: $s) { secret } }"""
    good = (await client.ok(create, {"s": ["usage:read"]}))["createApiKey"]["secret"]
    bad = (await client.ok(create, {"s": ["profile:read"]}))["createApiKey"]["secret"]
    assert not (await client.run(USAGE, {"groupBy": "DAY"}, token=good)).get("errors")
    assert error_codes(await client.run(USAGE, {"groupBy": "DAY"}, token=bad)) == ["FORBIDDEN"]


async def test_usage_range_validation(client: GraphQLClient, user: tuple[str, str]) -> None:
    body = await client.run(
        'query { usage(from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { totals { key } } }'
    )
    assert error_codes(body) == ["INVALID_INPUT"]
