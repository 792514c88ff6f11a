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
import json
import os
import time
from dataclasses import dataclass
from typing import Any

from app import procpool
from app.exports.errors import ExportError
from app.exports.html_writer import render_html
from app.exports.model import RenderDocument
from app.exports.pdf_protocol import HEADER, MAX_MESSAGE, MEMORY_ENV
from app.procpool import Worker, WorkerGone, WorkerTimeout

DEFAULT_TIMEOUT_S = 30.0
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
    }
)


@dataclass
class _Limits:
    """Set from Settings at start-up (`configure`); the defaults are Settings' defaults."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int | None = None  # None: the worker's own default


_LIMITS = _Limits()


@dataclass(frozen=True)
class PdfResult:
    data: bytes
    # Every URL WeasyPrint asked the fetcher for; all were refused except data: URLs.
    requested_urls: list[str]


def _start_failed(exc: BaseException | None) -> ExportError:
    return ExportError("EXPORT_FAILED", "The PDF renderer could not start.")


def _worker_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _ENV_KEEP or k.startswith("LC_")}
    if _LIMITS.memory_mb is not None:
        env[MEMORY_ENV] = str(_LIMITS.memory_mb)  # the worker caps its own address space
    return env


def _start_worker() -> Worker:
    return Worker(
        "app.exports.pdf_worker",
        _worker_env(),
        max_message=MAX_MESSAGE,
        startup_timeout_s=_STARTUP_TIMEOUT_S,
        start_failed=_start_failed,
        startup_errors=(WorkerGone, WorkerTimeout, ValueError),
    )


class WorkerPool(procpool.WorkerPool):
    """Thread-safe pool of warm PDF workers, started lazily, at most `size` at once."""

    def __init__(self, size: int) -> None:
        super().__init__(size, _start_worker, jobs_per_worker=_JOBS_PER_WORKER)


def _render(worker: Worker, html: bytes, deadline: float) -> tuple[dict[str, Any], bytes]:
    worker.jobs += 1
    body = json.dumps({"html_len": len(html)}).encode()
    worker.write(HEADER.pack(len(body)) + body + html, deadline)
    header = worker.read_message(deadline)
    pdf_len = int(header.get("pdf_len", 0))
    if pdf_len > MAX_MESSAGE:
        raise WorkerGone
    return header, worker.read_exact(pdf_len, deadline)


# Workers start lazily, so creating the pool at import costs nothing; its size and the
# limits come from Settings through `configure` (app.runtime does it at start-up).
_POOL = WorkerPool(min(2, os.cpu_count() or 1))
atexit.register(_POOL.shutdown)


def default_pool() -> WorkerPool:
    return _POOL


def configure(*, workers: int, timeout_s: float, memory_mb: int) -> None:
    """Size the default pool (0 keeps one per core, at most 2) and set the render budget
    and each worker's memory cap (workers started from now on)."""
    if workers > 0:
        _POOL.size = workers
    _LIMITS.timeout_s = timeout_s
    _LIMITS.memory_mb = memory_mb


def html_to_pdf(
    html: str, *, timeout_s: float | None = None, pool: WorkerPool | None = None
) -> PdfResult:
    """Render trusted-shell HTML to PDF in a worker; kill it if it exceeds `timeout_s`.

    The budget covers the render only; starting a worker (first call, or after a kill)
    has its own start-up limit.
    """
    timeout_s = _LIMITS.timeout_s if timeout_s is None else timeout_s
    if timeout_s <= 0:
        raise ValueError("timeout_s must be positive")
    pool = pool or _POOL
    worker = pool.acquire()
    reuse = False
    try:
        header, pdf = _render(worker, html.encode("utf-8", "replace"), time.monotonic() + timeout_s)
    except WorkerTimeout:
        raise ExportError(
            "EXPORT_TIMEOUT",
            f"Rendering the PDF took longer than {timeout_s:g} s and was stopped. "
            "Try a shorter document or another format.",
        ) from None
    except (WorkerGone, ValueError):  # ValueError: JSON garbage from a dying worker
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
    doc: RenderDocument,
    template: str = "classic",
    *,
    timeout_s: float | None = None,
    pool: WorkerPool | None = None,
) -> bytes:
    """The document as PDF, laid out by WeasyPrint from `render_html` + template CSS."""
    return html_to_pdf(render_html(doc, template), timeout_s=timeout_s, pool=pool).data
