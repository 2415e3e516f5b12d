"""The cycle's stages from the command line: open, submit, review, extend, synthesize."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from commands.argtypes import iso_date, non_negative_int, page_size, record_id
from commands.language import current, english, say
from commands.output import Answer, actor, actor_option, plain, table
from rules.tasks import (
    BUCKETS,
    STATUSES,
    bucket_summary,
    bucket_word,
    bucket_words,
    cycle_label,
    status_label,
)
from rules.timezone import vn_date


def _task_ref_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--task", type=record_id, metavar="ID", help="the task's id")
    p.add_argument("--cycle", metavar="REF", help="cycle id or PROGRAM/PERIOD (with --body)")
    p.add_argument("--body", metavar="CODE", help="the reporting body's code (with --cycle)")


def _task_ref(args: argparse.Namespace) -> dict[str, Any]:
    return {"task_id": args.task, "cycle": args.cycle, "body": args.body}


DEFAULT_PAGE = 50


def page_options(p: argparse.ArgumentParser, what: str = "rows") -> None:
    """``--limit`` and ``--offset``: every list command prints one page, never a whole table."""
    p.add_argument(
        "--limit", type=page_size, default=DEFAULT_PAGE, metavar="N",
        help=f"show at most N {what} (default {DEFAULT_PAGE}, at most 1000)",
    )  # fmt: skip
    p.add_argument(
        "--offset", type=non_negative_int, default=0, metavar="N",
        help=f"skip the first N {what} (the next page: --offset plus --limit)",
    )  # fmt: skip


def export_options(p: argparse.ArgumentParser, what: str) -> None:
    """``--csv FILE`` and ``--xlsx FILE``: the same rows for a spreadsheet."""
    p.add_argument("--csv", metavar="FILE", help=f"also write {what} as CSV (UTF-8, for Excel)")
    p.add_argument("--xlsx", metavar="FILE", help=f"also write {what} as an Excel workbook")


def write_exports(args: argparse.Namespace, sheets: Any) -> None:
    """Write the ``--csv`` / ``--xlsx`` files a command was asked for."""
    from services.exports import csv_bytes, xlsx_bytes

    if getattr(args, "csv", None):
        Path(args.csv).write_bytes(csv_bytes(sheets))
    if getattr(args, "xlsx", None):
        Path(args.xlsx).write_bytes(xlsx_bytes(sheets))


def count(n: int) -> str:
    """A count as the answer's language writes it: 50.000 in Vietnamese (rules.forms'
    way with numbers), 50,000 in English."""
    from rules.forms import number_vi

    return f"{n:,}" if english() else number_vi(n, "integer")


def page_note(page: dict[str, Any], noun: str, shown: int | None = None) -> str:
    """Where a page stands in its list: "50/50.000 nhiệm vụ quá hạn (1–50); trang sau:
    --offset 50" ("50 of 50,000 overdue tasks (1–50); --offset 50 for the next page"),
    or that the offset lies past the end. ``noun`` is in the answer's language
    (``say(…)``); ``shown``: the rows the page holds, when its items are groups of them."""
    shown = len(page["items"]) if shown is None else shown
    total, offset = page["total"], page["offset"]
    of = say("/", " of ")
    if not shown:
        past = say(f" ở --offset {count(offset)}", f" at --offset {count(offset)}")
        return f"0{of}{count(total)} {noun}" + (past if offset else "")
    note = f"{count(shown)}{of}{count(total)} {noun}"
    if shown < total:
        note += f" ({count(offset + 1)}–{count(offset + shown)})"
    if offset + shown < total:
        note += say(f"; trang sau: --offset {offset + shown}",
                    f"; --offset {offset + shown} for the next page")  # fmt: skip
    return note


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    cycle = sub.add_parser("cycle", help="reporting cycles").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = cycle.add_parser("open", parents=[common], help="open a cycle of a program for a period")
    p.add_argument("program", help="program code")
    p.add_argument("period", help="2024-H1, 2024-Q3, 2024-07, 2024-9M, 2024")
    p.add_argument("--letter-no", help="the request letter's number, e.g. 310-CV/BTGTU")
    p.add_argument("--letter-date", type=iso_date, help="the letter's date (default: today)")
    p.add_argument("--due", type=iso_date, help="due date stated in the letter (default: counted)")
    actor_option(p)
    p.set_defaults(handler=cycle_open)
    p = cycle.add_parser("list", parents=[common], help="list cycles")
    p.set_defaults(handler=cycle_list)
    p = cycle.add_parser("show", parents=[common], help="a cycle's tasks and history")
    p.add_argument("cycle", help="cycle id or PROGRAM/PERIOD")
    page_options(p, "tasks")
    p.set_defaults(handler=cycle_show)
    p = cycle.add_parser(
        "tree", parents=[common], help="the roll-up tree a cycle belongs to, level by level",
        description="The cycles of every level, from the top one down: each one's "
        "coordinator, due dates, four buckets and status, and its parent.",
    )  # fmt: skip
    p.add_argument("cycle", help="cycle id or PROGRAM/PERIOD (any cycle of the tree)")
    p.set_defaults(handler=cycle_tree)
    p = cycle.add_parser(
        "report", parents=[common], help="print a synthesized cycle's report (or --draft)",
        description="A closed cycle's report is the file issued at synthesis, byte for byte. "
        "--draft renders an open cycle's report as it would close now, marked DỰ THẢO, "
        "its number left blank.",
    )  # fmt: skip
    p.add_argument("cycle", help="cycle id or PROGRAM/PERIOD")
    p.add_argument("--docx", metavar="FILE", help="also write it as a Word document")
    p.add_argument("--draft", action="store_true", help="the report as it would close now")
    p.add_argument(
        "--xlsx", metavar="FILE",
        help="also write the summed data forms: bodies × indicators with a Tổng cộng row, "
        "and a sheet per form with every body's values",
    )  # fmt: skip
    p.set_defaults(handler=cycle_report)
    p = cycle.add_parser(
        "totals", parents=[common],
        help="the data forms summed over the accepted bodies, with who is missing",
    )  # fmt: skip
    p.add_argument("cycle", help="cycle id or PROGRAM/PERIOD")
    p.add_argument("--xlsx", metavar="FILE", help="also write them as an Excel workbook")
    p.add_argument("--csv", metavar="FILE", help="also write them as CSV")
    p.set_defaults(handler=cycle_totals)

    tasks = sub.add_parser("tasks", help="tasks of bodies").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = tasks.add_parser("list", parents=[common], help="list tasks, overdue first")
    p.add_argument("--cycle", metavar="REF")
    p.add_argument("--body", metavar="CODE")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--overdue", action="store_true", help="only overdue tasks of open cycles")
    page_options(p, "tasks")
    export_options(p, "the page shown")
    p.set_defaults(handler=tasks_list)
    p = tasks.add_parser(
        "diff", parents=[common],
        help="compare a version of a body's report with the previous one, section by section",
    )  # fmt: skip
    _task_ref_options(p)
    p.add_argument(
        "--version", type=record_id, metavar="V", help="the version to compare (default: latest)"
    )
    p.set_defaults(handler=tasks_diff)
    p = tasks.add_parser(
        "versions", parents=[common],
        help="a body's report versions, as kept; --version V prints that version's text",
    )  # fmt: skip
    _task_ref_options(p)
    p.add_argument("--version", type=record_id, metavar="V", help="print this version's text")
    p.set_defaults(handler=tasks_versions)

    p = sub.add_parser("submit", parents=[common], help="submit (or resubmit) a body's report")
    p.add_argument(
        "file",
        help="the report as written: Word (.docx), text or Markdown (UTF-8), its sections "
        "numbered as the outline's (I., II., …)",
    )
    _task_ref_options(p)
    p.add_argument("--attach", action="append", default=[], metavar="FILE", help="attachment")
    p.add_argument(
        "--form", action="append", default=[], metavar="FILE.xlsx",
        help="a filled data-form template (phoihop program form-template); repeatable",
    )  # fmt: skip
    actor_option(p)
    p.set_defaults(handler=submit)

    review = sub.add_parser("review", help="accept or return a submission").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = review.add_parser("accept", parents=[common], help="accept the latest version")
    _task_ref_options(p)
    _version_read_option(p)
    actor_option(p)
    p.set_defaults(handler=review_decision, decision="accept")
    p = review.add_parser("return", parents=[common], help="return for supplement/completion")
    _task_ref_options(p)
    _version_read_option(p)
    p.add_argument("--comment", required=True, help="what the body must supplement")
    p.add_argument("--due", type=iso_date, required=True, help="new due date")
    actor_option(p)
    p.set_defaults(handler=review_decision, decision="return")

    p = sub.add_parser("extend", parents=[common], help="grant an extension (gia hạn)")
    _task_ref_options(p)
    p.add_argument("--due", type=iso_date, required=True, help="new due date")
    p.add_argument("--reason", required=True)
    actor_option(p)
    p.set_defaults(handler=review_decision, decision="extend")

    p = sub.add_parser(
        "synthesize",
        parents=[common],
        help="consolidate a cycle and close it",
        description="Refused, naming the tasks, while a report waits for review or a body is "
        "still within its deadline; --leave-out closes without them on purpose.",
    )
    p.add_argument("cycle", help="cycle id or PROGRAM/PERIOD")
    p.add_argument(
        "--leave-out",
        metavar="CODE[,CODE…]",
        default="",
        help="close without these bodies' reports; the report and the audit log name them",
    )
    p.add_argument("--out", metavar="FILE", help="also write the Markdown report here")
    p.add_argument("--docx", metavar="FILE", help="also write the report as a Word document")
    p.add_argument(
        "--number", metavar="N",
        help="the number the office gave the report in its own e-office system (e.g. 45); "
        "default: the next of the coordinator's register",
    )  # fmt: skip
    actor_option(p)
    p.set_defaults(handler=synthesize)


def cycle_open(args: argparse.Namespace) -> Answer:
    from services import clock
    from services.cycles import open_cycle

    opened = open_cycle(
        args.program,
        args.period,
        letter_no=args.letter_no,
        letter_date=args.letter_date,
        due=args.due,
        now=clock.now(),
        actor=actor(args),
    )
    data = opened.as_dict()
    cycle = data["cycle"]

    def dates(row: dict[str, Any]) -> str:
        provide, review = vn_date(row["provide_due"]), vn_date(row["review_due"])
        synthesis = vn_date(row["synthesis_due"])
        return say(f"{row['tasks']} nhiệm vụ, hạn gửi {provide}",
                   f"{row['tasks']} tasks due {provide}"), say(
            f"hạn xem xét {review}, hạn tổng hợp {synthesis}",
            f"review by {review}, synthesis by {synthesis}",
        )  # fmt: skip

    def render(c: Any) -> None:
        tasks, later = dates(cycle | {"tasks": data["tasks"]})
        c.print(say("Đã mở kỳ", "Opened") + f" {cycle['ref']} ({cycle['period_label']}): "
                f"{tasks}; {later}")  # fmt: skip
        for child in data["children"]:
            indent = "  " * child["depth"]
            if child["adopted"]:
                how = say("kỳ đã mở trước, giữ nguyên các hạn", "adopted, its dates kept")
            else:
                how = say("đã mở", "opened")
            back = child["worked_back"]
            tight = (
                say(f" (chỉ còn {back['working_days_to_provide']} ngày làm việc để gửi)",
                    f" (only {back['working_days_to_provide']} working days to send)")
                if back and back["tight"] else ""
            )  # fmt: skip
            tasks, later = dates(child)
            under = say("thuộc kỳ", "under")
            c.print(f"{indent}↳ {child['ref']} {under} {child['parent']} "
                    f"({child['coordinator']}): {how}, {tasks}{tight}; {later}")  # fmt: skip
        _say_moved(c, opened.moved)

    return Answer(data, render)


def _say_moved(c: Any, moved: Any) -> None:
    """A due date typed on a day off: say it moved, from what to what, and why."""
    if moved is not None:
        c.print(say(moved.sentence("vi"), moved.sentence("en")))


def cycle_list(args: argparse.Namespace) -> Answer:
    from services.cycles import list_cycles

    rows = list_cycles()
    headers = (
        ["ID", "Cycle", "Period", "Letter", "Due", "Bodies", "Status"] if english()
        else ["ID", "Kỳ", "Nội dung", "Công văn", "Hạn gửi", "Số cơ quan", "Trạng thái"]
    )  # fmt: skip
    return Answer(
        rows,
        lambda c: c.print(
            table(
                say("Kỳ báo cáo", "Reporting cycles"),
                headers,
                [
                    [
                        r["id"],
                        r["ref"],
                        r["period_label"],
                        r["letter_no"],
                        vn_date(r["provide_due"]),
                        r["tasks"],
                        cycle_status(r["status"]),
                    ]
                    for r in rows
                ],
            )
        ),
    )


def task_status(status: str) -> str:
    """A task's status in words, in the answer's language (never the raw code)."""
    return status_label(status, current())


def _task_rows(rows: list[dict[str, Any]], with_cycle: bool) -> list[list[Any]]:
    return [
        ([r["cycle"]] if with_cycle else [])
        + [
            r["task"],
            r["body"],
            r["body_name"],
            task_status(r["status"]),
            vn_date(r["due_date"]),
            r["days_overdue"] or "",
            r["escalation_level"] or "",
            r["versions"],
        ]
        for r in rows
    ]


def task_columns() -> list[str]:
    """The task table's headers, in the answer's language."""
    if english():
        return ["Task", "Code", "Body", "Status", "Due", "Days overdue", "Escalation",
                "Versions"]  # fmt: skip
    return ["Nhiệm vụ", "Mã", "Cơ quan", "Trạng thái", "Hạn", "Quá hạn (ngày)", "Mức đôn đốc",
            "Phiên bản"]  # fmt: skip


def tasks_list(args: argparse.Namespace) -> Answer:
    from services import clock
    from services.dashboard import task_list

    page = task_list(
        clock.now(), cycle=args.cycle, body=args.body, status=args.status,
        overdue_only=args.overdue, limit=args.limit, offset=args.offset,
    ).as_dict()  # fmt: skip
    noun = (say("nhiệm vụ quá hạn", "overdue tasks") if args.overdue
            else say("nhiệm vụ", "tasks"))  # fmt: skip
    if args.csv or args.xlsx:
        from services.exports import task_sheet

        _writable(args.csv, args.xlsx)
        write_exports(args, [task_sheet(page["items"])])

    def render(c: Any) -> None:
        c.print(table(say("Nhiệm vụ", "Tasks"), [say("Kỳ", "Cycle"), *task_columns()],
                      _task_rows(page["items"], True)))  # fmt: skip
        c.print(page_note(page, noun))

    return Answer(page, render)


def cycle_status(status: str) -> str:
    """A cycle's state in words, in the answer's language."""
    return cycle_label(status, current())


def cycle_show(args: argparse.Namespace) -> Answer:
    from rules.history import describe
    from rules.messages import describe_event
    from services import clock, rollup
    from services.dashboard import cycle_detail

    detail = cycle_detail(args.cycle, clock.now(), limit=args.limit, offset=args.offset)
    tasks = detail["tasks"]["items"]
    linked = rollup.links(detail["cycle"]["id"])
    detail["parent"] = linked["parent"]
    detail["notes"] = linked["notes"]
    for row in tasks:  # a child coordinator's task names the cycle it consolidates below
        row["child_cycle"] = linked["children"].get(row["task"])

    def render(c: Any) -> None:
        info, progress = detail["cycle"], detail["progress"] or {}
        c.print(f"[bold]{plain(info['ref'])}[/bold] {plain(info['program_title'])} — "
                f"{plain(info['period_label'])}", markup=True)  # fmt: skip
        letter, dated = info["letter_no"] or "—", vn_date(info["letter_date"])
        cutoff = f"{vn_date(info['cutoff_start'])}–{vn_date(info['cutoff_end'])}"
        due, status = vn_date(info["provide_due"]), cycle_status(info["status"])
        c.print(say(
            f"Công văn {letter} ngày {dated}; chốt số liệu {cutoff}; hạn gửi {due}; {status}",
            f"Letter {letter} of {dated}; data cut-off {cutoff}; due {due}; {status}",
        ))  # fmt: skip
        c.print(bucket_summary(progress, current()))
        if detail["parent"]:
            up = detail["parent"]
            c.print(say(
                f"Kỳ cấp trên: {up['ref']} (nhiệm vụ {up['task']} của cơ quan chủ trì)",
                f"Parent cycle: {up['ref']} (the coordinator's task {up['task']})",
            ))  # fmt: skip
        for note in detail["notes"]:  # in the audit history's words (rules.history)
            c.print(f"[bold]{say('Ghi chú', 'Note')}[/bold] {vn_date(note['at'])}: "
                    f"{plain(describe(note['action'], note, current()))}", markup=True)  # fmt: skip
        c.print(table(None, task_columns(), _task_rows(tasks, False)))
        for row in tasks:
            if row["child_cycle"]:
                child = row["child_cycle"]
                state = cycle_status(child["status"])
                c.print(f"  {row['body']}: " + say(
                    f"tổng hợp từ kỳ cấp dưới {child['ref']} ({state})",
                    f"consolidated from the cycle below, {child['ref']} ({state})",
                ))  # fmt: skip
            for h in row["history"]:
                comment = f" — {h['comment']}" if h.get("comment") else ""
                event = describe_event(h, lang=current())
                c.print(f"  {row['body']}: {vn_date(h['at'])} {event}{comment}")
        c.print(page_note(detail["tasks"], say("nhiệm vụ", "tasks")))

    return Answer(detail, render)


def cycle_tree(args: argparse.Namespace) -> Answer:
    from rules.history import describe
    from services import clock, rollup

    found = rollup.tree(args.cycle, clock.now())

    def render(c: Any) -> None:
        from rich.table import Table
        from rich.text import Text

        lang = current()
        en = lang == "en"
        t = Table(title=say("Cây kỳ báo cáo", "Cycle tree") + f" {found['root']}",
                  title_justify="left", header_style="bold")  # fmt: skip
        # Headings on two lines and names wrapped: twelve columns fit 160 characters.
        t.add_column(say("Kỳ", "Cycle"), no_wrap=True)
        t.add_column(say("Cơ quan chủ trì", "Coordinator"), min_width=14)
        dues = (("Due\nto send", "Review\ndue", "Synthesis\ndue") if en
                else ("Hạn\ngửi", "Hạn\nxem xét", "Hạn\ntổng hợp"))  # fmt: skip
        for heading in dues:
            t.add_column(heading, no_wrap=True)
        for heading in bucket_words(lang, short=True):  # on two lines: "Đúng\nhạn"
            heading = heading.replace(" ", "\n", 1)
            t.add_column(heading, justify="right", no_wrap=True)
        t.add_column(say("Trạng thái", "Status"), no_wrap=True)
        t.add_column(say("Gửi cấp trên", "Sent up"), no_wrap=True)
        for n in found["cycles"]:
            b = n["buckets"]
            above = n["task_in_parent"]
            t.add_row(  # names as Text: data, never markup (see commands.output.table)
                Text(("   " * (n["depth"] - 1) + "└─ " if n["depth"] else "") + n["ref"]),
                Text(n["coordinator"]["name"]),
                vn_date(n["provide_due"]),
                vn_date(n["review_due"]),
                vn_date(n["synthesis_due"]),
                *(str(b[k]) for k in BUCKETS),
                cycle_status(n["status"]),
                bucket_word(above["bucket"], lang, short=True) if above else "",
            )
        c.print(t)
        if len(found["cycles"]) > 1:
            b = found["cycles"][0]["buckets_all_levels"]
            summary = bucket_summary(b, lang)
            c.print(say(
                f"Cộng mọi cấp — {summary} (trên {b['total']} nhiệm vụ)",
                f"All levels — {summary} (of {b['total']} tasks)",
            ))  # fmt: skip
        for n in found["cycles"]:
            for note in n["notes"]:
                if note["action"] != "cycle.fed":
                    line = f"{n['ref']}: {describe(note['action'], note, current())}"
                    c.print(line)

    return Answer(found, render)


def _writable(*paths: str | None) -> None:
    """Refuse before acting if an output file cannot be written (no directory)."""
    from rules.errors import UserError

    for path in paths:
        if path and not Path(path).parent.is_dir():
            raise UserError(f"cannot write {path}: no directory {Path(path).parent}")


def _write_docx(cycle: str, path: str) -> None:
    from services.synthesis import word_report

    Path(path).write_bytes(word_report(cycle))


def cycle_report(args: argparse.Namespace) -> Answer:
    from services.synthesis import stored_report

    _writable(args.docx, args.xlsx)
    if args.draft:
        return _draft_report(args)
    report = stored_report(args.cycle)
    data = report.as_dict() | {"markdown": report.markdown, "docx": args.docx}
    if args.docx:
        _write_docx(args.cycle, args.docx)
    if args.xlsx:
        _write_totals_xlsx(args.cycle, args.xlsx)
        data["xlsx"] = args.xlsx
    return Answer(data, lambda c: print(report.markdown, end=""))


def _write_totals_xlsx(cycle: str, path: str) -> Any:
    from services.exports import totals_xlsx
    from services.forms import cycle_totals as totals_of

    totals = totals_of(cycle)
    Path(path).write_bytes(
        totals_xlsx(totals.forms, ref=totals.ref, program_title=totals.program_title,
                    period_label=totals.period_label)
    )  # fmt: skip
    return totals


def cycle_totals(args: argparse.Namespace) -> Answer:
    """The cycle's data forms summed (services.forms.cycle_totals), as a table."""
    from rules.forms import number_vi
    from services.exports import Sheet, totals_rows
    from services.forms import cycle_totals as totals_of

    _writable(args.xlsx, args.csv)
    totals = _write_totals_xlsx(args.cycle, args.xlsx) if args.xlsx else totals_of(args.cycle)
    if args.csv:
        from services.exports import csv_bytes

        heads = ["Biểu", "Mã", "Chỉ tiêu", "Đơn vị tính", "Tổng cộng", "Số cơ quan báo cáo",
                 "Thiếu số liệu"]  # fmt: skip
        Path(args.csv).write_bytes(
            csv_bytes([Sheet("Tổng hợp", heads, list(totals_rows(totals.forms)))])
        )

    def render(c: Any) -> None:
        if not totals.forms:
            c.print(f"{totals.ref}: " + say("chương trình không có biểu số liệu",
                                            "the program declares no data form"))  # fmt: skip
        recounted = say(" (tính lại)", " (recomputed)")
        for t in totals.forms:
            have = f"{len(t.values)}/{len(t.bodies)}"
            title = say(
                f"Biểu {t.code}: {t.title} — {totals.ref}, {have} cơ quan có số liệu",
                f"Form {t.code}: {t.title} — {totals.ref}, {have} bodies with figures",
            )
            c.print(
                table(
                    title,
                    ["Code", "Indicator", "Unit", "Total", "Missing"]
                    if english()
                    else ["Mã", "Chỉ tiêu", "Đơn vị", "Tổng cộng", "Thiếu số liệu"],
                    [
                        [
                            cell.key,
                            cell.name,
                            "%" if cell.type == "percentage" else cell.unit,
                            number_vi(cell.total, cell.type) + (recounted if cell.derived else ""),
                            ", ".join(cell.missing) or "—",
                        ]
                        for cell in t.cells
                        if cell.type != "text"
                    ],  # fmt: skip
                )
            )

    return Answer(totals.as_dict(), render)


