"""Ad-hoc requests (báo cáo đột xuất), replayed on the simulated clock.

On Thursday 01/08/2024 the propaganda board asks three bodies, by letter
123-CV/BTGTU, to report within 5 working days (due Thursday 08/08/2024) on the
storm response. HDND sends on time; SO-TP late, after its first urging; UBND never,
so it climbs the ladder to a numbered urging letter and the leadership's level. The
synthesis names the request as an ad-hoc report and cites the letter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rules.error_text import dmy
from tests.steps import DEMO_DATA, Cli, ok
from tests.test_bad_input import fails_cleanly, snapshot

DX = "DX-BTGTU/2024-001"
SUBJECT = "Tình hình tuyên truyền phòng, chống cơn bão số 3"
REPORT = """# BÁO CÁO tình hình tuyên truyền phòng, chống cơn bão số 3

## I. Nội dung báo cáo

Đã đăng 25 tin, bài hướng dẫn Nhân dân chằng chống nhà cửa, sơ tán khỏi vùng nguy hiểm.
"""


def _open(cli: Cli, *extra: Any, now: str = "2024-08-01T09:00") -> Any:
    return cli(
        "request", "open", "--coordinator", "BTGTU", "--subject", SUBJECT,
        "--letter-no", "123-CV/BTGTU", "--bodies", "HDND,UBND,SO-TP", *extra, "--now", now,
    )  # fmt: skip


def _report(tmp_path: Path, body: str, text: str = REPORT) -> Path:
    path = tmp_path / f"{body}.md"
    path.write_text(text, encoding="utf-8")
    return path


def _submit(cli: Cli, tmp_path: Path, body: str, now: str) -> dict[str, Any]:
    return ok(
        cli("submit", _report(tmp_path, body), "--cycle", DX, "--body", body, "--now", now,
            "--json")
    )  # fmt: skip


def said_in_english(cli: Cli, *argv: Any, words: str) -> None:
    """A refusal run with ``--lang en``: :func:`~tests.test_bad_input.fails_cleanly` (exit 1,
    one line, nothing changed) saying the service's words, its dates as dd/mm/yyyy."""
    line = fails_cleanly(cli, *argv, "--lang", "en", code=1)
    assert line.startswith("phoihop: error: "), line
    assert dmy(words) in line, line


def _bodies(cli: Cli) -> None:
    ok(cli("bodies", "import", DEMO_DATA / "bodies.csv", "--now", "2024-07-01", "--json"))


