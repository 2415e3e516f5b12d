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
from commands.language import english, say
from commands.output import Answer, actor_option, plain, table
from rules.timezone import vn_date

if TYPE_CHECKING:
    from rich.console import Console

    from rules.calendar import WorkCalendar


def vi_date(d: date) -> str:
    """A date as officials write it: ``thứ Sáu 07/02/2025`` (``Friday 07/02/2025``)."""
    from rules.calendar import WEEKDAYS_EN, WEEKDAYS_VI  # the calendar's own day names

    return f"{(WEEKDAYS_EN if english() else WEEKDAYS_VI)[d.weekday()]} {vn_date(d)}"


def _calendar() -> WorkCalendar:
    from services.calendars import load_calendar

    return load_calendar()


def _provisional_note(calendar: WorkCalendar, d: date) -> str:
    """What a date in a year without an announced schedule carries, in words."""
    if not calendar.provisional(d):
        return ""
    return say(
        f" (tạm tính: lịch nghỉ năm {d.year} của công chức chưa được công bố; "
        "ngày này có thể thay đổi)",
        f" (provisional: the civil servants' days off of {d.year} are not announced yet; "
        "this date may change)",
    )


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
    provisional = calendar.provisional(due_day)
    data = {
        "start": args.start,
        "working_days": args.working_days,
        "due": due_day,
        "deadline": deadline,
        "provisional": provisional,
    }

    def render(console: Console) -> None:
        n, start, due_on = args.working_days, vi_date(args.start), vi_date(due_day)
        console.print(
            say(f"{n} ngày làm việc kể từ {start}: hạn [bold]{due_on}[/bold], hết 23:59:59 "
                "giờ Việt Nam", f"{n} working days after {start}: due [bold]{due_on}[/bold], "
                "until 23:59:59 Vietnam time")
            + f" ({deadline.isoformat()})" + _provisional_note(calendar, due_day),
            markup=True,
        )  # fmt: skip

    return Answer(data, render)


def next_working_day(args: argparse.Namespace) -> Answer:
    """The date itself if it is a working day, else the next one."""
    calendar = _calendar()
    following = calendar.next_working_day(args.date)
    working = following == args.date
    data = {"date": args.date, "next_working_day": following, "is_working_day": working}

    def render(console: Console) -> None:
        day = vi_date(args.date)
        if working:
            console.print(say(f"{day} là ngày làm việc.", f"{day} is a working day."))
        else:
            after = vi_date(following)
            console.print(say(
                f"{day} là ngày nghỉ; ngày làm việc tiếp theo: [bold]{after}[/bold]",
                f"{day} is a day off; the next working day: [bold]{after}[/bold]",
            ), markup=True)  # fmt: skip

    return Answer(data, render)


def working_days(args: argparse.Namespace) -> Answer:
    """Working days after FROM up to and including TO."""
    count = _calendar().working_days_between(args.start, args.end)
    data = {"from": args.start, "to": args.end, "working_days": count}

    def render(console: Console) -> None:
        start, end = vi_date(args.start), vi_date(args.end)
        console.print(say(
            f"Từ sau {start} đến hết {end}: [bold]{count}[/bold] ngày làm việc",
            f"After {start} up to and including {end}: [bold]{count}[/bold] working days",
        ), markup=True)  # fmt: skip

    return Answer(data, render)