def tasks_versions(args: argparse.Namespace) -> Answer:
    """Every version of a task's report, or one version's text (services.intake.versions)."""
    from rules.timezone import vn_datetime
    from services.intake import task_versions

    result = task_versions(version=args.version, **_task_ref(args))

    def render(c: Any) -> None:
        task = f"{result['task']} ({result['body']})"
        if args.version is not None:
            [one] = result["versions"]
            at = vn_datetime(one["submitted_at"])
            c.print(say(f"Nhiệm vụ {task}, bản {one['version']}, gửi {at}:",
                        f"Task {task}, version {one['version']}, sent {at}:"))  # fmt: skip
            c.print(one["content"], highlight=False)
            return
        on_time, late = say("đúng hạn", "on time"), say("trễ hạn", "late")
        rows = [
            [v["version"], vn_datetime(v["submitted_at"]),
             v["submitted_by"], on_time if v["on_time"] else late,
             v["source_name"] or v["source"] or "", v["sha256"][:12]]
            for v in result["versions"]
        ]  # fmt: skip
        headers = (
            ["Version", "Sent (UTC+7)", "Sent by", "Deadline", "File", "SHA-256"] if english()
            else ["Bản", "Gửi lúc (UTC+7)", "Người gửi", "Thời hạn", "Tệp", "SHA-256"]
        )  # fmt: skip
        title = say(f"Các bản báo cáo — nhiệm vụ {task}", f"Report versions — task {task}")
        c.print(table(title, headers, rows))
        if not rows:
            c.print(say("Chưa có bản nào.", "No version yet."))

    return Answer(result, render)


