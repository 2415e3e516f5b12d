"""A Prefect server on loopback for one machine, when no Prefect API is configured.

State goes under the data directory (``PREFECT_HOME``); analytics are off. The
server is a child process: started before the deployments are served, stopped
after, including on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from rules.errors import UserError

OFFLINE_ENV = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}


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


class LocalPrefectServer:
    """``prefect server start`` on 127.0.0.1, as a managed child process."""

    def __init__(self, port: int, log_path: Path) -> None:
        self.port = port
        self.api_url = f"http://127.0.0.1:{port}/api"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> str:
        if healthy(self.api_url):
            raise UserError(f"something already answers on port {self.port}; use --prefect-port")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
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
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise UserError(f"the Prefect server exited at start; see {self.log_path}")
            if healthy(self.api_url):
                return self.api_url
            time.sleep(0.5)
        self.stop()
        raise UserError(f"the Prefect server did not become healthy in {timeout:.0f} s")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
