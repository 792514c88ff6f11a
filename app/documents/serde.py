"""The one (de)serialiser of the document and tailoring dataclasses.

`to_dict` writes the JSON-ready form that services store in Postgres and the parsing
sandbox sends across its process boundary; `rebuild` reads it back.

Both directions are compiled once per dataclass into closures (field -> converter), so no
value pays for type reflection: walking the type hints for every value
(`typing.get_origin`, `isinstance`, `dataclasses.fields`) cost about 3.5 ms of CPU per job
(rebuilding a stored two-page resume and posting, writing the plan, evaluation, letter and
prep), about 0.7 ms compiled (bench/serde.py), on two cores the whole stack shares.

Rules (the stored JSON of earlier releases must keep reading back unchanged):
- rebuild: None stays None whatever the hint; `X | None` builds X; a union of several
  types, `Any`, str/int/float/bool and unknown hints keep the stored value as it is;
  `list[X]` builds each item; `dict[...]` is copied shallowly; enums are looked up by
  value; dataclasses get the stored keys they declare (unknown keys are ignored, missing
  ones take the field's default).
- to_dict follows the runtime values, not the hints: enums become their values,
  dataclasses dicts in field order, lists and tuples lists, dicts dicts (keys as they
  are); anything else is kept.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import operator
import threading
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# Builds a typed value from its stored form; never called with None (callers keep None).
Builder = Callable[[Any], Any]
# Converts a runtime value to its JSON-ready form.
Converter = Callable[[Any], Any]

# Values of these exact types are JSON-ready as they are (subclasses, str enums among
# them, take the slower path that checks what they are).
_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """(name, resolved type hint) of each field; read once, when `cls` is compiled."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _union_arg(tp: Any) -> Any:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return args[0] if len(args) == 1 else None


# -- rebuild -------------------------------------------------------------------------------

# Published builders by hint (a class, or `list[X]`...): complete, read without the lock.
_builders: dict[Any, Builder] = {}
# One compilation at a time; a class is published only once every class it refers to
# (itself included, for recursive types) is compiled.
_compile_lock = threading.Lock()


def _builder_for(tp: Any, pending: dict[type, Builder]) -> Builder | None:
    """How to build a value of hint `tp`; None: the stored value is kept as it is."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = _union_arg(tp)
        return None if inner is None else _builder_for(inner, pending)
    if origin is list:
        args = typing.get_args(tp)
        return _list_builder(_builder_for(args[0], pending) if args else None)
    if origin is dict:
        return dict
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_builder(tp, pending)
    return None


def _list_builder(build_item: Builder | None) -> Builder:
    if build_item is None:
        return list

    def build_list(value: Any) -> list[Any]:
        return [None if item is None else build_item(item) for item in value]

    return build_list


def _dataclass_builder(cls: type, pending: dict[type, Builder]) -> Builder:
    known = _builders.get(cls) or pending.get(cls)
    if known is not None:
        return known
    compiled: list[Builder] = []
    # Stand-in for fields that refer back to `cls` (recursive types) while it compiles.
    pending[cls] = lambda value: compiled[0](value)
    fields = [(name, _builder_for(hint, pending)) for name, hint in _fields(cls)]
    build = _by_keyword(cls, fields)
    if len(fields) > 1 and _takes_fields_by_position(cls, [name for name, _ in fields]):
        build = _by_position(cls, fields, build)
    compiled.append(build)
    pending[cls] = build
    return build


def _takes_fields_by_position(cls: type, names: list[str]) -> bool:
    """Whether `cls(*values)` means the fields in order (not so with init-only variables,
    keyword-only fields or an __init__ of the class's own)."""
    params = list(inspect.signature(cls).parameters.values())
    return [p.name for p in params] == names and all(
        p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params
    )


def _by_keyword(cls: type, fields: list[tuple[str, Builder | None]]) -> Builder:
    """Any stored mapping: the fields it has (missing ones take their defaults)."""
    kept = [name for name, build_field in fields if build_field is None]
    built = [(name, build_field) for name, build_field in fields if build_field is not None]

    def build(value: Any) -> Any:
        kwargs = {name: value[name] for name in kept if name in value}
        for name, build_field in built:
            if name in value:
                stored = value[name]
                kwargs[name] = None if stored is None else build_field(stored)
        return cls(**kwargs)

    return build


def _by_position(
    cls: type, fields: list[tuple[str, Builder | None]], otherwise: Builder
) -> Builder:
    """The common case, a dict holding every field (as `to_dict` writes it): the values
    are taken in one C call and passed by position; anything else goes to `otherwise`."""
    names = frozenset(name for name, _ in fields)
    take_all = operator.itemgetter(*(name for name, _ in fields))
    built = [(index, b) for index, (_, b) in enumerate(fields) if b is not None]

    def build(value: Any) -> Any:
        if type(value) is not dict or not value.keys() >= names:
            return otherwise(value)
        args = list(take_all(value))
        for index, build_field in built:
            stored = args[index]
            if stored is not None:
                args[index] = build_field(stored)
        return cls(*args)

    return build


def _compiled_builder(tp: Any) -> Builder:
    with _compile_lock:
        known = _builders.get(tp)  # compiled by another thread meanwhile
        if known is not None:
            return known
        pending: dict[type, Builder] = {}
        build = _builder_for(tp, pending) or _kept
        _builders.update(pending)
        _builders[tp] = build
    return build


def rebuild(cls: type[T], data: dict[str, Any]) -> T:
    """`cls` rebuilt from `data` (as written by `to_dict`)."""
    if data is None:
        return typing.cast(T, None)
    build = _builders.get(cls) or _compiled_builder(cls)
    return typing.cast(T, build(data))


# -- to_dict -------------------------------------------------------------------------------

_converters: dict[type, Converter] = {}


def _convert(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    convert = _converters.get(kind)
    if convert is None:
        convert = _converters[kind] = _converter_for(kind)
    return convert(value)


def _converter_for(kind: type) -> Converter:
    """How to convert values of runtime type `kind` (checked in this order)."""
    if issubclass(kind, enum.Enum):
        return _enum_value
    if dataclasses.is_dataclass(kind):
        return _dataclass_converter(kind)
    if issubclass(kind, list | tuple):
        return _convert_sequence
    if issubclass(kind, dict):
        return _convert_mapping
    return _kept


def _enum_value(value: enum.Enum) -> Any:
    return value.value


def _kept(value: Any) -> Any:
    return value


def _convert_sequence(value: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [item if type(item) in _PLAIN else _convert(item) for item in value]


def _convert_mapping(value: dict[Any, Any]) -> dict[Any, Any]:
    return {k: v if type(v) in _PLAIN else _convert(v) for k, v in value.items()}


def _dataclass_converter(cls: type) -> Converter:
    names = tuple(f.name for f in dataclasses.fields(cls))

    def convert(obj: Any) -> dict[str, Any]:
        return {
            name: v if type(v) in _PLAIN else _convert(v)
            for name in names
            for v in (getattr(obj, name),)
        }

    return convert


def to_dict(obj: Any) -> dict[str, Any]:
    """JSON-ready dict of a dataclass tree (enums become their values)."""
    result = _convert(obj)
    assert isinstance(result, dict)
    return result