def tasks_diff(args: argparse.Namespace) -> Answer:
    """A version against the one before it, section by section (services.intake.compare)."""
    from rules.reading_diff import CHANGE_LABELS_EN, CHANGE_LABELS_VI
    from services.intake import compare

    result = compare(version=args.version, **_task_ref(args))

    def render(c: Any) -> None:
        task, version, previous = result["task"], result["version"], result["previous"]
        c.print(say(f"Nhiệm vụ {task} ({result['body']}): bản {version} so với bản {previous}",
                    f"Task {task} ({result['body']}): version {version} against version "
                    f"{previous}"))  # fmt: skip
        changes = CHANGE_LABELS_EN if english() else CHANGE_LABELS_VI
        for section in result["sections"]:
            name = (f"{section['code']}. {section['title']}" if section["code"]
                    else say("(mở đầu)", "(opening)"))  # fmt: skip
            c.print(f"[bold]{plain(name)}[/bold]: {changes[section['change']]}", markup=True)
            for line in section["unified"]:
                style = "green" if line.startswith("+") else "red" if line.startswith("-") else ""
                c.print(line, style=style or None)

    return Answer(result, render)


def _read_file(path: str, what: str) -> tuple[str, bytes]:
    """A file's name and bytes; a missing one is one line naming it."""
    from rules.errors import UserError

    p = Path(path)
    if p.is_dir():
        raise UserError(f"{what} path is a directory: {p}")
    if not p.is_file():
        raise UserError(f"{what} not found: {p}")
    return p.name, p.read_bytes()


