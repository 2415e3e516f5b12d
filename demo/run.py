"""Drive one cycle end to end, over two levels, through the real commands, on a fresh database.

Each step is a ``phoihop`` command run in-process with ``--now``, so the
transcript shows exactly what a coordinator or an agency would type. Bodies
behave as in real life: most send on time, one late, one is returned and
resubmits, one gets an extension, one never sends and climbs the whole ladder.

Two levels: three commune boards (Phú Túc, Tân Thạch, An Khánh) take part in
the province board's QD238 and run their own programs, which feed it. Opening
QD238 opens their cycles, each due before the board's own deadline above; each
board's synthesis is its report to the province. An Khánh's People's Committee
sends late, so its board is late too and the province's ladder urges it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
CYCLE = "QD238/2024-H1"


@dataclass(frozen=True)
class Step:
    now: str  # local time, Asia/Ho_Chi_Minh
    says: str
    argv: tuple[str, ...]


OUT = "@OUT@"  # the demo's data directory, known when it runs
FORMS = f"{OUT}/bieu-mau"  # the bodies' filled data forms (demo.forms), written at run time


def _submit(body: str, report: str, *, form: bool = True) -> tuple[str, ...]:
    """A body sends its report and, filled in the program's template, its form BM01."""
    return (
        "submit",
        str(DATA / "reports" / report),
        *(("--form", f"{FORMS}/{body}.xlsx") if form else ()),
        "--cycle",
        CYCLE,
        "--body",
        body,
        "--as",
        body,
    )


def _review(action: str, body: str, *extra: str) -> tuple[str, ...]:
    return ("review", action, "--cycle", CYCLE, "--body", body, "--as", "BTGTU", *extra)


COMMUNES = ("PHUTUC", "TANTHACH", "ANKHANH")  # their programs are XA238-<code>


def _commune(code: str) -> str:
    return f"XA238-{code}/2024-H1"


def _commune_submit(body: str) -> tuple[str, ...]:
    """A commune body sends its report to its commune board's cycle."""
    code = body.split("-", 1)[1]
    return ("submit", str(DATA / "reports" / "communes" / f"{body}.md"), "--form",
            f"{FORMS}/{body}.xlsx", "--cycle", _commune(code), "--body", body,
            "--as", body)  # fmt: skip


def _commune_accept(body: str) -> tuple[str, ...]:
    code = body.split("-", 1)[1]
    return ("review", "accept", "--cycle", _commune(code), "--body", body, "--as", f"DU-{code}")


def _commune_synthesize(code: str) -> tuple[str, ...]:
    """The commune board closes its cycle: its report goes up as its QD238 submission."""
    return ("synthesize", _commune(code), "--as", f"DU-{code}")


def _sweep(day: str) -> Step:
    return Step(f"{day}T08:00", "Hệ thống tự động rà soát hạn (sweep)", ("sweep",))


