"""Subscription fan-out: run a subscription's selection once per (event, document,
variables, visibility) and serialise each result once, however many sockets receive it.

graphql-core executes a subscription's selection set for every subscriber and every event,
and the WebSocket handler then JSON-encodes each message per socket: with 200 sockets on
one job that is 200 identical executions (and, for `JobEvent.job`, 200 identical database
reads) per event. Apollo Router de-duplicates identical subscriptions the same way.

* Resolvers yield `shared_payload(key, build)`: equal events get the same payload object.
* `FanoutExecutionContext` keys each per-event execution on that payload object, the
  operation, its variables and the caller's principal (who may see what), and hands the
  first execution's result to every identical subscriber.
* `message_json.encode_message` (the view's JSON encoder) serialises a result's `data` once
  and splices it into each socket's message.
* After a subscription's first event, its later events skip graphql-core's and Strawberry's
  per-subscriber result pipeline: `live_send.send_live` writes the shared encoded data
  (`shared_data_json`) behind its socket's own message prefix.

Entries live a few seconds: long enough for one event to reach every socket, short enough
that a late subscriber replaying history gets fields such as `JobEvent.job` as they are now.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar, cast

from graphql import ExecutionResult, OperationDefinitionNode
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphql_schema.event_projection import Projection, projection_for
from graphql_schema.live_send import remember_executor
from graphql_schema.message_json import encoded_data
from graphql_schema.ttl_cache import TtlCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


_payloads: TtlCache[Hashable, Any] = TtlCache()


def shared_payload(key: K, build: Callable[[K], V]) -> V:
    """The one payload object for an event (equal keys: the same object)."""
    cached = _payloads.get(key)
    if cached is None:
        cached = _payloads.put(key, build(key))
    return cast(V, cached)


# Values hold the payload they were keyed on by id(), so that id cannot be reused by another
# object while the entry lives.
_results: TtlCache[tuple[Hashable, ...], tuple[Any, Any, Awaitable[ExecutionResult]]] = TtlCache()


class _EventPlan:
    """A subscription's events as a projection (event_projection.py), shared by its
    per-event executors; used once one of its events ran in full without an error."""

    __slots__ = ("projection", "proven")

    def __init__(self, projection: Projection | None) -> None:
        self.projection = projection
        self.proven = False

    def prove(self, result: ExecutionResult) -> None:
        if not result.errors:
            self.proven = True

    def prove_later(self, future: asyncio.Future[ExecutionResult]) -> None:
        if not future.cancelled() and future.exception() is None:
            self.prove(future.result())


class _SubscriptionKey:
    """(document, variables, principal), one object per distinct value while any
    subscription or cache entry holds it (`_subscription_key`): every live event of every
    subscriber looks a result up by it, and an identity hash and compare beat hashing and
    comparing the principal (a dataclass of UUIDs) per socket per event."""

    __slots__ = ("__weakref__", "parts")

    def __init__(self, parts: tuple[Hashable, ...]) -> None:
        self.parts = parts


_subscription_keys: weakref.WeakValueDictionary[tuple[Hashable, ...], _SubscriptionKey] = (
    weakref.WeakValueDictionary()
)


def _subscription_key(parts: tuple[Hashable, ...]) -> _SubscriptionKey:
    key = _subscription_keys.get(parts)
    if key is None:
        key = _SubscriptionKey(parts)
        _subscription_keys[parts] = key
    return key


class FanoutExecutionContext(StrawberryGraphQLCoreExecutionContext):
    fanout_key: tuple[Hashable, ...] | None = None
    # (document, variables, principal) of a subscription: worked out at its first event,
    # not at every event of every subscriber.
    _subscription_key: _SubscriptionKey | None = None
    _events: _EventPlan | None = None

    def build_per_event_executor(self, payload: Any) -> FanoutExecutionContext:
        if self._events is None:  # before the copy: every event's executor shares it
            self._events = _EventPlan(projection_for(self))
        executor = cast(FanoutExecutionContext, super().build_per_event_executor(payload))
        if self._subscription_key is None:
            variables = json.dumps(self.variable_values.coerced, sort_keys=True, default=str)
            principal = getattr(self.context_value, "principal", None)
            self._subscription_key = _subscription_key(
                (_document_key(self.operation), variables, principal)
            )
        executor.fanout_key = (id(payload), self._subscription_key)
        remember_executor(self)  # later events of this subscription can skip the pipeline
        return executor

    def shared_result(self, payload: Any) -> ExecutionResult | Awaitable[ExecutionResult]:
        """This subscription's result for `payload`: the shared one when an identical
        subscriber already has it (no executor copy), else executed (and shared) now."""
        if self._subscription_key is not None:
            key = (id(payload), self._subscription_key)
            entry = _results.get(key)
            if entry is not None and entry[0] is payload:
                future = entry[2]
                if isinstance(future, asyncio.Future) and future.done():
                    return cast(ExecutionResult, future.result())
                return _shared(future)
            projected = self._projected(payload)
            if projected is not None:  # shared as an execution would be, without a copy
                _results.put(key, (payload, self.operation, _done(projected)))
                return projected
        result = self.build_per_event_executor(payload).execute_operation(False)
        return cast(ExecutionResult | Awaitable[ExecutionResult], result)

    def shared_data_json(self, payload: Any) -> str | Awaitable[str | None] | None:
        """The JSON of this subscription's `data` for `payload`, serialised once for every
        identical subscriber; None when the result carries errors (or no data): the
        ordinary path then reports them with their codes."""
        result = self.shared_result(payload)
        if isinstance(result, ExecutionResult):
            return _data_json(result)
        return _data_json_later(result)

    def execute_operation(self, serially: bool | None = None) -> Any:
        key = self.fanout_key
        if key is None:  # queries, mutations, and a subscription's source resolver
            return super().execute_operation(serially)
        entry = _results.get(key)
        if entry is None:
            result = self._projected(self.root_value) or super().execute_operation(serially)
            future: asyncio.Future[ExecutionResult] = (
                asyncio.ensure_future(result) if self.is_awaitable(result) else _done(result)
            )
            plan = self._events
            if plan is not None and not plan.proven:
                if future.done():
                    plan.prove_later(future)
                else:
                    future.add_done_callback(plan.prove_later)
            entry = _results.put(key, (self.root_value, self.operation, future))
        return _shared(entry[2])

    def _projected(self, payload: Any) -> ExecutionResult | None:
        """The event's result without graphql-core's executor, when the subscription's
        selection allows it and an earlier event ran in full without an error."""
        plan = self._events
        if plan is None or not plan.proven or plan.projection is None:
            return None
        data = plan.projection.data(payload)
        return None if data is None else ExecutionResult(data, None)


def _document_key(operation: OperationDefinitionNode) -> Hashable:
    """The operation's source text (two parses of one text are one document), else the
    node itself."""
    if operation.loc is not None:
        name = operation.name.value if operation.name else None
        return (operation.loc.source.body, name)
    return operation


def _done(result: Any) -> asyncio.Future[ExecutionResult]:
    future: asyncio.Future[ExecutionResult] = asyncio.get_running_loop().create_future()
    future.set_result(cast(ExecutionResult, result))
    return future


def _data_json(result: ExecutionResult) -> str | None:
    if result.errors or result.data is None:
        return None
    return encoded_data(result.data)


async def _data_json_later(result: Awaitable[ExecutionResult]) -> str | None:
    return _data_json(await result)


async def _shared(future: Awaitable[ExecutionResult]) -> ExecutionResult:
    # shield: one subscriber going away must not cancel the execution the others share.
    return await asyncio.shield(future)
