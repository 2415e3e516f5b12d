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
import threading
from collections.abc import Sequence
from typing import Any


def run_until_signalled(deployments: Sequence[Any], stop_timeout: float = 30.0) -> None:
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

    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    thread = threading.Thread(target=work, name="prefect-runner", daemon=True)
    thread.start()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if thread.is_alive() and runner.started:
            future = asyncio.run_coroutine_threadsafe(runner.astop(), loop)
            future.result(timeout=stop_timeout)
        thread.join(timeout=stop_timeout)
    if failure and not isinstance(failure[0], asyncio.CancelledError):
        raise failure[0]