STEPS: list[Step] = [
    Step("2024-07-03T08:00", "Đăng ký cơ quan", ("bodies", "import", str(DATA / "bodies.csv"))),
    Step(
        "2024-07-03T08:02",
        "Người ký văn bản của các cơ quan, theo thời gian giữ chức vụ",
        ("signers", "import", str(DATA / "signers.csv")),
    ),
    Step(
        "2024-07-03T08:05",
        "Đăng ký chương trình QĐ 238",
        ("program", "add", str(DATA / "program.yaml")),
    ),
    *(
        Step(
            "2024-07-03T08:06",
            f"Đăng ký chương trình của Đảng ủy xã, báo cáo lên QĐ 238 (XA238-{code})",
            ("program", "add", str(DATA / "communes" / f"XA238-{code}.yaml")),
        )
        for code in COMMUNES
    ),
    Step(
        "2024-07-03T08:10",
        "Ban Tuyên giáo mở kỳ báo cáo theo Công văn 310-CV/BTGTU; các xã mở kỳ của mình",
        (
            "cycle",
            "open",
            "QD238",
            "2024-H1",
            "--letter-no",
            "310-CV/BTGTU",
            "--letter-date",
            "2024-07-03",
            "--as",
            "BTGTU",
        ),
    ),
    Step(
        "2024-07-03T08:15",
        "Ban Tuyên giáo gửi kèm biểu mẫu số liệu BM01 (Excel) để các cơ quan điền",
        ("program", "form-template", "QD238", "--period", "2024-H1", "--out", f"{OUT}/BM01.xlsx"),
    ),  # fmt: skip
    _sweep("2024-07-05"),
    Step("2024-07-05T10:00", "HĐND xã Phú Túc gửi báo cáo", _commune_submit("HDND-PHUTUC")),
    Step("2024-07-05T14:00", "UBND xã Phú Túc gửi báo cáo", _commune_submit("UBND-PHUTUC")),
    Step("2024-07-08T09:00", "MTTQ xã Phú Túc gửi báo cáo", _commune_submit("MTTQ-PHUTUC")),
    Step("2024-07-08T09:30", "HĐND xã Tân Thạch gửi báo cáo", _commune_submit("HDND-TANTHACH")),
    Step("2024-07-08T10:00", "Thường trực HĐND gửi báo cáo", _submit("HDND", "HDND.md")),
    Step("2024-07-08T15:00", "HĐND xã An Khánh gửi báo cáo", _commune_submit("HDND-ANKHANH")),
    Step("2024-07-09T09:00", "UBND xã Tân Thạch gửi báo cáo", _commune_submit("UBND-TANTHACH")),
    Step("2024-07-09T10:00", "MTTQ xã An Khánh gửi báo cáo", _commune_submit("MTTQ-ANKHANH")),
    *(
        Step(
            f"2024-07-09T14:{i:02}",
            f"Đảng ủy xã Phú Túc tiếp nhận báo cáo {body}",
            _commune_accept(body),
        )  # fmt: skip
        for i, body in enumerate(("HDND-PHUTUC", "UBND-PHUTUC", "MTTQ-PHUTUC"))
    ),
    _sweep("2024-07-10"),
    Step(
        "2024-07-10T09:00",
        "Đảng ủy xã Phú Túc tổng hợp; báo cáo của xã là báo cáo gửi Ban Tuyên giáo",
        _commune_synthesize("PHUTUC"),
    ),
    *(
        Step(
            f"2024-07-10T10:{i:02}", f"Đảng ủy xã tiếp nhận báo cáo {body}", _commune_accept(body)
        )  # fmt: skip
        for i, body in enumerate(
            ("HDND-TANTHACH", "UBND-TANTHACH", "HDND-ANKHANH", "MTTQ-ANKHANH")
        )  # fmt: skip
    ),
    Step("2024-07-10T14:00", "Sở TT&TT gửi báo cáo", _submit("SO-TTTT", "SO-TTTT.md")),
    Step("2024-07-11T09:00", "UBND tỉnh gửi báo cáo", _submit("UBND", "UBND.md")),
    Step(
        "2024-07-11T15:00",
        "Gia hạn cho Sở Tư pháp",
        (
            "extend",
            "--cycle",
            CYCLE,
            "--body",
            "SO-TP",
            "--due",
            "2024-07-17",
            "--reason",
            "Chờ tổng hợp số liệu từ các huyện",
            "--as",
            "BTGTU",
        ),
    ),
    Step(
        "2024-07-12T16:30",
        "VKSND tỉnh gửi báo cáo (bản 1, chưa kèm số liệu)",
        _submit("VKSND", "VKSND-v1.md", form=False),
    ),
    Step(
        "2024-07-11T09:00",
        "Đảng ủy xã Tân Thạch tổng hợp và gửi báo cáo lên Ban Tuyên giáo",
        _commune_synthesize("TANTHACH"),
    ),
    _sweep("2024-07-13"),
    _sweep("2024-07-15"),
    Step(
        "2024-07-15T14:00",
        "UBND xã An Khánh gửi báo cáo (trễ hạn)",
        _commune_submit("UBND-ANKHANH"),
    ),
    Step("2024-07-15T09:00", "Tiếp nhận báo cáo HĐND", _review("accept", "HDND")),
    Step("2024-07-15T09:05", "Tiếp nhận báo cáo UBND", _review("accept", "UBND")),
    Step("2024-07-15T09:10", "Tiếp nhận báo cáo Sở TT&TT", _review("accept", "SO-TTTT")),
    Step(
        "2024-07-15T09:20",
        "Trả lại báo cáo VKSND, yêu cầu bổ sung",
        _review(
            "return",
            "VKSND",
            "--comment",
            "Đề nghị bổ sung số liệu cụ thể về các vụ án và hoạt động phối hợp tuyên truyền",
            "--due",
            "2024-07-19",
        ),
    ),
    Step(
        "2024-07-16T09:00",
        "Đảng ủy xã An Khánh tiếp nhận báo cáo UBND xã",
        _commune_accept("UBND-ANKHANH"),
    ),  # fmt: skip
    Step("2024-07-16T10:00", "TAND tỉnh gửi báo cáo (trễ hạn)", _submit("TAND", "TAND.md")),
    _sweep("2024-07-17"),
    Step(
        "2024-07-17T10:00",
        "Đảng ủy xã An Khánh tổng hợp và gửi báo cáo lên Ban Tuyên giáo (trễ hạn)",
        _commune_synthesize("ANKHANH"),
    ),
    Step(
        "2024-07-17T11:00",
        "Sở Tư pháp gửi báo cáo (trong hạn gia hạn)",
        _submit("SO-TP", "SO-TP.md"),
    ),
    Step("2024-07-18T09:00", "VKSND gửi báo cáo bổ sung (bản 2)", _submit("VKSND", "VKSND-v2.md")),
    Step("2024-07-19T10:00", "Tiếp nhận báo cáo TAND", _review("accept", "TAND")),
    Step("2024-07-19T10:05", "Tiếp nhận báo cáo Sở Tư pháp", _review("accept", "SO-TP")),
    Step("2024-07-19T10:10", "Tiếp nhận báo cáo VKSND (bản 2)", _review("accept", "VKSND")),
    *(
        Step(
            f"2024-07-19T10:{20 + i}",
            f"Tiếp nhận báo cáo tổng hợp của Đảng ủy xã ({code})",
            _review("accept", f"DU-{code}"),
        )  # fmt: skip
        for i, code in enumerate(COMMUNES)
    ),
    _sweep("2024-07-20"),
    Step("2024-07-22T08:30", "Bảng theo dõi trước khi tổng hợp", ("dashboard",)),
    Step(
        "2024-07-22T09:00",
        "Ban Tuyên giáo tổng hợp và gửi báo cáo lên cấp trên",
        ("synthesize", CYCLE, "--as", "BTGTU", "--docx", f"{OUT}/bao-cao-tong-hop.docx"),
    ),
    Step(
        "2024-07-22T09:05",
        "Số liệu biểu mẫu BM01 cộng từ các báo cáo đã tiếp nhận (và tệp Excel tổng hợp)",
        ("cycle", "totals", CYCLE, "--xlsx", f"{OUT}/tong-hop-BM01.xlsx"),
    ),
    Step(
        "2024-07-22T09:10",
        "Cây kỳ báo cáo: tỉnh và các xã, hạn, bốn nhóm tình trạng",
        ("cycle", "tree", CYCLE),
    ),
]