def submit(args: argparse.Namespace) -> Answer:
    """The report file as sent (Word, text or Markdown, told apart by content), its
    attachments and its filled forms, to the one submit service."""
    from services import clock
    from services.provision import Upload
    from services.provision import submit as submit_report

    source = Upload(*_read_file(args.file, "report file"))
    uploads = [Upload(*_read_file(path, "attachment")) for path in args.attach]
    forms = [Upload(*_read_file(path, "form file")) for path in args.form]
    result = submit_report(
        source=source, attachments=uploads, forms=forms, now=clock.now(), actor=actor(args),
        **_task_ref(args),
    )  # fmt: skip
    timing = say("đúng hạn", "on time") if result.on_time else say("TRỄ HẠN", "LATE")
    if result.repeated:
        timing += say("; trùng với bản đã nhận, không ghi thêm bản mới",
                      "; identical to what was already received, nothing new recorded")  # fmt: skip
    sections = ", ".join(code for code in result.sections) or "—"
    forms = ", ".join(result.forms)
    forms_note = say(f"; biểu {forms}", f"; forms {forms}") if result.forms else ""
    task, version = f"{result.task_id} ({result.body})", result.version
    return Answer(
        result.as_dict(),
        lambda c: c.print(say(
            f"Nhiệm vụ {task}: đã nhận bản {version}, {timing} (các mục {sections}{forms_note})",
            f"Task {task}: version {version} received, {timing} (sections {sections}{forms_note})",
        )),
    )  # fmt: skip


