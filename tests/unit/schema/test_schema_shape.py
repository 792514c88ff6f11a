"""The schema as clients see it: everything described, nothing typed as raw JSON, and the
committed SDL (`schema.graphql`, `make schema`) identical to what the code builds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    GraphQLUnionType,
    get_introspection_query,
    get_named_type,
    graphql_sync,
)

from app.config import Settings
from graphql_schema.schema import build_schema

ROOT = Path(__file__).resolve().parents[3]
BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}
UNTYPED_SCALARS = {"JSON"}


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return build_schema(Settings())._schema


def _own_types(schema: GraphQLSchema) -> list[GraphQLNamedType]:
    return [
        t
        for name, t in sorted(schema.type_map.items())
        if not name.startswith("__") and name not in BUILT_IN_SCALARS
    ]


def _missing(item: dict[str, Any]) -> bool:
    return not (item.get("description") or "").strip()


def introspect(schema: GraphQLSchema) -> list[dict[str, Any]]:
    """The types as a client sees them: the result of the standard introspection query."""
    result = graphql_sync(schema, get_introspection_query(input_value_deprecation=True))
    assert not result.errors and result.data is not None, result.errors
    types: list[dict[str, Any]] = result.data["__schema"]["types"]
    return [
        t for t in types if not t["name"].startswith("__") and t["name"] not in BUILT_IN_SCALARS
    ]


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Every type, field, argument, input field and enum value without a description."""
    offenders: list[str] = []
    for named in introspect(schema):
        name = named["name"]
        if _missing(named):
            offenders.append(f"type {name}")
        for field in named.get("fields") or []:
            if _missing(field):
                offenders.append(f"field {name}.{field['name']}")
            offenders += [
                f"argument {name}.{field['name']}({arg['name']})"
                for arg in field["args"]
                if _missing(arg)
            ]
        offenders += [
            f"input field {name}.{f['name']}" for f in named.get("inputFields") or [] if _missing(f)
        ]
        offenders += [
            f"enum value {name}.{v['name']}" for v in named.get("enumValues") or [] if _missing(v)
        ]
    return offenders


def test_every_type_field_argument_and_enum_value_is_described(schema: GraphQLSchema) -> None:
    offenders = undescribed(schema)
    assert not offenders, "add a description to:\n  " + "\n  ".join(offenders)


def test_the_root_types_are_described(schema: GraphQLSchema) -> None:
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        assert root is not None and root.description, root


def test_the_description_check_names_what_lacks_one() -> None:
    bare = GraphQLSchema(
        query=GraphQLObjectType(
            "Query",
            {
                "ping": GraphQLField(GraphQLString, args={"to": GraphQLArgument(GraphQLString)}),
                "pong": GraphQLField(GraphQLString, description="Described."),
            },
            description="Root.",
        )
    )
    assert undescribed(bare) == ["field Query.ping", "argument Query.ping(to)"]


def test_no_field_or_argument_is_raw_json(schema: GraphQLSchema) -> None:
    offenders = []
    for named in _own_types(schema):
        if isinstance(named, GraphQLScalarType) and named.name in UNTYPED_SCALARS:
            offenders.append(f"scalar {named.name} is in the schema")
        fields = getattr(named, "fields", None) or {}
        if isinstance(named, GraphQLUnionType):
            continue
        for field_name, field in fields.items():
            if get_named_type(field.type).name in UNTYPED_SCALARS:
                offenders.append(f"{named.name}.{field_name}")
            for arg, spec in getattr(field, "args", {}).items():
                if get_named_type(spec.type).name in UNTYPED_SCALARS:
                    offenders.append(f"{named.name}.{field_name}({arg})")
    assert not offenders, "give these a GraphQL type instead of JSON:\n  " + "\n  ".join(offenders)


def test_committed_sdl_is_current() -> None:
    committed = (ROOT / "schema.graphql").read_text()
    built = build_schema(Settings()).as_str() + "\n"
    assert committed == built, "schema.graphql is stale: run `make schema` and commit it"
