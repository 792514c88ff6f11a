"""The validation cache: a document is validated once while its rules stay the same (the
limit rules are one class per limit, not one per operation), and a refusal for lack of
time is never kept."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import strawberry
from graphql import ValidationContext
from graphql.validation import ASTValidationRule
from strawberry.extensions import ParserCache, SchemaExtension

from graphql_schema.limits import DocumentLimits, ValidationTimedOut, deadline_rule, shape_rule
from graphql_schema.validation_cache import DocumentValidationCache

runs: list[str] = []
time_out_next: list[bool] = []


class CountingRule(ASTValidationRule):
    """Notes each validation run; runs out of time when told to."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        runs.append("validated")
        if time_out_next and time_out_next.pop():
            raise ValidationTimedOut("validating the document took too long")


class AddRule(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (CountingRule, *context.validation_rules)
        yield


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "hello"


schema = strawberry.Schema(
    query=Query,
    extensions=[AddRule, partial(ParserCache, maxsize=16), DocumentValidationCache],
)


def _codes(result: Any) -> list[str]:
    return [e.extensions["code"] for e in result.errors or []]


def test_a_document_is_validated_once() -> None:
    runs.clear()
    for _ in range(3):
        assert schema.execute_sync("{ hello }").data == {"hello": "hello"}
    assert runs == ["validated"]


def test_a_timed_out_validation_is_not_kept() -> None:
    runs.clear()
    time_out_next[:] = [True]
    refused = schema.execute_sync("{ hello hello: hello }")
    assert refused.data is None and _codes(refused) == ["QUERY_TOO_COMPLEX"]
    assert schema.execute_sync("{ hello hello: hello }").data == {"hello": "hello"}
    assert schema.execute_sync("{ hello hello: hello }").data == {"hello": "hello"}
    assert runs == ["validated", "validated"]  # refused, validated again, then cached


def test_limit_rules_are_one_class_per_limit() -> None:
    limits = DocumentLimits(10_000, 10, 100, 10, 10, 1.0)
    assert shape_rule(limits) is shape_rule(DocumentLimits(10_000, 10, 100, 10, 10, 1.0))
    assert deadline_rule(1.0) is deadline_rule(1.0)
    assert shape_rule(limits) is not shape_rule(DocumentLimits(10_000, 11, 100, 10, 10, 1.0))
