"""Compliance scorecards across cycles, replayed on the simulated clock.

Two cycles of QD238: 2024-H1 (due Friday 12/07/2024) and 2024-H2 (opened
03/01/2025, due Tuesday 14/01/2025). In H1 the Court and the information
department send late, the Procuracy is returned and never resubmits, the Culture
department never sends, and the cycle is closed on 31/07/2024; in H2 the Court
and the Culture department improve and the People's Council slips.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests import pg
from tests.steps import REPORTS, Cli, ok

H1, H2 = "QD238/2024-H1", "QD238/2024-H2"


def send(cli: Cli, cycle: str, body: str, now: str) -> None:
    report = REPORTS / f"{body}.md"
    if not report.exists():
        report = REPORTS / "UBND.md"
    ok(cli("submit", report, "--cycle", cycle, "--body", body, "--now", now, "--json"))


def first_half(cli: Cli) -> Cli:
    send(cli, H1, "HDND", "2024-07-08T10:00")
    send(cli, H1, "UBND", "2024-07-10T10:00")
    send(cli, H1, "VKSND", "2024-07-12T16:30")
    ok(cli("review", "return", "--cycle", H1, "--body", "VKSND", "--comment", "Bổ sung số liệu",
           "--due", "2024-07-16", "--now", "2024-07-15T09:00", "--json"))  # fmt: skip
    # Tuesday 00:30 local (Monday 17:30 UTC): 2 working days late, counted on the local day.
    send(cli, H1, "TAND", "2024-07-16T00:30")
    send(cli, H1, "SO-TTTT", "2024-07-20T10:00")  # Saturday: counted as Monday 22/07, 6 late
    ok(cli("extend", "--cycle", H1, "--body", "SO-TP", "--due", "2024-07-24",
           "--reason", "Chờ số liệu", "--now", "2024-07-11T08:00", "--json"))  # fmt: skip
    send(cli, H1, "SO-TP", "2024-07-23T10:00")  # within its extension: on time
    return cli


@pytest.fixture
def two_periods(open_cycle: Cli) -> Cli:
    cli = first_half(open_cycle)
    ok(cli("sweep", "--now", "2024-07-29T08:00", "--json"))  # the ladder climbs
    for body in ("HDND", "UBND", "TAND", "SO-TTTT", "SO-TP"):
        ok(cli("review", "accept", "--cycle", H1, "--body", body, "--now", "2024-07-31T09:00",
               "--json"))  # fmt: skip
    ok(cli("synthesize", H1, "--now", "2024-07-31T10:00", "--json"))
    ok(cli("cycle", "open", "QD238", "2024-H2", "--letter-no", "15-CV/BTGTU",
           "--letter-date", "2025-01-03", "--now", "2025-01-03T08:00", "--json"))  # fmt: skip
    for body in ("UBND", "TAND", "SO-VHTTDL", "SO-TP", "SO-TTTT", "VKSND"):
        send(cli, H2, body, "2025-01-10T09:00")
    send(cli, H2, "HDND", "2025-01-16T09:00")  # Thursday after Tuesday's deadline: 2 late
    return cli


def card(cli: Cli, *args: str) -> dict[str, Any]:
    return ok(cli("scorecard", *args, "--json"))


def rows(data: dict[str, Any], key: str = "bodies") -> dict[str, dict[str, Any]]:
    name = {"bodies": "body", "programs": "program"}[key]
    return {r[name]: r for r in data[key]}


def test_a_body_that_never_sent_is_not_on_time(open_cycle: Cli) -> None:
    cli = first_half(open_cycle)
    bodies = rows(card(cli, "--now", "2024-07-30T10:00"))
    culture, court = bodies["SO-VHTTDL"], bodies["TAND"]
    assert culture["on_time_rate"] == 0.0 == court["on_time_rate"]  # never sent = sent late
    assert (culture["overdue"], culture["counted"]) == (1, 1)
    assert bodies["VKSND"]["on_time_rate"] == 0.0  # returned, never resubmitted
    assert bodies["SO-TP"]["on_time_rate"] == 1.0  # extended, sent within the extension
    assert bodies["SO-TP"]["extensions"] == 1
    assert bodies["VKSND"]["revision_rounds"] == 1
    # Worst first: the 0% bodies, most overdue among them first, then the 100% ones.
    order = [b["body"] for b in card(cli, "--now", "2024-07-30T10:00")["bodies"]]
    assert order[:4] == ["SO-VHTTDL", "VKSND", "SO-TTTT", "TAND"]


def test_not_yet_due_is_left_out_of_the_rate_and_the_label_says_so(open_cycle: Cli) -> None:
    send(open_cycle, H1, "HDND", "2024-07-08T10:00")
    data = card(open_cycle, "--now", "2024-07-10T10:00")
    assert data["total"]["on_time_rate"] == 1.0  # 1 of 1 due or sent; 6 not due yet
    assert (data["total"]["counted"], data["total"]["pending"]) == (1, 6)
    assert rows(data)["UBND"]["on_time_rate"] is None
    assert "chưa đến hạn" in data["rate_note"] and "không tính" in data["rate_note"]
    text = open_cycle("scorecard", "--now", "2024-07-10T10:00").out
    assert "Tỷ lệ đúng hạn = số nhiệm vụ gửi đúng hạn" in text
    assert "100% (1/1)" in text and "30/06/2024" not in text


def test_working_days_late_mean_and_worst_on_the_calendar(open_cycle: Cli) -> None:
    cli = first_half(open_cycle)
    data = card(cli, "--now", "2024-07-30T10:00")
    bodies = rows(data)
    late = {b: (r["days_late_mean"], r["days_late_worst"]) for b, r in bodies.items()}
    assert late["TAND"] == (2.0, 2)  # Tue 16/07: Mon 15, Tue 16
    assert late["SO-TTTT"] == (6.0, 6)  # Sat 20/07 is read on Mon 22/07
    assert late["VKSND"] == (10.0, 10)  # after its new due date 16/07, up to Tue 30/07
    assert late["SO-VHTTDL"] == (12.0, 12)  # never sent: 15/07 → 30/07
    assert late["HDND"] == (None, 0)
    assert data["total"]["late_tasks"] == 4
    assert data["total"]["days_late_mean"] == 7.5  # (2 + 6 + 10 + 12) / 4
    assert data["total"]["days_late_worst"] == 12


def test_a_closed_cycle_stops_counting_and_escalations_are_kept(two_periods: Cli) -> None:
    """H1 closed on Wednesday 31/07/2024: its unsent tasks stay 13 working days late."""
    h1 = rows(card(two_periods, "--to", "2024-H1", "--now", "2025-01-20T10:00"))
    assert h1["SO-VHTTDL"]["days_late_worst"] == 13
    assert h1["SO-VHTTDL"]["overdue"] == 1
    assert (h1["SO-VHTTDL"]["top_level"], h1["SO-VHTTDL"]["escalations"]) == (3, 1)
    assert h1["VKSND"]["days_late_worst"] == 11  # after 16/07, up to the close
    assert h1["UBND"]["escalations"] == 0


def test_trends_over_two_periods(two_periods: Cli) -> None:
    data = card(two_periods, "--now", "2025-01-20T10:00")
    assert [p["period"] for p in data["periods"]] == ["2024-H1", "2024-H2"]
    trends = {t["body"]: t for t in data["trends"]}
    series = {b: [s["on_time_rate"] for s in t["series"]] for b, t in trends.items()}
    assert series["TAND"] == [0.0, 1.0] and trends["TAND"]["trend"] == "up"
    assert series["SO-VHTTDL"] == [0.0, 1.0] and trends["SO-VHTTDL"]["trend"] == "up"
    assert series["HDND"] == [1.0, 0.0] and trends["HDND"]["trend"] == "down"
    assert series["UBND"] == [1.0, 1.0] and trends["UBND"]["trend"] == "steady"
    assert [round(p["on_time_rate"], 4) for p in data["periods"]] == [0.4286, 0.8571]
    text = two_periods("scorecard", "--now", "2025-01-20T10:00").out
    assert "cải thiện" in text and "giảm" in text and "2024-H2" in text


def test_filters_by_program_body_and_period(two_periods: Cli) -> None:
    now = ("--now", "2025-01-20T10:00")
    everything = card(two_periods, *now)
    assert everything["total"]["total"] == 14
    assert card(two_periods, "--program", "QD238", *now)["total"] == everything["total"]
    # codes are exact, as in every other command (a body may be coded in lower case)
    assert two_periods("scorecard", "--program", "qd238", *now).err == (
        "phoihop: lỗi: Không có chương trình qd238.\n"
    )
    court = card(two_periods, "--body", "TAND", *now)
    assert [b["body"] for b in court["bodies"]] == ["TAND"]
    assert court["total"]["total"] == 2 and court["total"]["on_time_rate"] == 0.5
    second = card(two_periods, "--from", "2024-H2", *now)
    assert [c["ref"] for c in second["cycles"]] == [H2]
    by_date = card(two_periods, "--from", "2024-07-01", "--to", "2024-12-31", *now)
    assert [c["ref"] for c in by_date["cycles"]] == [H2]
    first = card(two_periods, "--to", "2024-06-30", *now)
    assert [c["ref"] for c in first["cycles"]] == [H1]
    assert first["filters"]["to"] == "2024-06-30"
    assert card(two_periods, "--from", "2025", *now)["bodies"] == []


def test_one_computation_with_the_dashboard(two_periods: Cli) -> None:
    """The dashboard's compliance list and the scorecard give each body the same figures."""
    board = ok(two_periods("dashboard", "--now", "2025-01-20T10:00", "--json"))
    scores = rows(card(two_periods, "--now", "2025-01-20T10:00"))
    keys = ("done_on_time", "done_late", "pending", "overdue", "on_time_rate",
            "revision_rounds", "escalations")  # fmt: skip
    for b in board["bodies"]["items"]:
        assert {k: b[k] for k in keys} == {k: scores[b["body"]][k] for k in keys}, b["body"]


