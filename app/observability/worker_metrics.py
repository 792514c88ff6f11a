"""Prometheus metrics of a worker process, served on their own port.

The API serves /metrics from its own process; counters a worker increments (jobs,
durations, error codes, exports) live in the worker's memory, so each worker serves
them itself. Loopback only by default: put a scraper on the same host or set the bind
address deliberately.
"""

from __future__ import annotations

import structlog
from prometheus_client import start_http_server

log = structlog.get_logger("worker")

_started: set[int] = set()


def start_metrics_server(port: int, addr: str = "127.0.0.1") -> None:
    """Serve the default registry on `addr:port` (once per process: arq may restart)."""
    if port in _started:
        return
    start_http_server(port, addr=addr)
    _started.add(port)
    log.info("worker_metrics_listening", port=port)
