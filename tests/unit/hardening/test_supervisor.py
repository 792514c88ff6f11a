"""`tailor dev` keeps its children running: one that dies is started again, alone."""

from __future__ import annotations

import os
import signal
import sys
import time

from app.supervisor import Child, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def _wait_restarted(supervisor: Supervisor, name: str) -> None:
    while name not in supervisor.check():
        time.sleep(0.05)


def test_a_dead_child_is_restarted_and_the_others_keep_running() -> None:
    lines: list[str] = []
    api, worker = Child("api", SLEEPER, os.environ), Child("worker", SLEEPER, os.environ)
    supervisor = Supervisor([api, worker], echo=lines.append, first_backoff_s=0.1)
    supervisor.start_all()
    try:
        assert api.process is not None and worker.process is not None
        api_pid, worker_pid = api.process.pid, worker.process.pid
        worker.process.send_signal(signal.SIGKILL)
        worker.process.wait()
        _wait_restarted(supervisor, "worker")
        assert worker.alive and worker.process.pid != worker_pid and worker.restarts == 1
        assert api.alive and api.process.pid == api_pid
        assert any("worker exited" in line for line in lines)
    finally:
        supervisor.stop_all(timeout_s=5)
    assert not api.alive and not worker.alive


def test_a_child_that_keeps_dying_backs_off() -> None:
    crasher = Child("worker", [sys.executable, "-c", "raise SystemExit(3)"], os.environ)
    supervisor = Supervisor([crasher], echo=lambda _: None, first_backoff_s=0.1)
    supervisor.start_all()
    try:
        pauses = []
        for _ in range(3):
            assert crasher.process is not None
            crasher.process.wait()
            _wait_restarted(supervisor, "worker")
            pauses.append(crasher.backoff_s)
        assert pauses == sorted(pauses) and pauses[-1] > pauses[0]
    finally:
        supervisor.stop_all(timeout_s=5)
