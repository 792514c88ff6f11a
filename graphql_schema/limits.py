"""Bounds every GraphQL document before it can cost real CPU, on every entry point.

HTTP (GET, POST, multipart) and both WebSocket protocols all go through the schema, so the
checks live in a schema extension:

- the document's length is capped before the lexer sees it (comments and whitespace are
  lexed too, and are not counted by the token limit);
- fragment spreads per document are capped;
- depth and expanded field count are computed once per fragment (memoised), so a chain of
  fragments that each spread the next twice costs linear time to measure instead of
  exponential time to walk; a document whose expansion exceeds the field budget is refused;
- validation runs against a time budget and is aborted when it runs out.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from graphql import GraphQLError
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    Visitor,
    visit,
)
from graphql.validation import ASTValidationRule, ValidationContext
from graphql.validation.validate import ValidationAbortedError
from strawberry.extensions import SchemaExtension

from app.errors import ErrorCode

TOO_COMPLEX = ErrorCode.QUERY_TOO_COMPLEX
# Depth and alias limits keep the code they always had.
VALIDATION_FAILED = ErrorCode.GRAPHQL_VALIDATION_FAILED
SIZE_EXCEEDED = ErrorCode.SIZE_EXCEEDED
# Checking the clock on every node would cost more than it saves.
_CLOCK_EVERY_NODES = 64
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


@dataclass(frozen=True)
class DocumentLimits:
    max_chars: int
    max_depth: int
    max_fields: int
    max_fragment_spreads: int
    max_aliases: int
    validation_budget_s: float


class QueryTooComplex(ValidationAbortedError):
    """Raised from inside validation: graphql-core stops and reports it as the last error."""

    def __init__(self, message: str, code: str = TOO_COMPLEX) -> None:
        super().__init__(message, extensions={"code": code})


@dataclass(frozen=True)
class Measure:
    depth: int
    fields: int
    aliases: int = 0


_EMPTY = Measure(0, 0, 0)


class _FragmentMeter:
    """Depth and expanded field count of selection sets, each fragment measured once."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode], max_fields: int) -> None:
        self._fragments = fragments
        self._max_fields = max_fields
        self._memo: dict[str, Measure] = {}
        self._in_progress: set[str] = set()

    def fragment(self, name: str) -> Measure:
        if name in self._memo:
            return self._memo[name]
        definition = self._fragments.get(name)
        if definition is None or name in self._in_progress:
            # Unknown fragments and cycles are reported by the specified rules.
            return _EMPTY
        self._in_progress.add(name)
        try:
            measure = self.selection_set(definition.selection_set)
        finally:
            self._in_progress.discard(name)
        self._memo[name] = measure
        return measure

    def selection_set(self, selection_set: SelectionSetNode | None) -> Measure:
        if selection_set is None:
            return _EMPTY
        depth = fields = aliases = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                inner = self.selection_set(selection.selection_set)
                fields += 1 + inner.fields
                aliases += inner.aliases + (1 if selection.alias else 0)
                # Introspection subtrees are exempt from depth (as graphql-depth-limit
                # does), so GraphiQL's schema query passes; they still count as fields.
                if not selection.name.value.startswith("__"):
                    depth = max(depth, 1 + inner.depth)
            else:
                inner = (
                    self.fragment(selection.name.value)
                    if isinstance(selection, FragmentSpreadNode)
                    else self.selection_set(cast(InlineFragmentNode, selection).selection_set)
                )
                fields += inner.fields
                aliases += inner.aliases
                depth = max(depth, inner.depth)
            if fields > self._max_fields:
                # Stop counting: the number can grow exponentially and is already too big.
                break
        return Measure(depth, fields, aliases)


class _SpreadCounter(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def enter_fragment_spread(self, *_args: Any) -> None:
        self.count += 1


def check_document_shape(document: DocumentNode, limits: DocumentLimits) -> None:
    """Raise QueryTooComplex when the document is too deep, too wide or too spread."""
    counter = _SpreadCounter()
    visit(document, counter)
    if counter.count > limits.max_fragment_spreads:
        raise QueryTooComplex(
            f"the document has {counter.count} fragment spreads; "
            f"the limit is {limits.max_fragment_spreads}"
        )
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    meter = _FragmentMeter(fragments, limits.max_fields)
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        measure = meter.selection_set(definition.selection_set)
        if measure.fields > limits.max_fields:
            raise QueryTooComplex(
                f"the operation selects more than {limits.max_fields} fields "
                "once its fragments are expanded"
            )
        if measure.aliases > limits.max_aliases:
            raise QueryTooComplex(
                f"the operation uses more than {limits.max_aliases} aliases "
                "once its fragments are expanded",
                VALIDATION_FAILED,
            )
        # graphql-depth-limit counts levels below the root fields: `{ me { id } }` is 1.
        if measure.depth - 1 > limits.max_depth:
            raise QueryTooComplex(
                f"the operation exceeds the maximum query depth of {limits.max_depth}",
                VALIDATION_FAILED,
            )


class ValidationTimedOut(QueryTooComplex):
    """The validation budget ran out: a verdict on this moment's load as much as on the
    document, so it is never cached (graphql_schema/validation_cache.py)."""


# One class per limit (cached): the validation cache keys on the rules, so a new class per
# operation would make every operation miss it and validate again.
@functools.cache
def shape_rule(limits: DocumentLimits) -> type[ASTValidationRule]:
    """A validation rule that measures the whole document when validation starts."""

    class DocumentShapeRule(ASTValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> None:
            # Raised inside the visit, where graphql-core turns it into the last error (a
            # raise from __init__ would escape validation and kill a WebSocket operation).
            check_document_shape(node, limits)

    return DocumentShapeRule


@functools.cache
def deadline_rule(budget_s: float) -> type[ASTValidationRule]:
    """A validation rule that aborts validation once it has used `budget_s` of CPU.

    Measured in the thread's CPU time, not wall time: validation is synchronous on one
    thread, so its CPU time is the work the document costs, while wall time also counts
    the moments a busy host did not schedule the process (which refused ordinary queries).
    """

    class ValidationDeadlineRule(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._deadline = time.thread_time() + budget_s
            self._nodes = 0

        def enter(self, _node: Node, *_args: Any) -> None:
            self._nodes += 1
            if self._nodes % _CLOCK_EVERY_NODES == 0 and time.thread_time() > self._deadline:
                raise ValidationTimedOut("validating the document took too long")

    return ValidationDeadlineRule


class DocumentGuard(SchemaExtension):
    """Pass as a factory (partial) placed before ParserCache: its on_parse runs first."""

    def __init__(self, limits: DocumentLimits, *, hide_suggestions: bool = False) -> None:
        self._limits = limits
        self._hide_suggestions = hide_suggestions

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        # First in line, so nothing else walks the document before it is measured.
        context.validation_rules = (
            shape_rule(self._limits),
            deadline_rule(self._limits.validation_budget_s),
            *context.validation_rules,
        )
        yield
        if self._hide_suggestions:
            # Production: "Did you mean 'password'?" maps the schema for whoever asks.
            for error in getattr(context.result, "errors", None) or ():
                error.message = _SUGGESTION.sub("", error.message)

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query
        if query is not None and len(query) > self._limits.max_chars:
            raise GraphQLError(
                f"the GraphQL document is {len(query)} characters long; "
                f"the limit is {self._limits.max_chars}",
                extensions={"code": SIZE_EXCEEDED},
            )
        yield
