"""The one (de)serialiser of the document and tailoring dataclasses.

`to_dict` writes the JSON-ready form that services store in Postgres and the parsing
sandbox sends across its process boundary; `rebuild` reads it back. The type hints of a
class are resolved once (resolving them for every object built was ~8 ms for a one-page
resume, most of the cost of reloading a stored document).
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from typing import Any, TypeVar

T = TypeVar("T")


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


@functools.cache
def _union_arg(tp: Any) -> Any:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return args[0] if len(args) == 1 else None


def _build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = _union_arg(tp)
        return value if inner is None else _build(inner, value)
    if origin is list:
        (item_type,) = typing.get_args(tp)
        return [_build(item_type, v) for v in value]
    if origin is dict:
        return dict(value)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        kwargs = {name: _build(hint, value[name]) for name, hint in _fields(tp) if name in value}
        return tp(**kwargs)
    return value


def to_dict(obj: Any) -> dict[str, Any]:
    """JSON-ready dict of a dataclass tree (enums become their values)."""

    def convert(value: Any) -> Any:
        if isinstance(value, enum.Enum):
            return value.value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, list | tuple):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    result = convert(obj)
    assert isinstance(result, dict)
    return result


def rebuild(cls: type[T], data: dict[str, Any]) -> T:
    """`cls` rebuilt from `data` (as written by `to_dict`)."""
    return typing.cast(T, _build(cls, data))
