"""Subprocess pools are sized from Settings at start-up, not from the environment at import."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.documents.sandbox import default_pool
from app.exports import pdf
from app.exports.errors import ExportError
from app.exports.pdf_protocol import MEMORY_ENV
from app.runtime import size_process_pools


def test_settings_size_the_parse_pool() -> None:
    pool = default_pool()
    before = pool.size
    try:
        size_process_pools(Settings(parse_workers=3))
        assert pool.size == 3
        size_process_pools(Settings(parse_workers=0))  # 0: keep the default size
        assert pool.size == 3
    finally:
        pool.size = before


def test_settings_size_the_pdf_pool_and_its_limits() -> None:
    pool = pdf.default_pool()
    before = (pool.size, pdf._LIMITS.timeout_s, pdf._LIMITS.memory_mb)
    try:
        size_process_pools(Settings(export_workers=5, export_timeout_s=12, export_memory_mb=700))
        assert pool.size == 5
        assert pdf._LIMITS.timeout_s == 12
        assert pdf._worker_env()[MEMORY_ENV] == "700"  # handed to each new worker
    finally:
        pool.size, pdf._LIMITS.timeout_s, pdf._LIMITS.memory_mb = before


def test_a_render_over_the_configured_budget_is_stopped() -> None:
    before = pdf._LIMITS.timeout_s
    pdf._LIMITS.timeout_s = 0.001  # far below any real render
    try:
        with pytest.raises(ExportError) as caught:
            pdf.html_to_pdf("<p>" + "x " * 20_000 + "</p>")
        assert caught.value.code == "EXPORT_TIMEOUT"
    finally:
        pdf._LIMITS.timeout_s = before
