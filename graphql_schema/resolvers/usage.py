"""The `usage` query: per-call log (Relay connection) and grouped totals."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.auth.api_keys import Scope
from app.services import usage as usage_service
from app.services.usage import UsageGroupBy
from graphql_schema.context import Context
from graphql_schema.pagination import Connection, build_connection, page_request
from graphql_schema.types.usage import UsageCall, UsageTotal


@strawberry.type(description="AI usage over a time range.")
class UsageReport:
    start: dt.datetime = strawberry.field(description="Range start (inclusive).")
    end: dt.datetime = strawberry.field(description="Range end (exclusive).")
    group_by: UsageGroupBy = strawberry.field(description="How totals are grouped.")
    totals: list[UsageTotal] = strawberry.field(description="Grouped totals.")
    calls: Connection[UsageCall] = strawberry.field(description="The calls, newest first.")


@strawberry.type
class UsageQueries:
    @strawberry.field(
        description="The caller's AI usage: every call and totals grouped by operation, model "
        "or day. API keys need the 'usage:read' scope."
    )
    async def usage(
        self,
        info: Info[Context, None],
        from_: Annotated[dt.datetime | None, strawberry.argument(name="from")] = None,
        to: dt.datetime | None = None,
        group_by: UsageGroupBy = UsageGroupBy.OPERATION,
        first: int | None = 50,
        after: str | None = None,
    ) -> UsageReport:
        principal = info.context.require_principal()
        principal.require_scope(Scope.USAGE_READ)
        runtime = info.context.runtime
        start, end = usage_service.check_range(from_, to)
        page = page_request(first, after)
        rows = await usage_service.list_calls(
            runtime,
            principal.user_id,
            start,
            end,
            limit=page.limit,
            after=page.after,
        )
        totals = await usage_service.aggregate(runtime, principal.user_id, start, end, group_by)
        return UsageReport(
            start=start,
            end=end,
            group_by=group_by,
            totals=[UsageTotal.from_aggregate(t) for t in totals],
            calls=build_connection(rows, page.size, UsageCall.from_row),
        )
