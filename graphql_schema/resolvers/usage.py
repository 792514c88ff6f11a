"""The `usage` query (per-call log as a Relay connection, grouped and grand totals) and
`rateLimit` (the caller's budget of a rate-limited action, in GitHub's manner)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.auth.api_keys import Scope
from app.db.unit_of_work import reading
from app.runtime import Runtime
from app.services import gates
from app.services import usage as usage_service
from app.services.usage import UsageGroupBy
from graphql_schema.context import Context
from graphql_schema.pagination import After, Before, Connection, First, Last, PageArgs, paged
from graphql_schema.permissions import caller, scoped, signed_in
from graphql_schema.rate_headers import set_rate_headers
from graphql_schema.types.usage import RateLimit, UsageCall, UsageTotal
from graphql_schema.types.value_sets import RateLimitedAction


@strawberry.type(description="AI usage over a time range.")
class UsageReport:
    start: dt.datetime = strawberry.field(description="Range start (inclusive).")
    end: dt.datetime = strawberry.field(description="Range end (exclusive).")
    group_by: list[UsageGroupBy] = strawberry.field(description="How totals are grouped.")
    totals: list[UsageTotal] = strawberry.field(
        description="Sums per group (per combination of the groupBy keys), in key order."
    )
    grand_total: UsageTotal = strawberry.field(
        description="Sums over the whole range (independent of paging and grouping)."
    )
    calls: Connection[UsageCall] = strawberry.field(
        description="The calls, newest first; totalCount counts the whole range."
    )


def _limit_of(runtime: Runtime, action: RateLimitedAction) -> int:
    settings = runtime.settings
    if action is RateLimitedAction.UPLOAD:
        return settings.upload_rate_limit_per_minute
    return settings.tailor_rate_limit_per_minute


async def rate_limit_status(runtime: Runtime, action: RateLimitedAction, subject: str) -> RateLimit:
    limit = _limit_of(runtime, action)
    used, reset_at = await gates.window_use(runtime, action.value, subject)
    return RateLimit(
        limit=max(limit, 0),
        remaining=max(limit - used, 0) if limit > 0 else 0,
        reset_at=dt.datetime.fromtimestamp(reset_at, dt.UTC),
        cost=1,
        used=used,
    )


@strawberry.type
class UsageQueries:
    @strawberry.field(
        extensions=scoped(Scope.USAGE_READ),
        description="The caller's AI usage: every call, totals grouped by one or two keys "
        "(e.g. [DAY, MODEL]) and a grand total. API keys need the 'usage:read' scope.",
    )
    async def usage(
        self,
        info: Info[Context, None],
        from_: Annotated[
            dt.datetime | None,
            strawberry.argument(
                name="from", description="Range start, with a time zone (default: to - 30 days)."
            ),
        ] = None,
        to: Annotated[
            dt.datetime | None,
            strawberry.argument(description="Range end, exclusive (default: now). At most a year."),
        ] = None,
        group_by: Annotated[
            list[UsageGroupBy],
            strawberry.argument(description="One or two keys to group totals by."),
        ] = [UsageGroupBy.OPERATION],  # noqa: B006 - strawberry copies defaults
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> UsageReport:
        principal = caller(info)
        runtime = info.context.runtime
        start, end = usage_service.check_range(from_, to)
        keys = usage_service.check_group_by(group_by)
        listing = usage_service.list_calls(runtime, principal.user_id, start, end)
        args = PageArgs(first, after, last, before)
        calls = await paged(listing, UsageCall.from_row, args, default=50)
        async with reading(runtime.db) as session:
            totals = await usage_service.aggregate(session, principal.user_id, start, end, keys)
            grand = await usage_service.grand_total(session, principal.user_id, start, end)
        return UsageReport(
            start=start,
            end=end,
            group_by=keys,
            totals=[UsageTotal.from_aggregate(t) for t in totals],
            grand_total=UsageTotal.from_aggregate(grand),
            calls=calls,
        )

    @strawberry.field(
        extensions=signed_in(),
        description="The caller's budget of a rate-limited action in the current window. "
        "Reading it costs nothing. A refused request carries extensions.retryAfter and the "
        "Retry-After header.",
    )
    async def rate_limit(
        self,
        info: Info[Context, None],
        action: Annotated[
            RateLimitedAction, strawberry.argument(description="Which action's budget.")
        ] = RateLimitedAction.TAILOR,
    ) -> RateLimit:
        principal = caller(info)
        status = await rate_limit_status(info.context.runtime, action, str(principal.user_id))
        set_rate_headers(info.context, status)
        return status
