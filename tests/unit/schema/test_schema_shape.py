"""The schema as clients see it: everything described, nothing typed as raw JSON, and the
committed SDL (`schema.graphql`, `make schema`) identical to what the code builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
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


def _missing(item: object) -> bool:
    return not (getattr(item, "description", None) or "").strip()


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Every type, field, argument, input field and enum value without a description."""
    offenders: list[str] = []
    for named in _own_types(schema):
        if _missing(named):
            offenders.append(f"type {named.name}")
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if _missing(field):
                    offenders.append(f"field {named.name}.{field_name}")
                offenders += [
                    f"argument {named.name}.{field_name}({arg})"
                    for arg, spec in field.args.items()
                    if _missing(spec)
                ]
        elif isinstance(named, GraphQLInputObjectType):
            offenders += [
                f"input field {named.name}.{f}"
                for f, spec in named.fields.items()
                if _missing(spec)
            ]
        elif isinstance(named, GraphQLEnumType):
            offenders += [
                f"enum value {named.name}.{v}" for v, spec in named.values.items() if _missing(spec)
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
            {"ping": __import__("graphql").GraphQLField(__import__("graphql").GraphQLString)},
            description="Root.",
        )
    )
    assert undescribed(bare) == ["field Query.ping"]


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
