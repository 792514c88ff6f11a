"""HTML -> PDF in a warm, killable WeasyPrint worker process with a wall-clock budget.

Why a separate process: layout of hostile or huge input can run for a long time inside C
code (Pango, HarfBuzz) where a thread cannot be interrupted; a process can be SIGKILLed.
Why warm: starting an interpreter and importing WeasyPrint costs about a second, several
times the render itself, so a pool keeps workers alive between requests and a request
costs one pipe round trip (a few ms, ~3% of a one-page render; see bench/exports.py).
Workers get a scrubbed environment: no service secrets in a process that lays out text
from users and LLMs.

* a worker that misses the deadline is killed and replaced -> ExportError EXPORT_TIMEOUT;
* a worker that dies or fails -> EXPORT_FAILED, and it is not reused;
* workers are recycled after `_JOBS_PER_WORKER` renders to bound memory growth.

Calls block while the worker renders; call from async code via `asyncio.to_thread`.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import selectors
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from app.exports.errors import ExportError
from app.exports.html_writer import render_html
from app.exports.model import ExportDocument
from app.exports.pdf_protocol import HEADER, MAX_MESSAGE, MEMORY_ENV

DEFAULT_TIMEOUT_S = float(os.environ.get("TAILOR_EXPORT_TIMEOUT_S", "30"))
_STARTUP_TIMEOUT_S = 60.0
_JOBS_PER_WORKER = 100
# What Python, fontconfig and Pango need; everything else (DB URLs, API keys) stays out.
_ENV_KEEP = frozenset(
    {
        "PATH",
        "HOME",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "LD_LIBRARY_PATH",
        "VIRTUAL_ENV",
        "FONTCONFIG_FILE",
        "FONTCONFIG_PATH",
        "XDG_CACHE_HOME",
        "XDG_CONFIG_HOME",
        "XDG_DATA_DIRS",
        "XDG_DATA_HOME",
        MEMORY_ENV,
    }
)


@dataclass(frozen=True)
class PdfResult:
    data: bytes
    # Every URL WeasyPrint asked the fetcher for; all were refused except data: URLs.
    requested_urls: list[str]


class _WorkerGone(Exception):
    """The worker exited or closed its pipe mid-request."""


class _Deadline(Exception):
    """The request did not finish in time."""


class _Worker:
    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if k in _ENV_KEEP or k.startswith("LC_")}
        # The worker must import exactly what the parent can (the app package included).
        repo_root = str(Path(__file__).resolve().parents[2])
        paths = [repo_root, *(os.path.abspath(p) for p in sys.path if p)]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app.exports.pdf_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            bufsize=0,
            close_fds=True,
        )
        self.jobs = 0
        try:
            ready, _ = self._read_reply(time.monotonic() + _STARTUP_TIMEOUT_S)
        except (_WorkerGone, _Deadline, ValueError) as exc:
            self.kill()
            raise ExportError("EXPORT_FAILED", "The PDF renderer could not start.") from exc
        if not ready.get("ready"):
            self.kill()
            raise ExportError("EXPORT_FAILED", "The PDF renderer could not start.")

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

    def render(self, html: bytes, deadline: float) -> tuple[dict[str, Any], bytes]:
        self.jobs += 1
        body = json.dumps({"html_len": len(html)}).encode()
        self._write(HEADER.pack(len(body)) + body + html, deadline)
        return self._read_reply(deadline)

    def _write(self, data: bytes, deadline: float) -> None:
        fd = cast(BinaryIO, self.proc.stdin).fileno()
        view = memoryview(data)
        try:
            with selectors.DefaultSelector() as sel:
                sel.register(fd, selectors.EVENT_WRITE)
                while view:
                    timeout = deadline - time.monotonic()
                    if timeout <= 0 or not sel.select(timeout):
                        raise _Deadline
                    view = view[os.write(fd, view[: 1 << 16]) :]
        except OSError as exc:  # BrokenPipeError: the worker is gone
            raise _WorkerGone from exc

    def _read_reply(self, deadline: float) -> tuple[dict[str, Any], bytes]:
        (length,) = HEADER.unpack(self._read_exact(HEADER.size, deadline))
        if length > MAX_MESSAGE:
            raise _WorkerGone
        header = json.loads(self._read_exact(length, deadline))
        if not isinstance(header, dict):
            raise _WorkerGone
        pdf_len = int(header.get("pdf_len", 0))
        if pdf_len > MAX_MESSAGE:
            raise _WorkerGone
        return header, self._read_exact(pdf_len, deadline)

    def _read_exact(self, n: int, deadline: float) -> bytes:
        fd = cast(BinaryIO, self.proc.stdout).fileno()
        chunks: list[bytes] = []
        remaining = n
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while remaining:
                timeout = deadline - time.monotonic()
                if timeout <= 0 or not sel.select(timeout):
                    raise _Deadline
                chunk = os.read(fd, min(remaining, 1 << 20))
                if not chunk:
                    raise _WorkerGone
                chunks.append(chunk)
                remaining -= len(chunk)
        return b"".join(chunks)


class WorkerPool:
    """Thread-safe pool of warm PDF workers, started lazily, at most `size` at once."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._idle: list[_Worker] = []
        self._count = 0
        self._cond = threading.Condition()
        self._pid = os.getpid()

    def _reset_after_fork(self) -> None:
        # Workers belong to the process that started them; a forked child starts afresh.
        if self._pid != os.getpid():
            self._idle, self._count, self._pid = [], 0, os.getpid()
            self._cond = threading.Condition()

    def acquire(self) -> _Worker:
        self._reset_after_fork()
        with self._cond:
            while True:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive():
                        return worker
                    worker.kill()
                    self._count -= 1
                if self._count < self.size:
                    self._count += 1
                    break
                self._cond.wait()
        try:
            return _Worker()
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def release(self, worker: _Worker, *, reuse: bool) -> None:
        with self._cond:
            if reuse and worker.alive() and worker.jobs < _JOBS_PER_WORKER:
                self._idle.append(worker)
            else:
                worker.kill()
                self._count -= 1
            self._cond.notify()

    def idle_pids(self) -> list[int]:
        with self._cond:
            return [w.pid for w in self._idle]

    def warm_up(self, n: int = 1) -> None:
        """Start up to `n` workers now so the first export does not pay start-up cost."""
        started = [self.acquire() for _ in range(min(n, self.size))]
        for worker in started:
            self.release(worker, reuse=True)

    def shutdown(self) -> None:
        with self._cond:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for worker in idle:
            worker.kill()


