"""When the outbox tries a message again, and when it gives up.

A failed delivery waits before the next try, longer each time (1, 4, 16, then
60 minutes), so a mail server that is down is not hammered and a short outage
loses nothing. After :data:`MAX_ATTEMPTS` tries the message is marked failed
with its last error, for a person to look at. A message whose sender died
while sending is claimed again once its claim is :data:`STALE_CLAIM` old.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=1)
BACKOFF_FACTOR = 4
LONGEST_WAIT = timedelta(hours=1)


def retry_at(attempts: int, failed_at: datetime) -> datetime | None:
    """When to try again after the ``attempts``-th failed try, or None to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    wait = FIRST_RETRY * BACKOFF_FACTOR ** max(attempts - 1, 0)
    return failed_at + min(wait, LONGEST_WAIT)