def test_an_ad_hoc_request_runs_its_whole_life_as_a_cycle(cli: Cli, tmp_path: Path) -> None:
    _bodies(cli)
    said = _open(cli, "--within", "5")
    assert said.code == 0, said.err
    assert said.out.split()[:6] == ["Đã", "mở", "yêu", "cầu", "báo", "cáo"]
    assert DX in said.out and "hạn gửi 08/08/2024" in said.out
    cycle = ok(cli("cycle", "show", DX, "--json", "--now", "2024-08-01T09:30"))["cycle"]
    assert (cycle["program"], cycle["period"], cycle["program_title"]) == (
        "DX-BTGTU", "2024-001", "Báo cáo đột xuất",
    )  # fmt: skip
    assert cycle["period_label"] == "về tình hình tuyên truyền phòng, chống cơn bão số 3"
    assert (cycle["subject"], cycle["letter_no"]) == (SUBJECT, "123-CV/BTGTU")
    # The rules' deadlines: 5 working days, then 3 of review and 2 of synthesis.
    assert (cycle["provide_due"], cycle["review_due"], cycle["synthesis_due"]) == (
        "2024-08-08", "2024-08-13", "2024-08-15",
    )  # fmt: skip
    assert [s["title"] for s in cycle["outline"]] == ["Nội dung báo cáo"]

    # Each body heard of it, the request cited as "báo cáo đột xuất về …".
    outbox = ok(cli("outbox", "list", "--json"))
    items = outbox["items"] if isinstance(outbox, dict) else outbox
    assert len(items) == 3
    assert all("đột xuất về tình hình tuyên truyền" in n["subject"] for n in items)

    assert _submit(cli, tmp_path, "HDND", "2024-08-05T10:00")["on_time"] is True
    first = ok(cli("sweep", "--now", "2024-08-09T08:00", "--json"))
    assert sorted((f["body"], f["step"]) for f in first["fired"]) == [
        ("SO-TP", "level-1"), ("UBND", "level-1"),
    ]  # fmt: skip
    assert _submit(cli, tmp_path, "SO-TP", "2024-08-09T15:00")["on_time"] is False
    second = ok(cli("sweep", "--now", "2024-08-13T08:00", "--json"))
    assert [(f["body"], f["step"]) for f in second["fired"]] == [("UBND", "level-2")]
    third = ok(cli("sweep", "--now", "2024-08-16T08:00", "--json"))
    assert [(f["body"], f["step"]) for f in third["fired"]] == [("UBND", "level-3")]
    ok(cli("letters", "render", "--now", "2024-08-16T08:05", "--json"))
    letters = ok(cli("letters", "list", "--cycle", DX, "--json"))
    letters = letters["items"] if isinstance(letters, dict) else letters
    assert letters, "the numbered urging letter of level 2"

    for body in ("HDND", "SO-TP"):
        ok(cli("review", "accept", "--cycle", DX, "--body", body, "--now", "2024-08-14T09:00",
               "--json"))  # fmt: skip
    out = tmp_path / "tong-hop-dot-xuat.md"
    closed = ok(cli("synthesize", DX, "--out", out, "--now", "2024-08-16T10:00", "--json"))
    assert {r["body"]: r["category"] for r in closed["summary"]} == {
        "HDND": "on_time", "UBND": "missing", "SO-TP": "late",
    }  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert "Đột xuất về tình hình tuyên truyền phòng, chống cơn bão số 3" in text
    assert "báo cáo đột xuất về tình hình tuyên truyền" in text
    assert "Theo Công văn số 123-CV/BTGTU ngày 01/8/2024 của Ban Tuyên giáo" in text
    assert "25 tin, bài" in text

    # It counts in the scorecards as any cycle: one on time, one late, one never sent.
    card = ok(cli("scorecard", "--program", "DX-BTGTU", "--json", "--now", "2024-08-20"))
    total = card["total"]
    assert (total["done_on_time"], total["done_late"], total["overdue"]) == (1, 1, 1)


def test_a_second_request_is_numbered_next_with_its_own_outline_and_bodies(
    cli: Cli, tmp_path: Path
) -> None:
    _bodies(cli)
    ok(_open(cli, "--within", "5", "--json"))
    outline = tmp_path / "de-cuong.md"
    outline.write_text(
        "# Đề cương\n\n## I. Kết quả triển khai\n\n## II. Khó khăn, vướng mắc\n\n"
        "## III. Kiến nghị (nếu có)\n",
        encoding="utf-8",
    )
    second = ok(
        cli("request", "open", "--coordinator", "BTGTU", "--subject", "Về công tác chuyển đổi số",
            "--letter-no", "130-CV/BTGTU", "--due", "2024-08-20", "--bodies", "TAND,VKSND",
            "--outline", outline, "--now", "2024-08-02T09:00", "--json")
    )  # fmt: skip
    cycle = second["cycle"]
    assert (cycle["ref"], cycle["period_label"], second["tasks"]) == (
        "DX-BTGTU/2024-002", "về công tác chuyển đổi số", 2,
    )  # fmt: skip
    shown = ok(cli("cycle", "show", "DX-BTGTU/2024-002", "--json"))["cycle"]
    assert [(s["code"], s["required"]) for s in shown["outline"]] == [
        ("I", True), ("II", True), ("III", False),
    ]  # fmt: skip
    # The first request keeps its one-section outline.
    first = ok(cli("cycle", "show", DX, "--json"))["cycle"]
    assert [s["code"] for s in first["outline"]] == ["I"]
    # A report with only section I is refused: section II is required in this request.
    refused = fails_cleanly(cli, "submit", _report(tmp_path, "TAND"), "--cycle",
                            "DX-BTGTU/2024-002", "--body", "TAND", "--now", "2024-08-05T09:00",
                            code=1)  # fmt: skip
    assert "II" in refused
    tasks = ok(cli("tasks", "list", "--cycle", "DX-BTGTU/2024-002", "--json"))["items"]
    assert sorted(t["body"] for t in tasks) == ["TAND", "VKSND"]
    english = cli(
        "request", "open", "--coordinator", "BTGTU", "--subject", "Công tác dân vận",
        "--letter-no", "131-CV/BTGTU", "--within", "3", "--bodies", "HDND",
        "--now", "2024-08-02T10:00", "--lang", "en",
    )  # fmt: skip
    assert english.out.startswith("Opened the ad-hoc request DX-BTGTU/2024-003")