def test_xlsx_and_csv(two_periods: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    xlsx, csv_file = tmp_path / "bang-diem.xlsx", tmp_path / "bang-diem.csv"
    ok(two_periods("scorecard", "--now", "2025-01-20T10:00", "--xlsx", xlsx, "--csv", csv_file,
                   "--json"))  # fmt: skip
    book = load_workbook(xlsx, read_only=True)
    assert book.sheetnames == ["Theo cơ quan", "Theo chương trình", "Theo kỳ", "Xu hướng"]
    table = [r for r in book["Theo cơ quan"].iter_rows(values_only=True) if any(r)]
    head = table[1]
    assert head[:3] == ("Mã", "Cơ quan", "Số nhiệm vụ")
    col = {name: n for n, name in enumerate(head)}
    total = table[-1]
    assert total[col["Cơ quan"]] == "Tổng cộng"
    assert total[col["Số nhiệm vụ"]] == 14
    assert total[col["Hoàn thành đúng hạn"]] == 9  # 3 in H1, 6 in H2
    assert total[col["Quá hạn, chưa gửi"]] == 2
    assert total[col["Tỷ lệ đúng hạn (%)"]] == 64.3
    court = next(r for r in table if r[0] == "TAND")
    assert court[col["Trễ hạn nhiều nhất (ngày làm việc)"]] == 2
    assert court[col["Xu hướng"]] == "cải thiện"
    trend = [r for r in book["Xu hướng"].iter_rows(values_only=True) if any(r)]
    assert trend[1] == ("Mã", "Cơ quan", "2024-H1 (%)", "2024-H2 (%)", "Xu hướng")
    assert ("TAND", "Tòa án nhân dân tỉnh", 0, 100, "cải thiện") in trend

    raw = csv_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the Vietnamese as it is
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert lines[0][0].startswith("Tuân thủ theo cơ quan")
    assert lines[1][:3] == ["Mã", "Cơ quan", "Số nhiệm vụ"]
    totals = next(line for line in lines if line[1:2] == ["Tổng cộng"])
    assert totals[2:4] == ["14", "9"]
    assert next(line[:2] for line in lines if line[:1] == ["SO-VHTTDL"]) == [
        "SO-VHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--program", "NOPE"], "unknown program: NOPE"),
        (["--body", "XYZ"], "unknown body: XYZ"),
        (["--from", "2024-H3"], "not a period or a date: '2024-H3'"),
        (["--to", "2024-02-30"], "not a valid date (YYYY-MM-DD): '2024-02-30'"),
        (["--from", "2025", "--to", "2024-H1"], "--from (01/01/2025) is after --to (30/06/2024)"),
        (["--xlsx", "/no/such/dir/x.xlsx"], "cannot write /no/such/dir/x.xlsx"),
    ],
)
def test_bad_input_is_one_line(open_cycle: Cli, args: list[str], message: str) -> None:
    result = open_cycle("scorecard", *args, "--now", "2024-07-30", "--lang", "en")
    assert result.code == 1
    assert result.out == ""
    assert result.err.count("\n") == 1 and message in result.err
    assert "Traceback" not in result.err


