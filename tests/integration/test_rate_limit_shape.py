"""rateLimit reports the caller's budget like GitHub's; a refusal carries retryAfter and
Retry-After; responses of a rate-limited action carry RateLimit-* headers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.config import Settings
from tests.conftest import Servers
from tests.integration.conftest import GraphQLClient, error_codes, make_settings
from tests.integration.gql_ops import CREATE_JD, TAILOR
from tests.integration.shape_helpers import add_pair

RATE = "{ rateLimit { limit remaining used cost resetAt } }"


@pytest.fixture
def settings(servers: Servers, tmp_path: Path) -> Settings:
    return make_settings(servers, tmp_path, tailor_rate_limit_per_minute=2)


async def test_rate_limit_query_headers_and_retry_after(
    client: GraphQLClient, user: tuple[str, str], samples_dir: Path
) -> None:
    before = (await client.ok(RATE))["rateLimit"]
    assert (before["limit"], before["remaining"], before["used"], before["cost"]) == (2, 2, 0, 1)
    reset_at = dt.datetime.fromisoformat(before["resetAt"])
    assert dt.timedelta(0) < reset_at - dt.datetime.now(dt.UTC) <= dt.timedelta(seconds=60)

    resume_id, jd_id = await add_pair(client, samples_dir)
    variables = {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id}}
    first = await client.post(TAILOR, variables)
    assert not first.json().get("errors")
    assert first.headers["RateLimit-Limit"] == "2"
    assert first.headers["RateLimit-Remaining"] == "1"
    assert 1 <= int(first.headers["RateLimit-Reset"]) <= 61
    assert "Retry-After" not in first.headers

    second = await client.post(TAILOR, variables)  # counted, then the job is already active
    assert error_codes(second.json()) == ["JOB_ALREADY_ACTIVE"]
    third = await client.post(TAILOR, variables)
    body = third.json()
    assert error_codes(body) == ["RATE_LIMITED"]
    retry_after = body["errors"][0]["extensions"]["retryAfter"]
    assert isinstance(retry_after, int) and 1 <= retry_after <= 61
    assert third.headers["Retry-After"] == str(retry_after)
    assert third.headers["RateLimit-Remaining"] == "0"

    after = (await client.ok(RATE))["rateLimit"]
    assert after["remaining"] == 0 and after["used"] >= 2


async def test_uploads_report_their_shared_budget(
    client: GraphQLClient, user: tuple[str, str], samples_dir: Path
) -> None:
    text = (samples_dir / "jobs" / "data-scientist-fernway.txt").read_text()
    first = await client.post(CREATE_JD, {"input": {"text": text}})
    second = await client.post(CREATE_JD, {"input": {"text": text}})
    assert not first.json().get("errors") and not second.json().get("errors")
    assert first.headers["RateLimit-Limit"] == second.headers["RateLimit-Limit"] == "30"
    assert int(first.headers["RateLimit-Remaining"]) - 1 == int(
        second.headers["RateLimit-Remaining"]
    )
    budget = (await client.ok("{ rateLimit(action: UPLOAD) { limit remaining used } }"))[
        "rateLimit"
    ]
    assert budget["used"] == 2 and budget["remaining"] == 28
