"""``letters`` (urging letters and summaries) and ``signers`` (who signs, with dates)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from commands.output import Answer, actor, actor_option, table


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    letters = sub.add_parser("letters", help="numbered urging letters (văn bản đôn đốc)")
    letters = letters.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = letters.add_parser("list", parents=[common], help="urging letters and summaries")
    p.add_argument("--cycle", metavar="REF", help="only this cycle's (id or PROGRAM/PERIOD)")
    p.set_defaults(handler=letters_list)
    p = letters.add_parser("get", parents=[common], help="write one letter's .docx")
    p.add_argument("id", type=int, help="the letter's id (letters list)")
    p.add_argument("--out", metavar="FILE", required=True, help="where to write the .docx")
    p.set_defaults(handler=letters_get)
    p = letters.add_parser(
        "render", parents=[common], help="number and render the letters sweeps asked for",
        description="Every delivery of the outbox does this first; run it by hand to see "
        "the letters before delivery.",
    )  # fmt: skip
    p.set_defaults(handler=letters_render)
    p = letters.add_parser(
        "request", parents=[common], help="store a cycle's request letter and attach it",
        description="The file (PDF or Word) the cycle was opened from, attached to the "
        "opening notices not sent yet.",
    )  # fmt: skip
    p.add_argument("cycle", help="cycle id or PROGRAM/PERIOD")
    p.add_argument("file", help="the request letter as signed (PDF, .docx)")
    actor_option(p)
    p.set_defaults(handler=letters_request)

    signers = sub.add_parser("signers", help="who signs a body's documents, with dates")
    signers = signers.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = signers.add_parser(
        "import", parents=[common], help="office holders from CSV or YAML",
        description="Columns: body,name,title,role(head|deputy|acting),authority,valid_from,"
        "valid_to. A document is signed by whoever held the office on its date.",
    )  # fmt: skip
    p.add_argument("file")
    actor_option(p)
    p.set_defaults(handler=signers_import)
    p = signers.add_parser("list", parents=[common], help="office holders on record")
    p.add_argument("--body", metavar="CODE")
    p.set_defaults(handler=signers_list)


def _date(value: Any) -> str:
    from rules.documents import official_date

    return official_date(value) if value else ""


def letters_list(args: argparse.Namespace) -> Answer:
    from services.letters import list_letters

    rows = list_letters(args.cycle)
    kinds = {"urging": "đôn đốc", "summary": "báo cáo lãnh đạo"}
    return Answer(
        rows,
        lambda c: c.print(
            table(
                "Công văn đôn đốc",
                ["ID", "Số", "Ngày", "Loại", "Kỳ", "Cơ quan", "Lần", "Hạn mới", "Trạng thái"],
                [
                    [
                        r["id"],
                        r["number"],
                        _date(r["issued_on"]),
                        kinds.get(r["kind"], r["kind"]),
                        r["ref"],
                        r["body_name"] or "",
                        r["level"] or "",
                        _date(r["new_due"]),
                        r["state"],
                    ]  # fmt: skip
                    for r in rows
                ],
            )
        ),
    )


def letters_get(args: argparse.Namespace) -> Answer:
    from commands.cycles import _writable
    from services.letters import letter_file

    _writable(args.out)
    found = letter_file(args.id)
    Path(args.out).write_bytes(found.data)
    data = {"id": args.id, "filename": found.filename, "out": args.out, "size": len(found.data)}
    return Answer(data, lambda c: c.print(f"Letter {args.id} ({found.filename}) → {args.out}"))


def letters_render(args: argparse.Namespace) -> Answer:
    from services import clock
    from services.notices import prepare_outbox

    done = prepare_outbox(now=clock.now())
    return Answer(
        done,
        lambda c: c.print(
            f"{done['rendered']} letters rendered ({', '.join(done['letters']) or '—'}), "
            f"{done['summaries']} summaries, {done['failed']} failed; "
            f"{done['digests']} submission digests"
        ),
    )


def letters_request(args: argparse.Namespace) -> Answer:
    from rules.errors import UserError
    from services import clock
    from services.notices import attach_request

    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"file not found: {path}")
    done = attach_request(args.cycle, path.name, path.read_bytes(), now=clock.now(),
                          actor=actor(args))  # fmt: skip
    return Answer(
        done.as_dict(),
        lambda c: c.print(
            f"{done.filename} stored for {done.cycle}; attached to {done.notices} opening notices"
        ),
    )


def signers_import(args: argparse.Namespace) -> Answer:
    from services import clock
    from services.issuing import import_holders
    from services.loaders import read_text

    specs = _signer_specs(args.file, read_text(args.file, "signers"))
    done = import_holders(specs, now=clock.now(), actor=actor(args))
    return Answer(
        done.as_dict(),
        lambda c: c.print(
            f"{done.created} office holders recorded, {done.updated} updated, "
            f"{done.unchanged} unchanged"
        ),
    )


def _signer_specs(name: str, text: str) -> list[Any]:
    import csv
    import io

    from rules.errors import UserError
    from rules.specs import SignerSpec, validate

    if name.lower().endswith((".yaml", ".yml")):
        import yaml

        data = yaml.safe_load(text)
        if isinstance(data, dict):
            data = data.get("signers")
        if not isinstance(data, list) or not data:
            raise UserError(f"{name}: expected a list of signers")
        return [validate(SignerSpec, row, f"{name} item {i}") for i, row in enumerate(data, 1)]
    reader = csv.DictReader(io.StringIO(text))
    specs = [validate(SignerSpec, row, f"{name} line {reader.line_num}") for row in reader]
    if not specs:
        raise UserError(f"{name}: no signers in the file")
    return specs


def signers_list(args: argparse.Namespace) -> Answer:
    from services.issuing import list_holders

    rows = list_holders(args.body)
    return Answer(
        rows,
        lambda c: c.print(
            table(
                "Người ký",
                ["Cơ quan", "Họ tên", "Chức vụ", "Vai trò", "Từ ngày", "Đến ngày"],
                [
                    [
                        r["body"],
                        r["name"],
                        r["title"],
                        r["role"],
                        _date(r["valid_from"]),
                        _date(r["valid_to"]),
                    ]
                    for r in rows
                ],  # fmt: skip
            )
        ),
    )
