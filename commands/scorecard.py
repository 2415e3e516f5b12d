"""``scorecard``: compliance across cycles, per body, per program and in total, with trends."""

from __future__ import annotations

import argparse
from typing import Any

from commands.cycles import export_options, page_note, page_options, write_exports
from commands.language import current, english, say
from commands.output import Answer, plain, table
from rules.tasks import BUCKETS, bucket_words

_AFTER_BUCKETS = [("Tỷ lệ đúng hạn", "On-time rate"), ("Trễ TB", "Mean late"),
                  ("Trễ nhất", "Worst late"), ("Trả lại", "Returns"), ("Đôn đốc", "Escalations"),
                  ("Mức", "Level"), ("Gia hạn", "Extensions")]  # fmt: skip


def headers(lang: str) -> list[str]:
    """The figures' column heads in ``lang``, in :func:`cells` order: tasks, the four
    buckets, then the rest."""
    en = lang == "en"
    rest = [e if en else vi for vi, e in _AFTER_BUCKETS]
    return ["Tasks" if en else "Số NV", *bucket_words(lang, short=True), *rest]


LEGEND = (
    "Quá hạn: quá hạn chưa gửi (kể cả kỳ đã khóa); Trễ TB, Trễ nhất: ngày làm việc; "
    "Mức: mức đôn đốc cao nhất; NV: nhiệm vụ."
)
LEGEND_EN = (
    "Overdue: past due and not sent (closed cycles included); Mean late, Worst late: working "
    "days; Level: the highest escalation level."
)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "scorecard",
        parents=[common],
        help="compliance across cycles: per body, per program, in total, and the trend",
        description="The four buckets, the on-time rate (on time / tasks due: a body that "
        "never sent counts as not on time; tasks not yet due are left out), working days "
        "late (mean and worst), returns, escalations and extensions, per body (worst "
        "first), per program and in total; then the on-time rate per period.",
    )
    p.add_argument("--program", metavar="CODE", help="only this program's cycles")
    p.add_argument("--body", metavar="CODE", help="only this body's tasks")
    p.add_argument(
        "--from", dest="start", metavar="PERIOD|DATE",
        help="cycles whose period ends on or after this (2024-H1: from 01/01/2024)",
    )  # fmt: skip
    p.add_argument(
        "--to", dest="end", metavar="PERIOD|DATE",
        help="cycles whose period ends on or before this (2025-H1: up to 30/06/2025)",
    )  # fmt: skip
    page_options(p, "bodies (the totals always count every body)")
    export_options(p, "the whole scorecard, every body (by body, program, cycle, the trend)")
    p.set_defaults(handler=scorecard)


def cells(r: dict[str, Any]) -> list[Any]:
    from rules.scorecard import mean_days, percent

    return [
        r["total"], *(r[k] for k in BUCKETS),
        f"{percent(r['on_time_rate'])} ({r['done_on_time']}/{r['counted']})",
        mean_days(r["days_late_mean"], current()), r["days_late_worst"],
        r["revision_rounds"], r["escalations"], r["top_level"], r["extensions"],
    ]  # fmt: skip


def inherited(bodies: list[dict[str, Any]]) -> list[str]:
    """One line per body whose figures include a merged body's history (succession)."""
    from rules.timezone import vn_date

    lines = []
    for b in bodies:
        for p in b.get("predecessors", []):
            decision = f", {p['decision']}" if p["decision"] else ""
            lines.append(say(
                f"{b['body']} gồm lịch sử của cơ quan tiền thân {p['body']} ({p['name']}), "
                f"sáp nhập vào {p['successor']} từ {vn_date(p['effective_on'])}{decision}",
                f"{b['body']} includes the history of its predecessor {p['body']} ({p['name']}), "
                f"merged into {p['successor']} from {vn_date(p['effective_on'])}{decision}",
            ))  # fmt: skip
    return lines


