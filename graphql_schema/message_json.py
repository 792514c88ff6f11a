"""JSON of GraphQL-over-WebSocket messages, a subscription result's `data` encoded once
and spliced into every socket's message (each socket has its own operation id)."""

from __future__ import annotations

import json
from typing import Any

from graphql_schema.ttl_cache import TtlCache

_encoded: TtlCache[int, tuple[object, str]] = TtlCache()
_DATA_ONLY = frozenset({"data"})


def encode_message(message: object) -> str:
    """JSON for a WebSocket message (or an HTTP body). A subscription result's `data` is
    encoded once and reused for every socket that receives the same result object."""
    if (
        isinstance(message, dict)
        and message.get("type") in ("next", "data")  # graphql-transport-ws, graphql-ws
        and isinstance(message.get("payload"), dict)
        and message["payload"].keys() == _DATA_ONLY
        and isinstance(message["payload"]["data"], dict)
    ):
        prefix = message_prefix(message.get("id"), message["type"])
        return f"{prefix}{encoded_data(message['payload']['data'])}}}}}"
    return _dumps(message)


def message_prefix(operation_id: object, kind: str) -> str:
    """A `next`/`data` message's JSON up to its data (the data and `}}` follow): what
    `encode_message` writes, so a live send can splice a shared `data` in directly."""
    return f'{{"id":{_dumps(operation_id)},"type":"{kind}","payload":{{"data":'


def encoded_data(data: dict[str, Any]) -> str:
    """The JSON of a result's `data`, once per result object however many sockets get it."""
    entry = _encoded.get(id(data))
    if entry is None or entry[0] is not data:
        entry = _encoded.put(id(data), (data, _dumps(data)))
    return entry[1]


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))
