"""Analytics events: a closed set of kinds, validated size-capped payloads, counts per kind
and day for the owner and scoped partners, server-only kinds recorded by the server."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import text

from app.runtime import Runtime
from tests.integration.apps_support import accepted_version, count_rows, new_application
from tests.integration.conftest import GraphQLClient, error_codes, sign_up

TRACK = """mutation($a: ID!, $k: AnalyticsEventKind!, $p: AnalyticsPayloadInput) {
  trackEvent(applicationId: $a, kind: $k, payload: $p) { id kind createdAt } }"""
COUNTS = """query($a: ID, $from: Date, $to: Date) {
  applicationAnalytics(applicationId: $a, from: $from, to: $to) { day kind count } }"""
SET_STATUS = """mutation($id: ID!, $s: ApplicationStatus!) {
  updateApplicationStatus(id: $id, status: $s) { status } }"""


async def _application(client: GraphQLClient, runtime: Runtime) -> str:
    made = await accepted_version(client, runtime)
    return str((await new_application(client, versionId=made.version_id))["id"])


async def test_counts_per_kind_and_day_with_server_events(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    first = await _application(client, runtime)
    made = await accepted_version(client, runtime, resume="data", posting="analytics")
    second = str((await new_application(client, versionId=made.version_id))["id"])
    for app_id, kind, payload in (
        (first, "APPLICATION_STARTED", {"source": "extension"}),
        (first, "AUTOFILL_COPIED", {"field": "email"}),
        (first, "AUTOFILL_COPIED", {"field": "links.github"}),
        (first, "AUTOFILL_COPIED", {"field": "work_history.0.title"}),
        (first, "JOB_PAGE_OPENED", {"url": "https://jobs.northwind.example/platform-42"}),
        (first, "SUBMITTED", {"channel": "web"}),
        (second, "APPLICATION_STARTED", None),
    ):
        event = (await client.ok(TRACK, {"a": app_id, "k": kind, "p": payload}))["trackEvent"]
        assert event["kind"] == kind
    await client.ok(SET_STATUS, {"id": first, "s": "APPLIED"})
    # One event from yesterday: counts are per day.
    async with runtime.db() as session, session.begin():
        await session.execute(
            text(
                "UPDATE analytics_events SET created_at = now() - interval '1 day' "
                "WHERE id = (SELECT min(id) FROM analytics_events WHERE kind = 'submitted')"
            )
        )
    today = dt.datetime.now(dt.UTC).date()
    rows = (await client.ok(COUNTS, {"a": first}))["applicationAnalytics"]
    counted = {(r["day"], r["kind"]): r["count"] for r in rows}
    assert counted == {
        (str(today), "APPLICATION_STARTED"): 1,
        (str(today), "AUTOFILL_COPIED"): 3,
        (str(today), "JOB_PAGE_OPENED"): 1,
        (str(today), "STATUS_CHANGED"): 1,
        (str(today - dt.timedelta(days=1)), "SUBMITTED"): 1,
    }
    everything = (await client.ok(COUNTS, {}))["applicationAnalytics"]
    started = [r["count"] for r in everything if r["kind"] == "APPLICATION_STARTED"]
    assert started == [2]
    only_today = await client.ok(COUNTS, {"from": str(today), "to": str(today)})
    assert "SUBMITTED" not in [r["kind"] for r in only_today["applicationAnalytics"]]


@pytest.mark.parametrize(
    ("kind", "payload", "code"),
    [
        ("APPLY_EMAIL_SENT", None, "INVALID_INPUT"),
        ("STATUS_CHANGED", None, "INVALID_INPUT"),
        ("AUTOFILL_COPIED", None, "INVALID_INPUT"),
        ("AUTOFILL_COPIED", {"field": "../../etc"}, "INVALID_INPUT"),
        ("AUTOFILL_COPIED", {"field": "email", "url": "https://x.example"}, "INVALID_INPUT"),
        ("JOB_PAGE_OPENED", {"url": "javascript:alert(1)"}, "INVALID_INPUT"),
        ("SUBMITTED", {"channel": "fax"}, "INVALID_INPUT"),
        ("APPLICATION_STARTED", {"source": "x" * 3000}, "INVALID_INPUT"),
        (
            "JOB_PAGE_OPENED",
            {"url": "https://x.example/" + "a" * 1980, "source": "s" * 100},
            "SIZE_EXCEEDED",
        ),
    ],
)
async def test_invalid_payloads_store_nothing(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    kind: str,
    payload: Any,
    code: str,
) -> None:
    app_id = await _application(client, runtime)
    body = await client.run(TRACK, {"a": app_id, "k": kind, "p": payload})
    assert error_codes(body) == [code]
    assert await count_rows(runtime, "analytics_events") == 0


async def test_unknown_kind_is_a_validation_error(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    app_id = await _application(client, runtime)
    body = await client.run(TRACK, {"a": app_id, "k": "PAGE_SCROLLED", "p": None})
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_partners_read_counts_with_the_scope_only(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    app_id = await _application(client, runtime)
    await client.ok(TRACK, {"a": app_id, "k": "SUBMITTED", "p": {"channel": "email"}})
    create = 'mutation($s: [ApiScope!]!) { createApiKey(name: "bi", scopes: $s) { secret } }'
    scoped = (await client.ok(create, {"s": ["APPLICATIONS_READ"]}))["createApiKey"]["secret"]
    other = (await client.ok(create, {"s": ["USAGE_READ"]}))["createApiKey"]["secret"]
    rows = (await client.ok(COUNTS, {}, token=scoped))["applicationAnalytics"]
    assert [(r["kind"], r["count"]) for r in rows] == [("SUBMITTED", 1)]
    assert error_codes(await client.run(COUNTS, {}, token=other)) == ["FORBIDDEN"]
    assert error_codes(
        await client.run(TRACK, {"a": app_id, "k": "SUBMITTED", "p": None}, token=scoped)
    ) == ["FORBIDDEN"]
    stranger, _ = await sign_up(client)
    assert error_codes(
        await client.run(TRACK, {"a": app_id, "k": "SUBMITTED", "p": None}, token=stranger)
    ) == ["NOT_FOUND"]
    assert (await client.ok(COUNTS, {}, token=stranger))["applicationAnalytics"] == []
    assert error_codes(await client.run(COUNTS, {"a": str(uuid.uuid4())})) == ["NOT_FOUND"]
