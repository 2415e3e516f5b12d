"""Serve deployments until Ctrl-C or SIGTERM, and then stop cleanly.

Prefect's own ``serve()`` (3.8.8) answers SIGTERM with ``sys.exit`` from a
signal handler and leaves a coroutine un-awaited, printing tracebacks. Here the
Prefect runner lives on an event loop in a worker thread (so it installs no
signal handlers), the main thread waits for a signal, then asks the runner to
stop on its own loop and waits for it. While it waits, it asks now and then for
deployments that appeared since (a program added while serving) and hands them
to the running runner, whose poller picks up new deployments as they come.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # asyncio costs ~35 ms to import; `phoihop --help` should not pay it
    import asyncio


def _in_flight(runner: Any) -> int:
    """Flow runs this runner is executing now (0 if Prefect's internals changed shape)."""
    limiter = getattr(runner, "_limiter", None)
    return int(getattr(limiter, "borrowed_tokens", 0) or 0)


def say(message: str) -> None:
    """One progress line of ``phoihop serve`` on stderr (stdout is for ``--json``)."""
    print(f"phoihop serve: {message}", file=sys.stderr, flush=True)


Discover = Callable[[Collection[str]], Sequence[Any]]
"""Given the names of the deployments served so far, the new ones to serve."""


def run_until_signalled(
    deployments: Sequence[Any],
    stop_timeout: float = 30.0,
    drain_timeout: float = 30.0,
    discover: Discover | None = None,
    discover_every: float = 60.0,
) -> None:
    """Serve until SIGINT/SIGTERM, adding what ``discover`` finds every
    ``discover_every`` seconds; then let running flow runs finish (up to
    ``drain_timeout``) so a sweep is never cut off, and stop the runner."""
    import asyncio

    from prefect.runner import Runner

    runner = Runner(pause_on_shutdown=False)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    stop = threading.Event()
    failure: list[BaseException] = []

    async def main() -> None:
        for deployment in deployments:
            await runner.aadd_deployment(deployment)
        started.set()
        await runner.start()

    def work() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(main())
        except BaseException as exc:  # surfaced to the main thread below
            failure.append(exc)
        finally:
            started.set()
            stop.set()

    signals: list[int] = []

    def on_signal(signum: int, _frame: Any) -> None:
        signals.append(signum)  # a second Ctrl-C stops without waiting for running flows
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    thread = threading.Thread(target=work, name="prefect-runner", daemon=True)
    thread.start()
    served = {deployment.name for deployment in deployments}
    next_look = time.monotonic() + discover_every
    try:
        while not stop.wait(0.5):
            if discover and runner.started and time.monotonic() >= next_look:
                next_look = time.monotonic() + discover_every
                _add_new(runner, loop, discover, served, stop_timeout)
        deadline = time.monotonic() + drain_timeout
        if _in_flight(runner):
            running = _in_flight(runner)
            say(f"letting {running} running flow run(s) finish (Ctrl-C again to stop now)")
        while (
            thread.is_alive()
            and _in_flight(runner)
            and len(signals) < 2
            and time.monotonic() < deadline
        ):
            time.sleep(0.2)
    finally:
        if thread.is_alive() and runner.started:
            future = asyncio.run_coroutine_threadsafe(runner.astop(), loop)
            future.result(timeout=stop_timeout)
        thread.join(timeout=stop_timeout)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if failure and not isinstance(failure[0], asyncio.CancelledError):
        raise failure[0]


def _add_new(
    runner: Any,
    loop: asyncio.AbstractEventLoop,
    discover: Discover,
    served: set[str],
    timeout: float,
) -> None:
    """Register what ``discover`` finds with the running runner; a failure (the
    database or the Prefect API busy) is reported and retried at the next look."""
    import asyncio

    try:
        for deployment in discover(served):
            future = asyncio.run_coroutine_threadsafe(runner.aadd_deployment(deployment), loop)
            future.result(timeout=timeout)
            served.add(deployment.name)
            say(f"now serving {deployment.name}")
    except Exception as exc:  # keep serving what already works
        say(f"could not add new deployments ({type(exc).__name__}: {exc}); will retry")
