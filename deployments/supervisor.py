"""Serve deployments until Ctrl-C or SIGTERM, and then stop cleanly.

Prefect's own ``serve()`` (3.8.8) answers SIGTERM with ``sys.exit`` from a
signal handler and leaves a coroutine un-awaited, printing tracebacks. Here the
Prefect runner lives on an event loop in a worker thread (so it installs no
signal handlers), the main thread waits for a signal, then asks the runner to
stop on its own loop and waits for it.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any


def _in_flight(runner: Any) -> int:
    """Flow runs this runner is executing now (0 if Prefect's internals changed shape)."""
    limiter = getattr(runner, "_limiter", None)
    return int(getattr(limiter, "borrowed_tokens", 0) or 0)


def run_until_signalled(
    deployments: Sequence[Any], stop_timeout: float = 30.0, drain_timeout: float = 30.0
) -> None:
    """Serve until SIGINT/SIGTERM; then let running flow runs finish (up to
    ``drain_timeout``) so a sweep is never cut off, and stop the runner."""
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
    try:
        while not stop.wait(0.5):
            pass
        deadline = time.monotonic() + drain_timeout
        if _in_flight(runner):
            print(
                f"phoihop serve: letting {_in_flight(runner)} running flow run(s) finish "
                "(Ctrl-C again to stop now)",
                file=sys.stderr,
                flush=True,
            )
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
