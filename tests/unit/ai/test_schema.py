"""JSON extraction from model text and validation against the schema."""

from __future__ import annotations

import json

import pytest

from app.ai.schema import InvalidOutput, parse_json_text, parse_structured, strict_compatible
from tests.unit.ai.conftest import GOOD, PLAN_SCHEMA


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(GOOD),
        f"  {json.dumps(GOOD)}\n",
        f"```json\n{json.dumps(GOOD)}\n```",
        f"```\n{json.dumps(GOOD)}```",
        f"Sure, here you go:\n{json.dumps(GOOD)}\nAnything else?",
        f"Thinking about {{sets}} first... then: {json.dumps(GOOD)}",
        f"Notes {{not json}} ```json\n{json.dumps(GOOD)}\n``` trailing {{}}",
    ],
)
def test_first_valid_object_is_found(text: str) -> None:
    assert parse_json_text(text) == GOOD


def test_braces_inside_strings_do_not_confuse_the_scan() -> None:
    data = {"summary": 'uses {curly} and "quoted }" text', "keywords": ["{", "}"]}
    assert parse_json_text(f"Result: {json.dumps(data)} done") == data


@pytest.mark.parametrize("text", [None, "", "   ", "no json here", "[1, 2, 3]", '{"a": 1'])
def test_text_without_an_object_is_invalid(text: str | None) -> None:
    with pytest.raises(InvalidOutput):
        parse_json_text(text)


def test_schema_violation_reasons_are_split_for_model_and_logs() -> None:
    with pytest.raises(InvalidOutput) as caught:
        parse_structured('{"summary": "Alex Rivera secret", "keywords": "python"}', PLAN_SCHEMA)

    assert "'Alex Rivera secret'" not in caught.value.log_reason
    assert "Alex Rivera" not in caught.value.log_reason
    assert "type" in caught.value.log_reason and "$.keywords" in caught.value.log_reason
    assert "is not of type 'array'" in caught.value.reason


def test_additional_properties_are_rejected() -> None:
    with pytest.raises(InvalidOutput):
        parse_structured(json.dumps({**GOOD, "extra": 1}), PLAN_SCHEMA)


def test_strict_compatibility() -> None:
    assert strict_compatible(PLAN_SCHEMA)
    nested_open = {
        **PLAN_SCHEMA,
        "properties": {
            **PLAN_SCHEMA["properties"],
            "items": {"type": "array", "items": {"type": "object", "properties": {"a": {}}}},
        },
        "required": ["summary", "keywords", "items"],
    }
    assert not strict_compatible(nested_open)
    optional_field = {**PLAN_SCHEMA, "required": ["summary"]}
    assert not strict_compatible(optional_field)
