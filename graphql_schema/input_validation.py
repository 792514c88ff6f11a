"""One check for every string a client sends as an argument, before any resolver runs.

PostgreSQL cannot store NUL characters and its columns have lengths: without this, such
input reached the database and came back as INTERNAL_ERROR, with the statement's
parameters (a whole resume, a password hash) in the logged traceback. Here it is
INVALID_INPUT naming the field, and nothing is written.

Limits are per argument or input-field name (what the column or the service allows);
any other string gets DEFAULT_MAX_CHARS. Services still check their own byte budgets
(file sizes) and formats.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import GraphQLField, GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from app.errors import InvalidInput

DEFAULT_MAX_CHARS = 2_000
# Document bodies: the services enforce the real byte budgets (TAILOR_MAX_*_BYTES); this
# only bounds what a string argument may be at all (base64 of the largest upload).
DOCUMENT_MAX_CHARS = 16 * 1024 * 1024

# Keys are GraphQL or Python names folded by `_fold` (case and underscores ignored).
MAX_CHARS: dict[str, int] = {
    "text": DOCUMENT_MAX_CHARS,
    "contentbase64": DOCUMENT_MAX_CHARS,
    "editedtext": 20_000,
    "notes": 10_000,
    "body": 20_000,
    "message": 20_000,
    "coverletter": 20_000,
    "displayname": 200,
    "name": 100,
    "email": 320,
    "password": 256,
    "filename": 255,
    "title": 200,
    "company": 300,
    "location": 300,
    "model": 100,
    "clientrequestid": 128,
    "idempotencykey": 128,
}


def _fold(name: str) -> str:
    return name.replace("_", "").lower()


def limit_for(name: str) -> int:
    return MAX_CHARS.get(_fold(name), DEFAULT_MAX_CHARS)


def _children(value: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    """(path, field name, value) of the items inside a list or input object."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield f"{path}.{key}", str(key), item
    elif isinstance(value, list | tuple):
        leaf = path.rsplit(".", 1)[-1]
        for index, item in enumerate(value):
            yield f"{path}[{index}]", leaf, item
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for spec in dataclasses.fields(value):
            yield f"{path}.{spec.name}", spec.name, getattr(value, spec.name)


def check_value(path: str, name: str, value: Any) -> None:
    """Raise INVALID_INPUT for a NUL or an over-long string anywhere inside `value`."""
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidInput(f"{path} contains a NUL character", field=path)
        limit = limit_for(name)
        if len(value) > limit:
            raise InvalidInput(f"{path} is longer than {limit:,} characters", field=path)
        return
    if isinstance(value, enum.Enum | int | float | bool) or value is None:
        return
    for child_path, child_name, child in _children(value, path):
        check_value(child_path, child_name, child)


def check_arguments(arguments: Mapping[str, Any]) -> None:
    for name, value in arguments.items():
        check_value(name, name, value)


class InputStrings(SchemaExtension):
    """Runs `check_arguments` on the arguments of every field that takes any."""

    def passes_leaf(self, field: GraphQLField) -> bool:
        # A field without arguments has nothing to check (event_projection.py).
        return not field.args

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: str,
        **kwargs: Any,
    ) -> Any:
        if kwargs:
            check_arguments(kwargs)
        return _next(root, info, *args, **kwargs)
