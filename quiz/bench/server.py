"""Start, stop, crash and restart the production server (gunicorn) on loopback."""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """gunicorn with the flags `make run` uses, bound to 127.0.0.1 only."""

    port: int
    env: dict[str, str]
    log_path: Path
    workers: int
    worker_class: str = "sync"
    threads: int = 1
    process: subprocess.Popen | None = None
    # Bumped on every crash or restart: students then reload and compare.
    generation: int = 0
    events: list[str] = field(default_factory=list)

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            # An ASGI worker (uvicorn's) serves the ASGI application.
            "quiz.asgi:application"
            if "uvicorn" in self.worker_class.lower()
            else "quiz.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            # A school's burst of connections must queue, not be refused.
            "--backlog",
            "2048",
            # Leave a real server's control socket (~/.gunicorn/gunicorn.ctl) alone.
            "--no-control-socket",
        ]

    def start(self, timeout: float = 60.0) -> None:
        env = {**os.environ, **self.env, "DJANGO_SETTINGS_MODULE": "quiz.settings"}
        log = self.log_path.open("ab")
        # Its own session, so a crash can kill the master and every worker at once.
        self.process = subprocess.Popen(
            self.command(),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=Path(__file__).resolve().parent.parent.parent,
        )
        log.close()
        self._wait_until_ready(timeout)

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}: see {self.log_path}"
                )
            # Restarted under load, the probe waits its turn behind the queued
            # requests: give it the time that is left rather than a short timeout.
            booted = len(self.worker_pids()) >= self.workers
            if booted and self._health_ok(timeout=max(2.0, deadline - time.monotonic())):
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s: see {self.log_path}")

    def _health_ok(self, timeout: float) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as conn:
                conn.sendall(
                    f"GET /health/ HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                    "Connection: close\r\n\r\n".encode()
                )
                return conn.recv(64).startswith(b"HTTP/1.1 200")
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its live workers (Linux /proc)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in [self.process.pid, *self.worker_pids()] if self.process else []:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # utime and stime are fields 14 and 15 of stat(5); the split dropped two.
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def kill_worker(self) -> int:
        """SIGKILL one worker mid-request, as the OOM killer would."""
        for _try in range(50):
            pids = self.worker_pids()
            try:
                pid = pids[0]
                os.kill(pid, signal.SIGKILL)
                break
            except (IndexError, ProcessLookupError):
                # Between the list and the kill the worker was gone (booting, recycled).
                time.sleep(0.1)
        else:
            raise RuntimeError("no worker to kill")
        self.generation += 1
        self.events.append(f"SIGKILL worker {pid}")
        return pid

    def crash_and_restart(self) -> float:
        """SIGKILL the master and every worker (a power cut for the processes), start again."""
        started = time.monotonic()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.generation += 1
        self.start(timeout=180)
        downtime = time.monotonic() - started
        self.events.append(f"SIGKILL whole server, restarted in {downtime:.1f} s")
        return downtime

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
