"""A throw-away stack for benches: PostgreSQL and Redis under a temp folder, migrated, plus
any number of API (`tailor serve`) and worker (`tailor worker`) processes on them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from app.local_services import LocalPostgres, LocalRedis, free_port, wait_for_port
from app.migrate import upgrade_head


@dataclass
class Api:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"


@dataclass
class Stack:
    work: Path
    pg: LocalPostgres
    redis: LocalRedis
    db_url: str
    env: dict[str, str]
    apis: list[Api] = field(default_factory=list)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start_api(self) -> Api:
        port = free_port()
        env = {**self.env, "TAILOR_PORT": str(port)}
        api = Api(subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env), port)
        self.apis.append(api)
        wait_for_port(port, timeout_s=120)
        return api

    def start_worker(self, **env: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker"], env={**self.env, **env}
        )
        self.workers.append(process)
        return process

    def stop_workers(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.terminate()
        for process in self.workers:
            process.wait(timeout=30)
        self.workers.clear()

    def stop(self) -> None:
        self.stop_workers()
        for api in self.apis:
            if api.process.poll() is None:
                api.process.terminate()
        for api in self.apis:
            api.process.wait(timeout=30)
        self.redis.stop()
        self.pg.stop()


async def start_stack(**env: str) -> Stack:
    work = Path(tempfile.mkdtemp(prefix="tailor-bench-"))
    os.chmod(work, 0o755)
    pg = LocalPostgres(work / "pg", free_port(), fsync=False)
    redis = LocalRedis(work / "redis", free_port())
    pg.start()
    redis.start()
    pg.create_database("bench")
    db_url = pg.database_url("bench")
    await asyncio.to_thread(upgrade_head, db_url)  # alembic runs its own event loop
    full_env = {
        **os.environ,
        "TAILOR_ENV": "test",
        "TAILOR_DATABASE_URL": db_url,
        "TAILOR_REDIS_URL": redis.url,
        "TAILOR_STORAGE_ROOT": str(work / "files"),
        "TAILOR_LOG_LEVEL": "WARNING",
        "TAILOR_TAILOR_RATE_LIMIT_PER_MINUTE": "0",
        "TAILOR_UPLOAD_RATE_LIMIT_PER_MINUTE": "0",
        "TAILOR_SIGN_IN_LIMIT_PER_IP": "0",
        "TAILOR_JWT_SECRET": "bench-secret-" + "x" * 40,
        "TAILOR_STORAGE_SIGNING_SECRET": "bench-signing-" + "y" * 40,
        **env,
    }
    return Stack(work, pg, redis, db_url, full_env)


def rss_kib(pid: int) -> int:
    """Resident memory of a process (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _cpu_s(pid: int) -> float:
    """utime + stime of a process, in seconds (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(parent: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                out.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return out


def _tree(root: int) -> list[int]:
    """`root` and every process below it."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += _children(pid)
    return found


def _tree_cpu_s(root: int) -> float:
    # Children count with their parent: an API's parsing sandbox, a worker's engine
    # process. A child that exits mid-measurement takes its CPU with it (not reaped into
    # the parent's figure), so measure while children are warm.
    return sum(_cpu_s(pid) for pid in _tree(root))


def cpu_snapshot(stack: Stack) -> dict[str, float]:
    """CPU seconds used so far by each part of the stack (each process with its children):
    a figure that other load on the machine does not change (unlike wall-clock rates)."""
    postmaster = int((stack.pg.data_dir / "postmaster.pid").read_text().split()[0])
    redis_pid = stack.redis.process.pid if stack.redis.process else 0
    return {
        "api": sum(_tree_cpu_s(a.process.pid) for a in stack.apis),
        "worker": sum(_tree_cpu_s(w.pid) for w in stack.workers),
        "postgres": sum(_cpu_s(p) for p in [postmaster, *_children(postmaster)]),
        "redis": _cpu_s(redis_pid),
    }
