"""Shared fixtures. Servers start only when a test asks for them (unit tests need none)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.local_services import LocalPostgres, LocalRedis, free_port
from app.migrate import upgrade_head
from tests.fixtures.make_samples import samples_root

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Servers:
    postgres: LocalPostgres
    redis: LocalRedis
    database_url: str
    redis_url: str
    work_dir: Path


TESTS_DIR = Path(__file__).resolve().parent
MARKER_BY_FOLDER = {"unit": pytest.mark.unit, "integration": pytest.mark.integration}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test by its folder, so `pytest -m unit` (`make test-unit`) is the fast loop."""
    for item in items:
        parts = item.path.resolve().relative_to(TESTS_DIR).parts
        marker = MARKER_BY_FOLDER.get(parts[0]) if parts else None
        if marker is not None:
            item.add_marker(marker)


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The project's own sample resumes, postings and truth file (tests/fixtures/samples),
    with the DOCX and PDF generated for this run."""
    return samples_root()


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    """A real PostgreSQL cluster and Redis server on free ports, for the whole run."""
    work_dir = Path(tempfile.mkdtemp(prefix="tailor-test-"))
    os.chmod(work_dir, 0o755)
    postgres = LocalPostgres(work_dir / "pg", free_port(), fsync=False)
    redis = LocalRedis(work_dir / "redis", free_port())
    postgres.start()
    try:
        redis.start()
        postgres.create_database("tailor_test")
        database_url = postgres.database_url("tailor_test")
        upgrade_head(database_url)
        yield Servers(postgres, redis, database_url, redis.url, work_dir)
    finally:
        redis.stop()
        postgres.stop()
