"""Subscription fan-out: identical subscribers share one execution per event and one
serialisation per message; anything that differs (principal, variables) executes apart."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.types import ExecutionResult, Info

from app.auth.principal import Principal
from graphql_schema.fanout import FanoutExecutionContext, shared_payload
from graphql_schema.message_json import encode_message, encoded_data, message_prefix

resolved: list[tuple[str, int]] = []


@strawberry.type
class Tick:
    run: str
    n: int

    @strawberry.field
    def doubled(self) -> int:
        resolved.append((self.run, self.n))  # one entry per execution of the selection
        return self.n * 2


@strawberry.type
class Query:
    ok: bool = True


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def ticks(
        self, info: Info[Any, None], run: str, upto: int, gate: str
    ) -> AsyncGenerator[Tick, None]:
        for n in range(upto):
            await GATES[gate].wait()  # every subscriber is at the same event
            yield shared_payload((run, n), lambda key: Tick(run=key[0], n=key[1]))


GATES: dict[str, asyncio.Event] = {}
schema = strawberry.Schema(
    query=Query, subscription=Subscription, execution_context_class=FanoutExecutionContext
)
QUERY = "subscription($run: String!, $upto: Int!, $gate: String!) { ticks(run: $run, upto: $upto, gate: $gate) { n doubled } }"


@dataclass
class Ctx:
    principal: Principal


async def _collect(principal: Principal, run: str, upto: int, gate: str) -> list[ExecutionResult]:
    stream = await schema.subscribe(
        QUERY,
        variable_values={"run": run, "upto": upto, "gate": gate},
        context_value=Ctx(principal),
    )
    assert not isinstance(stream, ExecutionResult)
    return [r async for r in stream]


async def _fan_out(principals: list[Principal], upto: int = 3) -> list[list[ExecutionResult]]:
    run, gate = uuid.uuid4().hex, uuid.uuid4().hex
    GATES[gate] = asyncio.Event()
    tasks = [asyncio.create_task(_collect(p, run, upto, gate)) for p in principals]
    await asyncio.sleep(0)  # every subscriber reaches the gate
    GATES[gate].set()
    results = await asyncio.gather(*tasks)
    assert all(len(r) == upto for r in results)
    return results


async def test_identical_subscribers_share_one_execution_per_event() -> None:
    reader = Principal(user_id=uuid.uuid4())
    before = len(resolved)
    results = await _fan_out([reader] * 5)
    assert len(resolved) - before == 3  # not 15
    for per_socket in zip(*results, strict=True):
        first = per_socket[0]
        assert all(r.data is first.data for r in per_socket)  # the same result object
    assert [r.data for r in results[0]] == [{"ticks": {"n": n, "doubled": 2 * n}} for n in range(3)]


async def test_a_different_principal_executes_apart() -> None:
    one, other = Principal(user_id=uuid.uuid4()), Principal(user_id=uuid.uuid4())
    keyed = Principal(user_id=one.user_id, api_key_id=uuid.uuid4(), scopes=frozenset({"jobs:read"}))
    before = len(resolved)
    results = await _fan_out([one, other, keyed, one])
    assert len(resolved) - before == 3 * 3  # three visibilities, three events each
    assert results[0][0].data is results[3][0].data
    assert results[0][0].data is not results[1][0].data


def test_a_shared_result_is_encoded_once_and_spliced_per_socket() -> None:
    data = {"jobProgress": {"seq": 3, "status": "RUNNING", "message": 'say "hi" ü'}}
    for kind, op_id in (("next", "1"), ("next", 'odd"id'), ("data", "7")):
        message = {"id": op_id, "type": kind, "payload": {"data": data}}
        assert json.loads(encode_message(message)) == message
    with_errors = {"id": "1", "type": "next", "payload": {"data": data, "errors": [{"m": 1}]}}
    assert json.loads(encode_message(with_errors)) == with_errors
    assert json.loads(encode_message({"type": "pong"})) == {"type": "pong"}


def test_a_live_send_writes_what_the_view_would_encode() -> None:
    """send_live splices the shared data behind a per-operation prefix: byte for byte the
    message Strawberry's path (encode_message) writes, for both protocols."""
    data = {"jobProgress": {"seq": 4, "status": "RUNNING", "message": 'a "quoted" \\ ü'}}
    for kind, op_id in (("next", "1"), ("next", 'odd"id\\'), ("data", "legacy-7")):
        message = {"id": op_id, "type": kind, "payload": {"data": data}}
        live = f"{message_prefix(op_id, kind)}{encoded_data(data)}}}}}"
        assert live == encode_message(message)
        assert json.loads(live) == message
