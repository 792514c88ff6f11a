"""Document measures: memoised over fragments, so fan-out costs linear time to measure."""

from __future__ import annotations

import pytest
from graphql import parse

from graphql_schema.limits import DocumentLimits, QueryTooComplex, check_document_shape

LIMITS = DocumentLimits(
    max_chars=100_000,
    max_depth=5,
    max_fields=200,
    max_fragment_spreads=50,
    max_aliases=10,
    validation_budget_s=1.0,
)


def fan_out(levels: int) -> str:
    body = " ".join(f"fragment F{i} on Q {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"query {{ ...F0 }} {body} fragment F{levels} on Q {{ a }}"


def code_of(document: str) -> str | None:
    try:
        check_document_shape(parse(document), LIMITS)
    except QueryTooComplex as exc:
        return str((exc.extensions or {})["code"])
    return None


@pytest.mark.parametrize("levels", [8, 40, 200])
def test_fan_out_is_refused_however_deep(levels: int) -> None:
    # 2**200 expanded fields: only a memoised measure can answer this at all.
    assert code_of(fan_out(levels)) == "QUERY_TOO_COMPLEX"


def test_small_fan_out_within_budget_passes() -> None:
    assert code_of(fan_out(5)) is None  # 32 fields


def test_depth_counts_through_fragments_and_inline_fragments() -> None:
    ok = "{ a { b { c { d { e { f } } } } } }"  # 5 levels below the root field
    assert code_of(ok) is None
    too_deep = "{ a { ...X } } fragment X on T { b { ... on T { c { d { e { f { g } } } } } } }"
    assert code_of(too_deep) == "GRAPHQL_VALIDATION_FAILED"


def test_introspection_subtrees_do_not_count_for_depth() -> None:
    deep_introspection = "{ __schema { types { fields { type { ofType { ofType { name } } } } } } }"
    assert code_of(deep_introspection) is None


def test_aliases_are_counted_after_expansion() -> None:
    six = " ".join(f"a{i}: x" for i in range(6))
    assert code_of(f"{{ ...A }} fragment A on Q {{ {six} }}") is None
    assert code_of(f"{{ ...A ...B }} fragment A on Q {{ {six} }} fragment B on Q {{ ...A }}") == (
        "GRAPHQL_VALIDATION_FAILED"
    )


def test_spread_cap_and_cycles() -> None:
    many = "{ " + "...A " * 60 + "} fragment A on Q { x }"
    assert code_of(many) == "QUERY_TOO_COMPLEX"
    # A cycle is left to graphql-core's NoFragmentCycles rule: measuring must not loop.
    assert code_of("{ ...A } fragment A on Q { ...B } fragment B on Q { ...A }") is None


def test_validation_stops_when_its_time_budget_is_spent() -> None:
    from graphql import build_schema, validate

    from graphql_schema.limits import deadline_rule

    schema = build_schema("type Query { a: Int }")
    document = parse("{ " + " ".join(f"f{i}: a" for i in range(500)) + " }")
    assert validate(schema, document, [deadline_rule(60.0)]) == []
    errors = validate(schema, document, [deadline_rule(0.0)])
    assert [e.extensions["code"] for e in errors if e.extensions] == ["QUERY_TOO_COMPLEX"]