_POOL = WorkerPool(int(os.environ.get("TAILOR_EXPORT_WORKERS", "0")) or min(2, os.cpu_count() or 1))
atexit.register(_POOL.shutdown)


def default_pool() -> WorkerPool:
    return _POOL


def html_to_pdf(
    html: str, *, timeout_s: float = DEFAULT_TIMEOUT_S, pool: WorkerPool | None = None
) -> PdfResult:
    """Render trusted-shell HTML to PDF in a worker; kill it if it exceeds `timeout_s`.

    The budget covers the render only; starting a worker (first call, or after a kill)
    has its own start-up limit.
    """
    if timeout_s <= 0:
        raise ValueError("timeout_s must be positive")
    pool = pool or _POOL
    worker = pool.acquire()
    reuse = False
    try:
        header, pdf = worker.render(html.encode("utf-8", "replace"), time.monotonic() + timeout_s)
    except _Deadline:
        raise ExportError(
            "EXPORT_TIMEOUT",
            f"Rendering the PDF took longer than {timeout_s:g} s and was stopped. "
            "Try a shorter document or another format.",
        ) from None
    except (_WorkerGone, ValueError):  # ValueError: JSON garbage from a dying worker
        raise ExportError("EXPORT_FAILED", "The PDF renderer crashed. Try again.") from None
    else:
        reuse = not header.get("recycle", False)
    finally:
        pool.release(worker, reuse=reuse)
    if "error" in header or not pdf.startswith(b"%PDF-"):
        raise ExportError("EXPORT_FAILED", "The PDF could not be rendered.")
    requested = header.get("requested", [])
    return PdfResult(pdf, [str(u) for u in requested] if isinstance(requested, list) else [])


def render_pdf(
    doc: ExportDocument,
    template: str = "classic",
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    pool: WorkerPool | None = None,
) -> bytes:
    """The document as PDF, laid out by WeasyPrint from `render_html` + template CSS."""
    return html_to_pdf(render_html(doc, template), timeout_s=timeout_s, pool=pool).data
