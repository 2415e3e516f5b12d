"""Driving ``phoihop serve`` in a subprocess, for the tests that need a real Prefect server.

Every wait here polls for a state (a line of output, a flow run's state, a
process gone) with a ceiling generous enough for a loaded two-core machine;
nothing waits for a number of seconds to pass. Processes are read from Linux's
``/proc``, like ``serve`` itself does.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tests.steps import OPEN_CYCLE_STEP, ORG_STEPS

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo" / "data"
CLI = [sys.executable, "-c", "import sys, cli; sys.exit(cli.main(sys.argv[1:]))"]
LIMIT = 180.0
"""The ceiling of any wait for a state: minutes, on purpose (a real server on a busy machine)."""

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(data: Path) -> dict[str, str]:
    """The test process's environment without phoihop's or Prefect's settings, offline."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PHOIHOP_", "PREFECT_"))}
    return env | {
        "PHOIHOP_DATA_DIR": str(data),
        "PYTHONPATH": str(ROOT),
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }


def run_cli(env: dict[str, str], *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env | extra, cwd=ROOT, capture_output=True, text=True, timeout=LIMIT
    )


def listed(stdout: str) -> list[dict[str, Any]]:
    """The rows a ``… list --json`` command printed: a page's items, or a bare list."""
    document = json.loads(stdout)
    return document["items"] if isinstance(document, dict) else document


def seed(env: dict[str, str]) -> None:
    """The demo's bodies and program, and cycle QD238/2024-H1 (due 12/07/2024)."""
    for step in [*ORG_STEPS, OPEN_CYCLE_STEP]:
        done = run_cli(env, *step)
        assert done.returncode == 0, done.stderr


# Prefect's server answers 503 when its SQLite database is momentarily locked
# (the scheduler, the runner and this test all write to it) and its own client
# retries 429/502/503; this helper does the same instead of failing on the first.
# On a loaded machine an answer can also take longer than the socket timeout: a
# read (GET, or POST to a …/filter endpoint) is then asked again, a write is not.
RETRYABLE = {429, 502, 503}


def api(url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url + path,
        data=data,
        headers={"Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    reading = body is None or path.endswith("/filter")
    for attempt in range(8):
        last = attempt == 7
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRYABLE or last:
                raise AssertionError(f"{path}: HTTP {exc.code} {exc.read()[:500]!r}") from None
        except (TimeoutError, urllib.error.URLError) as exc:
            timed_out = isinstance(getattr(exc, "reason", exc), TimeoutError)
            if not (timed_out and reading) or last:
                raise
        time.sleep(0.25 * 2**attempt)


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/health", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def wait_for(check: Callable[[], T], what: str, timeout: float = LIMIT) -> T:
    """Poll ``check`` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.25)


def flow_runs(api_url: str, deployment_id: str) -> list[dict[str, Any]]:
    """Every flow run of one deployment."""
    body = {"flow_runs": {"deployment_id": {"any_": [deployment_id]}}, "limit": 200}
    return api(api_url, "/flow_runs/filter", body)


def deployment_id(api_url: str, name: str) -> str:
    found = {d["name"]: d["id"] for d in api(api_url, "/deployments/filter", {})}
    return found[name]


def run_state(api_url: str, run_id: str) -> str:
    return api(api_url, f"/flow_runs/{run_id}")["state_type"]


# --- processes, from /proc ----------------------------------------------------


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, process group) of a process, or None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, ppid, pgid = stat[stat.rindex(")") + 2 :].split()[:3]
    return state, int(ppid), int(pgid)


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped has finished)."""
    stat = _stat(pid)
    return stat is not None and stat[0] not in "ZX"


def live_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and alive(int(p.name))]


def children(pid: int) -> list[int]:
    return [p for p in live_pids() if (s := _stat(p)) and s[1] == pid]


def group(pgid: int) -> list[int]:
    """The live processes of a process group."""
    return [p for p in live_pids() if (s := _stat(p)) and s[2] == pgid]


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    except OSError:
        return []


def listening(port: int) -> bool:
    """Whether anything accepts connections on 127.0.0.1:``port``."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


# --- one serve process --------------------------------------------------------


class Serve:
    """``phoihop serve --json ARGS`` in a subprocess of its own process group, its
    output collected as it comes; :meth:`close` kills whatever is left of it."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.process = subprocess.Popen(
            [*CLI, "serve", "--json", "--lang", "en", *args],  # its lines are awaited by words
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # close() kills its flow runs with it
        )
        self.pid = self.process.pid
        self.out: list[str] = []
        self.err: list[str] = []
        self.groups: set[int] = {self.pid}  # process groups to kill at close()
        self._readers = [
            threading.Thread(target=self._read, args=(stream, lines), daemon=True)
            for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err))
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: Any, lines: list[str]) -> None:
        for line in stream:
            lines.append(line)

    @property
    def output(self) -> str:
        """Everything it wrote so far, stdout then stderr."""
        return "".join(self.out) + "".join(self.err)

    def ready(self, timeout: float = LIMIT) -> dict[str, Any]:
        """Wait for the one JSON document ``serve --json`` prints once it serves."""

        def document() -> dict[str, Any] | None:
            text = "".join(self.out)
            if "\n}\n" in text:
                start = text.index("{\n")
                return json.loads(text[start : text.index("\n}\n", start) + 2])
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited ({self.process.returncode}):\n{self.output}")
            return None

        return wait_for(document, "serve to report it is ready", timeout)

    def wait_output(self, text: str, timeout: float = LIMIT) -> None:
        wait_for(lambda: text in self.output, repr(text), timeout)

    def prefect_server(self) -> int:
        """The pid of the Prefect server serve started (and remember its group)."""

        def find() -> int | None:
            for pid in children(self.pid):
                if cmdline(pid)[1:5] == ["-m", "prefect", "server", "start"]:
                    return pid
            return None

        pid = wait_for(find, "serve's Prefect server child")
        self.groups.add(pid)
        return pid

    def signal(self, signum: int = signal.SIGTERM) -> float:
        """Send a signal; the monotonic time it was sent."""
        sent = time.monotonic()
        self.process.send_signal(signum)
        return sent

    def exit_code(self, timeout: float = LIMIT) -> int:
        code = self.process.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout=10)
        return code

    def close(self) -> None:
        """Kill what is left of serve's process groups: only this interpreter's processes."""
        for pid in [p for pgid in self.groups for p in group(pgid)]:
            if (cmdline(pid) or [""])[0].startswith(str(Path(sys.executable).parent)):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.exit_code()

    def __enter__(self) -> Serve:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
