"""Login throttling: repeated wrong passwords lock an account name for a while.

The web login is the one place a stranger can guess passwords. After
:data:`MAX_FAILURES` wrong attempts within :data:`WINDOW`, further attempts on
that name are refused until :data:`LOCKOUT` after the last of them, whatever
password is given. A successful login starts the count afresh. Attempts made
while locked do not count, so an attacker cannot keep the owner locked out for
longer than one lockout at a time.

The failure times are kept per account name by the service (a row it holds
while it decides, so parallel guesses queue up); this module only decides,
given those times and the current moment, and says which of them to keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
LOOKBACK = WINDOW + LOCKOUT
"""How far back the failures that can still lock an account name reach."""


def locked_until(failures: Sequence[datetime], now: datetime) -> datetime | None:
    """When the lock on an account name ends, or None if it is not locked at ``now``.

    ``failures`` are the times of the failed logins since the last successful
    one, oldest first.
    """
    recent = failures[-MAX_FAILURES:]
    if len(recent) < MAX_FAILURES or recent[-1] - recent[0] > WINDOW:
        return None
    until = recent[-1] + LOCKOUT
    return until if now < until else None


def counted(failures: Sequence[datetime], attempt: datetime) -> list[datetime]:
    """The failures to keep once ``attempt`` counts as one more: oldest first, bounded.

    Only the last :data:`MAX_FAILURES` can ever decide :func:`locked_until`,
    so the rest are dropped; the list is sorted because parallel attempts may
    be counted in another order than the one their clocks were read in.
    """
    return sorted([*failures, attempt])[-MAX_FAILURES:]
