"""A live event of a flat subscription, projected without graphql-core's executor.

`jobProgress(jobId: $id) { seq status createdAt }` selects plain attributes of the event.
graphql-core still executes it as a tree for every event: it collects the root field
again, coerces its arguments, builds a resolve info and runs every resolve hook
(`ScopeGuard`, `InputStrings`) for each field, about 0.17 ms of API CPU per event, more
than the rest of a live delivery.

`projection_for` looks at a subscription's selection once. When every selected field of
the event type is a plain Strawberry attribute (no resolver, no arguments, no field
extensions, a scalar or enum type) or `__typename`, the result of an event is a dict
built from the payload's attributes, each coerced by its GraphQL type exactly as
graphql-core's `complete_leaf_value` coerces it. Fragments, aliases and `@skip`/`@include`
are settled by graphql-core's own field collection, with the subscription's variables.

What is skipped per event, and why that is safe:
* the root field's resolver: Strawberry's subscription fields hand the event through;
* the schema's resolve hooks: allowed only when each one declares (`LeafInert`) that it
  passes argument-less fields of its kind through untouched and that its verdict on the
  root field depends only on the caller and the arguments, which do not change during a
  subscription. The subscription's first event runs in full (fanout.py), so a refusal
  (an API key without the scope) is given by that event, the ordinary way.

A value graphql-core would turn into an error (null in a non-null field, a value the
scalar refuses) makes `data` return None: that event then runs through graphql-core and
gets its coded error as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    OperationType,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, collect_fields
from graphql.pyutils import Undefined
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

_TYPENAME = "__typename"


@runtime_checkable
class LeafInert(Protocol):
    """A schema extension's resolve hook that a projection may skip (see the module doc)."""

    def passes_leaf(self, field: GraphQLField) -> bool:
        """True when the hook does nothing for this argument-less scalar or enum field."""
        ...


@dataclass(frozen=True)
class Leaf:
    key: str  # the response key (the alias, if any)
    field: StrawberryField | None  # None: __typename
    type_: GraphQLLeafType | None
    non_null: bool


@dataclass(frozen=True)
class Projection:
    root_key: str
    typename: str
    leaves: tuple[Leaf, ...]

    def data(self, payload: Any) -> dict[str, Any] | None:
        """The event's `data`, or None if graphql-core must produce it (an error)."""
        if payload is None:
            return None
        out: dict[str, Any] = {}
        for leaf in self.leaves:
            if leaf.field is None or leaf.type_ is None:
                out[leaf.key] = self.typename
                continue
            value = leaf.field.get_result(payload, info=None, args=[], kwargs={})
            if value is None:
                if leaf.non_null:
                    return None
                out[leaf.key] = None
                continue
            try:
                coerced = leaf.type_.coerce_output_value(value)
            except Exception:  # the full execution reports it, with its code
                return None
            if coerced is None or coerced is Undefined:
                return None
            out[leaf.key] = coerced
        return {self.root_key: out}


def projection_for(executor: Any) -> Projection | None:
    """The projection of a subscription executor's events, or None if its selection (or
    a resolve hook) needs the full execution."""
    if executor.operation.operation is not OperationType.SUBSCRIPTION:
        return None
    if not _hooks_allow(executor):
        return None
    root_type = executor.schema.subscription_type
    if root_type is None:
        return None
    collected = collect_fields(
        executor.schema,
        executor.fragments,
        executor.variable_values,
        root_type,
        executor.operation,
        executor.hide_suggestions,
    )
    if len(collected.grouped_field_set) != 1 or collected.new_defer_usages:
        return None
    [(root_key, details)] = collected.grouped_field_set.items()
    root_field = root_type.fields.get(details[0].node.name.value)
    if root_field is None:
        return None
    event_type = _unwrap(root_field.type)
    if not isinstance(event_type, GraphQLObjectType) or event_type.is_type_of is not None:
        return None
    leaves = _leaves(executor, event_type, details)
    if leaves is None:
        return None
    return Projection(root_key, event_type.name, leaves)


def _hooks_allow(executor: Any) -> bool:
    manager = executor.middleware_manager
    hooks = manager.middlewares if manager is not None else ()
    return all(isinstance(hook, LeafInert) for hook in hooks)


def _leaves(
    executor: Any, event_type: GraphQLObjectType, details: FieldDetailsList
) -> tuple[Leaf, ...] | None:
    collected = executor.collect_subfields(event_type, details)
    if collected.new_defer_usages:
        return None
    hooks = executor.middleware_manager.middlewares if executor.middleware_manager else ()
    leaves: list[Leaf] = []
    for key, field_details in collected.grouped_field_set.items():
        node = field_details[0].node
        name = node.name.value
        if name == _TYPENAME:
            leaves.append(Leaf(key, None, None, non_null=True))
            continue
        field = event_type.fields.get(name)
        if field is None or field.args or node.arguments:
            return None
        leaf = _plain_leaf(key, field)
        if leaf is None or not all(hook.passes_leaf(field) for hook in hooks):
            return None
        leaves.append(leaf)
    return tuple(leaves)


def _plain_leaf(key: str, field: GraphQLField) -> Leaf | None:
    """A leaf for a scalar or enum field read straight off its object, else None."""
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    resolver_is_plain = getattr(field.resolve, "_is_default", False)
    if not isinstance(definition, StrawberryField) or not resolver_is_plain:
        return None
    if not definition.is_basic_field:
        return None
    leaf_type = _unwrap(field.type)
    if not is_leaf_type(leaf_type):
        return None
    return Leaf(key, definition, leaf_type, non_null=isinstance(field.type, GraphQLNonNull))


def _unwrap(type_: GraphQLOutputType) -> GraphQLOutputType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_
