"""Live events straight to the socket: the shared result of an event is sent by the
subscription's own task, without a trip through graphql-core's and Strawberry's
per-subscriber result pipeline.

With 200 sockets on a job the selection already ran once per event (fanout.py), but each
subscriber still paid, per event: an executor copy, graphql-core's event mapping, Strawberry's
result handling and its extension hooks, before its socket write. That was more than half
of the API's CPU per delivery. Now a subscription's first event takes the ordinary path
(which also records the subscription's executor, its middleware and its caller), and
every later event whose shared result carries no error is written by `send_live` as the
same message the pipeline would have written. A result with errors, or a subscription the
client has stopped, falls back to the ordinary path, so error codes, masking and the
protocols' completion rules stay Strawberry's.

Order and back-pressure stay per subscriber: the subscription's task sends its own events
one after the other, as before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from graphql_schema.message_json import message_prefix
from graphql_schema.ws import ReasonedWebSocketAdapter


@dataclass(frozen=True)
class LiveTarget:
    """Where the current subscription's messages go: the socket, and its messages' JSON up
    to the data (`{"id":…,"type":"next","payload":{"data":`), made once per operation."""

    prefix: str
    send_text: Callable[[str], Awaitable[None]]
    alive: Callable[[], bool]


# Both are set inside a subscription's own task: the target by the protocol handler when
# the operation starts, the executor by graphql-core's first per-event execution.
_target: ContextVar[LiveTarget | None] = ContextVar("live_target", default=None)
_executor: ContextVar[Any] = ContextVar("live_executor", default=None)


def remember_executor(executor: Any) -> None:
    """Called with the subscription's executor when graphql-core maps an event."""
    _executor.set(executor)


async def send_live(payload: Any) -> bool:
    """Send the subscription's result for `payload` directly; False: yield it instead."""
    target, executor = _target.get(), _executor.get()
    if target is None or executor is None or not target.alive():
        return False
    data = executor.shared_data_json(payload)  # the same text for every identical socket
    if data is not None and not isinstance(data, str):
        data = await data
        if not target.alive():
            return False
    if data is None:
        return False  # the ordinary path gives errors their codes (same shared result)
    await target.send_text(f"{target.prefix}{data}}}}}")
    return True


def _live_target(
    websocket: Any, operation_id: str, kind: str, alive: Callable[[], bool]
) -> LiveTarget | None:
    """None when the socket's adapter cannot send encoded text (the ordinary path then
    sends every event)."""
    if not isinstance(websocket, ReasonedWebSocketAdapter):
        return None
    return LiveTarget(message_prefix(operation_id, kind), websocket.send_text, alive)


class LiveTransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """graphql-transport-ws: each operation's task knows where its `next` messages go."""

    async def run_operation(self, operation: Operation[Any, Any]) -> None:
        def alive() -> bool:
            return not operation.completed and self.operations.get(operation.id) is operation

        _target.set(_live_target(self.websocket, operation.id, "next", alive))
        await super().run_operation(operation)


class LiveWSHandler(BaseGraphQLWSHandler[Any, Any]):
    """Legacy graphql-ws: the same, with `data` messages."""

    async def handle_async_results(
        self,
        operation_id: str,
        query: str,
        operation_name: str | None,
        variables: dict[str, object] | None,
    ) -> None:
        def alive() -> bool:
            return operation_id in self.tasks

        _target.set(_live_target(self.websocket, operation_id, "data", alive))
        await super().handle_async_results(operation_id, query, operation_name, variables)
