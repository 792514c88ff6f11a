"""The `tailor` command line."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLArgument, build_schema, print_ast
from typer.testing import CliRunner

from app.cli import app


def _default(arg: GraphQLArgument) -> str:
    # graphql-core keeps an SDL default on the AST node (the value is coerced lazily).
    node = arg.ast_node.default_value if arg.ast_node is not None else None
    return f" = {print_ast(node)}" if node is not None else ""


def test_export_schema_writes_a_described_sdl(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    result = CliRunner().invoke(app, ["export-schema", str(target)])
    assert result.exit_code == 0, result.output
    sdl = target.read_text()
    # Read back as a schema: signatures are checked whatever the printer's line layout
    # (arguments with descriptions print one per line).
    schema = build_schema(sdl)
    assert schema.query_type and schema.mutation_type and schema.subscription_type
    signatures = {
        "jobProgress": "jobId: ID!, afterSeq: Int! = 0 -> JobEvent!",
        "tailor": "input: TailorInput! -> TailorPayload!",
        "accept": "jobId: ID!, input: AcceptInput! -> Version!",
    }
    roots = (schema.query_type, schema.mutation_type, schema.subscription_type)
    fields = {name: f for root in roots for name, f in root.fields.items()}
    for name, wanted in signatures.items():
        args = ", ".join(
            f"{arg_name}: {arg.type}" + _default(arg) for arg_name, arg in fields[name].args.items()
        )
        assert f"{args} -> {fields[name].type}" == wanted, name
    assert "usage" in fields
    # Every type and field carries a description (schema hygiene).
    assert '"""The calling user' in sdl or '"The calling user' in sdl


def test_help_lists_commands() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "worker", "migrate", "export-schema", "dev"):
        assert command in result.output


def test_every_type_and_field_is_described() -> None:
    from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

    from app.config import Settings
    from graphql_schema.schema import build_schema

    schema = build_schema(Settings())._schema
    missing: list[str] = []
    for name, gql_type in schema.type_map.items():
        if name.startswith("__") or name in {"Query", "Mutation", "Subscription"}:
            continue
        described = GraphQLObjectType | GraphQLInputObjectType | GraphQLEnumType
        if isinstance(gql_type, described) and not gql_type.description:
            missing.append(name)
        if isinstance(gql_type, GraphQLObjectType | GraphQLInputObjectType):
            missing.extend(
                f"{name}.{field}" for field, f in gql_type.fields.items() if not f.description
            )
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        assert root is not None
        missing.extend(f"{root.name}.{f}" for f, d in root.fields.items() if not d.description)
    assert missing == []
