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
import threading
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


class Folded:
    """Bookkeeping writes folded together on the writer: ``add(key, value)`` keeps the
    latest value per key, and one queued ``flush(values)`` writes all that came in
    before the writer reached it, in one transaction.

    A token's last use is recorded on its first call of the minute; when many
    agencies call at once (a national deadline), that was one write transaction
    more per submission, queued behind the submissions on SQLite's one writer.
    """

    def __init__(self, writer: Writer, flush: Callable[[dict[Any, Any]], Any]) -> None:
        self._writer, self._flush = writer, flush
        self._lock = threading.Lock()
        self._pending: dict[Any, Any] = {}

    def add(self, key: Any, value: Any) -> None:
        with self._lock:
            first = not self._pending
            if key not in self._pending or self._pending[key] < value:
                self._pending[key] = value
        if first:
            self._writer.submit(self._drain)

    def _drain(self) -> None:
        with self._lock:
            values, self._pending = self._pending, {}
        self._flush(values)


def writer(request: Request) -> Writer:
    return request.app.state.writer