def holidays(args: argparse.Namespace) -> Answer:
    """The year's days off and swapped working days, with Vietnamese names."""
    calendar = _calendar()

    def entry(d: date, name: str) -> dict[str, object]:
        return {"date": d, "name": name, "reference": calendar.reference(d)}

    off = [entry(d, name) for d, name in calendar.days_off(args.year)]
    worked = [entry(d, name) for d, name in calendar.swapped_working_days(args.year)]
    provisional = calendar.provisional(date(args.year, 1, 1))
    data = {"year": args.year, "days_off": off, "working_days": worked, "provisional": provisional}

    def render(console: Console) -> None:
        referenced = any(row["reference"] for row in off + worked)
        columns = [say("Ngày", "Date"), say("Loại", "Kind"), say("Tên", "Name")]
        columns += [say("Căn cứ", "Basis")] if referenced else []
        day_off, working_day = say("nghỉ", "day off"), say("làm việc", "working day")
        rows = [(row["date"], day_off, row["name"], row["reference"]) for row in off]
        rows += [(row["date"], working_day, row["name"], row["reference"]) for row in worked]
        cells = [
            [vi_date(day), kind, name] + ([reference or ""] if referenced else [])
            for day, kind, name, reference in sorted(rows, key=lambda r: r[0])
        ]
        title = say(f"Lịch nghỉ và ngày làm bù năm {args.year}",
                    f"Days off and swapped working days of {args.year}")  # fmt: skip
        console.print(table(title, columns, cells))  # names as plain text (commands.output)
        if provisional:
            console.print(_provisional_note(calendar, date(args.year, 1, 1)).strip())

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

        t = Table(title=say("Hạn gửi theo cấp (cấp 0 = cấp trên cùng)",
                    "Due dates by level (level 0 = the top)"))  # fmt: skip
        t.add_column(say("Cấp", "Level"), justify="right")
        t.add_column(say("Hạn", "Due"))
        for row in levels:
            t.add_row(str(row["level"]), vi_date(row["due"]))
        console.print(t)

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
        console.print(f"[bold]{plain(period.spec)}[/bold]: {plain(period.label_vi)}", markup=True)
        console.print(say("  kỳ báo cáo", "  period") + f": {vn_date(period.start)} – "
                      f"{vn_date(period.end)}")  # fmt: skip
        console.print(say("  chốt số liệu", "  data cut-off") + f": {vn_date(cutoff_start)} – "
                      f"{vn_date(cutoff_end)}")  # fmt: skip

    return Answer(data, render)


def check(args: argparse.Namespace) -> Answer:
    """Open tasks whose issued deadline today's calendar would put elsewhere."""
    from commands.output import actor
    from services import clock, recount

    if args.extend:
        rows = recount.extend_moved(now=clock.now(), actor=actor(args), cycle=args.cycle)
    else:
        rows = recount.moved(cycle=args.cycle)
    data = {"moved": rows, "extended": sum(bool(r.get("extended")) for r in rows)}

    def render(console: Console) -> None:
        if not rows:
            console.print(
                say(
                    "Mọi hạn đã giao vẫn khớp với lịch hiện hành.",
                    "Every issued deadline matches the calendar in force.",
                )
            )
            return
        en = english()
        yes, no = say("có", "yes"), say("không", "no")
        earlier = say("không (sớm hơn: giữ hạn đã giao)", "no (earlier: the issued one is kept)")
        console.print(
            table(
                say(
                    "Hạn đã giao mà lịch hiện hành tính khác",
                    "Issued deadlines the calendar in force computes differently",
                ),
                [
                    "Task",
                    "Cycle",
                    "Body",
                    "Issued due",
                    "By the calendar in force",
                    "Why",
                    "Extended" if args.extend else "Can be extended",
                ]
                if en
                else [
                    "Nhiệm vụ",
                    "Kỳ",
                    "Cơ quan",
                    "Hạn đã giao",
                    "Theo lịch hiện hành",
                    "Lý do",
                    "Đã gia hạn" if args.extend else "Gia hạn được",
                ],
                [
                    [
                        r["task"],
                        r["cycle"],
                        r["body"],
                        vn_date(r["issued_due"]),
                        vn_date(r["computed_due"]),
                        r["why"],
                        (yes if r.get("extended") else no)
                        if args.extend
                        else (yes if r["later"] else earlier),
                    ]
                    for r in rows
                ],
            )  # fmt: skip
        )
        if not args.extend and any(r["later"] for r in rows):
            console.print(
                say(
                    "phoihop calendar check --extend gia hạn các nhiệm vụ này theo lịch mới.",
                    "phoihop calendar check --extend extends these tasks to the new dates.",
                )
            )

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
        "check",
        parents=[common],
        help="open tasks whose deadline today's calendar would put elsewhere",
        description="Issued deadlines never change by themselves: this lists the open tasks "
        "whose deadline the calendar in force (the package, the official decisions, your "
        "overrides) would now compute differently; --extend moves those that would be later.",
    )
    p.add_argument("--cycle", metavar="REF", help="only this cycle")
    p.add_argument("--extend", action="store_true", help="extend them to the new date")
    actor_option(p)
    p.set_defaults(handler=check)

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
