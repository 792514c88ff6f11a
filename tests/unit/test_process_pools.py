"""Subprocess pools are sized from Settings at start-up, not from the environment at import."""

from __future__ import annotations

from app.config import Settings
from app.documents.sandbox import default_pool
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