def scorecard(args: argparse.Namespace) -> Answer:
    from rules.scorecard import DAYS_NOTE_EN, RATE_NOTE_EN, TREND_EN, TREND_VI, percent
    from rules.timezone import vn_date
    from services import clock
    from services.scorecard import Filters
    from services.scorecard import scorecard as compute

    filters = Filters.parse(args.program, args.body, args.start, args.end)
    if args.csv or args.xlsx:
        from commands.cycles import _writable

        _writable(args.csv, args.xlsx)
    now = clock.now()
    if args.csv or args.xlsx:  # the files hold every body; the screen shows one page
        from services.exports import scorecard_sheets

        data = compute(now, filters)
        write_exports(args, scorecard_sheets(data))
        end = args.offset + args.limit
        data |= {"bodies": data["bodies"][args.offset : end],
                 "trends": data["trends"][args.offset : end], "limit": args.limit,
                 "offset": args.offset}  # fmt: skip
    else:
        data = compute(now, filters, limit=args.limit, offset=args.offset)

    def render(c: Any) -> None:
        en = english()
        f = data["filters"]
        scope = ", ".join(
            part for part in (
                f["program"] and say("chương trình", "program") + f" {f['program']}",
                f["body"] and say("cơ quan", "body") + f" {f['body']}",
                f["from"] and say("từ", "from") + f" {vn_date(f['from'])}",
                f["to"] and say("đến", "to") + f" {vn_date(f['to'])}",
            ) if part
        )  # fmt: skip
        c.print(
            f"[bold]{say('Bảng đánh giá tuân thủ', 'Compliance scorecard')}[/bold] — "
            f"{vn_date(now)}" + (f" ({plain(scope)})" if scope else ""),
            markup=True,
        )
        c.print(RATE_NOTE_EN if en else data["rate_note"])
        c.print(DAYS_NOTE_EN if en else data["days_note"])
        c.print(LEGEND_EN if en else LEGEND)
        heads, code, all_ = (
            headers("en" if en else "vi"),
            say("Mã", "Code"),
            say("Tổng cộng", "Total"),
        )
        total = ["", all_, *cells(data["total"])]
        bodies = [[b["body"], b["name"], *cells(b)] for b in data["bodies"]]
        c.print(table(say("Theo cơ quan (kém nhất trước)", "By body (worst first)"),
                      [code, say("Cơ quan", "Body"), *heads], [*bodies, total]))  # fmt: skip
        for line in inherited(data["bodies"]):
            c.print(line)
        programs = [[p["program"], *cells(p)] for p in data["programs"]]
        c.print(table(say("Theo chương trình", "By program"), [code, *heads],
                      [*programs, [all_, *total[2:]]]))  # fmt: skip
        periods = [p["period"] for p in data["periods"]]
        trends = TREND_EN if en else TREND_VI
        rows = []
        for b in data["trends"]:  # *: includes a merged predecessor's tasks
            rates = {s["period"]: percent(s["on_time_rate"]) + ("*" if s.get("from_predecessors")
                     else "") for s in b["series"]}  # fmt: skip
            rows.append([b["body"], *(rates.get(p, "") for p in periods), trends[b["trend"]]])
        rows.append([all_, *(percent(p["on_time_rate"]) for p in data["periods"]), ""])
        c.print(table(say("Tỷ lệ đúng hạn theo kỳ", "On-time rate by period"),
                      [code, *periods, say("Xu hướng", "Trend")], rows))  # fmt: skip
        if any(s.get("from_predecessors") for b in data["trends"] for s in b["series"]):
            c.print(say("*: gồm nhiệm vụ của cơ quan tiền thân (đã sáp nhập)",
                        "*: includes tasks of a merged predecessor"))  # fmt: skip
        page = {"items": data["bodies"], "total": data["bodies_total"], "offset": data["offset"]}
        c.print(page_note(page, say("cơ quan", "bodies")))
        if not data["bodies_total"]:
            c.print(say("Không có nhiệm vụ nào trong phạm vi này.", "No tasks in this scope."))

    return Answer(data, render)
