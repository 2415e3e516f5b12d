"""``audit``: the history of a cycle, a task or a body, read from the audit log."""

from __future__ import annotations

import argparse
from typing import Any

from commands.argtypes import moment, record_id
from commands.cycles import export_options, page_note, page_options, write_exports
from commands.output import Answer, table


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "audit",
        parents=[common],
        help="the history: every recorded change, in words",
        description="The audit log, newest first, one page with its total: who did what "
        "and when (Vietnam time), each change in words beside its recorded action.",
    )
    p.add_argument("--cycle", metavar="REF", help="only this cycle (id or PROGRAM/PERIOD)")
    p.add_argument("--task", type=record_id, metavar="ID", help="only this task")
    p.add_argument("--body", metavar="CODE", help="only the tasks of this body")
    p.add_argument("--since", type=moment, metavar="MOMENT",
                   help="from this date or moment on (local time if naive)")  # fmt: skip
    page_options(p, "records")
    export_options(p, "the page shown")
    p.set_defaults(handler=audit)


def audit(args: argparse.Namespace) -> Answer:
    from commands.language import current
    from services.exports import history_sheet
    from services.history import history

    page = history(cycle=args.cycle, task=args.task, body=args.body, since=args.since,
                   limit=args.limit, offset=args.offset, lang=current())  # fmt: skip
    en = current() == "en"
    sheet = history_sheet(page["items"], en=en)
    write_exports(args, [sheet])

    def render(c: Any) -> None:
        c.print(table("History" if en else "Lịch sử thay đổi", sheet.columns, sheet.rows))
        c.print(page_note(page, "records" if en else "bản ghi"))

    return Answer(page, render)