def run(
    data_dir: Path | None = None, *, as_json: bool = False, keep: bool = False
) -> dict[str, Any]:
    """Run the demo on a fresh database in ``data_dir``, or in a temporary directory that
    is removed at the end unless ``keep``."""
    import cli

    directory = data_dir or Path(tempfile.mkdtemp(prefix="phoihop-demo-"))
    kept = data_dir is not None or keep
    if (directory / "phoihop.db").exists():
        from rules.errors import UserError

        raise UserError(f"{directory} already holds a database; the demo needs a fresh one")
    saved = {
        k: os.environ.get(k)
        for k in (
            "PHOIHOP_DATA_DIR",
            "PHOIHOP_DATABASE_URL",
            "PHOIHOP_NOW",
            "PREFECT_API_URL",
            "PHOIHOP_SMTP_HOST",
        )
    }
    os.environ["PHOIHOP_DATA_DIR"] = str(directory)
    for key in ("PHOIHOP_DATABASE_URL", "PREFECT_API_URL", "PHOIHOP_SMTP_HOST"):
        os.environ.pop(key, None)  # the demo runs on the embedded default, in-process
    transcript: list[dict[str, Any]] = []
    try:
        for step in STEPS:
            argv = [a.replace(OUT, str(directory)) for a in (*step.argv, "--now", step.now)]
            if as_json:
                buffer = io.StringIO()
                with contextlib.redirect_stdout(buffer):
                    code = cli.main([*argv, "--json"])
                transcript.append(
                    {
                        "at": step.now,
                        "step": step.says,
                        "argv": argv,
                        "exit": code,
                        "result": json.loads(buffer.getvalue()),
                    }
                )
            else:
                _announce(step, argv)
                code = cli.main(argv)
            if code != 0:
                raise RuntimeError(f"demo step failed: phoihop {' '.join(argv)}")
            if step.argv[:2] == ("cycle", "open"):  # every program is registered by then
                _fill_forms(directory)
        letters = _write_letters(directory)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    if not as_json:
        _closing_words(directory, kept, letters)
    if not kept:
        shutil.rmtree(directory, ignore_errors=True)
    return {"data_dir": str(directory), "kept": kept, "steps": transcript, "letters": letters}


