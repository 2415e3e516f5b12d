"""One writer at a time inside the web process.

Every state change is a SQLite ``BEGIN IMMEDIATE`` transaction; when two of
this process's threads want the write lock at once, SQLite makes the loser
sleep and retry with growing back-off (milliseconds each time), which wastes
most of the throughput under load. Queueing them on a Python lock first hands
the database over without sleeping. Other processes (the scheduler's sweep,
the CLI) still meet SQLite's own locking, which stays the real guarantee.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_lock = threading.Lock()


def serialized(change: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one service call that writes, after any other of this process's writers."""
    with _lock:
        return change(*args, **kwargs)
