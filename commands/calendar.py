"""``phoihop calendar …`` and ``phoihop period …``: deadline calculus on the command line.

Every command counts on the calendar from ``services.calendars.load_calendar``
(the package's Vietnamese calendar plus the operator's overrides). Heavy
imports (holidays, yaml, rich) happen inside the handlers.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from commands.argtypes import iso_date, non_negative_int
from commands.output import Answer
from rules.timezone import vn_date

if TYPE_CHECKING:
    from rich.console import Console

    from rules.calendar import WorkCalendar

WEEKDAYS_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def vi_date(d: date) -> str:
    """A date as officials write it: ``thứ Sáu 07/02/2025``."""
    return f"{WEEKDAYS_VI[d.weekday()]} {vn_date(d)}"


def _calendar() -> WorkCalendar:
    from services.calendars import load_calendar

    return load_calendar()


def _year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {text!r}") from None
    if not 1 <= value <= 9999:
        raise argparse.ArgumentTypeError(f"year out of range: {value}")
    return value


def _offsets(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a comma-separated list of whole numbers: {text!r}"
        ) from None
    if any(value < 0 for value in values):
        raise argparse.ArgumentTypeError(f"offsets must not be negative: {text!r}")
    return values


def _start_day(text: str) -> int:
    value = non_negative_int(text)
    if not 1 <= value <= 28:
        raise argparse.ArgumentTypeError(f"must be between 1 and 28: {value}")
    return value


# -- handlers ------------------------------------------------------------------------


def due(args: argparse.Namespace) -> Answer:
    """Due date of "N working days after START" (start day not counted)."""
    calendar = _calendar()
    due_day = calendar.due_date(args.start, args.working_days)
    deadline = calendar.deadline_of(due_day)
    data = {
        "start": args.start,
        "working_days": args.working_days,
        "due": due_day,
        "deadline": deadline,
    }

    def render(console: Console) -> None:
        console.print(
            f"{args.working_days} ngày làm việc kể từ {vi_date(args.start)}: "
            f"hạn [bold]{vi_date(due_day)}[/bold], hết 23:59:59 giờ Việt Nam "
            f"({deadline.isoformat()})"
        )

    return Answer(data, render)


def next_working_day(args: argparse.Namespace) -> Answer:
    """The date itself if it is a working day, else the next one."""
    calendar = _calendar()
    following = calendar.next_working_day(args.date)
    working = following == args.date
    data = {"date": args.date, "next_working_day": following, "is_working_day": working}

    def render(console: Console) -> None:
        if working:
            console.print(f"{vi_date(args.date)} là ngày làm việc.")
        else:
            console.print(
                f"{vi_date(args.date)} là ngày nghỉ; ngày làm việc tiếp theo: "
                f"[bold]{vi_date(following)}[/bold]"
            )

    return Answer(data, render)


def working_days(args: argparse.Namespace) -> Answer:
    """Working days after FROM up to and including TO."""
    count = _calendar().working_days_between(args.start, args.end)
    data = {"from": args.start, "to": args.end, "working_days": count}

    def render(console: Console) -> None:
        console.print(
            f"Từ sau {vi_date(args.start)} đến hết {vi_date(args.end)}: "
            f"[bold]{count}[/bold] ngày làm việc"
        )

    return Answer(data, render)


def holidays(args: argparse.Namespace) -> Answer:
    """The year's days off and swapped working days, with Vietnamese names."""
    calendar = _calendar()
    off = [{"date": d, "name": name} for d, name in calendar.days_off(args.year)]
    worked = [{"date": d, "name": name} for d, name in calendar.swapped_working_days(args.year)]
    data = {"year": args.year, "days_off": off, "working_days": worked}

    def render(console: Console) -> None:
        from rich.table import Table

        table = Table(title=f"Lịch nghỉ và ngày làm bù năm {args.year}")
        table.add_column("Ngày")
        table.add_column("Loại")
        table.add_column("Tên")
        rows = [(row["date"], "nghỉ", row["name"]) for row in off]
        rows += [(row["date"], "làm việc", row["name"]) for row in worked]
        for day, kind, name in sorted(rows):
            table.add_row(vi_date(day), kind, name)
        console.print(table)

    return Answer(data, render)


