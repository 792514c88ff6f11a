"""Run throwaway PostgreSQL and Redis servers for `tailor dev`, `make run` and the tests.

Debian's PostgreSQL binaries live outside PATH and refuse to run as root, so as root we
run them as the `postgres` user on a data folder that user owns.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PG_SUPERUSER = "tailor"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout_s}s")


def postgres_bin_dir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if not candidates:
        raise RuntimeError("PostgreSQL server binaries not found; apt-get install postgresql")
    return Path(candidates[0])


def _as_db_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@dataclass
class LocalPostgres:
    data_dir: Path
    port: int
    fsync: bool = True
    log_file: Path = field(init=False)

    def __post_init__(self) -> None:
        self.data_dir = self.data_dir.resolve()
        self.log_file = self.data_dir.parent / f"{self.data_dir.name}.log"

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://{PG_SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def database_url(self, database: str) -> str:
        return f"postgresql+asyncpg://{PG_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _chown(self, path: Path) -> None:
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(path, pw.pw_uid, pw.pw_gid)

    def init(self) -> None:
        if (self.data_dir / "PG_VERSION").exists():
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._chown(self.data_dir)
        subprocess.run(
            _as_db_owner(
                [
                    str(postgres_bin_dir() / "initdb"),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    PG_SUPERUSER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self.init()
        self.log_file.touch()
        self._chown(self.log_file)
        options = f"-p {self.port} -k {self.data_dir} -h 127.0.0.1 -c max_connections=200"
        if not self.fsync:
            # Test clusters are thrown away: durability only costs time there.
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            _as_db_owner(
                [
                    str(postgres_bin_dir() / "pg_ctl"),
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.log_file),
                    "-o",
                    options,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if not (self.data_dir / "postmaster.pid").exists():
            return
        subprocess.run(
            _as_db_owner(
                [str(postgres_bin_dir() / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "stop"]
            ),
            check=False,
            capture_output=True,
        )

    def create_database(self, name: str) -> None:
        """CREATE DATABASE if missing (psql over the cluster's own socket)."""
        psql = shutil.which("psql") or str(postgres_bin_dir() / "psql")
        exists = subprocess.run(
            [
                psql,
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                PG_SUPERUSER,
                "-d",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if exists != "1":
            subprocess.run(
                [
                    psql,
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    PG_SUPERUSER,
                    "-d",
                    "postgres",
                    "-c",
                    f'CREATE DATABASE "{name}"',
                ],
                check=True,
                capture_output=True,
            )


@dataclass
class LocalRedis:
    data_dir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server not found; apt-get install -y redis-server")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.data_dir.resolve()),
                "--protected-mode",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()
