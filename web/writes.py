"""Where the web's state changes run: never on the event loop.

A write on SQLite waits while another connection holds the write lock (a
sweep batch, a CLI command, another process). Run on the event loop, that
wait stalls every page the process serves. So every web write is handed to
the application's :class:`Writer` (``writer(request)``) and the loop only
awaits its future:

- on SQLite, one thread: the database admits one writer anyway, and one
  thread hands it over without the lock contention of a thread pool;
- on PostgreSQL, a few threads, since row locks let writes run side by side.

Each call is one service call: one transaction with its audit record, which
the event relay (services.relay) turns into a Prefect event later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from starlette.requests import Request

POSTGRESQL_WRITERS = 8


class Writer:
    """A small executor for one application's state changes, sized for its database."""

    def __init__(self, dialect: str) -> None:
        threads = 1 if dialect == "sqlite" else POSTGRESQL_WRITERS
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="phoihop-writer")

    def _pool(self) -> ThreadPoolExecutor:
        return self._executor

    def submit(self, change: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        """Queue ``change`` without waiting for it (bookkeeping such as a token's last use)."""
        return self._pool().submit(change, *args, **kwargs)

    async def run(self, change: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``change`` on the writer; the event loop stays free while it waits."""
        return await asyncio.wrap_future(self._pool().submit(change, *args, **kwargs))

    def call(self, change: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """The same from a handler that runs in the thread pool (a plain ``def``)."""
        return self._pool().submit(change, *args, **kwargs).result()

    def shutdown(self) -> None:
        """Finish what is queued (a token's last use, say), then stop the threads."""
        self._executor.shutdown(wait=True)


def writer(request: Request) -> Writer:
    return request.app.state.writer