def _version_read_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--version",
        type=record_id,
        metavar="N",
        help="the version you read: refused if a newer one came in since (as on the web)",
    )


def review_decision(args: argparse.Namespace) -> Answer:
    from services import clock
    from services.review import decide

    comment = getattr(args, "comment", None) or getattr(args, "reason", None)
    result = decide(
        args.decision,
        _task_ref(args),
        comment=comment,
        new_due=getattr(args, "due", None),
        now=clock.now(),
        actor=actor(args),
        version=getattr(args, "version", None),
    )
    words = {
        "accepted": say("đã tiếp nhận", "accepted"),
        "returned": say("đã trả lại, hạn mới", "returned, new due date"),
        "extended": say("đã gia hạn đến", "extended to"),
    }
    suffix = "" if result.decision == "accepted" else f" {vn_date(result.due_date)}"

    def render(c: Any) -> None:
        task = say("Nhiệm vụ", "Task")
        c.print(f"{task} {result.task_id} ({result.body}): {words[result.decision]}{suffix}")
        _say_moved(c, result.moved)
        below = result.below
        if below is None:
            return
        if below["moved"]:
            due = vn_date(below["provide_due"])
            extended = ", ".join(below["extended"]) or say("không còn cơ quan nào chờ",
                                                           "none still waiting")  # fmt: skip
            c.print(f"  ↳ {below['ref']}: " + say(
                f"các cơ quan nay gửi trước {due}; đã gia hạn: {extended}",
                f"bodies now send by {due}; extended: {extended}",
            ))  # fmt: skip
        else:
            policy = below["policy"]
            kept = say(
                f"giữ nguyên các hạn của kỳ ({policy})", f"its deadlines are kept ({policy})"
            )
            c.print(f"  ↳ {below['ref']}: {kept}")

    return Answer(result.as_dict(), render)


