"""``letters`` (urging letters and summaries) and ``signers`` (who signs, with dates)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from commands.language import english, say
from commands.output import Answer, actor, actor_option, table

LETTER_STATE_VI = {"to_render": "chờ lập", "numbered": "đã cấp số, chờ lập", "rendered": "đã lập",
                   "failed": "lập không được"}  # fmt: skip
LETTER_STATE_EN = {"to_render": "to render", "numbered": "numbered, to render",
                   "rendered": "rendered", "failed": "failed"}  # fmt: skip
ROLE_VI = {"head": "cấp trưởng", "deputy": "cấp phó", "acting": "quyền"}


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
    """dd/mm/yyyy, as every table of the command line (the letters themselves write
    ``30/8/2024``, rules.documents.official_date)."""
    from rules.timezone import vn_date

    return vn_date(value) if value else ""


def letters_list(args: argparse.Namespace) -> Answer:
    from services.letters import list_letters

    rows = list_letters(args.cycle)
    en = english()
    kinds = ({"urging": "urging", "summary": "leadership summary"} if en
             else {"urging": "đôn đốc", "summary": "báo cáo lãnh đạo"})  # fmt: skip
    states = LETTER_STATE_EN if en else LETTER_STATE_VI
    return Answer(
        rows,
        lambda c: c.print(
            table(
                say("Công văn đôn đốc", "Urging letters"),
                ["ID", "Number", "Date", "Kind", "Cycle", "Body", "Level", "New due", "State"]
                if en
                else ["ID", "Số", "Ngày", "Loại", "Kỳ", "Cơ quan", "Lần", "Hạn mới", "Trạng thái"],
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
                        states.get(r["state"], r["state"]),
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
    letter = say("Công văn", "Letter")
    line = f"{letter} {args.id} ({found.filename}) → {args.out}"
    return Answer(data, lambda c: c.print(line))


def letters_render(args: argparse.Namespace) -> Answer:
    from services import clock
    from services.notices import prepare_outbox

    done = prepare_outbox(now=clock.now())
    letters = ", ".join(done["letters"]) or "—"
    line = say(
        f"Đã lập {done['rendered']} công văn ({letters}), {done['summaries']} báo cáo lãnh đạo, "
        f"{done['failed']} văn bản lập không được; {done['digests']} bản tổng hợp báo cáo đã nhận",
        f"{done['rendered']} letters rendered ({letters}), {done['summaries']} summaries, "
        f"{done['failed']} failed; {done['digests']} submission digests",
    )
    return Answer(done, lambda c: c.print(line))


def letters_request(args: argparse.Namespace) -> Answer:
    from rules.errors import UserError
    from services import clock
    from services.notices import attach_request

    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"file not found: {path}")
    done = attach_request(args.cycle, path.name, path.read_bytes(), now=clock.now(),
                          actor=actor(args))  # fmt: skip
    line = say(
        f"Đã lưu {done.filename} cho kỳ {done.cycle}; đính kèm vào {done.notices} thông báo mở kỳ",
        f"{done.filename} stored for {done.cycle}; attached to {done.notices} opening notices",
    )
    return Answer(done.as_dict(), lambda c: c.print(line))


def signers_import(args: argparse.Namespace) -> Answer:
    from services import clock
    from services.issuing import import_holders
    from services.loaders import read_text

    specs = _signer_specs(args.file, read_text(args.file, "signers"))
    done = import_holders(specs, now=clock.now(), actor=actor(args))
    line = say(
        f"Đã ghi {done.created} người ký mới, {done.updated} cập nhật, {done.unchanged} không đổi",
        f"{done.created} office holders recorded, {done.updated} updated, "
        f"{done.unchanged} unchanged",
    )
    return Answer(done.as_dict(), lambda c: c.print(line))


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
                say("Người ký", "Signers"),
                ["Body", "Name", "Title", "Role", "From", "To"]
                if english()
                else ["Cơ quan", "Họ tên", "Chức vụ", "Vai trò", "Từ ngày", "Đến ngày"],
                [
                    [
                        r["body"],
                        r["name"],
                        r["title"],
                        r["role"] if english() else ROLE_VI.get(r["role"], r["role"]),
                        _date(r["valid_from"]),
                        _date(r["valid_to"]),
                    ]
                    for r in rows
                ],  # fmt: skip
            )
        ),
    )
