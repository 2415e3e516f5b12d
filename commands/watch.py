"""``sweep``, ``dashboard`` and ``outbox``: what runs on a timer and what leaders watch."""

from __future__ import annotations

import argparse
from typing import Any

from commands.cycles import export_options, page_note, page_options, write_exports
from commands.language import current, english, say
from commands.mergers import print_handovers
from commands.output import Answer, table
from rules.scorecard import percent
from rules.tasks import BUCKETS, bucket_words


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
        n, sent = result, result["delivery"]
        c.print(say(
            f"Đã rà soát {n['examined']} nhiệm vụ đang chờ: {n['reminders']} lần nhắc hạn, "
            f"{n['escalations']} lần đôn đốc; đã gửi {sent['sent']} thư điện tử, "
            f"{sent['failed']} thư gửi không được",
            f"Examined {n['examined']} waiting tasks: {n['reminders']} reminders, "
            f"{n['escalations']} escalations fired; {sent['sent']} e-mails sent, "
            f"{sent['failed']} failed",
        ))  # fmt: skip
        task = say("nhiệm vụ", "task")
        for f in result["fired"]:
            c.print(f"  {task} {f['task']} {f['body']}: {_step(f['step'])} → "
                    f"{', '.join(f['recipients'])}")  # fmt: skip
        print_handovers(c, handed)

    return Answer(result, render)


def _step(step: str) -> str:
    """A ladder step in words: ``reminder-3`` is "nhắc hạn (trước 3 ngày làm việc)",
    ``level-2`` "đôn đốc lần 2" (the words the task history uses), never the raw code."""
    from rules.messages import describe_event

    kind, _, rest = step.partition("-")
    lang = current()
    if kind == "reminder" and rest.isdigit():
        return describe_event({"kind": "reminder", "step": step}, lang=lang)
    if kind == "level" and rest.isdigit():
        return describe_event({"kind": "escalation", "level": int(rest)}, lang=lang)
    return step


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

        en = english()
        c.print(f"[bold]{say('Bảng theo dõi', 'Dashboard')}[/bold] — {vn_date(now)}", markup=True)
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
        headers = (["Body", "Cycle", "Due", "Days overdue", "Escalation"] if en
                   else ["Cơ quan", "Kỳ", "Hạn", "Quá hạn (ngày)", "Mức đôn đốc"])  # fmt: skip
        c.print(table(say("Quá hạn", "Overdue"), headers, rows))
        c.print(page_note(overdue, say("nhiệm vụ quá hạn", "overdue tasks"), shown=len(rows)))
        c.print(
            table(
                say("Tiến độ các kỳ", "Cycles' progress"),
                [
                    say("Kỳ", "Cycle"),
                    say("Nội dung", "Period"),
                    *bucket_words(current(), short=True),
                ],
                [[p["ref"], p["period_label"], *(p[k] for k in BUCKETS)] for p in cycles["items"]],
            )
        )
        c.print(page_note(cycles, say("kỳ", "cycles") if args.all_cycles
                          else say("kỳ đang mở", "open cycles")))  # fmt: skip
        c.print(
            table(
                say(
                    "Tuân thủ theo cơ quan (mọi kỳ; tỷ lệ = đúng hạn / số nhiệm vụ đã đến hạn)",
                    "Compliance by body (every cycle; rate = on time / tasks due)",
                ),
                [
                    say("Mã", "Code"),
                    *bucket_words(current(), short=True),
                    say("Tỷ lệ", "Rate"),
                    say("Đôn đốc", "Escalations"),
                    say("Trả lại", "Returns"),
                ],
                [
                    [
                        b["body"],
                        *(b[k] for k in BUCKETS),
                        percent(b["on_time_rate"]),
                        b["escalations"],
                        b["revision_rounds"],
                    ]
                    for b in bodies["items"]
                ],
            )
        )
        c.print(page_note(bodies, say("cơ quan", "bodies")))

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

    states = OUTBOX_STATUS_EN if english() else OUTBOX_STATUS_VI
    return Answer(
        rows,
        lambda c: c.print(
            table(
                say("Hộp thư đi", "Outbox"),
                ["ID", "Date", "Status", "Recipients", "Subject"]
                if english()
                else ["ID", "Ngày", "Trạng thái", "Người nhận", "Tiêu đề"],
                [
                    [
                        r["id"],
                        vn_date(r["created_at"]),
                        states.get(r["status"], r["status"]),
                        ", ".join(r["recipients"]),
                        r["subject"],
                    ]
                    for r in rows
                ],
            )
        ),
    )


OUTBOX_STATUS_VI = {"pending": "chờ gửi", "sending": "đang gửi", "sent": "đã gửi",
                    "failed": "gửi không được"}  # fmt: skip
OUTBOX_STATUS_EN = {"pending": "waiting", "sending": "sending", "sent": "sent", "failed": "failed"}
