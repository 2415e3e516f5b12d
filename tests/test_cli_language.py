"""The command line answers in Vietnamese; ``--lang en`` or ``PHOIHOP_LANG=en`` in English.

Issue 13 found the stage commands answering "Opened …", "Task 1 …" in English inside a
Vietnamese product. Each stage is run here three ways on the same cycle's moments: by
default (Vietnamese, diacritics intact, dates dd/mm/yyyy), with ``--lang en`` and with
``PHOIHOP_LANG=en``. ``--json`` is the machine interface and does not change.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.steps import CYCLE, OPEN_CYCLE_STEP, REPORTS, printed
from tests.test_bad_input import fails_cleanly

Cli = Callable[..., Any]
SO_TP = ("--cycle", CYCLE, "--body", "SO-TP")


def said(result: Any) -> str:
    """The one answer of a command that succeeded, NFC as it must stay."""
    out = printed(result)
    assert unicodedata.is_normalized("NFC", out)
    return out


def test_cycle_open_answers_in_vietnamese_by_default(demo_org: Cli) -> None:
    text = said(demo_org(*OPEN_CYCLE_STEP))
    assert text == (
        "Đã mở kỳ QD238/2024-H1 (6 tháng đầu năm 2024): 7 nhiệm vụ, hạn gửi 12/07/2024; "
        "hạn xem xét 17/07/2024, hạn tổng hợp 19/07/2024\n"
    )
    assert "Opened" not in text and "tasks due" not in text


@pytest.mark.parametrize("how", ["--lang", "PHOIHOP_LANG"])
def test_cycle_open_answers_in_english_when_asked(
    demo_org: Cli, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "PHOIHOP_LANG":
        monkeypatch.setenv("PHOIHOP_LANG", "en")
        text = said(demo_org(*OPEN_CYCLE_STEP))
    else:
        text = said(demo_org(*OPEN_CYCLE_STEP, "--lang", "en"))
    assert text == (
        "Opened QD238/2024-H1 (6 tháng đầu năm 2024): 7 tasks due 12/07/2024; "
        "review by 17/07/2024, synthesis by 19/07/2024\n"
    )


def test_each_stage_answers_in_the_language_asked(
    open_cycle: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """submit, review accept/return, extend, sweep: Vietnamese, then the same moment's
    answer in English is checked on a repeat that changes nothing (identical resubmit)."""
    cli = open_cycle
    sent = said(cli("submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "HDND",
                    "--now", "2024-07-08T10:00"))  # fmt: skip
    assert sent == "Nhiệm vụ 1 (HDND): đã nhận bản 1, đúng hạn (các mục I, II, III)\n"
    again = said(cli("submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "HDND",
                     "--now", "2024-07-08T10:05", "--lang", "en"))  # fmt: skip
    assert again == (
        "Task 1 (HDND): version 1 received, on time; identical to what was already received, "
        "nothing new recorded (sections I, II, III)\n"
    )
    accepted = said(cli("review", "accept", "--cycle", CYCLE, "--body", "HDND",
                        "--now", "2024-07-09T09:00"))  # fmt: skip
    assert accepted == "Nhiệm vụ 1 (HDND): đã tiếp nhận\n"

    said(cli("submit", REPORTS / "UBND.md", "--cycle", CYCLE, "--body", "UBND",
             "--now", "2024-07-10T10:00"))  # fmt: skip
    monkeypatch.setenv("PHOIHOP_LANG", "en")
    returned = said(
        cli(
            "review",
            "return",
            "--cycle",
            CYCLE,
            "--body",
            "UBND",
            "--comment",
            "Bổ sung số liệu",
            "--due",
            "2024-07-19",
            "--now",
            "2024-07-11T09:00",
        )
    )
    assert returned == "Task 2 (UBND): returned, new due date 19/07/2024\n"
    monkeypatch.delenv("PHOIHOP_LANG")

    extended = said(cli("extend", *SO_TP, "--due", "2024-07-24", "--reason", "Chờ số liệu",
                        "--now", "2024-07-11T09:30"))  # fmt: skip
    assert extended == "Nhiệm vụ 6 (SO-TP): đã gia hạn đến 24/07/2024\n"
    english = said(cli("extend", *SO_TP, "--due", "2024-07-26", "--reason", "Lần hai",
                       "--now", "2024-07-11T09:40", "--lang", "en"))  # fmt: skip
    assert english == "Task 6 (SO-TP): extended to 26/07/2024\n"

    swept = said(cli("sweep", "--now", "2024-07-16T08:00"))
    assert swept.startswith("Đã rà soát 4 nhiệm vụ đang chờ: 0 lần nhắc hạn, 4 lần đôn đốc; ")
    assert "  nhiệm vụ 7 SO-VHTTDL: đôn đốc lần 1 → " in swept and "level-" not in swept
    quiet = said(cli("sweep", "--now", "2024-07-16T08:05", "--lang", "en"))  # nothing new
    assert (
        quiet
        == "Examined 0 waiting tasks: 0 reminders, 0 escalations fired; 0 e-mails sent, 0 failed\n"
    )


def test_synthesis_closes_and_the_report_is_the_same_in_either_language(
    open_cycle: Cli, tmp_path: Path
) -> None:
    """The report is a document in Vietnamese whatever the CLI's language; the sending-up
    line and the refusal are in the language asked."""
    cli = open_cycle
    refused = cli("synthesize", CYCLE, "--now", "2024-07-11T09:00")
    assert refused.code == 1 and refused.err.startswith("phoihop: lỗi: Chưa thể khóa kỳ: ")
    english = cli("synthesize", CYCLE, "--now", "2024-07-11T09:00", "--lang", "en")
    assert english.err.startswith("phoihop: error: the cycle cannot be closed yet: ")
    everyone = "HDND,UBND,TAND,VKSND,SO-TTTT,SO-TP,SO-VHTTDL"
    closed = said(cli("synthesize", CYCLE, "--leave-out", everyone, "--now", "2024-07-11T10:00",
                      "--lang", "en"))  # fmt: skip
    assert "BÁO CÁO" in closed and "Opened" not in closed


def test_tables_and_page_notes_follow_the_language(open_cycle: Cli) -> None:
    now = ("--now", "2024-07-20T08:00")
    vi = said(open_cycle("tasks", "list", "--limit", "2", *now))
    assert "Trạng thái" in vi and "chưa gửi" in vi and "2/7 nhiệm vụ (1–2); trang sau" in vi
    assert "pending" not in vi
    en = said(open_cycle("tasks", "list", "--limit", "2", *now, "--lang", "en"))
    assert "Status" in en and "not yet submitted" in en
    assert "2 of 7 tasks (1–2); --offset 2 for the next page" in en
    assert "Body" in en and "Cơ quan" not in en


def test_json_is_the_same_in_either_language(open_cycle: Cli) -> None:
    now = ("--now", "2024-07-20T08:00", "--json")
    vi = open_cycle("tasks", "list", *now).json()
    assert open_cycle("tasks", "list", *now, "--lang", "en").json() == vi
    assert vi["items"][0]["status"] == "pending"  # codes, for scripts


def test_an_error_is_one_vietnamese_line_english_when_asked_and_changes_nothing(
    open_cycle: Cli,
) -> None:
    past = ("extend", *SO_TP, "--due", "2024-07-01", "--reason", "Muộn",
            "--now", "2024-07-10T09:00")  # fmt: skip
    vi = fails_cleanly(open_cycle, *past, code=1)
    assert vi == "phoihop: lỗi: Hạn mới 01/07/2024 đã qua; hãy chọn một ngày từ hôm nay."
    assert unicodedata.is_normalized("NFC", vi)
    en = fails_cleanly(open_cycle, *past, "--lang", "en", code=1)
    assert en == "phoihop: error: the new due date 01/07/2024 is in the past"
    unknown = fails_cleanly(open_cycle, "cycle", "show", "QD238/2023-H1", code=1)
    assert unknown == "phoihop: lỗi: Không có kỳ báo cáo QD238/2023-H1."


def test_an_english_error_says_a_status_in_words_not_its_code(open_cycle: Cli) -> None:
    """`--lang en` passes the service's message through the error table's English side,
    as the pages do: a task's status reads as words, never a raw code (``submitted``)."""
    said(open_cycle("submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "HDND",
                    "--now", "2024-07-08T10:00"))  # fmt: skip
    extend = ("extend", "--cycle", CYCLE, "--body", "HDND", "--due", "2024-07-20",
              "--reason", "Chờ số liệu", "--now", "2024-07-09T09:00")  # fmt: skip
    en = fails_cleanly(open_cycle, *extend, "--lang", "en", code=1)
    assert en == (
        "phoihop: error: only a task waiting for the body can be extended "
        "(this one is submitted, awaiting review)"
    )
    vi = fails_cleanly(open_cycle, *extend, code=1)
    assert vi == (
        "phoihop: lỗi: Chỉ gia hạn được nhiệm vụ đang chờ cơ quan gửi "
        "(nhiệm vụ này: đã gửi, chờ xem xét)."
    )
    typed = fails_cleanly(open_cycle, "scorecard", "--from", "yesterday", "--lang", "en", code=1)
    assert typed == (  # otherwise the service's words as written, what was typed quoted
        "phoihop: error: not a period or a date: 'yesterday' "
        "(use 2024-H1, 2024-Q3, 2024-07, 2024 or YYYY-MM-DD)"
    )


