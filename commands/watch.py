"""``sweep``, ``dashboard`` and ``outbox``: what runs on a timer and what leaders watch."""

from __future__ import annotations

import argparse
from typing import Any

from commands.cycles import export_options, page_note, page_options, write_exports
from commands.mergers import print_handovers
from commands.output import Answer, table


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("sweep", parents=[common], help="fire due reminders and escalations now")
    p.set_defaults(handler=sweep)
    p = sub.add_parser(
        "dashboard",
        parents=[common],
        help="overdue items and cycle progress",
        description="Three lists, each cut to one page with its total: overdue tasks (most "
        "overdue first, grouped by body), the cycles' progress in four buckets, and "
        "compliance per body. --limit and --offset apply to each of them.",
    )
    p.add_argument("--body", metavar="CODE", help="only this body's overdue items")
    p.add_argument("--all-cycles", action="store_true", help="include synthesized cycles")
    page_options(p, "rows of each list")
    export_options(p, "the three lists (the pages shown)")
    p.set_defaults(handler=dashboard)
    outbox = sub.add_parser("outbox", help="notifications").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = outbox.add_parser("list", parents=[common], help="messages written by the sweep")
    p.add_argument("--status", choices=["pending", "sending", "sent", "failed"])
    p.set_defaults(handler=outbox_list)


def sweep(args: argparse.Namespace) -> Answer:
    """The sweep the work pool runs on a schedule, run once here: the same two calls."""
    from services import clock, escalation, notify, rollup, succession

    now = clock.now()
    handed = succession.hand_over_due(now=now)  # mergers whose day has come
    swept = escalation.sweep(now=now)
    fed = rollup.feed_unfed(now=now)  # reports a synthesis closed but did not send up
    delivery = notify.deliver(notify.configured_notifier(), now=now)
    result = swept.as_dict() | {"delivery": delivery.as_dict(), "fed": fed, "handed_over": handed}

    def render(c: Any) -> None:
        c.print(
            f"Examined {result['examined']} waiting tasks: {result['reminders']} reminders, "
            f"{result['escalations']} escalations fired; "
            f"{result['delivery']['sent']} e-mails sent, {result['delivery']['failed']} failed"
        )
        for f in result["fired"]:
            c.print(f"  task {f['task']} {f['body']}: {f['step']} → {', '.join(f['recipients'])}")
        print_handovers(c, handed)

    return Answer(result, render)


def dashboard(args: argparse.Namespace) -> Answer:
    from services import clock
    from services.dashboard import board

    now = clock.now()
    data = board(
        now, body=args.body, all_cycles=args.all_cycles, limit=args.limit, offset=args.offset
    )
    overdue, cycles, bodies = data["overdue"], data["cycles"], data["bodies"]
    if args.csv or args.xlsx:
        from commands.cycles import _writable
        from services.exports import dashboard_sheets

        _writable(args.csv, args.xlsx)
        write_exports(args, dashboard_sheets(data))

    def render(c: Any) -> None:
        from rules.timezone import vn_date

        c.print(f"[bold]Bảng theo dõi[/bold] — {vn_date(now)}")
        rows = [
            [
                g["name"],
                i["cycle"],
                vn_date(i["due_date"]),
                i["days_overdue"],
                i["escalation_level"],
            ]
            for g in overdue["items"]
            for i in g["items"]
        ]
        c.print(table("Quá hạn", ["Cơ quan", "Kỳ", "Hạn", "Quá hạn (ngày)", "Mức đôn đốc"], rows))
        c.print(page_note(overdue, "overdue tasks", shown=len(rows)))
        c.print(
            table(
                "Tiến độ các kỳ",
                ["Kỳ", "Nội dung", "Đúng hạn", "Trễ hạn", "Chưa đến hạn", "Quá hạn"],
                [
                    [
                        p["ref"],
                        p["period_label"],
                        p["done_on_time"],
                        p["done_late"],
                        p["pending"],
                        p["overdue"],
                    ]
                    for p in cycles["items"]
                ],
            )
        )
        c.print(page_note(cycles, "cycles" if args.all_cycles else "open cycles"))
        c.print(
            table(
                "Tuân thủ theo cơ quan (mọi kỳ; tỷ lệ = đúng hạn / số nhiệm vụ đã đến hạn)",
                ["Mã", "Đúng hạn", "Trễ hạn", "Chưa đến", "Quá hạn", "Tỷ lệ", "Đôn đốc", "Trả lại"],
                [
                    [
                        b["body"],
                        b["done_on_time"],
                        b["done_late"],
                        b["pending"],
                        b["overdue"],
                        "—" if b["on_time_rate"] is None else f"{b['on_time_rate']:.0%}",
                        b["escalations"],
                        b["revision_rounds"],
                    ]
                    for b in bodies["items"]
                ],
            )
        )
        c.print(page_note(bodies, "bodies"))

    return Answer(data, render)


def outbox_list(args: argparse.Namespace) -> Answer:
    from sqlmodel import select

    from models import Notification
    from services import db

    with db.reading() as session:
        query = select(Notification).order_by(Notification.id)
        if args.status:
            query = query.where(Notification.status == args.status)
        rows = [
            {
                "id": n.id,
                "created_at": n.created_at,
                "status": n.status,
                "escalation": n.escalation_id,  # None for a notice (opened, received, …)
                "recipients": n.recipients,
                "subject": n.subject,
                "body": n.body,
                "attempts": n.attempts,
                "error": n.error,
            }
            for n in session.exec(query).all()
        ]
    from rules.timezone import vn_date

    return Answer(
        rows,
        lambda c: c.print(
            table(
                "Hộp thư đi",
                ["ID", "Ngày", "Trạng thái", "Người nhận", "Tiêu đề"],
                [
                    [
                        r["id"],
                        vn_date(r["created_at"]),
                        r["status"],
                        ", ".join(r["recipients"]),
                        r["subject"],
                    ]
                    for r in rows
                ],
            )
        ),
    )
