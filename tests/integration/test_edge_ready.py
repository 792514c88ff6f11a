"""/ready reports Postgres, Redis and storage separately and fails when one is down."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.main import create_app
from tests.conftest import Servers
from tests.integration.conftest import make_settings
from tests.integration.edge_support import app_client


async def test_ready_checks_every_dependency(servers: Servers, tmp_path: Path) -> None:
    application = create_app(make_settings(servers, tmp_path))
    async with app_client(application) as http:
        ready = await http.get("/ready")
        assert ready.status_code == 200
        assert ready.json() == {
            "status": "ready",
            "checks": {"postgres": "ok", "redis": "ok", "storage": "ok"},
        }
        # The storage folder disappears (a lost volume): not ready, and /ready says which.
        shutil.rmtree(application.state.runtime.store.root)
        broken = await http.get("/ready")
        assert broken.status_code == 503
        assert broken.json()["checks"] == {
            "postgres": "ok",
            "redis": "ok",
            "storage": "unavailable",
        }
