"""The web face as several processes sharing one listening socket (PostgreSQL).

One Python process serves one core. On PostgreSQL, where writes take row locks
and run side by side, ``serve --web-workers N`` starts N processes that
accept on one socket this process binds, as ``uvicorn --workers`` does. Not
uvicorn's own ``--workers``: its supervisor binds the socket with protocol 0,
so asyncio never sets ``TCP_NODELAY`` on accepted connections and every
keep-alive request after the first waits ~44 ms for a delayed ACK
(Kludex/uvicorn#3149; measured in bench/bench_national.py). The socket here is
made with ``IPPROTO_TCP`` and each child reads it back with
``socket.socket(fileno=…)``, which keeps the protocol.

Each child dies with ``serve`` (a parent-death signal, as the Prefect server
does) and is stopped by ``serve`` within its shutdown budget.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping

from deployments.local_server import die_with_parent
from rules.errors import UserError

# argv: the listening socket's fd, then a pipe's write end, which gets one byte once the
# application is built (so start() knows every process is about to accept, not just one).
CHILD = """
import os, socket, sys
import uvicorn
from web.app import create_app
listener = socket.socket(fileno=int(sys.argv[1]))
config = uvicorn.Config(create_app(), log_level="warning", timeout_graceful_shutdown=2)
try:
    os.write(int(sys.argv[2]), b"1")  # start() may have given up and closed its end
    os.close(int(sys.argv[2]))
except OSError:
    pass
uvicorn.Server(config).run(sockets=[listener])
"""


class WebProcesses:
    """``count`` uvicorn processes serving ``web.app.create_app()`` on ``host:port``.

    ``port=0`` takes a free port (``port`` says which once started); ``env`` is the
    children's environment (this process's by default): bench/bench_national.py
    measures these very processes on a database of its own.
    """

    def __init__(
        self, host: str, port: int, count: int, env: Mapping[str, str] | None = None
    ) -> None:
        self.host, self.port, self.count = host, port, count
        self.env = env
        self.processes: list[subprocess.Popen[bytes]] = []
        self.listener: socket.socket | None = None

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def start(self, cancelled: Callable[[], bool] = lambda: False, timeout: float = 120) -> bool:
        """Bind, start the processes and wait until every one has built the application
        and the socket answers; False if ``cancelled()``. A start that fails stops what
        it started before it raises, whoever called it."""
        try:
            ready = self._spawn()
            try:
                return self._wait(ready, cancelled, time.monotonic() + timeout)
            finally:
                os.close(ready)
        except BaseException:
            self.stop(grace=2)
            raise

    def _spawn(self) -> int:
        """Bind the socket and start the processes; returns the read end of the pipe on
        which each says its application is built."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self.listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.listener.bind((self.host, self.port))
        except OSError as exc:
            raise UserError(
                f"cannot serve the web face on {self.host}:{self.port}: {exc.strerror}"
            ) from None
        self.port = self.listener.getsockname()[1]
        self.listener.listen(2048)
        self.listener.set_inheritable(True)
        fd = self.listener.fileno()
        env = dict(os.environ if self.env is None else self.env)
        ready, told = os.pipe()
        try:
            for _ in range(self.count):
                self.processes.append(
                    subprocess.Popen(
                        [sys.executable, "-c", CHILD, str(fd), str(told)],
                        pass_fds=(fd, told),
                        stdin=subprocess.DEVNULL,
                        env=env,
                        preexec_fn=die_with_parent(),  # safe: before serve starts a thread
                    )
                )
        except BaseException:
            os.close(ready)
            raise
        finally:
            os.close(told)  # the children hold their own copies
        return ready

    def _wait(self, ready: int, cancelled: Callable[[], bool], deadline: float) -> bool:
        built = 0
        while time.monotonic() < deadline:
            if cancelled():
                return False
            if any(p.poll() is not None for p in self.processes):
                raise UserError("a web process exited at start; see the lines above")
            if built < self.count:
                if select.select([ready], [], [], 0.1)[0]:
                    built += len(os.read(ready, self.count))
                continue
            if _healthy(self.host, self.port):
                return True
            time.sleep(0.1)
        raise UserError(f"the web face did not answer on {self.host}:{self.port}")

    def stop(self, grace: float, cut_short: Callable[[], bool] = lambda: False) -> None:
        """SIGTERM every process, SIGKILL what is left after ``grace`` seconds."""
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + max(grace, 0)
        while any(p.poll() is None for p in self.processes):
            if time.monotonic() >= deadline or cut_short():
                break
            time.sleep(0.05)
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                process.wait()
        if self.listener is not None:
            self.listener.close()
            self.listener = None


def _healthy(host: str, port: int) -> bool:
    shown = f"[{host}]" if ":" in host else host
    try:
        with urllib.request.urlopen(f"http://{shown}:{port}/api/health", timeout=2) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False
