"""GraphQL types for AI usage reports and the caller's rate limit."""

from __future__ import annotations

import datetime as dt
import decimal

import strawberry

from app.db.models import ApiUsage
from app.services.usage import UsageAggregate, UsageGroupBy
from graphql_schema.types.enums import parse
from graphql_schema.types.value_sets import AiProvider, UsageOperation, UsageOutcome


@strawberry.type(description="One AI call (retries and failures are calls too).")
class UsageCall:
    id: strawberry.ID = strawberry.field(description="Usage row id.")
    job_id: strawberry.ID | None = strawberry.field(description="The job it served.")
    operation: UsageOperation = strawberry.field(description="What the call was for.")
    provider: AiProvider = strawberry.field(description="Who answered (or failed to).")
    model: str = strawberry.field(description="Model name as the provider reported it.")
    provider_request_id: str | None = strawberry.field(
        description="The provider's own id of the request, to quote in support tickets."
    )
    input_tokens: int = strawberry.field(description="Prompt tokens.")
    output_tokens: int = strawberry.field(description="Completion tokens.")
    latency_ms: int = strawberry.field(description="Wall-clock time of the call.")
    cost_usd: decimal.Decimal = strawberry.field(description="Estimated cost in USD.")
    outcome: UsageOutcome = strawberry.field(description="How the call ended.")
    created_at: dt.datetime = strawberry.field(description="When the call was made.")

    @classmethod
    def from_row(cls, row: ApiUsage) -> UsageCall:
        return cls(
            id=strawberry.ID(str(row.id)),
            job_id=strawberry.ID(str(row.job_id)) if row.job_id else None,
            operation=parse(UsageOperation, row.operation, UsageOperation.OTHER),
            provider=parse(AiProvider, row.provider, AiProvider.OTHER),
            model=row.model,
            provider_request_id=row.provider_request_id,
            input_tokens=row.input_tokens,
            output_tokens=row.output_tokens,
            latency_ms=row.latency_ms,
            cost_usd=row.cost_usd,
            outcome=parse(UsageOutcome, row.outcome, UsageOutcome.ERROR),
            created_at=row.created_at,
        )


@strawberry.type(
    description="Sums for one group. The grouping keys asked for are set, the others null."
)
class UsageTotal:
    key: str = strawberry.field(
        description="The group's values joined by '|' in groupBy order (e.g. '2026-11-30|gpt-4.1')."
    )
    operation: UsageOperation | None = strawberry.field(description="Operation, if grouped by.")
    model: str | None = strawberry.field(description="Model, if grouped by MODEL.")
    provider: AiProvider | None = strawberry.field(description="Provider, if grouped by.")
    job_id: strawberry.ID | None = strawberry.field(
        description="Job, if grouped by JOB (null also for calls that served no job)."
    )
    day: dt.date | None = strawberry.field(description="UTC day, if grouped by DAY.")
    calls: int = strawberry.field(description="Number of AI calls.")
    input_tokens: int = strawberry.field(description="Prompt tokens.")
    output_tokens: int = strawberry.field(description="Completion tokens.")
    cost_usd: decimal.Decimal = strawberry.field(description="Estimated cost in USD.")

    @classmethod
    def from_aggregate(cls, agg: UsageAggregate) -> UsageTotal:
        keys = agg.keys
        operation = keys.get(UsageGroupBy.OPERATION)
        provider = keys.get(UsageGroupBy.PROVIDER)
        job = keys.get(UsageGroupBy.JOB)
        day = keys.get(UsageGroupBy.DAY)
        return cls(
            key=agg.key,
            operation=parse(UsageOperation, operation, UsageOperation.OTHER) if operation else None,
            model=keys.get(UsageGroupBy.MODEL),
            provider=parse(AiProvider, provider, AiProvider.OTHER) if provider else None,
            job_id=strawberry.ID(job) if job else None,
            day=dt.date.fromisoformat(day) if day else None,
            calls=agg.calls,
            input_tokens=agg.input_tokens,
            output_tokens=agg.output_tokens,
            cost_usd=agg.cost_usd,
        )


@strawberry.type(description="The caller's budget of a rate-limited action (like GitHub's).")
class RateLimit:
    limit: int = strawberry.field(description="Uses allowed per window (0: unlimited).")
    remaining: int = strawberry.field(description="Uses left in the current window.")
    reset_at: dt.datetime = strawberry.field(description="When the current window ends.")
    cost: int = strawberry.field(description="What one use costs against the limit.")
    used: int = strawberry.field(description="Uses counted in the current window.")