def _closing_words(directory: Path, kept: bool, letters: list[str]) -> None:
    """Where the demo's documents are, and the next steps, in the command line's language."""
    from commands.language import say
    from commands.output import console as make_console
    from commands.output import plain

    command = plain(sys.argv[0] if Path(sys.argv[0]).name == "phoihop" else "phoihop")
    console = make_console()
    # The paths are data (--data-dir DIR) inside lines that hold markup.
    report, folder = plain(directory / "bao-cao-tong-hop.docx"), plain(directory / "cong-van")
    explore = f"PHOIHOP_DATA_DIR={plain(directory)} {command} cycle show {CYCLE} --now 2024-07-22"
    if kept:
        console.print(say(
            f"\n[bold]Văn bản đã ghi[/bold]: {report} (báo cáo tổng hợp, như đã ban hành) và "
            f"{len(letters)} công văn đôn đốc, báo cáo lãnh đạo trong {folder}/ "
            f"(phoihop letters list)\n"
            f"\n[bold]Cơ sở dữ liệu của bản chạy thử được giữ ở[/bold] {plain(directory)}\n"
            f"Xem lại: {explore} (hoặc cycle tree {CYCLE}); --now đưa bạn về tháng 7/2024",
            f"\n[bold]Documents written[/bold]: {report} (the consolidated report, as issued) "
            f"and {len(letters)} urging letters and summaries in {folder}/ (phoihop letters list)\n"
            f"\n[bold]Demo database kept in[/bold] {plain(directory)}\n"
            f"Explore it: {explore} (or cycle tree {CYCLE}); --now puts you back in July 2024",
        ), markup=True, soft_wrap=True)  # fmt: skip
    else:
        console.print(say(
            "\n[bold]Cơ sở dữ liệu và văn bản của bản chạy thử đã được xóa[/bold] "
            f"(chạy `{command} demo --keep`, hoặc --data-dir DIR, để giữ lại và xem)",
            "\n[bold]The demo's database and documents were removed[/bold] "
            f"(run `{command} demo --keep`, or --data-dir DIR, to keep them and look around)",
        ), markup=True, soft_wrap=True)  # fmt: skip
    console.print(say(
        "\n[bold]Các bước tiếp theo[/bold]\n"
        f"  1. Cơ quan của bạn: {command} init, rồi {command} bodies import "
        "danh-sach-co-quan.csv và program add chuong-trinh.yaml (README: Input files)\n"
        f"  2. Một máy: {command} users add … rồi {command} serve, và mở "
        "http://127.0.0.1:8000/ (README: Running it on one machine)\n"
        "  3. Nhiều máy: PostgreSQL, một máy chủ Prefect và phoihop worker "
        "(README: Running on several machines)",
        "\n[bold]Next steps[/bold]\n"
        f"  1. Your organisation: {command} init, then {command} bodies import "
        "your-bodies.csv and program add your-program.yaml (README: Input files)\n"
        f"  2. One machine: {command} users add … then {command} serve, and open "
        "http://127.0.0.1:8000/ (README: Running it on one machine)\n"
        "  3. Several machines: PostgreSQL, a Prefect server and phoihop worker "
        "(README: Running on several machines)",
    ), markup=True, soft_wrap=True)  # fmt: skip


def _write_letters(directory: Path) -> list[str]:
    """The urging letters and summaries the sweeps issued, as .docx files beside the
    database, so the demo shows them (``phoihop letters get ID --out F`` does one)."""
    from services.letters import letter_file, list_letters

    folder = directory / "cong-van"
    folder.mkdir(exist_ok=True)
    written = []
    for row in list_letters(CYCLE):
        if row["state"] == "rendered":
            found = letter_file(row["id"])
            (folder / found.filename).write_bytes(found.data)
            written.append(str(folder / found.filename))
    return written


def _fill_forms(directory: Path) -> None:
    """What each sending body's clerk does in Excel: the template made for the body and
    the period, filled with its figures (demo.forms.DEMO_VALUES; a commune body's on its
    commune board's program, COMMUNE_VALUES)."""
    from demo.forms import COMMUNE_VALUES, DEMO_VALUES, fill
    from services.forms import template

    folder = directory / "bieu-mau"
    folder.mkdir(parents=True, exist_ok=True)
    for body, values in (DEMO_VALUES | COMMUNE_VALUES).items():
        commune = body.partition("-")[2]
        program = f"XA238-{commune}" if body in COMMUNE_VALUES else "QD238"
        blank = template(program, body=body, period="2024-H1")
        (folder / f"{body}.xlsx").write_bytes(fill(blank, {"BM01": values}))


def _announce(step: Step, argv: list[str]) -> None:
    from rich.rule import Rule

    from commands.output import console as make_console
    from commands.output import plain

    console = make_console()
    day, time = step.now.split("T")
    y, m, d = day.split("-")
    console.print(Rule(f"{d}/{m}/{y} {time} — {step.says}", align="left"))
    shown = " ".join(a if " " not in a else f'"{a}"' for a in argv)
    shown = shown.replace(str(DATA) + "/", "").replace(os.environ["PHOIHOP_DATA_DIR"] + "/", "")
    console.print(f"[dim]$ phoihop {plain(shown)}[/dim]", markup=True)
