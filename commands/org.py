"""``bodies import|list`` and ``program add|list``: the reference data."""

from __future__ import annotations

import argparse
from typing import Any

from commands import mergers, programs
from commands.language import english, say
from commands.output import Answer, actor, actor_option, table


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    bodies = sub.add_parser("bodies", help="the organisation tree").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = bodies.add_parser("import", parents=[common], help="create/update bodies from CSV or YAML")
    p.add_argument("file")
    actor_option(p)
    p.set_defaults(handler=bodies_import)
    p = bodies.add_parser("list", parents=[common], help="list registered bodies")
    p.set_defaults(handler=bodies_list)
    mergers.register(bodies, common)  # bodies merge, bodies mergers

    program = sub.add_parser("program", help="recurring reporting requirements").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = program.add_parser("add", parents=[common], help="register a program from a YAML file")
    p.add_argument("file")
    actor_option(p)
    p.set_defaults(handler=program_add)
    p = program.add_parser("list", parents=[common], help="list programs")
    p.set_defaults(handler=program_list)
    programs.register(program, common)  # update, show: versions (commands.programs)
    p = program.add_parser(
        "form-template",
        parents=[common],
        help="write a program's data form(s) as an Excel template to fill",
        description="One sheet per form: the program, the body and the period at the top, "
        "the cells to fill in yellow with Excel's data validation. A body fills it and sends "
        "it with its report (phoihop submit … --form FILE.xlsx).",
    )
    p.add_argument("program", help="program code")
    p.add_argument("--form", metavar="CODE", help="only this form (default: every form)")
    p.add_argument("--body", metavar="CODE", help="the body that will fill it (named on it)")
    p.add_argument("--period", metavar="PERIOD", help="the period it reports on, e.g. 2024-H1")
    p.add_argument("--out", metavar="FILE.xlsx", required=True, help="where to write it")
    p.set_defaults(handler=program_form_template)


def bodies_import(args: argparse.Namespace) -> Answer:
    from services import clock, loaders, registry

    result = registry.import_bodies(
        loaders.load_bodies(args.file), now=clock.now(), actor=actor(args)
    )
    data = result.as_dict()

    def render(c: Any) -> None:
        c.print(
            say(
                f"{len(result.created)} cơ quan mới, {len(result.updated)} cơ quan cập nhật, "
                f"{len(result.unchanged)} cơ quan không đổi",
                f"{len(result.created)} created, {len(result.updated)} updated, "
                f"{len(result.unchanged)} unchanged",
            )
        )
        mergers.print_mergers(c, data["merged"], data["handed_over"])

    return Answer(data, render)


def bodies_list(args: argparse.Namespace) -> Answer:
    from services import registry

    rows = [registry.body_dict(b) for b in registry.list_bodies()]
    columns = (
        ["Code", "Body", "Level", "Under", "Focal contact", "Head"] if english()
        else ["Mã", "Tên cơ quan", "Cấp", "Trực thuộc", "Đầu mối", "Thủ trưởng"]
    )  # fmt: skip
    return Answer(
        rows,
        lambda c: c.print(
            table(
                say("Cơ quan", "Bodies"),
                columns,
                [
                    [
                        r["code"],
                        r["name"],
                        r["level"],
                        r["parent"],
                        r["focal_email"],
                        r["head_name"],
                    ]
                    for r in rows
                ],
            )
        ),
    )


def program_add(args: argparse.Namespace) -> Answer:
    from services import clock, loaders, registry

    spec = loaders.load_program(args.file)
    program = registry.add_program(spec, now=clock.now(), actor=actor(args))
    data = {"code": program.code, "title": program.title, "bodies": len(spec.bodies)}
    n = len(spec.bodies)
    return Answer(
        data,
        lambda c: c.print(say(f"Đã thêm chương trình {program.code} ({n} cơ quan báo cáo)",
                              f"Program {program.code} added ({n} bodies)")),
    )  # fmt: skip


def program_list(args: argparse.Namespace) -> Answer:
    from services import registry

    rows = registry.program_dicts()
    return Answer(
        rows,
        lambda c: c.print(
            table(
                say("Chương trình", "Programs"),
                ["Code", "Title", "Coordinator", "Period", "Bodies", "Due (working days)"]
                if english()
                else ["Mã", "Tiêu đề", "Chủ trì", "Kỳ", "Số cơ quan", "Hạn (ngày làm việc)"],
                [
                    [
                        r["code"],
                        r["title"],
                        r["coordinator"],
                        r["period"],
                        r["bodies"],
                        r["working_days"]["provide"],
                    ]
                    for r in rows
                ],
            )
        ),
    )


def program_form_template(args: argparse.Namespace) -> Answer:
    """The Excel template of a program's forms (services.forms.template)."""
    from pathlib import Path

    from rules.errors import UserError
    from services.forms import template

    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(f"cannot write {out}: no directory {out.parent}")
    data = template(args.program, form=args.form, body=args.body, period=args.period)
    out.write_bytes(data)
    info = {"program": args.program, "form": args.form, "body": args.body,
            "period": args.period, "path": str(out), "size": len(data)}  # fmt: skip
    from commands.cycles import count

    size = count(len(data))
    line = say(
        f"Đã ghi biểu mẫu vào {out} ({size} byte)", f"Template written to {out} ({size} bytes)"
    )
    return Answer(info, lambda c: c.print(line))
