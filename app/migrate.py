"""Apply Alembic migrations programmatically (used by the CLI, `tailor dev` and the tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config


def migrations_root() -> Path:
    """The folder holding alembic.ini: the source checkout, else the working directory
    (a non-editable install, as in the Docker image, copies migrations beside it)."""
    for candidate in (Path(__file__).resolve().parents[1], Path.cwd()):
        if (candidate / "alembic.ini").is_file():
            return candidate
    raise FileNotFoundError("alembic.ini not found; run from the Tailor checkout")


def alembic_config(database_url: str) -> Config:
    root = migrations_root()
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    # env.py reads -x url=...; emulate it so callers need not touch the environment.
    config.cmd_opts = type("Opts", (), {"x": [f"url={database_url}"]})()
    return config


def upgrade_head(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")
