"""Every mistake: one error line, a non-zero exit, and the database exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

from services import db
from tests.steps import CYCLE, REPORTS, SEED_PROGRAM

NOW = ("--now", "2024-07-15T09:00")
BODIES_HEADER = "code,name,level,parent,head_name,head_title,head_email,focal_name,focal_email\n"

Cli = Callable[..., Any]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the audit log included), in primary-key order."""
    with db.reading() as session:
        conn = session.connection()
        return {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in SQLModel.metadata.sorted_tables
        }


def fails_cleanly(cli: Cli, *argv: Any, code: int | None = None) -> str:
    """Run a command that must fail; check the exit, the one line, and that nothing changed."""
    before = snapshot()
    result = cli(*argv)
    assert result.code != 0, result.out
    if code is not None:
        assert result.code == code
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("phoihop"), lines[0]
    assert "Traceback" not in result.err
    assert result.out == ""
    assert snapshot() == before
    return lines[0]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Bad files to feed the commands."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    good = (
        "SO-NV,Sở Nội vụ,province,UBND,Lê Văn Bé,Giám đốc Sở,gd@snv.example,Cúc,cuc@snv.example\n"
    )
    program = SEED_PROGRAM.read_text(encoding="utf-8")
    return {
        "extra_column": write(
            "extra.csv",
            BODIES_HEADER
            + good
            + "SO-YT,Sở Y tế,province,UBND,A,B,a@yt.example,C,c@yt.example,X\n",
        ),
        "bad_level": write(
            "level.csv", BODIES_HEADER + good + "SO-YT,Sở Y tế,ward,UBND,A,B,a@yt.example,C,\n"
        ),
        "bad_email": write(
            "email.csv", BODIES_HEADER + good + "SO-YT,Sở Y tế,province,UBND,A,B,a@yt.example,C,c\n"
        ),
        "unknown_parent": write(
            "parent.csv",
            BODIES_HEADER
            + good
            + "SO-YT,Sở Y tế,province,UBND-CU,A,B,a@yt.example,C,c@yt.example\n"
            # and a change to an existing body, which must not land either
            + "UBND,Ủy ban nhân dân tỉnh (mới),province,,A,B,a@ub.example,C,c@ub.example\n",
        ),
        "bodies_yaml": write(
            "bodies.yaml", "bodies:\n  - code: SO-NV\n    name: Sở Nội vụ\n    level: [province\n"
        ),
        "program_yaml": write(
            "program.yaml", program.replace("period: half", "period: half\n  oops: : :")
        ),
        "program_dup": SEED_PROGRAM,
        "report_missing": write(
            "missing.md",
            "## I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238\n\nNội dung.\n",
        ),
        "report_twice": write("twice.md", "# I. Một\na\n# II. Hai\nb\n# I. Lại\nc\n"),
        "report_latin1": (tmp_path / "latin1.md"),
    }


