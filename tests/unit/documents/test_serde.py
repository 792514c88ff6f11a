"""The compiled (de)serialiser (app/documents/serde.py) against the one it replaced.

The previous implementation, which walked the type hints for every value, is kept below as
the oracle: for random instances of every document and tailoring dataclass, for the
project's real documents and engine output, and for stored JSON with odd values (missing,
unknown, None, wrong-typed), the compiled one must give the same dicts (same key order)
and the same objects, or fail the same way.
"""

from __future__ import annotations

import collections
import dataclasses
import enum
import json
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.documents import JobPosting, ResumeDocument, parse_job_posting, parse_resume
from app.documents import models as document_models
from app.documents.models import Contact, Line, SectionKind, SourceSpan
from app.documents.serde import rebuild, to_dict
from app.tailoring import LocalEngine, Strategy
from app.tailoring import types as tailoring_types

# -- the oracle: serde.py as it was before the compiled converters -------------------------


def _oracle_fields(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _oracle_build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return value if len(args) != 1 else _oracle_build(args[0], value)
    if origin is list:
        (item_type,) = typing.get_args(tp)
        return [_oracle_build(item_type, v) for v in value]
    if origin is dict:
        return dict(value)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        fields = _oracle_fields(tp)
        return tp(
            **{name: _oracle_build(hint, value[name]) for name, hint in fields if name in value}
        )
    return value


def _oracle_to_dict(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _oracle_to_dict(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_oracle_to_dict(v) for v in value]
    if isinstance(value, dict):
        return {k: _oracle_to_dict(v) for k, v in value.items()}
    return value


# -- random instances of every serialised dataclass ----------------------------------------


def _dataclasses_of(module: types.ModuleType) -> list[type]:
    return [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type)
        and dataclasses.is_dataclass(obj)
        and obj.__module__ == module.__name__
    ]


SERIALISED = _dataclasses_of(document_models) + _dataclasses_of(tailoring_types)
_SCALARS: dict[Any, st.SearchStrategy[Any]] = {
    str: st.text(max_size=8),
    int: st.integers(),
    float: st.floats(allow_nan=False),
    bool: st.booleans(),
    type(None): st.none(),
}


def strategy_for(tp: Any) -> st.SearchStrategy[Any]:
    """Values of type hint `tp`; a hint the models start using that is not covered here
    fails the test rather than going untested."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(strategy_for(a) for a in args))
    if origin is list:
        return st.lists(strategy_for(args[0]), max_size=2)
    if origin is dict:
        return st.dictionaries(strategy_for(args[0]), strategy_for(args[1]), max_size=2)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = {f.name: strategy_for(hints[f.name]) for f in dataclasses.fields(tp)}
        return st.builds(tp, **fields)
    if tp in _SCALARS:
        return _SCALARS[tp]
    raise AssertionError(f"no strategy for {tp!r}: extend strategy_for")


_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_same_as_oracle(cls: type, obj: Any) -> None:
    written = to_dict(obj)
    expected = _oracle_to_dict(obj)
    # Same values and the same key order (what Postgres and the sandbox pipe receive).
    assert json.dumps(written) == json.dumps(expected)
    assert written == expected
    stored = json.loads(json.dumps(written))
    rebuilt: Any = rebuild(cls, stored)
    assert rebuilt == obj
    assert rebuilt == _oracle_build(cls, stored)


@pytest.mark.parametrize("cls", SERIALISED, ids=lambda c: c.__name__)
@_SETTINGS
@given(data=st.data())
def test_random_instances_round_trip_like_the_oracle(cls: type, data: st.DataObject) -> None:
    assert_same_as_oracle(cls, data.draw(strategy_for(cls)))


# -- stored JSON with odd values: the compiled reader is exactly as tolerant --------------

_ODD_VALUES = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.text(max_size=4),
    st.just([]),
    st.just({}),
    st.just(["L1", None]),
    st.just("skills"),
)


def _mutated(tree: Any, data: st.DataObject) -> Any:
    """`tree` with some keys dropped, unknown keys added and values swapped for odd ones."""
    if isinstance(tree, list):
        return [_mutated(item, data) for item in tree]
    if not isinstance(tree, dict):
        return tree
    out: dict[str, Any] = {}
    for key, value in tree.items():
        action = data.draw(st.sampled_from(["keep", "keep", "keep", "drop", "odd"]))
        if action == "keep":
            out[key] = _mutated(value, data)
        elif action == "odd":
            out[key] = data.draw(_ODD_VALUES)
    if data.draw(st.booleans()):
        out["not_a_field"] = data.draw(_ODD_VALUES)
    return out


def _outcome(build: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "built", build()
    except Exception as exc:  # the oracle's failure type is the expected behaviour
        return "raised", type(exc)


@pytest.mark.parametrize("cls", SERIALISED, ids=lambda c: c.__name__)
@_SETTINGS
@given(data=st.data())
def test_odd_stored_values_build_or_fail_like_the_oracle(cls: type, data: st.DataObject) -> None:
    stored = _mutated(json.loads(json.dumps(to_dict(data.draw(strategy_for(cls))))), data)
    assert _outcome(lambda: rebuild(cls, stored)) == _outcome(lambda: _oracle_build(cls, stored))


# -- real documents and engine output ------------------------------------------------------

RESUMES = sorted((SAMPLES / "resumes").iterdir())
JOBS = sorted((SAMPLES / "jobs").iterdir())


@pytest.mark.parametrize("path", RESUMES, ids=lambda p: Path(p).name)
def test_sample_resumes_match_the_oracle(path: Path) -> None:
    assert_same_as_oracle(ResumeDocument, parse_resume(path.read_bytes(), path.name))


@pytest.mark.parametrize("path", JOBS, ids=lambda p: Path(p).name)
def test_sample_postings_match_the_oracle(path: Path) -> None:
    assert_same_as_oracle(JobPosting, parse_job_posting(path.read_text(encoding="utf-8")))


def test_engine_artifacts_match_the_oracle() -> None:
    resume_path, job_path = RESUMES[0], JOBS[0]
    resume = parse_resume(resume_path.read_bytes(), resume_path.name)
    job = parse_job_posting(job_path.read_text(encoding="utf-8"))
    engine = LocalEngine()
    plan = engine.plan(resume, job)
    tailored = engine.draft(resume, job, plan, Strategy.AGGRESSIVE_KEYWORDS)
    artifacts = [
        plan,
        tailored,
        engine.evaluate(resume, job, tailored),
        engine.cover_letter(resume, job, plan),
        engine.interview_prep(resume, job, plan),
    ]
    for artifact in artifacts:
        assert_same_as_oracle(type(artifact), artifact)


def test_converters_do_no_reflection_once_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    path = RESUMES[0]
    resume = parse_resume(path.read_bytes(), path.name)
    stored = to_dict(resume)
    rebuild(ResumeDocument, stored)

    def reflected(*_: Any, **__: Any) -> Any:
        raise AssertionError("type reflection on the per-value path")

    for module, name in [
        (typing, "get_type_hints"),
        (typing, "get_origin"),
        (typing, "get_args"),
        (dataclasses, "fields"),
        (dataclasses, "is_dataclass"),
    ]:
        monkeypatch.setattr(module, name, reflected)
    assert to_dict(rebuild(ResumeDocument, stored)) == stored


# -- the rules, one by one -----------------------------------------------------------------


@dataclasses.dataclass
class TreeNode:
    """A recursive type: compiling its converter must not recurse forever."""

    name: str
    children: list[TreeNode] = dataclasses.field(default_factory=list)
    kind: SectionKind | None = None


@dataclasses.dataclass
class Loose:
    either: int | str | None = None  # several types: kept as stored
    anchor: SourceSpan | str | None = None  # even a stored dataclass stays a dict
    pairs: tuple[int, ...] = ()  # tuples are written as lists and read back as stored
    table: dict[str, list[SourceSpan]] = dataclasses.field(default_factory=dict)


def test_recursive_types_round_trip() -> None:
    tree = TreeNode("a", [TreeNode("b", [TreeNode("c", kind=SectionKind.SKILLS)]), TreeNode("d")])
    stored = to_dict(tree)
    assert stored["children"][0]["children"][0] == {"name": "c", "children": [], "kind": "skills"}
    assert rebuild(TreeNode, stored) == tree


def test_missing_keys_take_defaults_and_unknown_keys_are_ignored() -> None:
    line = rebuild(
        Line, {"id": "L3", "text": "x", "span": {"line": 3, "start": 0, "end": 1}, "x": 1}
    )
    assert line == Line("L3", "x", SourceSpan(3, 0, 1), is_bullet=False)
    first, second = rebuild(Contact, {}), rebuild(Contact, {"name": None})
    assert first == second == Contact()
    assert first.links is not second.links  # each object gets its own default list
    stored = {"links": ["https://a.example"], "line_ids": ["L0"]}
    assert rebuild(Contact, stored).links is not stored["links"]  # lists are copied
    with pytest.raises(TypeError):
        rebuild(Line, {"id": "L3", "text": "x"})  # `span` has no default


def test_none_is_kept_whatever_the_hint() -> None:
    assert rebuild(ResumeDocument, None) is None  # type: ignore[arg-type]
    contact = rebuild(Contact, {"links": None, "line_ids": ["L1", None]})
    assert contact.links is None and contact.line_ids == ["L1", None]


def test_unions_tuples_and_dicts_follow_the_stored_values() -> None:
    loose = Loose("7", SourceSpan(1, 2, 3), (1, 2), {"a": [SourceSpan(0, 1, 2)]})
    stored = to_dict(loose)
    assert stored == {
        "either": "7",
        "anchor": {"line": 1, "start": 2, "end": 3},
        "pairs": [1, 2],
        "table": {"a": [{"line": 0, "start": 1, "end": 2}]},
    }
    rebuilt: Any = rebuild(Loose, stored)
    # A dict is copied as stored (its values are not rebuilt); a tuple hint keeps the list.
    assert rebuilt.table == {"a": [{"line": 0, "start": 1, "end": 2}]}
    assert rebuilt.table is not stored["table"]
    assert rebuilt.pairs == [1, 2] and rebuilt.either == "7"
    assert rebuilt.anchor == {"line": 1, "start": 2, "end": 3}
    assert rebuilt == _oracle_build(Loose, stored)


def test_enum_values_and_subclasses_are_written_as_values() -> None:
    class Marker(str):
        pass

    written = to_dict(Loose(pairs=(SectionKind.SKILLS,), table={"k": Marker("m")}))  # type: ignore[arg-type,dict-item]
    assert written == {"either": None, "anchor": None, "pairs": ["skills"], "table": {"k": "m"}}
    assert type(written["pairs"][0]) is str
    assert type(written["table"]["k"]) is Marker  # kept, as the oracle does
    with pytest.raises(ValueError):
        rebuild(TreeNode, {"name": "n", "kind": "not-a-kind"})


@dataclasses.dataclass
class WithInitVar:
    scale: dataclasses.InitVar[int] = 1  # an __init__ argument that is not a field
    size: int = 0

    def __post_init__(self, scale: int) -> None:
        self.size *= scale


@dataclasses.dataclass(kw_only=True)
class KeywordOnly:
    first: int
    second: SourceSpan


@dataclasses.dataclass
class OwnInit:
    second: str
    first: int

    def __init__(self, first: int = 0, second: str = "") -> None:  # not in field order
        self.first, self.second = first, second


@pytest.mark.parametrize(
    ("cls", "stored", "expected"),
    [
        (WithInitVar, {"size": 3}, WithInitVar(size=3)),
        (
            KeywordOnly,
            {"first": 1, "second": {"line": 0, "start": 0, "end": 1}},
            KeywordOnly(first=1, second=SourceSpan(0, 0, 1)),
        ),
        (OwnInit, {"second": "b", "first": 2}, OwnInit(first=2, second="b")),
        (SourceSpan, collections.OrderedDict(line=1, start=2, end=3), SourceSpan(1, 2, 3)),
    ],
    ids=["init-var", "keyword-only", "own-init", "dict-subclass"],
)
def test_constructors_get_the_fields_by_name(cls: type, stored: Any, expected: Any) -> None:
    assert rebuild(cls, stored) == expected == _oracle_build(cls, stored)
    assert to_dict(expected) == _oracle_to_dict(expected)
