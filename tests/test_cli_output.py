"""What a command prints for people shows the data as written, brackets and all.

rich reads ``[…]`` in a printed string as markup: a name ``Tổ [bản nháp] số 1`` came
out as ``Tổ  số 1`` and a stray ``[/i]`` in a title was a MarkupError traceback.
Each test puts such data where one kind of command line prints it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.steps import CYCLE, DEMO_DATA, OPEN_CYCLE_STEP, REPORTS, SEED_PROGRAM, ok, printed
from tests.test_bad_input import BODIES_HEADER

Cli = Callable[..., Any]
NAMES = ("Tổ [bản nháp] số 1", "[bold]Ban đậm[/bold]")
ODD = "Tổ [bản nháp] số 1 [/i]lạ"  # a tag rich would drop, and one it would choke on
TITLE = f"Báo cáo {ODD} Quyết định 238"
SECTION = f"Đánh giá {ODD}"
COORDINATOR = f"Ban {ODD}"


def test_a_table_prints_names_with_brackets_as_written(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bodies.csv"
    lines = [f"T{n},{name},province,,,,,," for n, name in enumerate(NAMES)]
    path.write_text(BODIES_HEADER + "\n".join(lines) + "\n", "utf-8")
    assert cli("bodies", "import", path).code == 0
    listed = cli("bodies", "list")
    assert listed.code == 0, listed.err
    for name in NAMES:
        assert name in listed.out


@pytest.fixture
def odd_cycle(cli: Cli, tmp_path: Path) -> Cli:
    """The seed cycle, its program's title, first section and coordinator's name
    holding brackets."""
    bodies = tmp_path / "bodies.csv"
    text = DEMO_DATA.joinpath("bodies.csv").read_text("utf-8")
    bodies.write_text(text.replace("Ban Tuyên giáo Tỉnh ủy Bến Tre", COORDINATOR), "utf-8")
    program = tmp_path / "program.yaml"
    text = SEED_PROGRAM.read_text("utf-8")
    text = text.replace("title: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định "
                        "số 238-QĐ/TW", f"title: {TITLE}")  # fmt: skip
    text = text.replace("Đánh giá tình hình và kết quả thực hiện Quyết định số 238", SECTION)
    program.write_text(text, "utf-8")
    ok(cli("bodies", "import", bodies, "--now", "2024-07-01", "--json"))
    ok(cli("program", "add", program, "--now", "2024-07-01", "--json"))
    ok(cli(*OPEN_CYCLE_STEP, "--json"))
    return cli


def test_cycle_show_prints_the_program_title_and_a_return_comment_as_written(
    odd_cycle: Cli,
) -> None:
    report = REPORTS / "HDND.md"
    ok(odd_cycle("submit", report, "--cycle", CYCLE, "--body", "HDND",
                 "--now", "2024-07-08T10:00", "--json"))  # fmt: skip
    ok(odd_cycle("review", "return", "--cycle", CYCLE, "--body", "HDND", "--comment",
                 f"Bổ sung {ODD}", "--due", "2024-07-19", "--now", "2024-07-09T08:00",
                 "--json"))  # fmt: skip
    shown = printed(odd_cycle("cycle", "show", CYCLE, "--now", "2024-07-09T09:00"))
    assert f"{CYCLE} {TITLE} — " in shown
    assert f" — Bổ sung {ODD}" in shown  # the task's history, comment and all


def test_the_diff_names_a_section_as_the_outline_writes_it(odd_cycle: Cli, tmp_path: Path) -> None:
    first = tmp_path / "v1.md"
    first.write_text(REPORTS.joinpath("HDND.md").read_text("utf-8"), "utf-8")
    second = tmp_path / "v2.md"
    second.write_text(first.read_text("utf-8").replace("kịp thời", f"kịp thời [{ODD}]"), "utf-8")
    for path, now in ((first, "2024-07-08T10:00"), (second, "2024-07-09T10:00")):
        ok(odd_cycle("submit", path, "--cycle", CYCLE, "--body", "HDND", "--now", now, "--json"))
    shown = printed(odd_cycle("tasks", "diff", "--cycle", CYCLE, "--body", "HDND"))
    assert "Nhiệm vụ 1 (HDND): bản 2 so với bản 1" in shown
    assert f"I. {SECTION}: có thay đổi" in shown
    assert f"kịp thời [{ODD}]" in shown


def test_the_cycle_tree_names_the_coordinator_as_written(odd_cycle: Cli) -> None:
    tree = printed(odd_cycle("cycle", "tree", CYCLE, "--now", "2024-07-09"))
    assert COORDINATOR in tree


def test_program_show_prints_the_title_as_written(odd_cycle: Cli) -> None:
    shown = printed(odd_cycle("program", "show", "QD238"))
    assert f"QD238 {TITLE} — phiên bản 1" in shown


def test_the_holidays_table_prints_the_operators_names_as_written(cli: Cli, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "calendar-overrides.yaml").write_text(
        f"working_days:\n  - {{date: 2027-02-20, name: 'Làm bù {ODD}'}}\n", encoding="utf-8"
    )
    listed = printed(cli("calendar", "holidays", "2027"))
    assert f"Làm bù {ODD}" in listed


def test_an_ad_hoc_request_is_announced_with_its_subject_as_written(demo_org: Cli) -> None:
    opened = demo_org("request", "open", "--coordinator", "BTGTU", "--subject", f"Bão {ODD}",
                      "--letter-no", "123-CV/BTGTU", "--within", "5", "--bodies", "HDND,UBND",
                      "--now", "2024-08-01T09:00")  # fmt: skip
    assert f"(về bão {ODD}): 2 nhiệm vụ" in printed(opened)


def test_a_stored_request_letter_is_named_as_its_file(open_cycle: Cli, tmp_path: Path) -> None:
    letter = tmp_path / f"Công văn {NAMES[0]}.pdf"  # a file name has no /
    letter.write_bytes(b"%PDF-1.4 request")
    stored = open_cycle("letters", "request", CYCLE, letter, "--now", "2024-07-03T09:00")
    assert f"Đã lưu Công văn {NAMES[0]}.pdf cho kỳ {CYCLE}" in printed(stored)


@pytest.mark.parametrize("name", [ODD, "Hà :warning: Thu"])  # brackets; an emoji code
def test_a_new_account_is_announced_with_its_name_as_written(
    demo_org: Cli, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO("mật-khẩu-đủ-dài-123\n"))
    added = demo_org("users", "add", "ha", "--body", "BTGTU", "--role", "coordinator",
                     "--name", name, "--password-stdin")  # fmt: skip
    assert f"ha — {name}, BTGTU" in printed(added)


def test_a_merger_and_the_scorecard_name_the_predecessor_as_written(
    cli: Cli, tmp_path: Path
) -> None:
    """The merger's line, and the scorecard's line on the history a body inherited."""
    bodies = tmp_path / "bodies.csv"
    text = DEMO_DATA.joinpath("bodies.csv").read_text("utf-8")
    bodies.write_text(text.replace('"Sở Văn hóa, Thể thao và Du lịch"', f"Sở {ODD}"), "utf-8")
    ok(cli("bodies", "import", bodies, "--now", "2024-07-01", "--json"))
    ok(cli("program", "add", SEED_PROGRAM, "--now", "2024-07-01", "--json"))
    ok(cli(*OPEN_CYCLE_STEP, "--json"))
    merged = cli("bodies", "merge", "SO-VHTTDL", "--into", "SO-TP", "--on", "2024-07-15",
                 "--decision", f"QĐ {ODD}", "--now", "2024-07-15T09:00")  # fmt: skip
    assert f"SO-VHTTDL → SO-TP từ 15/07/2024 (QĐ {ODD})" in printed(merged)
    card = printed(cli("scorecard", "--now", "2024-07-22"))
    assert f"tiền thân SO-VHTTDL (Sở {ODD}), sáp nhập vào SO-TP từ 15/07/2024, QĐ {ODD}" in card


def test_the_styled_lines_are_styled_and_their_data_as_written(odd_cycle: Cli) -> None:
    """The console reads no markup (commands.output.console): the few lines that style
    text opt in, so their own tags never print, and the data inside them still does."""
    shown = {
        "cycle show": printed(odd_cycle("cycle", "show", CYCLE, "--now", "2024-07-09T09:00")),
        "program show": printed(odd_cycle("program", "show", "QD238")),
        "dashboard": printed(odd_cycle("dashboard", "--now", "2024-07-09T09:00")),
        "scorecard": printed(odd_cycle("scorecard", "--program", "QD238", "--now", "2024-07-09")),
        "calendar due": printed(odd_cycle("calendar", "due", "2024-05-03", "--working-days", "1")),
        "next working day": printed(odd_cycle("calendar", "next-working-day", "2024-05-04")),
        "working days": printed(odd_cycle("calendar", "working-days", "2024-05-01", "2024-05-10")),
    }
    for command, out in shown.items():
        assert "[bold]" not in out and "[/bold]" not in out, command
        assert "\\[" not in out, command  # escaped data shows as written, not escaped
    assert f"{CYCLE} {TITLE} — " in shown["cycle show"]
    assert f"QD238 {TITLE} — " in shown["program show"]
