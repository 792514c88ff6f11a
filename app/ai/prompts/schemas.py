"""JSON schemas the model must answer with, one per step. Closed objects with every
property required, so OpenAI's strict structured outputs accept them."""

from __future__ import annotations

from typing import Any


def _obj(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


_STR = {"type": "string"}
_STRS = {"type": "array", "items": _STR}

PLAN_SCHEMA = _obj(
    {
        "summary": _STR,
        "strengths": {
            "type": "array",
            "items": _obj({"label": _STR, "detail": _STR, "evidence_line_ids": _STRS}),
        },
        "gaps": {"type": "array", "items": _obj({"label": _STR, "detail": _STR})},
        "next_steps": _STRS,
        "uncertain_suggestions": _STRS,
    }
)

DRAFT_SCHEMA = _obj(
    {
        "sections": {
            "type": "array",
            "items": _obj(
                {
                    "kind": {
                        "type": "string",
                        "enum": [
                            "contact",
                            "summary",
                            "experience",
                            "education",
                            "skills",
                            "projects",
                            "certifications",
                            "languages",
                            "volunteer",
                            "other",
                        ],
                    },
                    "heading": _STR,
                    "lines": {
                        "type": "array",
                        "items": _obj(
                            {
                                "text": _STR,
                                "source_line_ids": _STRS,
                                "role": {
                                    "type": "string",
                                    "enum": [
                                        "name",
                                        "contact",
                                        "header",
                                        "meta",
                                        "bullet",
                                        "text",
                                        "skills",
                                    ],
                                },
                            }
                        ),
                    },
                }
            ),
        },
        "uncertain_suggestions": _STRS,
    }
)

COVER_LETTER_SCHEMA = _obj({"paragraphs": _STRS, "uncertain_suggestions": _STRS})
