"""``phoihop calendar …`` and ``phoihop period …`` end to end."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import cli
from tests.steps import phoihop_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOIHOP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PHOIHOP_CALENDAR_OVERRIDES", raising=False)
    monkeypatch.delenv("PHOIHOP_NOW", raising=False)


def run_json(capsys, *argv: str) -> dict:
    assert cli.main([*argv, "--json"]) == 0
    out = capsys.readouterr().out
    return json.loads(out)


def fails(capsys, *argv: str) -> tuple[int, str]:
    """Exit code and stderr of a failing command (usage errors raise SystemExit)."""
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    return code, err


def test_due(capsys) -> None:
    assert run_json(capsys, "calendar", "due", "2025-01-24", "--working-days", "5") == {
        "start": "2025-01-24",
        "working_days": 5,
        "due": "2025-02-07",
        "deadline": "2025-02-07T16:59:59+00:00",
        "provisional": False,
    }


def test_due_over_tet_2024(capsys) -> None:
    data = run_json(capsys, "calendar", "due", "2024-02-07", "--working-days", "1")
    assert data["due"] == "2024-02-15"


def test_due_human_output(capsys) -> None:
    assert cli.main(["calendar", "due", "2024-05-03", "--working-days", "1"]) == 0
    out = capsys.readouterr().out
    assert "04/05/2024" in out
    assert "thứ Bảy" in out


def test_next_working_day(capsys) -> None:
    assert run_json(capsys, "calendar", "next-working-day", "2024-02-10") == {
        "date": "2024-02-10",
        "next_working_day": "2024-02-15",
        "is_working_day": False,
    }
    assert run_json(capsys, "calendar", "next-working-day", "2024-05-04") == {
        "date": "2024-05-04",
        "next_working_day": "2024-05-04",
        "is_working_day": True,
    }


def test_working_days(capsys) -> None:
    assert run_json(capsys, "calendar", "working-days", "2024-05-03", "2024-05-06") == {
        "from": "2024-05-03",
        "to": "2024-05-06",
        "working_days": 2,
    }


def test_holidays(capsys) -> None:
    data = run_json(capsys, "calendar", "holidays", "2024")
    assert data["year"] == 2024
    assert data["provisional"] is False
    off = [{k: d[k] for k in ("date", "name")} for d in data["days_off"]]
    assert {"date": "2024-02-10", "name": "Tết Nguyên Đán"} in off
    assert {"date": "2024-04-29", "name": "Ngày nghỉ (thay cho ngày 04/05/2024)"} in off
    assert data["working_days"] == [
        {"date": "2024-05-04", "name": "Làm bù cho ngày nghỉ 29/04/2024", "reference": None}
    ]


def test_holidays_with_overrides(capsys, tmp_path: Path) -> None:
    (tmp_path / "calendar-overrides.yaml").write_text(
        "working_days:\n  - {date: 2027-02-20, name: Làm bù Tết}\n", encoding="utf-8"
    )
    data = run_json(capsys, "calendar", "holidays", "2027")
    assert {"date": "2027-02-20", "name": "Làm bù Tết", "reference": None} in data["working_days"]
    data = run_json(capsys, "calendar", "next-working-day", "2027-02-20")
    assert data["is_working_day"] is True


def test_staggered(capsys) -> None:
    data = run_json(capsys, "calendar", "staggered", "2024-05-05", "--offsets", "1,1")
    assert [level["due"] for level in data["levels"]] == ["2024-05-06", "2024-05-04", "2024-05-03"]


def test_period_show(capsys) -> None:
    assert run_json(capsys, "period", "show", "2024-h1") == {
        "period": "2024-H1",
        "kind": "half",
        "start": "2024-01-01",
        "end": "2024-06-30",
        "cutoff_start": "2023-12-15",
        "cutoff_end": "2024-06-14",
        "label": "6 tháng đầu năm 2024",
    }
    data = run_json(capsys, "period", "show", "2024-03", "--cutoff-start-day", "16")
    assert (data["cutoff_start"], data["cutoff_end"]) == ("2024-02-16", "2024-03-15")


def test_period_show_human(capsys) -> None:
    assert cli.main(["period", "show", "2024-Q3"]) == 0
    assert "quý III năm 2024" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["calendar", "due", "2024-02-30", "--working-days", "3"], 2),
        (["calendar", "due", "2024-02-03", "--working-days", "-1"], 2),
        (["calendar", "due", "2024-02-03", "--working-days", "x"], 2),
        (["calendar", "working-days", "2024-01-01", "someday"], 2),
        (["calendar", "staggered", "2024-07-25", "--offsets", "2,-1"], 2),
        (["period", "show", "2024-H3"], 1),
        (["period", "show", "2024-Q1", "--cutoff-start-day", "31"], 2),
    ],
)
def test_bad_input_is_one_line(capsys, argv: list[str], code: int) -> None:
    exit_code, err = fails(capsys, *argv)
    assert exit_code == code
    assert err.count("\n") == 1
    assert err.startswith("phoihop") and ": lỗi: " in err


def test_missing_overrides_file_is_one_line(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PHOIHOP_CALENDAR_OVERRIDES", str(tmp_path / "missing.yaml"))
    code, err = fails(capsys, "calendar", "due", "2024-07-03", "--working-days", "1")
    assert code == 1
    assert err.startswith("phoihop: lỗi: Không tìm thấy tệp điều chỉnh lịch (calendar overrides)")
    assert err.count("\n") == 1


def test_holidays_subprocess_is_utf8(tmp_path: Path) -> None:
    env = {**os.environ, "PHOIHOP_DATA_DIR": str(tmp_path), "PYTHONIOENCODING": "ascii"}
    env.pop("PHOIHOP_CALENDAR_OVERRIDES", None)
    result = subprocess.run(
        [*phoihop_command(), "calendar", "holidays", "2024", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )
    text = result.stdout.decode("utf-8")
    assert "Tết Nguyên Đán" in text
    assert "\\u" not in text
    assert json.loads(text)["year"] == 2024
