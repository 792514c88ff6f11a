"""Fast rebuild of document dataclasses from their `to_dict()` form.

`models.from_dict` resolves type hints with `typing.get_type_hints` for every object it
builds (~8 ms for a one-page resume), which dominated the sandbox round trip. This does
the same walk with the hints resolved once per class; `test_documents_sandbox` checks
it rebuilds exactly what `models.from_dict` does.
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


def rebuild(cls: type[T], data: dict[str, Any]) -> T:
    """`cls` rebuilt from `data` (as written by `models.to_dict`)."""
    return typing.cast(T, _build(cls, data))
