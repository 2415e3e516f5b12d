"""Local time for deadlines: Asia/Ho_Chi_Minh (UTC+7, no daylight saving).

Deadlines are dates for people and instants for the machine. A deadline date
ends at 23:59:59 local time (Civil Code art. 148: a period ends at 24:00 of its
last day); it is stored as an aware UTC timestamp.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
END_OF_DAY = time(23, 59, 59)


def end_of_day(d: date) -> datetime:
    """The last second of local day ``d``, as an aware UTC datetime."""
    return datetime.combine(d, END_OF_DAY, tzinfo=VN_TZ).astimezone(UTC)


def start_of_day(d: date) -> datetime:
    """Local midnight opening day ``d``, as an aware UTC datetime."""
    return datetime.combine(d, time(0, 0), tzinfo=VN_TZ).astimezone(UTC)


def local_date(moment: datetime) -> date:
    """The local calendar day a moment falls on."""
    return as_utc(moment).astimezone(VN_TZ).date()


def as_utc(moment: datetime) -> datetime:
    """Make a datetime aware UTC; a naive one is read as UTC (how SQLite returns it)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_moment(text: str) -> datetime:
    """Parse ``--now``-style input: an ISO date or datetime; naive means local time.

    A bare date means the start of that local day. Raises ValueError on junk.
    """
    text = text.strip()
    try:
        if len(text) == 10:
            return start_of_day(date.fromisoformat(text))
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not an ISO date or date-time: {text!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(UTC)


def days_late(due_at: datetime, now: datetime) -> int:
    """Whole calendar days past a deadline (0 if not past): what dashboards show."""
    delta = as_utc(now) - as_utc(due_at)
    if delta <= timedelta(0):
        return 0
    return local_date(now).toordinal() - local_date(due_at).toordinal()


def vn_date(value: date | datetime | None) -> str:
    """Dates as officials write them, dd/mm/yyyy; an instant shows its local day; None, ""."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_date(value)
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: datetime | None) -> str:
    """An instant as officials read it: dd/mm/yyyy HH:MM in local time; None, ""."""
    if value is None:
        return ""
    return as_utc(value).astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