CASES: dict[str, tuple[Callable[[dict[str, Path]], tuple[Any, ...]], str]] = {
    "unknown body (submit)": (
        lambda f: ("submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "SO-XYZ", *NOW),
        "unknown body: SO-XYZ",
    ),
    "unknown body (tasks list)": (
        lambda f: ("tasks", "list", "--body", "SO-XYZ", *NOW),
        "unknown body: SO-XYZ",
    ),
    "unknown body (dashboard)": (
        lambda f: ("dashboard", "--body", "SO-XYZ", *NOW),
        "unknown body: SO-XYZ",
    ),
    "unknown program": (
        lambda f: ("cycle", "open", "QD999", "2024-H1", *NOW),
        "unknown program: QD999",
    ),
    "unknown cycle (show)": (
        lambda f: ("cycle", "show", "QD238/2023-H1", *NOW),
        "unknown cycle: QD238/2023-H1",
    ),
    "unknown cycle id (synthesize)": (
        lambda f: ("synthesize", "42", *NOW),
        "unknown cycle: 42",
    ),
    "unknown cycle (submit)": (
        lambda f: (
            "submit",
            REPORTS / "HDND.md",
            "--cycle",
            "QD238/2023-H2",
            "--body",
            "HDND",
            *NOW,
        ),
        "unknown cycle: QD238/2023-H2",
    ),  # fmt: skip
    "unknown task (review)": (
        lambda f: ("review", "accept", "--task", "999", *NOW),
        "unknown task: 999",
    ),
    "nonexistent task (submit)": (
        lambda f: ("submit", REPORTS / "HDND.md", "--task", "999", *NOW),
        "unknown task: 999",
    ),
    "body without a task in the cycle": (
        lambda f: ("submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "BTGTU", *NOW),
        "body BTGTU has no task in cycle QD238/2024-H1",
    ),
    "task named by neither id nor cycle+body": (
        lambda f: ("submit", REPORTS / "HDND.md", "--body", "HDND", *NOW),
        "name the task by --task ID, or by --cycle and --body",
    ),
    "CSV with an extra column": (
        lambda f: ("bodies", "import", f["extra_column"], *NOW),
        "line 3: more values than columns",
    ),
    "CSV with a bad level": (
        lambda f: ("bodies", "import", f["bad_level"], *NOW),
        "line 3: level: level must be one of",
    ),
    "CSV with a bad email": (
        lambda f: ("bodies", "import", f["bad_email"], *NOW),
        "line 3: focal_email: not an e-mail address: 'c'",
    ),
    "bodies whose parent does not exist": (
        lambda f: ("bodies", "import", f["unknown_parent"], *NOW),
        "body SO-YT: unknown parent body UBND-CU",
    ),
    "malformed bodies YAML": (
        lambda f: ("bodies", "import", f["bodies_yaml"], *NOW),
        "line 5: malformed YAML",
    ),
    "malformed program YAML": (
        lambda f: ("program", "add", f["program_yaml"], *NOW),
        "program.yaml line 10: malformed YAML: mapping values are not allowed here",
    ),
    "program added twice": (
        lambda f: ("program", "add", f["program_dup"], *NOW),
        "program QD238 already exists",
    ),
    "missing bodies file": (
        lambda f: ("bodies", "import", f["report_latin1"].with_name("none.csv"), *NOW),
        "bodies file not found",
    ),
    "a period that does not parse": (
        lambda f: ("cycle", "open", "QD238", "2024-H3", *NOW),
        "2024-H3",
    ),
    "a period of the wrong kind": (
        lambda f: ("cycle", "open", "QD238", "2024-Q2", *NOW),
        "program QD238 reports by half, not quarter",
    ),
    "the same program and period opened twice": (
        lambda f: ("cycle", "open", "QD238", "2024-H1", "--letter-date", "2024-07-03", *NOW),
        "a cycle of QD238 for 2024-H1 is already open",
    ),
    "a letter dated in the future": (
        lambda f: ("cycle", "open", "QD238", "2024-H2", "--letter-date", "2025-01-03", *NOW),
        "the letter date 2025-01-03 is in the future",
    ),
    "review with nothing submitted": (
        lambda f: ("review", "accept", "--cycle", CYCLE, "--body", "SO-TP", *NOW),
        "nothing has been submitted for this task yet",
    ),
    "return with nothing submitted": (
        lambda f: (
            "review",
            "return",
            "--cycle",
            CYCLE,
            "--body",
            "SO-TP",
            "--comment",
            "Bổ sung",
            "--due",
            "2024-07-19",
            *NOW,
        ),
        "nothing has been submitted for this task yet",
    ),  # fmt: skip
    "a report missing a required section": (
        lambda f: ("submit", f["report_missing"], "--cycle", CYCLE, "--body", "UBND", *NOW),
        "the report lacks required outline section(s): II. Những nhiệm vụ trọng tâm",
    ),
    "a report with a section twice": (
        lambda f: ("submit", f["report_twice"], "--cycle", CYCLE, "--body", "UBND", *NOW),
        "outline section I appears twice",
    ),
    "a report that is not UTF-8": (
        lambda f: ("submit", f["report_latin1"], "--cycle", CYCLE, "--body", "UBND", *NOW),
        "is not UTF-8",
    ),
    "a missing attachment": (
        lambda f: (
            "submit",
            REPORTS / "UBND.md",
            "--cycle",
            CYCLE,
            "--body",
            "UBND",
            "--attach",
            f["report_latin1"].with_name("nope.pdf"),
            *NOW,
        ),
        "attachment not found",
    ),  # fmt: skip
    "an extension to a past date": (
        lambda f: (
            "extend",
            "--cycle",
            CYCLE,
            "--body",
            "SO-TP",
            "--due",
            "2024-07-12",
            "--reason",
            "Chờ số liệu",
            *NOW,
        ),
        "the new due date 2024-07-12 is in the past",
    ),  # fmt: skip
    "an extension without a reason": (
        lambda f: (
            "extend",
            "--cycle",
            CYCLE,
            "--body",
            "SO-TP",
            "--due",
            "2024-07-30",
            "--reason",
            "  ",
            *NOW,
        ),
        "an extension needs a reason",
    ),  # fmt: skip
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_refused(open_cycle: Cli, files: dict[str, Path], case: str) -> None:
    """The service's words with --lang en (dates dd/mm/yyyy); in Vietnamese by default."""
    from rules.error_text import dmy

    files["report_latin1"].write_bytes("# I. Đánh giá\n".encode("cp1258"))
    argv, message = CASES[case]
    line = fails_cleanly(open_cycle, *argv(files), "--lang", "en", code=1)
    assert line.startswith("phoihop: error: ")
    assert dmy(message) in line
    vietnamese = fails_cleanly(open_cycle, *argv(files), code=1)
    assert vietnamese.startswith("phoihop: lỗi: ")  # and translated, not the English words
    assert vietnamese.removeprefix("phoihop: lỗi: ") != line.removeprefix("phoihop: error: ")


@pytest.mark.parametrize(
    "argv",
    [
        ("cycle", "open", "QD238", "2024-H1", "--letter-date", "2024-02-30", *NOW),
        (
            "extend",
            "--cycle",
            CYCLE,
            "--body",
            "SO-TP",
            "--due",
            "2024-02-30",
            "--reason",
            "x",
            *NOW,
        ),
        ("tasks", "list", "--now", "2024-02-30"),
        ("tasks", "list", "--now", "2024-02-30T08:00"),
    ],  # fmt: skip
    ids=["letter date", "extension date", "--now date", "--now date-time"],
)
def test_impossible_date_is_a_usage_error(open_cycle: Cli, argv: tuple[str, ...]) -> None:
    line = fails_cleanly(open_cycle, *argv, code=2)
    assert "2024-02-30" in line


def test_unknown_command_is_one_line(open_cycle: Cli) -> None:
    fails_cleanly(open_cycle, "cycle", "close", CYCLE, code=2)


def test_submit_to_a_closed_cycle(open_cycle: Cli) -> None:
    result = open_cycle("synthesize", CYCLE, "--now", "2024-07-22T09:00", "--json")
    assert result.code == 0, result.err
    line = fails_cleanly(
        open_cycle, "submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "HDND",
        "--now", "2024-07-22T10:00",
    )  # fmt: skip
    assert "Kỳ báo cáo đã tổng hợp và khóa; không nhận thêm báo cáo." in line
    line = fails_cleanly(
        open_cycle, "extend", "--cycle", CYCLE, "--body", "HDND", "--due", "2024-07-30",
        "--reason", "Muộn", "--now", "2024-07-22T10:00",
    )  # fmt: skip
    assert line == "phoihop: lỗi: Kỳ báo cáo đã tổng hợp và khóa."


def test_review_twice_refused(open_cycle: Cli) -> None:
    submitted = open_cycle("submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "HDND",
                           "--now", "2024-07-08T10:00")  # fmt: skip
    assert submitted.code == 0, submitted.err
    accepted = open_cycle("review", "accept", "--cycle", CYCLE, "--body", "HDND", *NOW)
    assert accepted.code == 0, accepted.err
    line = fails_cleanly(open_cycle, "review", "accept", "--cycle", CYCLE, "--body", "HDND", *NOW)
    assert line == "phoihop: lỗi: Báo cáo của nhiệm vụ này đã được tiếp nhận."


def test_nothing_imported_when_one_body_is_bad(demo_org: Cli, files: dict[str, Path]) -> None:
    """All or nothing: the valid SO-NV row of a file with a bad row is not imported."""
    for name in ("unknown_parent", "bad_email", "extra_column"):
        fails_cleanly(demo_org, "bodies", "import", files[name], *NOW)
    listed = demo_org("bodies", "list", "--json", *NOW).json()
    assert "SO-NV" not in {b["code"] for b in listed}
    assert next(b for b in listed if b["code"] == "UBND")["name"] == "Ủy ban nhân dân tỉnh"
