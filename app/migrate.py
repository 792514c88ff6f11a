"""Apply Alembic migrations programmatically (used by the CLI, `tailor dev` and the tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

REPO_ROOT = Path(__file__).resolve().parents[1]


def alembic_config(database_url: str) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    # env.py reads -x url=...; emulate it so callers need not touch the environment.
    config.cmd_opts = type("Opts", (), {"x": [f"url={database_url}"]})()
    return config


def upgrade_head(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")