def staggered(args: argparse.Namespace) -> Answer:
    """Each level's deadline, working backwards from the top level's."""
    from rules.deadlines import staggered_deadlines

    calendar = _calendar()
    days = staggered_deadlines(args.top_due, args.offsets, calendar)
    levels = [
        {"level": level, "due": day, "deadline": calendar.deadline_of(day)}
        for level, day in enumerate(days)
    ]
    data = {"top_due": args.top_due, "offsets": args.offsets, "levels": levels}

    def render(console: Console) -> None:
        from rich.table import Table

        table = Table(title="Hạn gửi theo cấp (cấp 0 = cấp trên cùng)")
        table.add_column("Cấp", justify="right")
        table.add_column("Hạn")
        for row in levels:
            table.add_row(str(row["level"]), vi_date(row["due"]))
        console.print(table)

    return Answer(data, render)


def period_show(args: argparse.Namespace) -> Answer:
    """A period's calendar bounds, data cut-off window and Vietnamese label."""
    from rules.periods import CutoffRule, parse_period

    period = parse_period(args.spec)
    cutoff_start, cutoff_end = period.cutoff(CutoffRule(start_day=args.cutoff_start_day))
    data = {
        "period": period.spec,
        "kind": period.kind,
        "start": period.start,
        "end": period.end,
        "cutoff_start": cutoff_start,
        "cutoff_end": cutoff_end,
        "label": period.label_vi,
    }

    def render(console: Console) -> None:
        console.print(f"[bold]{period.spec}[/bold]: {period.label_vi}")
        console.print(f"  kỳ báo cáo: {vn_date(period.start)} – {vn_date(period.end)}")
        console.print(f"  chốt số liệu: {vn_date(cutoff_start)} – {vn_date(cutoff_end)}")

    return Answer(data, render)


# -- wiring --------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``calendar`` and ``period`` command groups."""
    group = sub.add_parser("calendar", help="working days, due dates and holidays (Vietnam)")
    commands = group.add_subparsers(dest="calendar_command", metavar="COMMAND", required=True)

    p = commands.add_parser("due", parents=[common], help="due date of N working days after START")
    p.add_argument("start", metavar="START", type=iso_date, help="YYYY-MM-DD (not counted)")
    p.add_argument("--working-days", metavar="N", type=non_negative_int, required=True)
    p.set_defaults(handler=due)

    p = commands.add_parser(
        "next-working-day", parents=[common], help="DATE if worked, else the next working day"
    )
    p.add_argument("date", metavar="DATE", type=iso_date)
    p.set_defaults(handler=next_working_day)

    p = commands.add_parser(
        "working-days", parents=[common], help="working days after FROM up to and including TO"
    )
    p.add_argument("start", metavar="FROM", type=iso_date)
    p.add_argument("end", metavar="TO", type=iso_date)
    p.set_defaults(handler=working_days)

    p = commands.add_parser(
        "holidays", parents=[common], help="days off and swapped working days of YEAR"
    )
    p.add_argument("year", metavar="YEAR", type=_year)
    p.set_defaults(handler=holidays)

    p = commands.add_parser(
        "staggered", parents=[common], help="each level's deadline from the top level's"
    )
    p.add_argument("top_due", metavar="TOP_DUE", type=iso_date)
    p.add_argument(
        "--offsets",
        metavar="N,N,…",
        type=_offsets,
        required=True,
        help="working days each level below sends before the level above, top down",
    )
    p.set_defaults(handler=staggered)

    group = sub.add_parser("period", help="reporting periods and data cut-off windows")
    commands = group.add_subparsers(dest="period_command", metavar="COMMAND", required=True)
    p = commands.add_parser(
        "show", parents=[common], help="bounds, cut-off window and Vietnamese label of SPEC"
    )
    p.add_argument("spec", metavar="SPEC", help="2024-07, 2024-Q3, 2024-H1, 2024-9M or 2024")
    p.add_argument(
        "--cutoff-start-day",
        metavar="DAY",
        type=_start_day,
        default=15,
        help="first day of the cut-off window (Decree 09: 15; 1 = calendar period)",
    )
    p.set_defaults(handler=period_show)
