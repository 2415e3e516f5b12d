"""Compliance scorecards across cycles: what the figures mean, without a database.

A scorecard row (a body, a program, a period, or everything) is a plain list of
counts (:data:`ON_TIME` … :data:`EXTENSIONS`): the four buckets, working days late,
revision rounds, escalations and extensions. Rows add up (:func:`add_into`,
:func:`fold`), so the service counts once at the finest grain it needs and sums
the rest; :func:`figures` names them.

**The on-time rate** (:attr:`rules.tasks.Buckets.on_time_rate`, the one formula the
scorecard and the dashboard share) is done on time over the tasks whose outcome is
known: those sent (on time or late) and those past their deadline without a report
(never sent, or a cycle closed without one). A body that never sent is not on
time: it lowers the rate like a late sender. Tasks still within their deadline
and not yet sent are left out of the denominator, and the label says so.

**Working days late** are counted on the working-day calendar: the working days
after the due date up to the day the report came, a report that came on a day
off counting from the next working day (when the office could read it). A task
never sent counts up to today, or up to the day its cycle was closed.

Plain Python: no I/O, no clock (``now`` and ``today`` are arguments).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol, TypeVar

from rules.errors import UserError
from rules.periods import parse_period
from rules.tasks import Buckets

K = TypeVar("K", bound=Hashable)
J = TypeVar("J", bound=Hashable)

RATE_LABEL_VI = "Tỷ lệ đúng hạn (đúng hạn / số nhiệm vụ đã đến hạn)"
RATE_NOTE_VI = (
    "Tỷ lệ đúng hạn = số nhiệm vụ gửi đúng hạn / (đã gửi + quá hạn chưa gửi, kể cả kỳ đã "
    "khóa mà không gửi). Nhiệm vụ chưa đến hạn và chưa gửi không tính vào mẫu số."
)
RATE_NOTE_EN = (
    "On-time rate = tasks sent on time / (tasks sent + tasks past due and never sent, closed "
    "cycles included). Tasks not yet due and not yet sent are left out of the denominator."
)
DAYS_NOTE_VI = (
    "Trễ hạn tính bằng ngày làm việc, trên các nhiệm vụ gửi trễ và quá hạn chưa gửi (chưa gửi: "
    "tính đến hôm nay hoặc đến ngày khóa kỳ)."
)
DAYS_NOTE_EN = (
    "Lateness in working days, over tasks sent late and tasks past due never sent (never sent: "
    "counted up to today or to the day the cycle closed)."
)


class Calendar(Protocol):
    def next_working_day(self, d: date) -> date: ...
    def working_days_between(self, start: date, end: date) -> int: ...


def percent(rate: float | None) -> str:
    """A rate as people read it, ``67%`` (whole percents), or ``—`` while it is unknown:
    the CLI's scorecard and the pages (the ``pct`` filter) both write it so."""
    return "—" if rate is None else f"{rate * 100:.0f}%"


def mean_days(value: float | None, lang: str = "vi") -> str:
    """A mean number of working days to one decimal, ``7,5`` in Vietnamese and ``7.5`` in
    English, or ``—`` when nothing was late: the CLI's scorecard and the pages (the
    ``days`` filter) both write it so."""
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text if lang == "en" else text.replace(".", ",")


def working_days_late(calendar: Calendar, due: date, came: date) -> int:
    """Working days after ``due`` up to ``came`` (a day off counts as the next working
    day); 0 when it came by the due date."""
    if came <= due:
        return 0
    return calendar.working_days_between(due, calendar.next_working_day(came))


