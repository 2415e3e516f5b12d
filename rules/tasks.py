"""The life of a task, as a small state machine.

::

    pending ──submit──▶ submitted ──accept──▶ accepted
       ▲                  │  ▲ (a correction before review is a new version)
       │               return │
       └──── extend      ▼  │
                        returned ──submit──┘

A task is *done* while something submitted stands (``submitted`` or
``accepted``); ``returned`` puts it back in the body's hands with a new due
date. Accepted is final. So is ``handed_over``: the body merged into one that
already has its own task in the cycle (services.succession), so this one is
neither done nor waiting and leaves the four buckets. Nothing here touches a
database or a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from rules.errors import Conflict, UserError


class Status(StrEnum):
    PENDING = "pending"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    HANDED_OVER = "handed_over"  # its body merged; its successor's own task carries on


STATUSES = tuple(s.value for s in Status)
OPEN = (Status.PENDING, Status.RETURNED)  # waiting on the body: reminders and escalation apply
DONE = (Status.SUBMITTED, Status.ACCEPTED)

LABELS_VI = {
    Status.PENDING: "chưa gửi",
    Status.SUBMITTED: "đã gửi, chờ xem xét",
    Status.RETURNED: "trả lại, chờ bổ sung",
    Status.ACCEPTED: "đã tiếp nhận",
    Status.HANDED_OVER: "đã bàn giao cho cơ quan kế nhiệm",
}
LABELS_EN = {
    Status.PENDING: "not yet submitted",
    Status.SUBMITTED: "submitted, awaiting review",
    Status.RETURNED: "returned for supplement",
    Status.ACCEPTED: "accepted",
    Status.HANDED_OVER: "handed over to the successor body",
}


def status_label(status: str, lang: str) -> str:
    """A task's status in words in ``lang`` (``vi`` or ``en``), never the raw code; a
    value that is no status is given back as it is."""
    try:
        value = Status(status)
    except ValueError:
        return status
    return (LABELS_EN if lang == "en" else LABELS_VI)[value]


# A cycle's two states (models.Cycle.status) in words: the CLI's tables, the exports.
# (The pages title-case theirs and say "Synthesized": web.i18n cycle_*.)
CYCLE_LABELS_VI = {"open": "đang mở", "synthesized": "đã tổng hợp"}
CYCLE_LABELS_EN = {"open": "open", "synthesized": "synthesized, closed"}


def cycle_label(status: str, lang: str) -> str:
    """A cycle's state in words in ``lang`` (``vi`` or ``en``); an unknown value as it is."""
    return (CYCLE_LABELS_EN if lang == "en" else CYCLE_LABELS_VI).get(status, status)


HANDED_OVER_MESSAGE = "this task was handed over to the body's successor; its task carries on"


def check_submit(status: str, cycle_open: bool) -> None:
    """A body may submit while its task is not accepted and the cycle is open."""
    if not cycle_open:
        raise Conflict("the cycle is closed (already synthesized); submissions are not accepted")
    if status == Status.ACCEPTED:
        raise Conflict("this task's report was already accepted; nothing more to submit")
    if status == Status.HANDED_OVER:
        raise Conflict(HANDED_OVER_MESSAGE)


def check_review(status: str, cycle_open: bool) -> None:
    """Only a standing, unreviewed submission can be accepted or returned."""
    if not cycle_open:
        raise Conflict("the cycle is closed (already synthesized)")
    if status == Status.PENDING:
        raise Conflict("nothing has been submitted for this task yet")
    if status == Status.RETURNED:
        raise Conflict("this task was returned; wait for the body to resubmit")
    if status == Status.ACCEPTED:
        raise Conflict("this task's report was already accepted")
    if status == Status.HANDED_OVER:
        raise Conflict(HANDED_OVER_MESSAGE)


def check_version_read(latest: int, read: int | None) -> None:
    """A decision names the version its reviewer read (``read``; None: not said): a newer
    one sent since must be read first, so no decision lands on a text nobody read."""
    if read is not None and read != latest:
        raise Conflict(
            f"version {latest} was sent after version {read}, the one you read; "
            "read it before deciding"
        )


