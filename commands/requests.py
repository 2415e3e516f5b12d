"""``request open``: an ad-hoc request (báo cáo đột xuất), a cycle with no regular period.

The request is a cycle of the coordinator's ad-hoc program (``DX-BTGTU/2024-001``):
every other command (submit, review, extend, sweep, synthesize, tasks, cycle show)
takes it as any cycle. services.requests opens it; the API calls the same.
"""

from __future__ import annotations

import argparse
from typing import Any

from commands.argtypes import iso_date, non_negative_int
from commands.language import say
from commands.output import Answer, actor, actor_option


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    request = sub.add_parser(
        "request", help="ad-hoc requests (báo cáo đột xuất), outside any regular period"
    ).add_subparsers(dest="action", metavar="ACTION", required=True)
    p = request.add_parser(
        "open",
        parents=[common],
        help="ask bodies for an ad-hoc report: a subject, a letter, a deadline, an outline",
        description="Opens DX-COORDINATOR/YYYY-NNN: a task for each body, the request "
        "notices, and the urging ladder as for any cycle. The deadline is a date (--due, "
        "moved to a working day) or working days from the letter (--within); review and "
        "synthesis follow in working days.",
    )
    p.add_argument("--coordinator", required=True, metavar="CODE", help="the asking body")
    p.add_argument("--subject", required=True, help='what it is about, e.g. "Tình hình …"')
    p.add_argument("--letter-no", required=True, help="the request letter's number")
    p.add_argument("--letter-date", type=iso_date, help="the letter's date (default: today)")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--due", type=iso_date, help="the bodies' deadline, YYYY-MM-DD")
    when.add_argument(
        "--within", type=non_negative_int, metavar="N", help="N working days from the letter"
    )
    p.add_argument("--bodies", required=True, type=_codes, metavar="A,B,C", help="body codes")
    p.add_argument(
        "--outline",
        metavar="FILE",
        help="sections (YAML, as a program's outline, with an optional escalation: ladder; "
        "or markdown, ## I. Tiêu đề); default: one section",
    )
    p.add_argument("--review-days", type=non_negative_int, default=None, metavar="N",
                   help="working days of review after the deadline (default 3)")  # fmt: skip
    p.add_argument("--synthesis-days", type=non_negative_int, default=None, metavar="N",
                   help="working days of synthesis after the review (default 2)")  # fmt: skip
    actor_option(p)
    p.set_defaults(handler=request_open)


def request_open(args: argparse.Namespace) -> Answer:
    from rules.timezone import vn_date
    from services import clock, loaders
    from services.requests import Request, open_request

    outline, escalation = (None, None)
    if args.outline:
        outline, escalation = loaders.load_request_outline(args.outline)
    given = {"review_working_days": args.review_days,
             "synthesis_working_days": args.synthesis_days}  # fmt: skip
    request = Request(
        coordinator=args.coordinator, subject=args.subject, letter_no=args.letter_no,
        bodies=args.bodies, due=args.due, within=args.within, letter_date=args.letter_date,
        outline=outline, escalation=escalation,
        **{name: days for name, days in given.items() if days is not None},  # else Request's
    )  # fmt: skip
    opened = open_request(request, now=clock.now(), actor=actor(args))
    data = opened.as_dict()
    cycle = data["cycle"]
    line = say(
        f"Đã mở yêu cầu báo cáo đột xuất {cycle['ref']} ({cycle['period_label']}): "
        f"{data['tasks']} nhiệm vụ, hạn gửi {vn_date(cycle['provide_due'])}; xem xét đến "
        f"{vn_date(cycle['review_due'])}, tổng hợp đến {vn_date(cycle['synthesis_due'])}",
        f"Opened the ad-hoc request {cycle['ref']} ({cycle['period_label']}): "
        f"{data['tasks']} tasks due {vn_date(cycle['provide_due'])}; review by "
        f"{vn_date(cycle['review_due'])}, synthesis by {vn_date(cycle['synthesis_due'])}",
    )
    return Answer(data, lambda c: c.print(line))
