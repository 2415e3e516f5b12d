"""NUL and other control characters are refused the same way in every face, before
anything is written; tab and line breaks are text like any other."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rules.errors import UserError
from rules.text import clean
from tests.steps import CYCLE, REPORTS
from tests.test_bad_input import BODIES_HEADER, fails_cleanly

Cli = Callable[..., Any]
NOW = ("--now", "2024-07-08T10:00")


def test_clean_names_the_character_and_where_it_is() -> None:
    with pytest.raises(UserError) as refused:
        clean("# I. Một\nnội \x00dung", "the report")
    assert str(refused.value) == (
        "the report contains a control character (U+0000) at line 2, column 5; "
        "only tab and line breaks are allowed"
    )
    for bad in ("\x07", "\x1b[31m", "\x7f", "\x85", "\ud800"):
        with pytest.raises(UserError):
            clean(f"a{bad}b")


def test_tabs_and_line_ends_are_kept_and_carriage_returns_unified() -> None:
    assert clean("a\tb\r\nc\rd\n") == "a\tb\nc\nd\n"
    assert clean("Tuye\u0302n truye\u0302\u0300n") == "Tuyên truyền"  # NFC


def report_with(tmp_path: Path, poison: str) -> Path:
    text = (REPORTS / "HDND.md").read_text(encoding="utf-8").replace("Thường trực", poison, 1)
    path = tmp_path / "poisoned.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("poison", ["Thường\x00trực", "Thường\x1btrực", "Thường\x7ftrực"])
def test_a_report_with_a_control_character_is_one_line(
    open_cycle: Cli, tmp_path: Path, poison: str
) -> None:
    line = fails_cleanly(
        open_cycle, "submit", report_with(tmp_path, poison), "--cycle", CYCLE, "--body",
        "HDND", *NOW, "--lang", "en",
    )  # fmt: skip
    code = f"U+{ord(poison[6]):04X}"
    assert f"the report poisoned.md contains a control character ({code}) at line 3" in line


def test_a_report_with_windows_line_ends_is_accepted(open_cycle: Cli, tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes((REPORTS / "HDND.md").read_bytes().replace(b"\n", b"\r\n"))
    result = open_cycle("submit", path, "--cycle", CYCLE, "--body", "HDND", *NOW, "--json")
    assert result.code == 0, result.err
    assert result.json()["sections"][:2] == ["I", "II"]


def test_a_body_name_with_a_nul_is_refused_and_nothing_imported(
    demo_org: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "bodies.csv"
    row = "SO-NV,Sở Nội\x00 vụ,province,UBND,Lê Văn Bé,Giám đốc Sở,gd@snv.example,Cúc,c@snv.example"
    path.write_text(BODIES_HEADER + row + "\n", encoding="utf-8")
    line = fails_cleanly(demo_org, "bodies", "import", path, "--lang", "en")
    assert "line 2: name: the value contains a control character (U+0000)" in line


@pytest.mark.parametrize(
    "argv",
    [
        ("extend", "--cycle", CYCLE, "--body", "SO-TP", "--due", "2024-07-20", "--reason",
         "Chờ\x07 số liệu"),
        ("cycle", "open", "QD238", "2024-H2", "--letter-no", "512\x1b-CV/BTGTU", "--now",
         "2025-01-06"),
    ],
)  # fmt: skip
def test_control_characters_in_arguments_are_refused(
    open_cycle: Cli, argv: tuple[str, ...]
) -> None:
    line = fails_cleanly(open_cycle, *argv, *([] if "--now" in argv else NOW), "--lang", "en")
    assert "contains a control character" in line
    vietnamese = fails_cleanly(open_cycle, *argv, *([] if "--now" in argv else NOW))
    assert "ký tự điều khiển" in vietnamese


def test_postgresql_gets_the_same_line_not_a_traceback(
    pg_url: str, open_cycle: Cli, tmp_path: Path
) -> None:
    line = fails_cleanly(
        open_cycle, "submit", report_with(tmp_path, "Thường\x00trực"), "--cycle", CYCLE,
        "--body", "HDND", *NOW, "--lang", "en",
    )  # fmt: skip
    assert "the report poisoned.md contains a control character (U+0000) at line 3" in line
