"""The worker's side of the engine-process pipe, on the event loop.

A request is written and its reply read with the loop's own readiness callbacks
(`add_writer` / `add_reader`) on the pipe's file descriptors: no thread per call and no
selector per read, which is what a blocking exchange in `asyncio.to_thread` cost the
worker on every job. The deadline and cancellation belong to the caller
(`asyncio.timeout`, task cancellation): both leave the pipe mid-message, so the caller
must kill the process then (`EnginePool.compute` does).

Wire format: `app.procpool` framing (4-byte big-endian length + JSON header), the
header announcing the payload's parts in bytes (`lengths`), or an `error`.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import orjson

from app.procpool import HEADER, WorkerGone

_READ_CHUNK = 1 << 20


async def write_all(fd: int, data: bytes) -> None:
    """Write `data` to the non-blocking pipe `fd`, waiting on the loop while it is full.
    WorkerGone if the reader is gone."""
    view = memoryview(data)
    loop = asyncio.get_running_loop()
    while view:
        try:
            view = view[os.write(fd, view) :]
            continue
        except BlockingIOError:
            pass
        except OSError as exc:  # BrokenPipeError: the process is gone
            raise WorkerGone from exc
        writable = loop.create_future()
        loop.add_writer(fd, writable.set_result, None)
        try:
            await writable
        finally:
            loop.remove_writer(fd)


class _Reply:
    """One framed reply, assembled from whatever each readable event brings."""

    def __init__(self, fd: int, max_message: int, done: asyncio.Future[Any]) -> None:
        self.fd, self.max_message, self.done = fd, max_message, done
        self.buffer = bytearray()
        self.header: dict[str, Any] | None = None
        self.total = HEADER.size  # bytes the whole reply takes, once the header is read

    def on_readable(self) -> None:
        if self.done.done():
            return
        try:
            chunk = os.read(self.fd, _READ_CHUNK)
            if not chunk:
                raise WorkerGone  # the process exited or closed its end
            self.buffer += chunk
            self._advance()
        except Exception as exc:  # handed to the awaiting caller
            self.done.set_exception(exc)

    def _advance(self) -> None:
        if self.header is None and len(self.buffer) >= HEADER.size:
            (length,) = HEADER.unpack_from(self.buffer)
            if length > self.max_message:
                raise WorkerGone
            self.total = HEADER.size + length
            if len(self.buffer) < self.total:
                return
            header = orjson.loads(self.buffer[HEADER.size : self.total])
            if not isinstance(header, dict):
                raise WorkerGone
            payload = 0 if "error" in header else sum(header["lengths"])
            if payload > self.max_message:
                raise WorkerGone
            self.header, self.total = header, self.total + payload
        if self.header is not None and len(self.buffer) >= self.total:
            start = self.total - (0 if "error" in self.header else sum(self.header["lengths"]))
            self.done.set_result((self.header, memoryview(self.buffer)[start : self.total]))


async def read_reply(fd: int, max_message: int) -> tuple[dict[str, Any], memoryview]:
    """One framed reply from pipe `fd`: its header and its payload bytes. WorkerGone if the
    process ends first; ValueError/KeyError/TypeError for a malformed header."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[tuple[dict[str, Any], memoryview]] = loop.create_future()
    reply = _Reply(fd, max_message, done)
    loop.add_reader(fd, reply.on_readable)
    try:
        return await done
    finally:
        loop.remove_reader(fd)