def _draft_report(args: argparse.Namespace) -> Answer:
    """``cycle report --draft``: the Markdown (and .docx) the cycle would close with now."""
    from services import clock
    from services.synthesis import draft, draft_docx

    now = clock.now()
    built = draft(args.cycle, now=now)
    data = built.as_dict() | {"docx": args.docx, "draft": True}
    if args.docx:
        Path(args.docx).write_bytes(draft_docx(args.cycle, now=now)[0])
    return Answer(data, lambda c: print(built.markdown, end=""))


def synthesize(args: argparse.Namespace) -> Answer:
    from rules.report import ClosingBlocked
    from services import clock
    from services.synthesis import synthesize as close

    _writable(args.out, args.docx)
    leave_out = [code.strip() for code in args.leave_out.split(",") if code.strip()]
    try:
        result = close(
            args.cycle, now=clock.now(), actor=actor(args), leave_out=leave_out, number=args.number
        )
    except ClosingBlocked as exc:
        codes = ",".join(sorted({*leave_out, *(row["body"] for row in exc.blockers)}))
        raise ClosingBlocked(f"{exc} (--leave-out {codes})", exc.blockers) from None
    if args.out:
        Path(args.out).write_text(result.markdown, encoding="utf-8")
    if args.docx:
        _write_docx(result.ref, args.docx)
    data = result.as_dict() | {"markdown": result.markdown, "path": args.out, "docx": args.docx}

    def render(c: Any) -> None:
        print(result.markdown, end="")
        if result.fed is not None:  # beside the report, which stdout holds whole
            print(_fed_line(result.fed), file=sys.stderr)

    return Answer(data, render)


def _fed_line(fed: dict[str, Any]) -> str:
    parent = fed["parent"]
    if not fed["fed"]:
        return say(f"Chưa gửi được báo cáo lên kỳ {parent}: {fed['reason']}",
                   f"The report could not be sent up to {parent}: {fed['reason']}")  # fmt: skip
    when = say("đúng hạn", "on time") if fed["on_time"] else say("trễ hạn", "late")
    forms = ", ".join(fed.get("forms") or [])
    figures = (
        say(f", kèm số liệu biểu {forms}", f", with the figures of form {forms}") if forms else ""
    )
    task, version = fed["task"], fed["version"]
    return say(
        f"Đã gửi báo cáo tổng hợp lên kỳ {parent} (nhiệm vụ {task}, bản {version}, "
        f"{when}{figures})",
        f"The consolidated report went up to {parent} (task {task}, version {version}, "
        f"{when}{figures})",
    )
