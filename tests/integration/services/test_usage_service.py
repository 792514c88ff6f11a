"""usage in the caller's transaction: what one session recorded it already sums; a
rolled-back recording leaves nothing; totals are per user."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import ApiUsage, TailoringJob
from app.db.unit_of_work import reading, transaction
from app.runtime import Runtime
from app.services import usage
from app.services.usage import UsageCall, UsageGroupBy
from tests.integration.services.conftest import add_inputs, count, request_job


def _call(user_id: uuid.UUID, operation: str, model: str, tokens: int) -> UsageCall:
    return UsageCall(
        user_id=user_id,
        job_id=None,
        operation=operation,
        provider="openai",
        model=model,
        input_tokens=tokens,
        output_tokens=tokens // 2,
        latency_ms=100,
        cost_usd=decimal.Decimal("0.002"),
        outcome="ok",
    )


def _range() -> tuple[dt.datetime, dt.datetime]:
    now = dt.datetime.now(dt.UTC)
    return usage.check_range(now - dt.timedelta(hours=1), now + dt.timedelta(hours=1))


async def test_recorded_calls_sum_per_user_and_group_in_the_same_transaction(
    runtime: Runtime, session: AsyncSession, samples_dir: Path
) -> None:
    mine = (await add_inputs(runtime, samples_dir)).user_id
    theirs = (await add_inputs(runtime, samples_dir)).user_id
    await usage.record_calls(
        session,
        [
            _call(mine, "plan", "m-1", 100),
            _call(mine, "draft", "m-1", 300),
            _call(mine, "draft", "m-2", 200),
            _call(theirs, "plan", "m-1", 9999),
        ],
    )
    start, end = _range()
    total = await usage.grand_total(session, mine, start, end)
    assert (total.calls, total.input_tokens, total.output_tokens) == (3, 600, 300)
    assert total.cost_usd == decimal.Decimal("0.006")
    by_operation = await usage.aggregate(session, mine, start, end, [UsageGroupBy.OPERATION])
    assert {a.key: a.input_tokens for a in by_operation} == {"draft": 500, "plan": 100}
    by_two = await usage.aggregate(
        session, mine, start, end, [UsageGroupBy.OPERATION, UsageGroupBy.MODEL]
    )
    assert [(a.key, a.calls) for a in by_two] == [
        ("draft|m-1", 1),
        ("draft|m-2", 1),
        ("plan|m-1", 1),
    ]


async def test_a_rolled_back_recording_leaves_nothing(runtime: Runtime, samples_dir: Path) -> None:
    inputs = await add_inputs(runtime, samples_dir)
    job_id = await request_job(runtime, inputs)
    with pytest.raises(RuntimeError):
        async with transaction(runtime.db) as session:
            await usage.record_calls(session, [_call(inputs.user_id, "plan", "m-1", 10)])
            await usage.record_model_used(session, job_id, "openai", "m-1")
            raise RuntimeError("rolled back")
    assert await count(runtime, ApiUsage) == 0
    async with reading(runtime.db) as session:
        job = await session.get(TailoringJob, job_id)
        assert job is not None and job.model_used is None
    async with transaction(runtime.db) as session:
        await usage.record_model_used(session, job_id, "openai", "m" * 300)
    async with reading(runtime.db) as session:
        job = await session.get(TailoringJob, job_id)
        assert job is not None and job.provider_used == "openai" and job.model_used == "m" * 100
