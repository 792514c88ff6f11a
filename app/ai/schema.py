"""Turn a model's answer into a dict that matches the caller's JSON schema, or say why not.

Hosted structured outputs are good but not a guarantee (Anthropic tool input is not strictly
enforced, local servers may ignore the schema entirely), so every answer is re-validated here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

# Model-visible reasons are capped: the stricter retry only needs the gist, and a validation
# message can quote a large part of the invalid answer.
_MAX_REASON_CHARS = 400
# The balanced-brace scan is quadratic in the worst case; a sane answer has its object
# within the first few opening braces.
_MAX_SCAN_STARTS = 32
_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)```", re.DOTALL)


class InvalidOutput(Exception):
    """The answer is not valid JSON for the schema.

    `reason` goes back to the model (it may quote the answer); `log_reason` names only the
    failing keyword and location, so it is safe to log.
    """

    def __init__(self, reason: str, log_reason: str) -> None:
        super().__init__(log_reason)
        self.reason = reason[:_MAX_REASON_CHARS]
        self.log_reason = log_reason


def parse_json_text(text: str | None) -> dict[str, Any]:
    """The first JSON object in `text`: the whole text, a fenced block, or the first balanced
    `{...}` that parses. Local models like to wrap JSON in prose and code fences."""
    if text is None or not text.strip():
        raise InvalidOutput("the answer was empty", "empty answer")
    for candidate in _candidates(text):
        parsed = _loads_object(candidate.strip())
        if parsed is not None:
            return parsed
    for candidate in _candidates(text):
        for fragment in _balanced_objects(candidate):
            parsed = _loads_object(fragment)
            if parsed is not None:
                return parsed
    raise InvalidOutput("the answer did not contain a JSON object", "no JSON object found")


def validate(data: object, schema: Mapping[str, Any]) -> dict[str, Any]:
    """`data` itself if it is an object matching `schema`; InvalidOutput otherwise."""
    if not isinstance(data, dict):
        raise InvalidOutput("the answer must be a JSON object", "top level is not an object")
    validator_cls = jsonschema.validators.validator_for(schema)
    error = best_match(validator_cls(schema).iter_errors(data))
    if error is None:
        return data
    location = error.json_path
    raise InvalidOutput(
        f"{error.message} (at {location})",
        f"schema keyword '{error.validator}' failed at {location}",
    )


def parse_structured(text: str | None, schema: Mapping[str, Any]) -> dict[str, Any]:
    return validate(parse_json_text(text), schema)


def _candidates(text: str) -> Iterator[str]:
    # Fenced blocks first: when a model fences its JSON, the prose around it may hold braces.
    for match in _FENCE.finditer(text):
        yield match.group(1)
    yield text


def _loads_object(candidate: str) -> dict[str, Any] | None:
    if not candidate.startswith("{"):
        return None
    try:
        parsed = json.loads(candidate)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _balanced_objects(text: str) -> Iterator[str]:
    """Each balanced `{...}` span, by start position, honouring JSON string escapes."""
    starts = 0
    index = text.find("{")
    while index != -1 and starts < _MAX_SCAN_STARTS:
        starts += 1
        end = _matching_brace(text, index)
        if end is not None:
            yield text[index : end + 1]
        index = text.find("{", index + 1)


def _matching_brace(text: str, start: int) -> int | None:
    depth = 0
    in_string = False
    escaped = False
    for position in range(start, len(text)):
        char = text[position]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return position
    return None


def strict_compatible(schema: Mapping[str, Any]) -> bool:
    """Whether OpenAI's strict structured outputs accept `schema`: every object closed
    (`additionalProperties: false`) and every property required. Sending strict=True with a
    schema that is not, earns a 400 for every call; strict=False still gets JSON-schema
    guidance, and we validate locally either way."""
    return all(_strict_node(node) for node in _schema_nodes(schema))


def _strict_node(node: Mapping[str, Any]) -> bool:
    is_object = node.get("type") == "object" or "properties" in node
    if not is_object:
        return True
    properties = node.get("properties", {})
    required = node.get("required", [])
    return node.get("additionalProperties") is False and set(required) == set(properties)


def _schema_nodes(node: object) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        yield node
        for key, value in node.items():
            if key in ("properties", "$defs", "definitions", "patternProperties"):
                if isinstance(value, Mapping):
                    for child in value.values():
                        yield from _schema_nodes(child)
            elif key in ("items", "additionalProperties", "not", "if", "then", "else"):
                yield from _schema_nodes(value)
            elif key in ("anyOf", "allOf", "oneOf", "prefixItems") and isinstance(value, list):
                for child in value:
                    yield from _schema_nodes(child)
