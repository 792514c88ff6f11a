"""Keep a set of child processes running: what `tailor dev` (`make run`) does with the API
and the worker. A child that dies is started again (with a growing pause if it keeps
dying) instead of taking the whole stack down with it."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

MAX_BACKOFF_S = 30.0
# A child that stayed up this long is healthy again: its next crash restarts at once.
HEALTHY_AFTER_S = 60.0


@dataclass
class Child:
    name: str
    command: list[str]
    env: Mapping[str, str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    backoff_s: float = 0.0
    due_at: float = 0.0  # when a dead child may be started again

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=dict(self.env))
        self.started_at = time.monotonic()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class Supervisor:
    children: list[Child]
    echo: Callable[[str], None] = print
    first_backoff_s: float = 1.0
    _stopping: bool = field(default=False, init=False)

    def start_all(self) -> None:
        for child in self.children:
            child.start()

    def check(self, now: float | None = None) -> list[str]:
        """Start again every child that died and whose pause is over; names restarted."""
        now = time.monotonic() if now is None else now
        restarted = []
        for child in self.children:
            if child.alive or self._stopping:
                continue
            if child.due_at == 0.0:
                self._schedule(child, now)
            if now >= child.due_at:
                child.restarts += 1
                child.due_at = 0.0
                child.start()
                restarted.append(child.name)
        return restarted

    def _schedule(self, child: Child, now: float) -> None:
        code = child.process.returncode if child.process else None
        healthy = now - child.started_at >= HEALTHY_AFTER_S
        child.backoff_s = (
            0.0 if healthy else min(MAX_BACKOFF_S, max(self.first_backoff_s, child.backoff_s * 2))
        )
        child.due_at = now + child.backoff_s
        self.echo(f"{child.name} exited ({code}); restarting in {child.backoff_s:.0f} s")

    def stop_all(self, timeout_s: float = 15.0) -> None:
        self._stopping = True
        for child in self.children:
            if child.alive and child.process is not None:
                child.process.send_signal(signal.SIGTERM)
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
