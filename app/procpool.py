"""A pool of warm, killable worker subprocesses speaking framed JSON over stdin/stdout.

Shared by the document-parsing sandbox (`app.documents.sandbox`) and the PDF renderer
(`app.exports.pdf`). Each worker is `python -m <module>` with the repository on its
PYTHONPATH; it reports `{"ready": true}` once warm and then serves one request at a time.

Wire format (both directions): 4-byte big-endian length + JSON header, optionally
followed by raw payload bytes whose length the header announces. What the header holds
is up to each caller; this module only moves frames and bytes.

Parent side: `Worker` (spawn, deadline-bounded framed reads/writes, kill) and
`WorkerPool` (thread-safe, lazily started, bounded, fork-safe, recycling workers after
`jobs_per_worker` requests). Reads and deadline-bounded writes raise `WorkerTimeout`
when the deadline passes and `WorkerGone` when the worker exits or closes its pipe;
callers map those to their own error types.

Child side: `read_exact`, `send` and `set_memory_limit`.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, BinaryIO, cast

HEADER = struct.Struct(">I")
_CHUNK = 1 << 20
_WRITE_CHUNK = 1 << 16


class WorkerGone(Exception):
    """The worker exited or closed its pipe mid-request."""


class WorkerTimeout(Exception):
    """The request did not finish in time."""


def _repo_root() -> str:
    return str(Path(__file__).resolve().parents[1])


# --- parent side ---------------------------------------------------------------------


def _wait(sel: selectors.BaseSelector, deadline: float) -> None:
    """Block until `sel` is ready, or raise `WorkerTimeout` once `deadline` has passed."""
    timeout = deadline - time.monotonic()
    if timeout <= 0 or not sel.select(timeout):
        raise WorkerTimeout


class Worker:
    """One worker process: `python -m module` fed over a pipe.

    `env` is the worker's base environment; PYTHONPATH is set so the worker imports
    exactly what the parent can (the app package and, in tests, helper modules on
    sys.path). Start-up waits up to `startup_timeout_s` for the ready message; if reading
    it raises one of `startup_errors`, or the message is not `{"ready": true}`, the
    worker is killed and `start_failed(exc)` is raised (`exc` is None for a bad message).
    """

    def __init__(
        self,
        module: str,
        env: Mapping[str, str],
        *,
        max_message: int,
        startup_timeout_s: float,
        start_failed: Callable[[BaseException | None], Exception],
        startup_errors: tuple[type[BaseException], ...] = (WorkerGone, WorkerTimeout),
    ) -> None:
        self.max_message = max_message
        child_env = dict(env)
        paths = [_repo_root(), *(os.path.abspath(p) for p in sys.path if p)]
        child_env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        child_env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=child_env,
            bufsize=0,
            close_fds=True,
        )
        self.jobs = 0
        try:
            ready = self.read_message(time.monotonic() + startup_timeout_s)
        except startup_errors as exc:
            self.kill()
            raise start_failed(exc) from exc
        if not ready.get("ready"):
            self.kill()
            raise start_failed(None)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()

    def write_blocking(self, *chunks: bytes) -> None:
        """Write `chunks` to the worker, blocking until the pipe takes them."""
        stdin = cast(BinaryIO, self.proc.stdin)
        try:
            for chunk in chunks:
                stdin.write(chunk)
            stdin.flush()
        except (BrokenPipeError, OSError, ValueError) as exc:
            raise WorkerGone from exc

    def write(self, data: bytes, deadline: float) -> None:
        """Write `data` to the worker, giving up with `WorkerTimeout` at `deadline`."""
        fd = cast(BinaryIO, self.proc.stdin).fileno()
        view = memoryview(data)
        try:
            with selectors.DefaultSelector() as sel:
                sel.register(fd, selectors.EVENT_WRITE)
                while view:
                    _wait(sel, deadline)
                    view = view[os.write(fd, view[:_WRITE_CHUNK]) :]
        except OSError as exc:  # BrokenPipeError: the worker is gone
            raise WorkerGone from exc

    def read_message(self, deadline: float) -> dict[str, Any]:
        """One framed JSON object. JSON decoding errors propagate as ValueError."""
        (length,) = HEADER.unpack(self.read_exact(HEADER.size, deadline))
        if length > self.max_message:
            raise WorkerGone
        message = json.loads(self.read_exact(length, deadline))
        if not isinstance(message, dict):
            raise WorkerGone
        return message

    def read_exact(self, n: int, deadline: float) -> bytes:
        fd = cast(BinaryIO, self.proc.stdout).fileno()
        chunks: list[bytes] = []
        remaining = n
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while remaining:
                _wait(sel, deadline)
                chunk = os.read(fd, min(remaining, _CHUNK))
                if not chunk:
                    raise WorkerGone
                chunks.append(chunk)
                remaining -= len(chunk)
        return b"".join(chunks)


class WorkerPool:
    """Thread-safe pool of warm workers, started lazily, at most `size` at once.

    `start` makes a new (ready) worker; a worker is recycled once it has served
    `jobs_per_worker` requests.
    """

    def __init__(self, size: int, start: Callable[[], Worker], *, jobs_per_worker: int) -> None:
        self.size = max(1, size)
        self._start = start
        self._jobs_per_worker = jobs_per_worker
        self._idle: list[Worker] = []
        self._count = 0
        self._cond = threading.Condition()
        self._pid = os.getpid()

    def _reset_after_fork(self) -> None:
        # Workers belong to the process that started them; a forked child starts afresh.
        if self._pid != os.getpid():
            self._idle, self._count, self._pid = [], 0, os.getpid()
            self._cond = threading.Condition()

    def acquire(self) -> Worker:
        self._reset_after_fork()
        with self._cond:
            while True:
                idle = self._pop_idle()
                if idle is not None:
                    return idle
                if self._count < self.size:
                    self._count += 1
                    break
                self._cond.wait()
        try:
            return self._start()
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def acquire_idle(self) -> Worker | None:
        """A warm idle worker, or None: never starts one or waits (callable from an
        event loop; the caller bounds how many workers it takes at once)."""
        self._reset_after_fork()
        with self._cond:
            return self._pop_idle()

    def _pop_idle(self) -> Worker | None:
        """A live idle worker (dead ones are dropped, freeing their slot); call holding
        the condition."""
        while self._idle:
            worker = self._idle.pop()
            if worker.alive():
                return worker
            worker.kill()
            self._count -= 1
            self._cond.notify()
        return None

    def release(self, worker: Worker, *, reuse: bool) -> None:
        with self._cond:
            if reuse and worker.alive() and worker.jobs < self._jobs_per_worker:
                self._idle.append(worker)
            else:
                worker.kill()
                self._count -= 1
            self._cond.notify()

    def idle_pids(self) -> list[int]:
        with self._cond:
            return [w.pid for w in self._idle]

    def warm_up(self, n: int = 1) -> None:
        """Start up to `n` workers now so the first request does not pay start-up cost."""
        started = [self.acquire() for _ in range(min(n, self.size))]
        for worker in started:
            self.release(worker, reuse=True)

    def shutdown(self) -> None:
        with self._cond:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for worker in idle:
            worker.kill()


# --- child side ----------------------------------------------------------------------


def protocol_stdout() -> BinaryIO:
    """The child's private handle on stdout, the protocol channel; fd 1 (and sys.stdout)
    then point at stderr, so stray prints from libraries cannot corrupt the stream."""
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return out


def read_exact(inp: BinaryIO, n: int) -> bytes | None:
    """Exactly `n` bytes from `inp`, or None if it closes first."""
    buf = bytearray()
    while len(buf) < n:
        chunk = inp.read(n - len(buf))
        if not chunk:
            return None
        buf.extend(chunk)
    return bytes(buf)


def send(
    out: BinaryIO, header: dict[str, Any], payload: bytes = b"", *, ensure_ascii: bool = True
) -> None:
    """Write one frame (`header` as JSON, then `payload`) to `out` and flush."""
    if ensure_ascii:
        body = json.dumps(header).encode()
    else:
        body = json.dumps(header, ensure_ascii=False).encode("utf-8", "surrogatepass")
    out.write(HEADER.pack(len(body)) + body + payload)
    out.flush()


def set_memory_limit(memory_mb: int | None) -> None:
    """Lower the RLIMIT_AS soft limit to `memory_mb` (None: back up to the hard limit)."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if memory_mb is None:
        soft = hard
    else:
        soft = memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
