"""Serve deployments until Ctrl-C or SIGTERM, then stop within a fixed budget.

Prefect's own ``serve()`` (3.8.8) answers SIGTERM with ``sys.exit`` from a
signal handler and leaves a coroutine un-awaited, printing tracebacks. Here the
Prefect runner lives on an event loop in a worker thread (so it installs no
signal handlers), the main thread waits for a signal, then asks the runner to
stop on its own loop and waits for it. While it waits, it asks now and then for
deployments that appeared since (a program added while serving) and hands them
to the running runner, whose poller picks up new deployments as they come.

``docker stop`` allows 10 s between SIGTERM and SIGKILL, so ``serve`` is gone
10 s after the first signal (:data:`SERVER_UNTIL`, then the exit), whatever
runs: flow runs in progress may finish until :data:`DRAIN_UNTIL`; what still
runs then gets SIGTERM, and SIGKILL if it ignores that (a flow run waiting
inside SQLite for a lock hears no signal); then the runner stops, and the
Prefect server gets the rest. A second signal cuts every step short: ``serve``
stops at once.

The runner starts one child process per flow run, and ``serve`` starts no
other child but its Prefect server, so the flow runs in progress are read from
the process table (Linux ``/proc``), not from the runner's private state; the
same list says what to stop when the drain is over.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from commands.language import say as words

if TYPE_CHECKING:  # asyncio costs ~35 ms to import; `phoihop --help` should not pay it
    import asyncio
    from uuid import UUID

DRAIN_UNTIL = 5.0
"""Flow runs in progress may finish until this many seconds after the first signal;
then they get SIGTERM."""
KILL_FLOW_RUNS_AT = 5.5
"""Flow runs that ignored that SIGTERM are killed this long after the first signal."""
REAPED_BY = 6.0
"""By then the runner has noticed they are gone, and is asked to stop."""
RUNNER_UNTIL = 7.0
"""The runner must have stopped by then, or it is left behind (its thread is a daemon)."""
SERVER_UNTIL = 8.5
"""The Prefect server is killed if it has not stopped by then."""
HURRY = 0.5
"""After a second signal, the longest any remaining step may still take."""


def say(message: str) -> None:
    """One progress line of ``phoihop serve`` on stderr (stdout is for ``--json``)."""
    print(f"phoihop serve: {message}", file=sys.stderr, flush=True)


class Shutdown:
    """When ``serve`` was told to stop, and how urgently: shared by every step of
    starting (which gives up early) and of stopping (which keeps to the budget).

    The signal handler only records the time: taking a lock there (an Event's)
    could deadlock with the main thread it interrupted, so waits poll instead.
    """

    def __init__(self) -> None:
        self.first: float | None = None
        self.second: float | None = None
        self._on_begin: list[Callable[[], None]] = []

    def on_signal(self, _signum: int, _frame: Any) -> None:
        """SIGINT/SIGTERM: the first starts the stop, the second hurries it."""
        if self.first is None:
            self.first = time.monotonic()
        elif self.second is None:
            self.second = time.monotonic()

    def install(self) -> Callable[[], None]:
        """Handle SIGINT and SIGTERM from now on (main thread); returns the undo."""
        previous = {s: signal.signal(s, self.on_signal) for s in (signal.SIGINT, signal.SIGTERM)}

        def restore() -> None:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

        return restore

    @property
    def requested(self) -> bool:
        """Told to stop (or stopping for another reason)."""
        return self.first is not None

    @property
    def hurry(self) -> bool:
        """A second signal came: stop now."""
        return self.second is not None

    def when_stopping(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` (in the main thread) as soon as stopping begins."""
        self._on_begin.append(callback)

    def begin(self) -> None:
        """Stopping begins; without a signal (a failure) the budget counts from now."""
        if self.first is None:
            self.first = time.monotonic()
        callbacks, self._on_begin = self._on_begin, []
        for callback in callbacks:
            callback()

    def left(self, until: float) -> float:
        """Seconds left for the step that must end ``until`` s after stopping began."""
        now = time.monotonic()
        end = (self.first if self.first is not None else now) + until
        if self.second is not None:
            end = min(end, self.second + HURRY)
        return max(0.0, end - now)


def child_processes(exclude: Collection[int] = (), zombies: bool = False) -> list[int]:
    """This process's children but ``exclude``, from ``/proc`` (none elsewhere): the
    running ones, and with ``zombies`` also those that ended but are not yet reaped."""
    me, found = os.getpid(), []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = entry.read_text()
        except OSError:  # gone meanwhile
            continue
        state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
        pid = int(entry.parent.name)
        if int(ppid) == me and (zombies or state not in "ZX") and pid not in exclude:
            found.append(pid)
    return found


def _kill(pids: Collection[int], signum: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


Discover = Callable[[Collection[str]], Sequence[Any]]
"""Given the names of the deployments served so far, the new ones to serve."""
AtStart = Callable[[Mapping[str, "UUID"]], Awaitable[str]]
"""Run once the deployments are registered and before any flow run starts, given
their ids by name; returns a line for the log."""


def run_until_signalled(
    deployments: Sequence[Any],
    shutdown: Shutdown | None = None,
    discover: Discover | None = None,
    discover_every: float = 60.0,
    at_start: AtStart | None = None,
    on_ready: Callable[[], None] | None = None,
    not_flow_runs: Collection[int] = (),
) -> None:
    """Serve until SIGINT/SIGTERM (or ``shutdown`` is requested), adding what
    ``discover`` finds every ``discover_every`` seconds; then stop within the
    budget. ``on_ready`` is called once the runner polls for flow runs;
    ``not_flow_runs`` are the pids of children that are not flow runs (the
    Prefect server)."""
    import asyncio

    from prefect.runner import Runner

    own_signals = shutdown is None
    shutdown = shutdown or Shutdown()
    restore = shutdown.install() if own_signals else (lambda: None)
    runner = Runner(pause_on_shutdown=False)
    loop = asyncio.new_event_loop()

    async def main() -> None:
        ids = {d.name: await runner.aadd_deployment(d) for d in deployments}
        if at_start:
            try:
                say(await at_start(ids))
            except Exception as exc:  # serving matters more than the catch-up
                why = f"{type(exc).__name__}: {exc}"
                say(words(f"không chuẩn bị được các lần chạy khi khởi động ({why})",
                          f"could not prepare the start-up runs ({why})"))  # fmt: skip
        await runner.start()

    thread = threading.Thread(target=loop.run_forever, name="prefect-runner", daemon=True)
    thread.start()
    serving = asyncio.run_coroutine_threadsafe(main(), loop)
    served = {deployment.name for deployment in deployments}
    next_look = time.monotonic() + discover_every
    announced = False
    try:
        while not shutdown.requested and not serving.done():
            time.sleep(0.1)
            if runner.started and not announced:
                announced = True
                if on_ready:
                    on_ready()
            if discover and runner.started and time.monotonic() >= next_look:
                next_look = time.monotonic() + discover_every
                _add_new(runner, loop, discover, served, shutdown)
    finally:
        shutdown.begin()
        try:
            _stop(runner, loop, serving, shutdown, not_flow_runs)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=shutdown.left(RUNNER_UNTIL))
            restore()
    if serving.done() and not serving.cancelled() and serving.exception():
        raise serving.exception()  # type: ignore[misc]


def _stop(
    runner: Any,
    loop: asyncio.AbstractEventLoop,
    serving: Any,
    shutdown: Shutdown,
    not_flow_runs: Collection[int],
) -> None:
    """Drain, stop what outlived the drain, then the runner, each step on its deadline.

    Flow runs still running when the drain ends are stopped here, not by the
    runner's own cancellation: that one waits 3 s before it even looks whether
    the process went, and 30 s before it kills one that ignores SIGTERM. Once
    they are gone the runner has nothing left to wait for and stops at once.
    """
    import asyncio

    running = child_processes(not_flow_runs)
    if running and not shutdown.hurry:
        n = len(running)
        say(
            words(
                f"chờ {n} lượt chạy đang dở hoàn thành (Ctrl-C lần nữa để dừng ngay)",
                f"letting {n} running flow run(s) finish (Ctrl-C again to stop now)",
            )
        )
    while running and not shutdown.hurry and shutdown.left(DRAIN_UNTIL) > 0:
        time.sleep(0.1)
        running = child_processes(not_flow_runs)
    if running:
        n = len(running)
        say(words(f"dừng {n} lượt chạy không kịp hoàn thành",
                  f"stopping {n} flow run(s) that did not finish in time"))  # fmt: skip
        _kill(running, signal.SIGTERM)
        while running and not shutdown.hurry and shutdown.left(KILL_FLOW_RUNS_AT) > 0:
            time.sleep(0.05)
            running = child_processes(not_flow_runs)
        _kill(running, signal.SIGKILL)
        # Until the runner has reaped them: a pid it still holds would make it wait.
        while child_processes(not_flow_runs, zombies=True) and shutdown.left(REAPED_BY) > 0:
            time.sleep(0.05)
    if not serving.done() and runner.started:
        asyncio.run_coroutine_threadsafe(runner.astop(), loop)
    elif not serving.done():  # still registering deployments: give that up
        serving.cancel()
    while not serving.done() and shutdown.left(RUNNER_UNTIL) > 0:
        time.sleep(0.05)
    if not serving.done():
        say(words("bộ chạy Prefect không dừng kịp; bỏ qua",
                  "the Prefect runner did not stop in time; leaving it"))  # fmt: skip
    _kill(child_processes(not_flow_runs), signal.SIGKILL)


def _add_new(
    runner: Any,
    loop: asyncio.AbstractEventLoop,
    discover: Discover,
    served: set[str],
    shutdown: Shutdown,
    timeout: float = 30.0,
) -> None:
    """Register what ``discover`` finds with the running runner; a failure (the
    database or the Prefect API busy) is reported and retried at the next look.
    A signal meanwhile is not kept waiting: the registration is given up."""
    import asyncio

    try:
        for deployment in discover(served):
            future = asyncio.run_coroutine_threadsafe(runner.aadd_deployment(deployment), loop)
            deadline = time.monotonic() + timeout
            while not future.done() and time.monotonic() < deadline:
                if shutdown.requested:
                    future.cancel()
                    return
                time.sleep(0.05)
            if not future.done():
                future.cancel()
                raise TimeoutError(f"no answer in {timeout:.0f} s")
            future.result()
            served.add(deployment.name)
            say(words("bắt đầu phục vụ", "now serving") + f" {deployment.name}")
    except Exception as exc:  # keep serving what already works
        why = f"{type(exc).__name__}: {exc}"
        say(words(f"không thêm được triển khai mới ({why}); sẽ thử lại",
                  f"could not add new deployments ({why}); will retry"))  # fmt: skip