def test_bad_requests_are_one_line_and_change_nothing(cli: Cli, tmp_path: Path) -> None:
    _bodies(cli)
    ok(_open(cli, "--within", "5", "--json"))
    before = snapshot()
    bad_outline = tmp_path / "bad.yaml"
    bad_outline.write_text("- {code: I, title: A}\n- {code: I, title: B}\n", encoding="utf-8")

    def request(*args: Any, letter: str = "200-CV/BTGTU", bodies: str = "HDND") -> list[Any]:
        return [
            "request", "open", "--coordinator", "BTGTU", "--letter-no", letter,
            "--bodies", bodies, *args, "--now", "2024-08-05T09:00",
        ]  # fmt: skip

    cases = {
        "the due date 2024-08-01 is already past": request("--subject", "X", "--due",
                                                           "2024-08-01"),
        "unknown body code(s): NOPE": request("--subject", "X", "--within", "3",
                                              bodies="HDND,NOPE"),
        "an ad-hoc request needs a subject": request("--subject", "  ", "--within", "3"),
        "the subject contains a control character (U+0007) at line 1, column 4; only tab "
        "and line breaks are allowed": request("--subject", "Bão\x07", "--within", "3"),
        "letter 123-CV/BTGTU already opened the ad-hoc request DX-BTGTU/2024-001": request(
            "--subject", "X", "--within", "3", letter="123-CV/BTGTU"),
        "the outline: two outline sections share a code": request("--subject", "X", "--within", "3",
                                                     "--outline", bad_outline),
        "the coordinator cannot also be a reporting body": request(
            "--subject", "X", "--within", "3", bodies="BTGTU"),
        "the deadline is 1 to 120 working days from the letter, not 0": request(
            "--subject", "X", "--within", "0"),
    }  # fmt: skip
    for words, argv in cases.items():
        said_in_english(cli, *argv, words=words)
    both = cli("request", "open", "--coordinator", "BTGTU", "--subject", "X", "--letter-no",
               "9", "--bodies", "HDND", "--due", "2024-09-01", "--within", "3",
               "--lang", "en")  # fmt: skip
    assert both.code == 2 and "not allowed with argument" in both.err
    # Its program takes its terms from each request, never from a program file.
    dx = tmp_path / "dx.yaml"
    dx.write_text(
        "code: DX-BTGTU\ntitle: Báo cáo đột xuất\ncoordinator: BTGTU\nbodies: [HDND]\n"
        "period: half\nworking_days: {provide: 5}\noutline: [{code: I, title: A}]\n",
        encoding="utf-8",
    )
    said_in_english(cli, "program", "update", dx, "--now", "2024-08-05T09:00",
                    words="program DX-BTGTU holds ad-hoc requests")  # fmt: skip
    # A regular opening cannot put a period on the ad-hoc program.
    said_in_english(cli, "cycle", "open", "DX-BTGTU", "2024-H1", "--now", "2024-08-05T09:00",
                    words="holds ad-hoc requests: open one with phoihop request open")  # fmt: skip
    assert snapshot() == before  # the usage error (exit 2, above) changed nothing either
