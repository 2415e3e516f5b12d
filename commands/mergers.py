"""``bodies merge`` and ``bodies mergers``: successor links (services.succession)."""

from __future__ import annotations

import argparse
from typing import Any

from commands.argtypes import iso_date
from commands.language import say
from commands.output import Answer, actor, actor_option, table


def register(bodies: Any, common: argparse.ArgumentParser) -> None:
    """Add the two actions to the ``bodies`` group (commands.org)."""
    p = bodies.add_parser(
        "merge",
        parents=[common],
        help="merge bodies into a successor from a date (their open tasks are handed over)",
        description="Record that each PREDECESSOR's work passes to SUCCESSOR from DATE (two "
        "provinces merged into one, a district's body into a commune's). Once DATE has come, "
        "their tasks waiting in open cycles are handed over to the successor, each audited, "
        "and the successor's scorecard includes their history. Running it again changes "
        "nothing.",
    )
    p.add_argument("predecessors", nargs="+", metavar="PREDECESSOR", help="body code(s)")
    p.add_argument("--into", required=True, metavar="SUCCESSOR", help="the successor's code")
    p.add_argument(
        "--on", dest="effective_on", required=True, type=iso_date, metavar="YYYY-MM-DD",
        help="the day the merger takes effect (the successor's first day with the work)",
    )  # fmt: skip
    p.add_argument("--decision", metavar="TEXT", help="the decision's reference, e.g. its number")
    actor_option(p)
    p.set_defaults(handler=bodies_merge)
    p = bodies.add_parser("mergers", parents=[common], help="list the recorded mergers")
    p.set_defaults(handler=bodies_mergers)


def describe(link: dict[str, Any]) -> str:
    """``SO-TTTT → SO-KHCN từ 01/03/2025 (Quyết định …)``."""
    from rules.timezone import vn_date

    decision = f" ({link['decision']})" if link.get("decision") else ""
    return (
        f"{link['predecessor']} → {link['successor']} "
        f"{say('từ', 'from')} {vn_date(link['effective_on'])}{decision}"
    )


def bodies_merge(args: argparse.Namespace) -> Answer:
    from rules.text import clean
    from services import clock
    from services.succession import Link, merge

    decision = clean(args.decision, "the decision").strip() if args.decision else None
    links = [
        Link(
            clean(code, "a body code").strip(),
            clean(args.into, "a body code").strip(),
            args.effective_on,
            decision or None,
        )  # fmt: skip
        for code in args.predecessors
    ]
    result = merge(links, now=clock.now(), actor=actor(args))
    data = result.as_dict()
    return Answer(
        data,
        lambda c: print_mergers(
            c, data["recorded"], data["handed_over"], unchanged=data["unchanged"]
        ),
    )


def print_mergers(
    c: Any,
    recorded: list[dict[str, Any]],
    handed: list[dict[str, Any]],
    *,
    unchanged: list[dict[str, Any]] | None = None,
) -> None:
    """The mergers newly recorded (by ``bodies merge`` or a bodies file), those already
    recorded (``bodies merge`` run again), then the tasks they handed over: one wording
    for a merger wherever it is recorded."""
    for link in recorded:
        c.print(say("Đã ghi nhận sáp nhập: ", "Merger recorded: ") + describe(link))
    for link in unchanged or []:
        line = say("Đã có, không đổi: ", "Already recorded, unchanged: ") + describe(link)
        c.print(line)
    print_handovers(c, handed)


def print_handovers(c: Any, handed: list[dict[str, Any]]) -> None:
    """One line per task handed over (also after ``bodies import`` and ``sweep``)."""
    for h in handed:
        if h["moved"]:
            c.print(say(
                f"  nhiệm vụ {h['task']} (kỳ {h['period']}): chuyển từ {h['from']} sang {h['to']}",
                f"  task {h['task']} ({h['period']}): moved from {h['from']} to {h['to']}",
            ))  # fmt: skip
        else:
            c.print(say(
                f"  nhiệm vụ {h['task']} (kỳ {h['period']}) của {h['from']}: đã bàn giao, "
                f"{h['to']} tiếp tục nhiệm vụ {h['into_task']} của mình",
                f"  task {h['task']} ({h['period']}) of {h['from']}: handed over, {h['to']} "
                f"carries on with its own task {h['into_task']}",
            ))  # fmt: skip


def bodies_mergers(args: argparse.Namespace) -> Answer:
    from rules.timezone import vn_date, vn_datetime
    from services.succession import successions

    rows = successions()
    headers = say(
        "Cơ quan tiền thân|Cơ quan kế nhiệm|Từ ngày|Quyết định|Ghi nhận lúc|Người ghi",
        "Predecessor|Successor|From|Decision|Recorded at|By",
    ).split("|")
    return Answer(
        rows,
        lambda c: c.print(
            table(
                say("Sáp nhập", "Mergers"),
                headers,
                [
                    [
                        r["predecessor"],
                        r["successor"],
                        vn_date(r["effective_on"]),
                        r["decision"],
                        vn_datetime(r["recorded_at"]),
                        r["recorded_by"],
                    ]  # fmt: skip
                    for r in rows
                ],
            )
        ),
    )
