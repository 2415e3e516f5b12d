"""A Prefect server on loopback for one machine, when no Prefect API is configured.

State goes under the data directory (``PREFECT_HOME``); analytics are off. The
server is a child process: started before the deployments are served, stopped
after, including on Ctrl-C or SIGTERM — and, on Linux, also when ``serve`` dies
without stopping it (``kill -9``, an OOM kill): the child asks the kernel for a
SIGTERM when its parent goes (``PR_SET_PDEATHSIG``), so a server nobody manages
never keeps the port and the Prefect database.

``prefect server start`` (3.8.8, one worker, in the foreground) runs uvicorn in
its own process and spawns nothing; it is still started as the leader of a new
process group and stopped by group, so anything it might start later goes too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from rules.errors import UserError

OFFLINE_ENV = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def prepare_environment(data_dir: Path) -> None:
    """Point Prefect at the data directory and keep it offline (before importing it)."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("PREFECT_HOME", str(data_dir / "prefect"))


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` making the child get SIGTERM when this process dies (Linux),
    or None where the kernel has no such request.

    libc is looked up here, in the parent, so the child only makes one system
    call between fork and exec. The kernel sends the signal when the *thread*
    that forked the child ends, so call this from the main thread. A parent that
    died before the request was made is caught by comparing the parent's pid.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def request() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent is already gone
            os._exit(1)

    return request


class LocalPrefectServer:
    """``prefect server start`` on 127.0.0.1, as a managed child process."""

    def __init__(self, port: int, log_path: Path) -> None:
        self.port = port
        self.api_url = f"http://127.0.0.1:{port}/api"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(
        self, timeout: float = 120.0, cancelled: Callable[[], bool] = lambda: False
    ) -> str | None:
        """Start the server and wait until it is healthy: its API URL; or None when
        ``cancelled()`` turned true while waiting (``serve`` was told to stop)."""
        if healthy(self.api_url):
            raise UserError(f"something already answers on port {self.port}; use --prefect-port")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "prefect",
                    "server",
                    "start",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=os.environ.copy(),
                start_new_session=True,  # our Ctrl-C is handled by us, not sent to it twice
                preexec_fn=die_with_parent(),  # safe: serve starts no thread before this
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise UserError(f"the Prefect server exited at start; see {self.log_path}")
            if cancelled():
                self.stop(grace=2)
                return None
            if healthy(self.api_url):
                return self.api_url
            time.sleep(0.25)
        self.stop()
        raise UserError(f"the Prefect server did not become healthy in {timeout:.0f} s")

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def stop(self, grace: float = 20.0, cut_short: Callable[[], bool] = lambda: False) -> None:
        """SIGTERM the server's process group, SIGKILL it after ``grace`` seconds
        or as soon as ``cut_short()`` (a second Ctrl-C): an idle server stops in
        well under a second; its SQLite database survives a kill (WAL)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        _signal_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while not _exited(process.pid) and time.monotonic() < deadline and not cut_short():
            time.sleep(0.05)
        # Still unreaped, so the group id cannot have been reused: kill stragglers.
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def _exited(pid: int) -> bool:
    """Whether the child has exited, without reaping it (its pid stays ours)."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True
