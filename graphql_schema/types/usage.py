"""GraphQL types for AI usage reports."""

from __future__ import annotations

import datetime as dt
import decimal

import strawberry

from app.db.models import ApiUsage
from app.services.usage import UsageAggregate, UsageGroupBy

strawberry.enum(UsageGroupBy, name="UsageGroupBy", description="How to group usage totals.")


@strawberry.type(description="One AI call.")
class UsageCall:
    id: strawberry.ID = strawberry.field(description="Usage row id.")
    job_id: strawberry.ID | None = strawberry.field(description="The job it served.")
    operation: str = strawberry.field(description="plan, draft or cover_letter.")
    provider: str = strawberry.field(description="openai, anthropic, compatible ...")
    model: str = strawberry.field(description="Model name.")
    input_tokens: int = strawberry.field(description="Prompt tokens.")
    output_tokens: int = strawberry.field(description="Completion tokens.")
    latency_ms: int = strawberry.field(description="Wall-clock time of the call.")
    cost_usd: decimal.Decimal = strawberry.field(description="Estimated cost in USD.")
    outcome: str = strawberry.field(description="ok, retry, error or invalid_output.")
    created_at: dt.datetime = strawberry.field(description="When the call was made.")

    @classmethod
    def from_row(cls, row: ApiUsage) -> UsageCall:
        return cls(
            id=strawberry.ID(str(row.id)),
            job_id=strawberry.ID(str(row.job_id)) if row.job_id else None,
            operation=row.operation,
            provider=row.provider,
            model=row.model,
            input_tokens=row.input_tokens,
            output_tokens=row.output_tokens,
            latency_ms=row.latency_ms,
            cost_usd=row.cost_usd,
            outcome=row.outcome,
            created_at=row.created_at,
        )


@strawberry.type(description="Totals for one group (an operation, a model or a day).")
class UsageTotal:
    key: str = strawberry.field(description="The operation, model, or day (YYYY-MM-DD).")
    calls: int = strawberry.field(description="Number of AI calls.")
    input_tokens: int = strawberry.field(description="Prompt tokens.")
    output_tokens: int = strawberry.field(description="Completion tokens.")
    cost_usd: decimal.Decimal = strawberry.field(description="Estimated cost in USD.")

    @classmethod
    def from_aggregate(cls, agg: UsageAggregate) -> UsageTotal:
        return cls(
            key=agg.key,
            calls=agg.calls,
            input_tokens=agg.input_tokens,
            output_tokens=agg.output_tokens,
            cost_usd=agg.cost_usd,
        )
