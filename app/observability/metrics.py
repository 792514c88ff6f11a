"""Prometheus metrics exposed at /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

HTTP_REQUESTS = Counter(
    "tailor_http_requests_total", "HTTP requests served", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram("tailor_http_request_seconds", "HTTP request latency", ["method", "route"])
JOBS_FINISHED = Counter(
    "tailor_jobs_finished_total", "Tailoring jobs that reached a terminal status", ["status"]
)
JOB_SECONDS = Histogram("tailor_job_seconds", "Tailoring job run time in the worker", ["engine"])
JOB_ERRORS = Counter("tailor_job_errors_total", "Failed tailoring jobs by error code", ["code"])
EXPORTS_FINISHED = Counter(
    "tailor_exports_finished_total", "Exports that reached READY or FAILED", ["format", "status"]
)
