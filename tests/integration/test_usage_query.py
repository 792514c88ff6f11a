"""The usage query adds up what was recorded, per user, grouped by one or two keys, with
grand totals apart from the paged calls; partners read it by API key; rateLimit reports
the caller's budget and a refusal carries retryAfter and the Retry-After header."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from pathlib import Path

from app.db.unit_of_work import transaction
from app.runtime import Runtime
from app.services.usage import UsageCall
from app.services.usage import record_calls as record_in
from tests.integration.conftest import GraphQLClient, error_codes, sign_up
from tests.integration.shape_helpers import add_pair, tailor

USAGE = """
query($groupBy: [UsageGroupBy!]!, $first: Int, $after: String, $last: Int, $before: String) {
  usage(groupBy: $groupBy, first: $first, after: $after, last: $last, before: $before) {
    groupBy
    totals { key operation model provider jobId day calls inputTokens outputTokens costUsd }
    grandTotal { calls inputTokens outputTokens costUsd }
    calls {
      totalCount
      edges { cursor node { operation provider model providerRequestId inputTokens outcome } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""


def _call(
    user_id: str,
    operation: str,
    model: str,
    tokens: int,
    *,
    outcome: str = "ok",
    provider: str = "openai",
    job_id: uuid.UUID | None = None,
) -> UsageCall:
    return UsageCall(
        user_id=uuid.UUID(user_id),
        job_id=job_id,
        operation=operation,
        provider=provider,
        model=model,
        input_tokens=tokens,
        output_tokens=tokens // 2,
        latency_ms=120,
        cost_usd=decimal.Decimal("0.001"),
        outcome=outcome,
        provider_request_id=f"req_{operation}_{tokens}",
    )


async def record_calls(runtime: Runtime, calls: list[UsageCall]) -> None:
    """Record as the LLM engine's sink does: one transaction per AI call's attempts."""
    async with transaction(runtime.db) as session:
        await record_in(session, calls)


async def _record_mix(runtime: Runtime, user_id: str, other_id: str) -> None:
    await record_calls(
        runtime,
        [
            _call(user_id, "plan", "gpt-4.1-mini", 1000),
            _call(user_id, "draft", "gpt-4.1-mini", 3000, outcome="retry"),
            _call(user_id, "draft", "claude-sonnet-4-5", 2000, provider="anthropic"),
            _call(other_id, "plan", "gpt-4.1-mini", 99999),
        ],
    )


async def test_usage_totals_grand_total_and_calls(
    client: GraphQLClient, runtime: Runtime, user: tuple[str, str]
) -> None:
    _, other_id = await sign_up(client)
    await _record_mix(runtime, user[1], other_id)
    data = (await client.ok(USAGE, {"groupBy": ["OPERATION"], "first": 2}))["usage"]
    totals = {t["key"]: t for t in data["totals"]}
    assert totals["plan"]["calls"] == 1 and totals["plan"]["inputTokens"] == 1000
    assert totals["plan"]["operation"] == "PLAN" and totals["plan"]["model"] is None
    assert totals["draft"]["calls"] == 2 and totals["draft"]["inputTokens"] == 5000
    assert totals["draft"]["outputTokens"] == 2500
    assert decimal.Decimal(str(totals["draft"]["costUsd"])) == decimal.Decimal("0.002")
    # The grand total and totalCount cover the range, not the page.
    assert data["grandTotal"]["calls"] == 3 and data["grandTotal"]["inputTokens"] == 6000
    page = data["calls"]
    assert page["totalCount"] == 3 and len(page["edges"]) == 2
    assert page["pageInfo"]["hasNextPage"] is True and page["pageInfo"]["hasPreviousPage"] is False
    nodes = [e["node"] for e in page["edges"]]
    assert nodes[0]["providerRequestId"].startswith("req_") and nodes[0]["outcome"] in {
        "OK",
        "RETRY",
    }


async def test_usage_by_provider_by_job_and_by_day_and_model(
    client: GraphQLClient, runtime: Runtime, user: tuple[str, str], samples_dir: Path
) -> None:
    user_id = user[1]
    _, other_id = await sign_up(client)
    await _record_mix(runtime, user_id, other_id)
    job_id = await _job_id(client, samples_dir)
    await record_calls(runtime, [_call(user_id, "cover_letter", "gpt-4.1", 10, job_id=job_id)])

    by_provider = (await client.ok(USAGE, {"groupBy": ["PROVIDER"]}))["usage"]["totals"]
    assert {t["provider"]: t["calls"] for t in by_provider} == {"OPENAI": 3, "ANTHROPIC": 1}

    by_job = (await client.ok(USAGE, {"groupBy": ["JOB"]}))["usage"]["totals"]
    assert {t["jobId"]: t["calls"] for t in by_job} == {str(job_id): 1, None: 3}

    both = (await client.ok(USAGE, {"groupBy": ["DAY", "MODEL"]}))["usage"]
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert both["groupBy"] == ["DAY", "MODEL"]
    assert {(t["day"], t["model"]): t["calls"] for t in both["totals"]} == {
        (today, "claude-sonnet-4-5"): 1,
        (today, "gpt-4.1"): 1,
        (today, "gpt-4.1-mini"): 2,
    }
    assert all(t["key"] == f"{today}|{t['model']}" for t in both["totals"])

    three = await client.run(USAGE, {"groupBy": ["DAY", "MODEL", "JOB"]})
    assert error_codes(three) == ["INVALID_INPUT"]


async def _job_id(client: GraphQLClient, samples: Path) -> uuid.UUID:
    resume_id, jd_id = await add_pair(client, samples)
    body = await tailor(client, resume_id, jd_id)
    return uuid.UUID(body["data"]["tailor"]["job"]["id"])


async def test_calls_page_backwards_with_last_and_before(
    client: GraphQLClient, runtime: Runtime, user: tuple[str, str]
) -> None:
    await record_calls(runtime, [_call(user[1], "plan", "m", n) for n in range(1, 6)])
    everything = (await client.ok(USAGE, {"groupBy": ["OPERATION"], "first": 5}))["usage"]
    cursors = [e["cursor"] for e in everything["calls"]["edges"]]
    newest_first = [e["node"]["inputTokens"] for e in everything["calls"]["edges"]]

    tail = (await client.ok(USAGE, {"groupBy": ["OPERATION"], "last": 2}))["usage"]["calls"]
    assert [e["cursor"] for e in tail["edges"]] == cursors[3:]
    assert tail["pageInfo"]["hasPreviousPage"] is True
    assert tail["pageInfo"]["startCursor"] == cursors[3]

    back = await client.ok(
        USAGE, {"groupBy": ["OPERATION"], "last": 2, "before": tail["pageInfo"]["startCursor"]}
    )
    page = back["usage"]["calls"]
    assert [e["node"]["inputTokens"] for e in page["edges"]] == newest_first[1:3]
    assert page["pageInfo"]["hasPreviousPage"] is True and page["pageInfo"]["hasNextPage"] is True
    first = await client.ok(USAGE, {"groupBy": ["OPERATION"], "last": 2, "before": cursors[1]})
    assert first["usage"]["calls"]["pageInfo"]["hasPreviousPage"] is False
    assert [e["cursor"] for e in first["usage"]["calls"]["edges"]] == cursors[:1]

    both = await client.run(USAGE, {"groupBy": ["OPERATION"], "first": 1, "last": 1})
    assert error_codes(both) == ["INVALID_INPUT"]
    bad = await client.run(USAGE, {"groupBy": ["OPERATION"], "before": "not-a-cursor"})
    assert error_codes(bad) == ["INVALID_INPUT"]


async def test_usage_by_api_key_needs_scope(client: GraphQLClient, user: tuple[str, str]) -> None:
    create = """mutation($s: [ApiScope!]!) { createApiKey(name: "partner", scopes: $s) {
      secret apiKey { scopes } } }"""
    created = (await client.ok(create, {"s": ["USAGE_READ"]}))["createApiKey"]
    assert created["apiKey"]["scopes"] == ["USAGE_READ"]
    good = created["secret"]
    bad = (await client.ok(create, {"s": ["PROFILE_READ"]}))["createApiKey"]["secret"]
    assert not (await client.run(USAGE, {"groupBy": ["DAY"]}, token=good)).get("errors")
    assert error_codes(await client.run(USAGE, {"groupBy": ["DAY"]}, token=bad)) == ["FORBIDDEN"]


async def test_usage_range_validation(client: GraphQLClient, user: tuple[str, str]) -> None:
    body = await client.run(
        'query { usage(from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { totals { key } } }'
    )
    assert error_codes(body) == ["INVALID_INPUT"]
