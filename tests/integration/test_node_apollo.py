"""Apollo Client 4 + graphql-ws (from the npm registry, pinned by tests/node's lock file):
the normalised cache follows a job to COMPLETED from subscription events alone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from tests.conftest import REPO_ROOT
from tests.integration.conftest import LiveServer, WorkerProcesses

pytestmark = pytest.mark.timeout(300)

NODE_DIR = REPO_ROOT / "tests" / "node"
SAMPLES = REPO_ROOT / "tests" / "fixtures" / "samples"


@pytest.fixture(scope="session")
def node_client_packages() -> None:
    """`make deps` installs them; a bare `pytest` run installs them here (npm ci)."""
    node = shutil.which("node")
    assert node is not None, "node is missing: `make deps` installs it (Debian's npm)"
    if not (NODE_DIR / "node_modules" / "@apollo" / "client").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=NODE_DIR,
            check=True,
            timeout=240,
        )


def test_apollo_cache_updates_from_subscription_events_alone(
    node_client_packages: None, live_server: LiveServer, workers: WorkerProcesses
) -> None:
    workers.start(TAILOR_JOB_TIMEOUT_S="120")
    env = {
        **os.environ,
        "TAILOR_HTTP": f"{live_server.base_url}/graphql",
        "TAILOR_WS": live_server.ws_url,
        "RESUME_TEXT": (SAMPLES / "resumes" / "jonah-brandt-backend.md").read_text(),
        "JOB_TEXT": (SAMPLES / "jobs" / "infrastructure-engineer-keelson.txt").read_text(),
    }
    run = subprocess.run(
        ["node", "cache_from_events.mjs"],
        cwd=NODE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    # One HTTP read of the job; everything after came over the WebSocket.
    assert seen["httpOperations"] == ["Job"]
    assert seen["events"][-1] == "COMPLETED"
    assert seen["cachedJob"]["id"] == seen["jobId"]
    assert seen["cachedJob"]["status"] == "COMPLETED"
    assert seen["cachedJob"]["progress"] == 100
    # The cache-only watcher saw the job change while the subscription ran.
    assert seen["seenInCache"][0] in ("QUEUED", "RUNNING")
    assert len(seen["seenInCache"]) >= 2
