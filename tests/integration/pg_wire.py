"""A TCP proxy in front of the test Postgres that counts the client's round trips.

Every exchange a client waits for ends with a Sync ('S', extended protocol: prepared
statements) or is one Query ('Q', simple protocol: BEGIN, ROLLBACK, COMMIT). The proxy
reads the client's messages as they pass (after the untyped SSL request and startup
packet, each is a type byte and a length) and counts those two kinds.
"""

from __future__ import annotations

import asyncio
import struct
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

SSL_REQUEST = 80877103
GSS_REQUEST = 80877104
ROUND_TRIP_ENDS = {b"S", b"Q"}


class WireCounter:
    def __init__(self) -> None:
        self.messages: Counter[bytes] = Counter()

    @property
    def round_trips(self) -> int:
        return sum(self.messages[kind] for kind in ROUND_TRIP_ENDS)

    def reset(self) -> None:
        self.messages.clear()


async def _pipe_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


async def _pipe_client(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, counter: WireCounter
) -> None:
    try:
        while True:  # untyped packets until the startup message
            length = struct.unpack("!i", await reader.readexactly(4))[0]
            body = await reader.readexactly(length - 4)
            writer.write(struct.pack("!i", length) + body)
            await writer.drain()
            if struct.unpack("!i", body[:4])[0] not in (SSL_REQUEST, GSS_REQUEST):
                break
        while True:
            kind = await reader.readexactly(1)
            length = struct.unpack("!i", await reader.readexactly(4))[0]
            body = await reader.readexactly(length - 4)
            counter.messages[kind] += 1
            writer.write(kind + struct.pack("!i", length) + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


@asynccontextmanager
async def counting_proxy(host: str, port: int) -> AsyncIterator[tuple[int, WireCounter]]:
    """(the proxy's port, its counter) while the block runs."""
    counter = WireCounter()
    tasks: set[asyncio.Task[None]] = set()

    async def accept(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(host, port)
        for pipe in (_pipe_client(client_r, server_w, counter), _pipe_server(server_r, client_w)):
            task = asyncio.create_task(pipe)
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1], counter
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        await server.wait_closed()
