"""A started API process has frozen its startup heap (app/process_heap.py): the schema,
mappers and runtime sit in the permanent generation, which collections skip."""

from __future__ import annotations

import gc

from starlette.applications import Starlette

from app.process_heap import freeze_startup_heap


def test_the_startup_heap_is_frozen_once_the_app_has_started(app: Starlette) -> None:
    frozen = gc.get_freeze_count()
    assert frozen > 1000  # the imports, schema and runtime, not a handful of objects
    freeze_startup_heap()  # once per process: a later app start changes nothing
    assert gc.get_freeze_count() == frozen
