"""Live events of flat subscriptions are projected from the payload, with the same data
graphql-core produces; anything the projection cannot reproduce runs in full."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import AsyncGenerator, Callable
from typing import Any

import pytest
import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLField, GraphQLResolveInfo, parse
from graphql.execution.middleware import MiddlewareManager
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from graphql_schema.event_projection import projection_for
from graphql_schema.fanout import FanoutExecutionContext


@strawberry.enum
class Stage(enum.Enum):
    QUEUED = "queued"
    DONE = "done"


@strawberry.type
class Owner:
    name: str


@strawberry.type
class Event:
    seq: int
    stage: Stage
    at: dt.datetime
    note: str | None
    must: str
    owner: Owner

    @strawberry.field
    def computed(self) -> int:
        return self.seq * 10

    @strawberry.field
    def padded(self, width: int) -> str:
        return str(self.seq).rjust(width)


def _event(seq: int, note: str | None = "n", must: Any = "m") -> Event:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=seq)
    return Event(seq=seq, stage=Stage.DONE, at=at, note=note, must=must, owner=Owner(name="o"))


@strawberry.type
class Query:
    ok: bool = True


EVENTS: list[Event] = []


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def events(self, run: str) -> AsyncGenerator[Event, None]:
        for event in list(EVENTS):
            yield event


ROOT_CALLS: list[str] = []


class CountingInert(SchemaExtension):
    """Counts root-field resolutions; declares itself skippable on plain leaves."""

    def passes_leaf(self, field: GraphQLField) -> bool:
        return True

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *a: Any, **k: Any
    ) -> Any:
        if info.parent_type.name == "Subscription":
            ROOT_CALLS.append(info.field_name)
        return _next(root, info, *a, **k)


class CountingOpaque(CountingInert):
    passes_leaf = None  # type: ignore[assignment]  # not LeafInert: no projection


def _schema(extension: type[SchemaExtension]) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        subscription=Subscription,
        extensions=[extension],
        execution_context_class=FanoutExecutionContext,
    )


FLAT = [
    "subscription { events(run: $r) { seq stage at } }",
    "subscription { e: events(run: $r) { __typename n: seq note at seq } }",
    "subscription { events(run: $r) { ...F } } fragment F on Event { stage note }",
    "subscription { events(run: $r) { ... on Event { seq } note @skip(if: $skip) } }",
    "subscription { events(run: $r) { seq note @include(if: $skip) } }",
]
NOT_FLAT = [
    "subscription { events(run: $r) { seq computed } }",
    "subscription { events(run: $r) { seq padded(width: 3) } }",
    "subscription { events(run: $r) { seq owner { name } } }",
]


def _document(text: str) -> str:
    return text.replace("subscription {", "subscription($r: String!, $skip: Boolean!) {", 1)


def _executor(text: str, *, middleware: tuple[Any, ...] = ()) -> FanoutExecutionContext:
    schema = _schema(CountingInert)
    built = FanoutExecutionContext.build(
        schema._schema,
        parse(_document(text)),
        raw_variable_values={"r": "x", "skip": True},
        middleware=MiddlewareManager(*middleware) if middleware else None,
    )
    assert isinstance(built, FanoutExecutionContext)
    return built


@pytest.mark.parametrize("text", FLAT)
@pytest.mark.parametrize("note", ["n", None])
def test_a_flat_selection_projects_what_graphql_core_executes(text: str, note: str | None) -> None:
    executor = _executor(text)
    projection = projection_for(executor)
    assert projection is not None
    for seq in (1, 2):
        payload = _event(seq, note=note)
        full = executor.build_per_event_executor(payload)
        full.fanout_key = None  # plain graphql-core execution, nothing shared
        expected = full.execute_operation(False)
        assert expected.errors is None
        assert projection.data(payload) == expected.data
        assert list(projection.data(payload) or {}) == list(expected.data or {})


@pytest.mark.parametrize("text", NOT_FLAT)
def test_resolvers_arguments_and_nested_objects_need_the_full_execution(text: str) -> None:
    assert projection_for(_executor(text)) is None


def test_a_resolve_hook_that_is_not_leaf_inert_keeps_the_full_execution() -> None:
    text = FLAT[0]
    assert projection_for(_executor(text, middleware=(CountingOpaque(),))) is None
    assert projection_for(_executor(text, middleware=(CountingInert(),))) is not None


def test_a_value_graphql_core_would_refuse_is_left_to_it() -> None:
    executor = _executor("subscription { events(run: $r) { seq must } }")
    projection = projection_for(executor)
    assert projection is not None
    assert projection.data(_event(1, must=None)) is None  # null in a non-null field
    assert projection.data(_event(1, must="ok")) == {"events": {"seq": 1, "must": "ok"}}


async def _run(extension: type[SchemaExtension], events: list[Event]) -> list[ExecutionResult]:
    EVENTS[:] = events
    stream = await _schema(extension).subscribe(
        _document(FLAT[3]), variable_values={"r": "run", "skip": False}
    )
    assert not isinstance(stream, ExecutionResult)
    return [result async for result in stream]


def _datas(results: list[ExecutionResult]) -> list[Any]:
    return [(r.data, r.errors) for r in results]


async def test_after_a_full_first_event_later_events_skip_the_executor() -> None:
    events = [_event(seq) for seq in range(1, 6)]
    ROOT_CALLS.clear()
    projected = await _run(CountingInert, events)
    assert ROOT_CALLS == ["events"]  # the first event ran in full, the rest were projected
    ROOT_CALLS.clear()
    # New payload objects: results are shared per payload object (fanout.py).
    full = await _run(CountingOpaque, [_event(seq) for seq in range(1, 6)])
    assert ROOT_CALLS == ["events"] * 5
    assert _datas(projected) == _datas(full)
    assert [r.data["events"] for r in projected if r.data][1] == {"seq": 2, "note": "n"}
    assert [r.data["events"]["seq"] for r in projected if r.data] == [1, 2, 3, 4, 5]


async def test_an_event_with_an_error_still_gets_graphql_cores_error() -> None:
    events = [_event(1), _event(2, must=None), _event(3)]
    EVENTS[:] = events
    stream = await _schema(CountingInert).subscribe(
        'subscription { events(run: "x") { seq must } }'
    )
    assert not isinstance(stream, ExecutionResult)
    results = [result async for result in stream]
    assert results[0].data == {"events": {"seq": 1, "must": "m"}}
    assert results[1].data is None and results[1].errors
    assert "non-nullable" in str(results[1].errors[0]) or "null" in str(results[1].errors[0])
    assert results[2].data == {"events": {"seq": 3, "must": "m"}}


async def test_live_results_are_projected_and_shared_without_an_executor_copy() -> None:
    executor = _executor(FLAT[0], middleware=(CountingInert(),))
    first = executor.build_per_event_executor(_event(1)).execute_operation(False)
    assert (await first).errors is None  # the first event runs in full: proves the plan
    ROOT_CALLS.clear()
    payload = _event(2)
    live = executor.shared_result(payload)
    assert isinstance(live, GraphQLExecutionResult)  # no execution to wait for
    assert live.data == {"events": {"seq": 2, "stage": "DONE", "at": payload.at.isoformat()}}
    assert executor.shared_result(payload) is live  # identical subscribers share it
    assert ROOT_CALLS == []  # no resolve hook ran: nothing was executed