def test_a_usage_error_is_in_the_language_asked_even_before_parsing(open_cycle: Cli) -> None:
    bad = ("extend", *SO_TP, "--due", "2024-13-01", "--reason", "x")
    vi = fails_cleanly(open_cycle, *bad, code=2)
    assert vi == (
        "phoihop extend: lỗi: Tham số --due: 2024-13-01 không phải là ngày hợp lệ (ngày/tháng/năm)."
    )
    en = fails_cleanly(open_cycle, *bad, "--lang", "en", code=2)
    assert (
        en == "phoihop extend: error: argument --due: not a valid date (YYYY-MM-DD): '2024-13-01'"
    )
    missing = fails_cleanly(open_cycle, "review", "return", *SO_TP, "--comment", "x", code=2)
    assert missing == "phoihop review return: lỗi: Thiếu tham số bắt buộc: --due."
    choice = fails_cleanly(open_cycle, "tasks", "list", "--status", "done", code=2)
    assert choice == (
        "phoihop tasks list: lỗi: Tham số --status: Không có lựa chọn done "
        "(chọn một trong: pending, submitted, returned, accepted, handed_over)."
    )


def test_a_bad_setting_is_said_in_vietnamese(
    open_cycle: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(test_settings checks that nothing is written; here, the words.)"""
    monkeypatch.setenv("PHOIHOP_SMTP_PORT", "abc")
    result = open_cycle("sweep", "--now", "2024-07-20T08:00")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "phoihop: lỗi: PHOIHOP_SMTP_PORT='abc' không hợp lệ: cần số cổng từ 1 đến 65535.\n"
    )
    monkeypatch.delenv("PHOIHOP_SMTP_PORT")
    monkeypatch.setenv("PHOIHOP_LANG", "fr")
    result = open_cycle("cycle", "list")
    assert (result.code, result.out) == (1, "")
    assert result.err == "phoihop: lỗi: PHOIHOP_LANG='fr' không hợp lệ: cần 'vi' hoặc 'en'.\n"


def test_a_bug_is_one_vietnamese_line_naming_its_log(
    open_cycle: Cli, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    import services.dashboard

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the dashboard fell over")

    monkeypatch.setattr(services.dashboard, "cycle_progress", broken)
    result = open_cycle("dashboard")
    assert result.code == 70
    assert result.err.startswith(
        "phoihop: lỗi: Lỗi ngoài dự kiến (RuntimeError: the dashboard fell over). Chi tiết: "
    )
    assert str(data_dir / "logs") in result.err


def test_lang_is_one_commands_not_the_next_ones(open_cycle: Cli) -> None:
    """In-process callers (the demo, tests) run many commands: --lang en must not stay."""
    now = ("--now", "2024-07-20T08:00")
    assert "of 7 tasks" in said(open_cycle("tasks", "list", *now, "--lang", "en"))
    assert "/7 nhiệm vụ" in said(open_cycle("tasks", "list", *now))
    refused = open_cycle("tasks", "list", "--limit", "x", "--lang", "en")
    assert refused.code == 2 and ": error: " in refused.err
    assert ": lỗi: " in open_cycle("tasks", "list", "--limit", "x").err


def test_the_help_says_how_to_choose_the_language() -> None:
    import cli

    assert "--lang en (or PHOIHOP_LANG=en)" in cli.build_parser().format_help()


def test_review_names_the_version_read_and_a_newer_one_stops_it(open_cycle: Cli) -> None:
    """`review accept|return --version N`, as the web's confirmation: a version sent after
    the one read is refused in one line, nothing written; the version read is accepted."""
    from tests.steps import submit

    submit(open_cycle, "SO-TP", "2024-07-08T10:00")
    submit(open_cycle, "SO-TP", "2024-07-09T10:00", REPORTS / "UBND.md")  # version 2
    stale = ("review", "accept", *SO_TP, "--version", "1", "--now", "2024-07-10T09:00")
    assert fails_cleanly(open_cycle, *stale, code=1) == (
        "phoihop: lỗi: Cơ quan đã gửi phiên bản 2 sau phiên bản 1 mà bạn đã đọc; hãy đọc "
        "phiên bản mới trước khi quyết định."
    )
    back = ("review", "return", *SO_TP, "--version", "1", "--comment", "Bổ sung",
            "--due", "2024-07-19", "--now", "2024-07-10T09:00", "--lang", "en")  # fmt: skip
    assert fails_cleanly(open_cycle, *back, code=1).startswith(
        "phoihop: error: version 2 was sent after version 1, the one you read"
    )
    done = open_cycle("review", "accept", *SO_TP, "--version", "2", "--now", "2024-07-10T09:00")
    assert done.code == 0, done.err
    assert "đã tiếp nhận" in done.out