def check_new_due_date(new_due: date, today: date) -> None:
    """A new due date (return or extension) must not lie in the past."""
    if new_due < today:
        raise UserError(f"the new due date {new_due.isoformat()} is in the past")


def check_extend(status: str, cycle_open: bool, current_due: date, new_due: date) -> None:
    """Extensions move a waiting task's deadline later; they need an open cycle."""
    if not cycle_open:
        raise Conflict("the cycle is closed (already synthesized)")
    if status not in OPEN:
        raise Conflict(f"only a task waiting for the body can be extended (this one is {status})")
    if new_due <= current_due:
        raise UserError(f"an extension must move the due date later than {current_due.isoformat()}")


def is_on_time(submitted_at: datetime, due_at: datetime) -> bool:
    """Sent by the end of the due day in force (Civil Code: the day ends at 24:00)."""
    return submitted_at <= due_at


@dataclass(frozen=True)
class Buckets:
    """The four buckets government task tracking counts, per body or per cycle."""

    done_on_time: int = 0
    done_late: int = 0
    pending: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.done_on_time + self.done_late + self.pending + self.overdue

    @property
    def counted(self) -> int:
        """The tasks an on-time rate counts: sent (on time or late), or past due unsent."""
        return self.done_on_time + self.done_late + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        """On time over the tasks sent or past due; None while there are none.

        A body that never sent is not on time: its overdue tasks (past the deadline,
        or in a cycle closed without its report) count against it like a late
        report. Tasks still within their deadline are left out (rules.scorecard)."""
        return None if self.counted == 0 else self.done_on_time / self.counted

    @property
    def rate_figure(self) -> float | None:
        """The rate as the answers carry it (JSON, pages, sheets): four decimals."""
        rate = self.on_time_rate
        return None if rate is None else round(rate, 4)


BUCKETS = ("done_on_time", "done_late", "pending", "overdue")

# The four buckets in words, one vocabulary for every face (pages, CLI, sheets): the
# official practice's (task tracking under Quyết định 42/2014/QĐ-TTg, amended by
# 23/2018), and a short form of the same words for a terminal's columns. Each is
# (Vietnamese, English).
BUCKET_WORDS = {
    "done_on_time": ("Hoàn thành đúng hạn", "Done on time"),
    "done_late": ("Hoàn thành trễ hạn", "Done late"),
    "pending": ("Đang thực hiện, trong hạn", "Pending, within deadline"),
    "overdue": ("Quá hạn", "Overdue"),
}
# A scorecard's overdue column counts closed cycles' tasks never sent too, and says so.
UNSENT_WORDS = ("Quá hạn, chưa gửi", "Past due, never sent")
BUCKET_SHORT = {
    "done_on_time": ("Đúng hạn", "On time"),
    "done_late": ("Trễ hạn", "Late"),
    "pending": ("Trong hạn", "Pending"),
    "overdue": ("Quá hạn", "Overdue"),
}


def bucket_word(bucket: str, lang: str = "vi", *, short: bool = False) -> str:
    """One bucket's name in ``lang`` ("vi" or "en")."""
    return (BUCKET_SHORT if short else BUCKET_WORDS)[bucket][lang == "en"]


def bucket_words(lang: str = "vi", *, short: bool = False) -> list[str]:
    """The four buckets' names in :data:`BUCKETS` order."""
    return [bucket_word(b, lang, short=short) for b in BUCKETS]


def bucket_summary(counts: dict[str, int], lang: str = "vi") -> str:
    """The four counts in words, as the cycle page writes them: "Hoàn thành đúng hạn: 3
    · … · Quá hạn: 1"."""
    return " · ".join(
        f"{word}: {counts.get(b, 0)}" for b, word in zip(BUCKETS, bucket_words(lang), strict=True)
    )


def bucket_of(
    status: str, last_on_time: bool | None, due_at: datetime, now: datetime, *, cycle_open: bool
) -> str:
    """Which of the four buckets a task is in at ``now``; a task of a closed cycle that
    never sent is overdue, whatever its deadline (it can no longer send): so every
    caller says whether the cycle is open."""
    if status in DONE:
        return "done_on_time" if last_on_time else "done_late"
    return "overdue" if now > due_at or not cycle_open else "pending"
