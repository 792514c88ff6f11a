"""Run parsing in a resource-limited, killable worker process.

Parsers for PDF and DOCX are large C/Python codebases fed with untrusted bytes; a crafted
file can loop, recurse or allocate without bound. Untrusted uploads therefore go through
a small pool of warm worker processes (`python -m app.documents.sandbox`):

* each worker imports the parsers once at start-up and then serves one request at a
  time, so a call costs a pipe round trip instead of an interpreter start;
* before each request the worker lowers its RLIMIT_AS soft limit to the request's memory
  budget, so allocation failures surface as MemoryError -> PARSE_FAILED;
* the parent enforces a wall-clock deadline and SIGKILLs a worker that misses it
  (PARSE_TIMEOUT); a worker that dies (segfault, OOM kill) yields PARSE_FAILED; killed,
  crashed or errored workers are replaced, never reused.

Wire format (both directions): 4-byte big-endian length + JSON header; a request header
is followed by `payload_len` raw bytes. Results come back as the documents' `to_dict()`
JSON, never pickle, so a compromised worker cannot execute code in the parent.

Call from async code via `asyncio.to_thread(...)`: calls block while the worker runs.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any, BinaryIO, cast

from app import procpool
from app.documents.errors import ERROR_CODES, DocumentError, ErrorCode
from app.documents.limits import (
    DEFAULT_SANDBOX_MEMORY_MB,
    DEFAULT_SANDBOX_TIMEOUT_S,
    MAX_JOB_BYTES,
    MAX_JOB_TEXT_CHARS,
    MAX_RESUME_BYTES,
    check_not_empty,
    check_size,
)
from app.documents.models import JobPosting, ResumeDocument
from app.documents.serde import rebuild
from app.procpool import (
    HEADER,
    Worker,
    WorkerGone,
    WorkerTimeout,
    read_exact,
    set_memory_limit,
)

_MAX_MESSAGE = 256 * 1024 * 1024
_STARTUP_TIMEOUT_S = 60.0
_JOBS_PER_WORKER = 200
_RESUME_TARGET = "app.documents.sandbox:resume_task"
_JOB_BYTES_TARGET = "app.documents.sandbox:job_bytes_task"
_JOB_TEXT_TARGET = "app.documents.sandbox:job_text_task"


def _start_failed(exc: BaseException | None) -> DocumentError:
    if exc is not None:
        return DocumentError(
            "PARSE_FAILED", "The document parser could not start. Try again later."
        )
    return DocumentError("PARSE_FAILED", "The document parser could not start.")


def _start_worker() -> Worker:
    return Worker(
        "app.documents.sandbox",
        os.environ,
        max_message=_MAX_MESSAGE,
        startup_timeout_s=_STARTUP_TIMEOUT_S,
        start_failed=_start_failed,
    )


class WorkerPool(procpool.WorkerPool):
    """Thread-safe pool of warm parser workers, started lazily, at most `size` at once."""

    def __init__(self, size: int) -> None:
        super().__init__(size, _start_worker, jobs_per_worker=_JOBS_PER_WORKER)


def _call(
    worker: Worker, header: dict[str, Any], payload: bytes, deadline: float
) -> dict[str, Any]:
    worker.jobs += 1
    body = json.dumps({**header, "payload_len": len(payload)}).encode()
    worker.write_blocking(HEADER.pack(len(body)) + body, payload)
    return worker.read_message(deadline)


# Workers start lazily, so creating the pool at import costs nothing; its size comes from
# Settings.parse_workers through `size_default_pool` (app.runtime does it at start-up).
_POOL = WorkerPool(min(4, os.cpu_count() or 1))
atexit.register(_POOL.shutdown)


def default_pool() -> WorkerPool:
    return _POOL


def size_default_pool(workers: int) -> None:
    """Allow `workers` parallel parses (0 keeps the default: one per core, at most 4)."""
    if workers > 0:
        _POOL.size = workers


def run_in_sandbox(
    target: str,
    payload: bytes,
    params: dict[str, Any] | None = None,
    *,
    timeout_s: float = DEFAULT_SANDBOX_TIMEOUT_S,
    memory_mb: int = DEFAULT_SANDBOX_MEMORY_MB,
    pool: WorkerPool | None = None,
) -> dict[str, Any]:
    """Run `target` ("module:function", trusted code) on `payload` in a worker.

    The function receives `(payload, **params)` and must return a JSON-ready dict.
    """
    if timeout_s <= 0 or memory_mb <= 0:
        raise ValueError("timeout_s and memory_mb must be positive")
    pool = pool or _POOL
    worker = pool.acquire()
    deadline = time.monotonic() + timeout_s
    header = {"target": target, "params": params or {}, "memory_mb": memory_mb}
    reuse = False
    try:
        reply = _call(worker, header, payload, deadline)
    except WorkerTimeout:
        raise DocumentError(
            "PARSE_TIMEOUT",
            f"Reading the document took longer than {timeout_s:g} s and was stopped. The file "
            "may be malformed; re-export it or upload a DOCX or text version.",
        ) from None
    except (WorkerGone, json.JSONDecodeError, UnicodeDecodeError):
        raise DocumentError(
            "PARSE_FAILED",
            "The document parser crashed or ran out of memory on this file. Re-export it, "
            "or upload a DOCX or text version.",
        ) from None
    else:
        reuse = not reply.get("recycle", False)
    finally:
        pool.release(worker, reuse=reuse)
    error = reply.get("error")
    if isinstance(error, dict):
        code = str(error.get("code", "PARSE_FAILED"))
        message = str(error.get("message", "The document could not be read."))
        raise DocumentError(
            cast(ErrorCode, code) if code in ERROR_CODES else "PARSE_FAILED", message
        )
    result = reply.get("ok")
    if not isinstance(result, dict):
        raise DocumentError("PARSE_FAILED", "The document parser returned no result.")
    return result


def parse_resume_sandboxed(
    data: bytes,
    filename: str | None = None,
    *,
    timeout_s: float = DEFAULT_SANDBOX_TIMEOUT_S,
    memory_mb: int = DEFAULT_SANDBOX_MEMORY_MB,
    max_bytes: int = MAX_RESUME_BYTES,
) -> ResumeDocument:
    """`parse_resume` in a killable worker with a time and memory budget."""
    data = _as_bytes(data, "resume")
    check_not_empty(data, "resume")
    check_size(data, max_bytes, "resume")
    result = run_in_sandbox(
        _RESUME_TARGET,
        data,
        {"filename": filename, "max_bytes": max_bytes},
        timeout_s=timeout_s,
        memory_mb=memory_mb,
    )
    return rebuild(ResumeDocument, result)


def parse_job_posting_sandboxed(
    data: bytes | str,
    filename: str | None = None,
    title: str | None = None,
    company: str | None = None,
    *,
    timeout_s: float = DEFAULT_SANDBOX_TIMEOUT_S,
    memory_mb: int = DEFAULT_SANDBOX_MEMORY_MB,
    max_bytes: int = MAX_JOB_BYTES,
) -> JobPosting:
    """`parse_job_posting_bytes` (bytes) or `parse_job_posting` (str) in a worker."""
    params: dict[str, Any] = {"title": title, "company": company}
    if isinstance(data, str):
        check_size(data, min(max_bytes, MAX_JOB_TEXT_CHARS), "job description")
        check_not_empty(data, "job description")
        target, payload = _JOB_TEXT_TARGET, data.encode("utf-8", "surrogatepass")
    else:
        payload = _as_bytes(data, "job description")
        check_not_empty(payload, "job description")
        check_size(payload, max_bytes, "job description")
        target = _JOB_BYTES_TARGET
        params.update(filename=filename, max_bytes=max_bytes)
    result = run_in_sandbox(target, payload, params, timeout_s=timeout_s, memory_mb=memory_mb)
    return rebuild(JobPosting, result)


def _as_bytes(data: object, what: str) -> bytes:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise DocumentError("INVALID_INPUT", f"The {what} must be given as bytes.")
    return bytes(data)


# --- worker side ---------------------------------------------------------------------


def resume_task(payload: bytes, filename: str | None, max_bytes: int) -> dict[str, Any]:
    from app.documents.api import parse_resume

    return parse_resume(payload, filename, max_bytes=max_bytes).to_dict()


def job_bytes_task(
    payload: bytes, filename: str | None, title: str | None, company: str | None, max_bytes: int
) -> dict[str, Any]:
    from app.documents.api import parse_job_posting_bytes

    return parse_job_posting_bytes(
        payload, filename, title=title, company=company, max_bytes=max_bytes
    ).to_dict()


def job_text_task(payload: bytes, title: str | None, company: str | None) -> dict[str, Any]:
    from app.documents.api import parse_job_posting

    return parse_job_posting(
        payload.decode("utf-8", "surrogatepass"), title=title, company=company
    ).to_dict()


def _resolve(target: str) -> Callable[..., dict[str, Any]]:
    module_name, _, func_name = target.partition(":")
    func = getattr(importlib.import_module(module_name), func_name)
    return cast(Callable[..., dict[str, Any]], func)


def _serve(inp: BinaryIO, out: BinaryIO) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Import the parsers before reporting ready, so requests never pay for imports.
    importlib.import_module("app.documents.api")

    def send(message: dict[str, Any]) -> None:
        procpool.send(out, message, ensure_ascii=False)

    send({"ready": True})
    while True:
        head = read_exact(inp, HEADER.size)
        if head is None:
            return
        header = json.loads(read_exact(inp, HEADER.unpack(head)[0]) or b"{}")
        payload = read_exact(inp, int(header["payload_len"])) or b""
        reply: dict[str, Any]
        try:
            func = _resolve(str(header["target"]))
            set_memory_limit(int(header["memory_mb"]))
            try:
                reply = {"ok": func(payload, **header.get("params", {}))}
            finally:
                set_memory_limit(None)
        except DocumentError as exc:
            reply = {"error": {"code": exc.code, "message": exc.message}}
        except MemoryError:
            set_memory_limit(None)
            reply = {
                "error": {
                    "code": "PARSE_FAILED",
                    "message": "The document needs more memory to read than allowed; it may "
                    "be malformed. Re-export it, or upload a DOCX or text version.",
                },
                "recycle": True,
            }
        except RecursionError:
            reply = {
                "error": {
                    "code": "PARSE_FAILED",
                    "message": "The document is nested too deeply to read; it may be malformed.",
                },
                "recycle": True,
            }
        except Exception as exc:
            reply = {
                "error": {
                    "code": "PARSE_FAILED",
                    "message": f"The document could not be read ({type(exc).__name__}). "
                    "Re-export it, or upload a DOCX or text version.",
                },
                "recycle": True,
            }
        del payload
        try:
            send(reply)
        except (TypeError, ValueError):
            send({"error": {"code": "PARSE_FAILED", "message": "The parser returned no result."}})
        del reply


def _worker_main() -> None:
    _serve(sys.stdin.buffer, procpool.protocol_stdout())


if __name__ == "__main__":
    _worker_main()