class LateDays:
    """:func:`working_days_late` kept per (due, came) pair: a scorecard over a million
    tasks asks about a few hundred distinct pairs."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self._known: dict[tuple[date, date], int] = {}

    def __call__(self, due: date, came: date) -> int:
        key = (due, came)
        days = self._known.get(key)
        if days is None:
            days = self._known[key] = working_days_late(self.calendar, due, came)
        return days


# A row's counts as a plain list, in this order, so a scorecard over a million tasks
# sums lists in place rather than building an object per group (figures() names them).
ON_TIME, LATE, PENDING, OVERDUE, LATE_TASKS, DAYS_TOTAL, DAYS_WORST = range(7)
RETURNS, ESCALATIONS, TOP_LEVEL, EXTENSIONS = range(7, 11)
WIDTH = 11
_MAXED = (DAYS_WORST, TOP_LEVEL)  # the worst and the highest: kept, not summed


def new_counts() -> list[int]:
    return [0] * WIDTH


def add_late(counts: list[int], days: int, tasks: int) -> None:
    """``tasks`` more late tasks, each ``days`` working days late."""
    counts[LATE_TASKS] += tasks
    counts[DAYS_TOTAL] += days * tasks
    if days > counts[DAYS_WORST]:
        counts[DAYS_WORST] = days


def add_into(counts: list[int], other: Sequence[int]) -> list[int]:
    """Add ``other`` into ``counts`` (sums, but the worst and the highest level are kept)."""
    for i in range(WIDTH):
        counts[i] = max(counts[i], other[i]) if i in _MAXED else counts[i] + other[i]
    return counts


def fold(rows: Mapping[K, Sequence[int]], into: Callable[[K], J]) -> dict[J, list[int]]:
    """``rows`` summed by ``into(key)``: a merged body's rows into its successor's
    (services.succession), each figure as :func:`add_into` adds it. The rows are
    left as they are."""
    folded: dict[J, list[int]] = {}
    for key, counts in rows.items():
        add_into(folded.setdefault(into(key), new_counts()), counts)
    return folded


def figures(counts: Sequence[int]) -> dict[str, Any]:
    """A row's figures as JSON-ready data: the counts, the rate and the mean lateness."""
    buckets = Buckets(*counts[:4])
    late_tasks, days_total, worst = counts[LATE_TASKS : DAYS_WORST + 1]
    return {
        "done_on_time": buckets.done_on_time,
        "done_late": buckets.done_late,
        "pending": buckets.pending,
        "overdue": buckets.overdue,
        "total": buckets.total,
        "counted": buckets.counted,
        "on_time_rate": buckets.rate_figure,
        "late_tasks": late_tasks,
        "days_late_mean": None if late_tasks == 0 else round(days_total / late_tasks, 2),
        "days_late_worst": worst,
        "revision_rounds": counts[RETURNS],
        "escalations": counts[ESCALATIONS],
        "top_level": counts[TOP_LEVEL],
        "extensions": counts[EXTENSIONS],
    }


def rate_of(counts: Sequence[int]) -> float | None:
    """A row's on-time rate, unrounded (the order worst first, the trend)."""
    return Buckets(*counts[:4]).on_time_rate


# -- periods ------------------------------------------------------------------------------


def period_end(spec: str, fallback: date) -> date:
    """The last day of a cycle's period (``fallback``, e.g. its cut-off end, when the
    period is not a regular one)."""
    try:
        return parse_period(spec).end
    except UserError:
        return fallback


def bound(text: str | None, *, upper: bool) -> date | None:
    """``--from``/``--to``: a period (its first day for ``--from``, its last for ``--to``)
    or a date YYYY-MM-DD. Anything else is one UserError line."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise UserError(f"not a valid date (YYYY-MM-DD): {text!r}") from None
    try:
        period = parse_period(text)
    except UserError:
        raise UserError(
            f"not a period or a date: {text!r} (use 2024-H1, 2024-Q3, 2024-07, 2024 or YYYY-MM-DD)"
        ) from None
    return period.end if upper else period.start


def check_range(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise UserError(
            f"--from ({start.strftime('%d/%m/%Y')}) is after --to ({end.strftime('%d/%m/%Y')})"
        )


def in_range(end_of_period: date, start: date | None, end: date | None) -> bool:
    """A cycle is in the range when its period ends within it."""
    return (start is None or end_of_period >= start) and (end is None or end_of_period <= end)


# -- trends -------------------------------------------------------------------------------


def trend(rates: Sequence[float | None]) -> str | None:
    """Whether a series of on-time rates (oldest first) improves: ``up``, ``down`` or
    ``steady``, comparing the last known rate with the first; None with fewer than two."""
    known = [r for r in rates if r is not None]
    if len(known) < 2:
        return None
    change = known[-1] - known[0]
    if abs(change) < 0.005:
        return "steady"
    return "up" if change > 0 else "down"


# The trend in words: the CLI, the spreadsheets and the pages (web.i18n trend_*) read these.
TREND_VI = {"up": "cải thiện", "down": "giảm", "steady": "không đổi", None: "—"}
TREND_EN = {"up": "improving", "down": "worsening", "steady": "steady", None: "—"}


def worst_first(key_rate: float | None, overdue: int, code: str) -> tuple[Any, ...]:
    """Sort key: lowest on-time rate first (none known last), then most overdue, then code."""
    return (key_rate is None, key_rate if key_rate is not None else 0.0, -overdue, code)