@pytest.mark.skipif(pg.binaries() is None, reason="PostgreSQL binaries not installed")
def test_the_same_figures_on_postgresql(pg_url: str, two_periods: Cli) -> None:
    """The local day of a timestamp is dialect SQL: PostgreSQL counts like SQLite."""
    from services import db

    assert db.engine().dialect.name == "postgresql"
    data = card(two_periods, "--now", "2025-01-20T10:00")
    bodies = rows(data)
    assert bodies["TAND"]["days_late_worst"] == 2  # sent 00:30 local, Monday in UTC
    assert bodies["SO-VHTTDL"]["days_late_worst"] == 13  # up to the close, 31/07/2024
    assert (data["total"]["total"], data["total"]["done_on_time"]) == (14, 9)
    assert {t["body"]: t["trend"] for t in data["trends"]}["HDND"] == "down"


def test_bodies_come_a_page_at_a_time_and_totals_count_them_all(
    two_periods: Cli, tmp_path: Path
) -> None:
    now = ("--now", "2025-01-20T10:00")
    order = [b["body"] for b in card(two_periods, *now)["bodies"]]
    page = card(two_periods, "--limit", "2", "--offset", "1", *now)
    assert [b["body"] for b in page["bodies"]] == order[1:3]
    assert [t["body"] for t in page["trends"]] == order[1:3]  # the page's trends only
    assert (page["bodies_total"], page["total"]["total"]) == (7, 14)
    text = two_periods("scorecard", "--limit", "2", *now).out
    assert "2/7 cơ quan (1–2); trang sau: --offset 2" in text
    csv_file = tmp_path / "all.csv"
    ok(two_periods("scorecard", "--limit", "1", "--csv", csv_file, *now, "--json"))
    lines = list(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))
    listed = {line[0] for line in lines if line and line[0] in set(order)}
    assert listed == set(order)  # the file holds every body, whatever the page
