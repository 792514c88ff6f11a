"""The Strawberry schema: every query, mutation and subscription, plus hygiene extensions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
)
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from app.config import Environment, Settings
from graphql_schema.errors import CodedErrors
from graphql_schema.fanout import FanoutExecutionContext
from graphql_schema.input_validation import InputStrings
from graphql_schema.limits import DocumentGuard, DocumentLimits
from graphql_schema.loaders import LoadersPerOperation
from graphql_schema.permissions import ScopeGuard
from graphql_schema.rate_headers import RateLimitHeaders
from graphql_schema.resolvers.account_data import AccountDataMutations, AccountDataQueries
from graphql_schema.resolvers.accounts import AccountMutations, AccountQueries
from graphql_schema.resolvers.applications import (
    ApplicationMutations,
    ApplicationQueries,
    ApplicationSubscriptions,
)
from graphql_schema.resolvers.documents import DocumentMutations, DocumentQueries
from graphql_schema.resolvers.jobs import JobMutations, JobQueries, JobSubscriptions
from graphql_schema.resolvers.usage import UsageQueries
from graphql_schema.resolvers.versions import (
    VersionMutations,
    VersionQueries,
    VersionSubscriptions,
)
from graphql_schema.types.errors import ErrorCode
from graphql_schema.validation_cache import DocumentValidationCache

Query = merge_types(
    "Query",
    (
        AccountQueries,
        DocumentQueries,
        JobQueries,
        UsageQueries,
        VersionQueries,
        ApplicationQueries,
        AccountDataQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AccountMutations,
        DocumentMutations,
        JobMutations,
        VersionMutations,
        ApplicationMutations,
        AccountDataMutations,
    ),
)
Subscription = merge_types(
    "Subscription", (JobSubscriptions, VersionSubscriptions, ApplicationSubscriptions)
)

# merge_types takes no description; the root types are described like every other type.
for _root, _about in (
    (Query, "Reads: the caller's account, documents, jobs, versions, usage and limits."),
    (Mutation, "Writes: sign-up and sign-in, uploads, tailoring, accepting and exporting."),
    (Subscription, "Live updates over WebSocket (graphql-transport-ws or graphql-ws)."),
):
    _root.__strawberry_definition__.description = _about  # type: ignore[attr-defined]


class TailorSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # CodedErrors logs what is unexpected, once, with the request id; expected domain
        # errors (wrong password, NOT_FOUND) are not worth a traceback in the logs.
        return None


def build_schema(settings: Settings) -> strawberry.Schema:
    production = settings.env is Environment.PRODUCTION
    # Extensions go in as classes/factories so each operation gets fresh instances.
    # DocumentGuard comes before ParserCache: a document is measured before it is parsed.
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        CodedErrors,
        RateLimitHeaders,
        partial(DocumentGuard, document_limits(settings), hide_suggestions=production),
        LoadersPerOperation,
        InputStrings,
        ScopeGuard,
        partial(MaxTokensLimiter, max_token_count=settings.query_max_tokens),
        partial(ParserCache, maxsize=512),
        # Not Strawberry's ValidationCache: ours never keeps a refusal for lack of time.
        partial(DocumentValidationCache, maxsize=512),
    ]
    if production:
        extensions.append(DisableIntrospection)
    return TailorSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # Not reachable from a field: listed so the error-code registry is in the SDL.
        types=[ErrorCode],
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production),
        # Identical subscribers share one execution per event (graphql_schema/fanout.py).
        execution_context_class=FanoutExecutionContext,
    )


def document_limits(settings: Settings) -> DocumentLimits:
    return DocumentLimits(
        max_chars=settings.query_max_chars,
        max_depth=settings.query_max_depth,
        max_fields=settings.query_max_fields,
        max_fragment_spreads=settings.query_max_fragment_spreads,
        # Counted here, memoised, not by Strawberry's MaxAliasesLimiter: that one expands
        # every fragment spread and hangs on fan-out documents.
        max_aliases=settings.query_max_aliases,
        validation_budget_s=settings.query_validation_budget_ms / 1000,
    )
