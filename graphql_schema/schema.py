"""The Strawberry schema: every query, mutation and subscription, plus hygiene extensions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from app.config import Settings
from graphql_schema.errors import CodedErrors
from graphql_schema.loaders import LoadersPerOperation
from graphql_schema.resolvers.accounts import AccountMutations, AccountQueries
from graphql_schema.resolvers.documents import DocumentMutations, DocumentQueries
from graphql_schema.resolvers.jobs import JobMutations, JobQueries, JobSubscriptions
from graphql_schema.resolvers.usage import UsageQueries
from graphql_schema.resolvers.versions import VersionMutations, VersionQueries

Query = merge_types(
    "Query", (AccountQueries, DocumentQueries, JobQueries, UsageQueries, VersionQueries)
)
Mutation = merge_types(
    "Mutation", (AccountMutations, DocumentMutations, JobMutations, VersionMutations)
)
Subscription = merge_types("Subscription", (JobSubscriptions,))


class TailorSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # CodedErrors logs what is unexpected, once, with the request id; expected domain
        # errors (wrong password, NOT_FOUND) are not worth a traceback in the logs.
        return None


def build_schema(settings: Settings) -> strawberry.Schema:
    # Extensions go in as classes/factories so each operation gets fresh instances.
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        CodedErrors,
        LoadersPerOperation,
        partial(MaxTokensLimiter, max_token_count=settings.query_max_tokens),
        partial(QueryDepthLimiter, max_depth=settings.query_max_depth),
        partial(MaxAliasesLimiter, max_alias_count=settings.query_max_aliases),
        partial(ParserCache, maxsize=512),
        partial(ValidationCache, maxsize=512),
    ]
    return TailorSchema(
        query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions
    )
