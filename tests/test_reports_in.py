"""Reports as officials write them, through `phoihop submit`: text, Word, and every bad file."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.docx_samples import (
    SECTION_I,
    SECTION_II,
    heading_style_report,
    official_report,
    with_part,
    zip_bomb,
)
from tests.steps import CYCLE, REPORTS, ok
from tests.test_bad_input import fails_cleanly, snapshot

SEED = Path(__file__).parent / "data" / "seed_report_hdnd_ducpho.txt"
NOW = "2024-07-08T10:00"
Cli = Callable[..., Any]


def send(cli: Cli, path: Path, body: str = "HDND", *extra: Any, now: str = NOW) -> Any:
    return ok(cli("submit", path, "--cycle", CYCLE, "--body", body, *extra, "--now", now, "--json"))


def version(task: int, number: int = 1) -> dict[str, Any]:
    from web import queries

    return queries.versions(task, with_text=True, version=number)[0]


def test_the_seed_district_report_is_accepted_as_it_stands(open_cycle: Cli) -> None:
    """The real report: no '#', section II worded "trong 6 tháng cuối năm 2024", a
    sentence cut by a page break, the signature after the recipients."""
    result = send(open_cycle, SEED)
    assert result["sections"] == ["I", "II"]
    assert result["source"]["type"] == "txt"
    assert result["source"]["sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert result["header"]["cites"] == "310-CV/BTGTU"
    assert result["header"]["type"] == "BÁO CÁO"
    stored = version(result["task"])
    sections = {s["code"]: s for s in stored["sections"]}
    assert sections["II"]["title"] == "Những nhiệm vụ trọng tâm trong thời gian tới"
    assert sections["II"]["heading"].endswith("trong 6 tháng cuối năm 2024")
    assert "niềm tin của cán bộ, đảng viên" in sections["I"]["text"]  # "cán / bộ" joined
    assert "Nơi nhận" not in stored["content"] or "Nơi nhận" not in sections["II"]["text"]
    assert "Nguyễn Văn Công" not in sections["II"]["text"]
    assert sections["II"]["text"].endswith("theo dõi, tổng hợp./.")


def test_a_word_report_is_read_as_its_author_sees_it(open_cycle: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao-HDND.docx"
    path.write_bytes(official_report())
    result = send(open_cycle, path)
    assert result["sections"] == ["I", "II"]
    assert result["source"]["type"] == "docx"
    header = result["header"]
    assert (header["number"], header["date"], header["place"]) == (
        "45/BC-HĐND",
        "2024-07-08",
        "Bến Tre",
    )
    assert header["issuer"] == "THƯỜNG TRỰC HĐND"
    stored = version(result["task"])
    text = {s["code"]: s["text"] for s in stored["sections"]}
    # Word's own numbering (numbering.xml) rebuilt, the data table kept with its merge,
    # the tracked deletion, the page header and the signature table gone.
    assert text["I"].startswith("1. Kết quả phối hợp tuyên truyền")
    assert "2. Kết quả giải quyết vấn đề nổi cộm" in text["I"]
    assert "| Số hội nghị phối hợp | 10 | 12 |" in text["I"]
    assert "| Ghi chú | Số liệu đến 14/6/2024 |  |" in text["I"]
    assert "ĐÃ XÓA" not in stored["content"]
    assert "Trang đầu" not in stored["content"]
    assert "PHÓ CHỦ TỊCH" not in stored["content"] and "Nơi nhận" not in stored["content"]


def test_the_original_file_is_kept_and_can_be_downloaded(open_cycle: Cli, tmp_path: Path) -> None:
    from services.intake import source_file, version_sources

    data = official_report()
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(data)
    result = send(open_cycle, path)
    name, content_type, kept = source_file(result["task"], 1)
    assert (name, kept) == ("bao-cao.docx", data)
    assert "wordprocessingml" in content_type
    info = version_sources(result["task"])[1]
    assert info["sha256"] == hashlib.sha256(data).hexdigest() and info["size"] == len(data)


def test_word_heading_styles_are_headings(open_cycle: Cli, tmp_path: Path) -> None:
    path = tmp_path / "styles.docx"
    path.write_bytes(heading_style_report())
    assert send(open_cycle, path)["sections"] == ["I", "II"]


def test_a_missing_section_is_named_in_one_line(open_cycle: Cli, tmp_path: Path) -> None:
    path = tmp_path / "thieu.docx"
    path.write_bytes(official_report(section_two=None))
    line = fails_cleanly(open_cycle, "submit", path, "--cycle", CYCLE, "--body", "HDND")
    assert "Báo cáo thiếu mục bắt buộc của đề cương: II. Những nhiệm vụ trọng tâm" in line


def test_a_heading_numbered_as_one_section_and_titled_as_another_is_refused(
    open_cycle: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "lech.txt"
    path.write_text(
        "I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238\nNội dung.\n"
        "II. Đề xuất, kiến nghị\nĐề nghị tổ chức giao ban.\n",
        encoding="utf-8",
    )
    line = fails_cleanly(open_cycle, "submit", path, "--cycle", CYCLE, "--body", "HDND")
    assert "has the number of section II" in line and "the title of section III" in line


@pytest.mark.parametrize("kind", ["docx", "txt", "md"])
def test_sections_holding_only_their_headings_are_refused(
    open_cycle: Cli, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / f"rong.{kind}"
    if kind == "docx":
        path.write_bytes(official_report(empty=True))
    else:
        mark = "# " if kind == "md" else ""
        path.write_text(
            f"{mark}I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238\n\n"
            f"{mark}II. {SECTION_II}\n",
            encoding="utf-8",
        )
    line = fails_cleanly(open_cycle, "submit", path, "--cycle", CYCLE, "--body", "HDND")
    assert line == "phoihop: lỗi: Báo cáo chưa có nội dung: các mục mới chỉ có tiêu đề."


def _password_protected() -> bytes:
    # What Word writes when a password is set: an OLE2 container with an EncryptedPackage.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    return ole + "EncryptedPackage".encode("utf-16-le") + b"\0" * 4096


BAD_REPORTS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "corrupt docx": ("hong.docx", lambda: official_report()[:3000], "not a readable"),
    "not a zip but named .docx": ("gia.docx", lambda: b"PK\x03\x04garbage" * 10, "not a readable"),
    "password-protected docx": ("mat-khau.docx", _password_protected, "password-protected"),
    "macro-enabled docm": ("macro.docm", official_report, "macro-enabled"),
    "macros inside a .docx": (
        "macro.docx",
        lambda: with_part(official_report(), "word/vbaProject.bin", b"\0" * 64),
        "macro-enabled",
    ),
    "Word 97-2003 .doc": (
        "cu.doc",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000,
        "Word 97–2003",
    ),
    "oversized docx": (
        "lon.docx",
        lambda: b"PK\x03\x04" + b"\0" * (10 * 2**20 + 1),
        "larger than 10 MiB",
    ),
    "zip bomb": ("bom.docx", zip_bomb, "refused unopened"),
    "legacy TCVN3 font": ("vntime.docx", lambda: official_report(legacy_font=True), ".VnTime"),
    "legacy TCVN3 text": (
        "vntime.txt",
        lambda: (
            "I. §¸nh gi¸ t×nh h×nh\nUû ban nh©n d©n tØnh ®· phèi hîp\nII. Nh÷ng nhiÖm vô"
            " träng t©m\n".encode()
        ),
        "legacy Vietnamese encoding",
    ),
    "an Excel file as the report": ("so-lieu.xlsx", lambda: b"PK\x03\x04", "data form"),
}


@pytest.mark.parametrize("case", list(BAD_REPORTS), ids=list(BAD_REPORTS))
def test_a_bad_report_file_is_one_line_and_changes_nothing(
    open_cycle: Cli, tmp_path: Path, case: str
) -> None:
    name, make, message = BAD_REPORTS[case]
    path = tmp_path / name
    path.write_bytes(make())
    line = fails_cleanly(open_cycle, "submit", path, "--cycle", CYCLE, "--body", "HDND",
                         "--lang", "en")  # fmt: skip
    assert message in line, line
    assert name in line


def test_a_zip_bomb_is_refused_before_it_is_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The central directory's sizes refuse it: nothing is decompressed."""
    import zipfile

    from rules.errors import UserError
    from services import intake

    bomb = zip_bomb()
    opened: list[Any] = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile, "open", lambda self, *a, **k: opened.append(a) or real_open(self, *a, **k)
    )
    with pytest.raises(UserError, match="refused unopened"):
        intake.read_report_file("bom.docx", bomb)
    assert opened == []


def test_a_resubmission_may_change_format_and_is_compared_section_by_section(
    open_cycle: Cli, tmp_path: Path
) -> None:
    first = send(open_cycle, REPORTS / "HDND.md")
    ok(open_cycle("review", "return", "--task", first["task"], "--comment", "Bổ sung",
                  "--due", "2024-07-19", "--now", "2024-07-09T08:00", "--json"))  # fmt: skip
    path = tmp_path / "bo-sung.docx"
    path.write_bytes(official_report())
    second = send(open_cycle, path, now="2024-07-10T08:00")
    assert (second["version"], second["source"]["type"]) == (2, "docx")
    diff = ok(open_cycle("tasks", "diff", "--task", first["task"], "--json"))
    assert (diff["version"], diff["previous"]) == (2, 1)
    changes = {s["code"]: s["change"] for s in diff["sections"]}
    assert changes["I"] == "changed" and changes["III"] == "removed"
    section_i = next(s for s in diff["sections"] if s["code"] == "I")
    assert any(
        line.startswith("+1. Kết quả phối hợp tuyên truyền") for line in section_i["unified"]
    )
    shown = open_cycle("tasks", "diff", "--cycle", CYCLE, "--body", "HDND", "--version", "2")
    assert shown.code == 0 and "Nhiệm vụ 1 (HDND): bản 2 so với bản 1" in shown.out
    assert "I. Đánh giá tình hình" in shown.out and "có thay đổi" in shown.out


def test_diff_of_a_first_version_is_one_line(open_cycle: Cli) -> None:
    send(open_cycle, REPORTS / "HDND.md")
    line = fails_cleanly(open_cycle, "tasks", "diff", "--cycle", CYCLE, "--body", "HDND")
    assert "là bản đầu tiên; không có bản nào trước để so sánh" in line


def test_a_repeated_word_upload_records_nothing(open_cycle: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bc.docx"
    path.write_bytes(official_report())
    send(open_cycle, path)
    before = snapshot()
    again = send(open_cycle, path)
    assert again["repeated"] is True and snapshot() == before


@pytest.mark.parametrize("start", ["10000000", "99999999999999999999999", "abc"])
def test_a_list_starting_at_an_absurd_number_is_read_in_digits(start: str) -> None:
    """A file's list may say it starts at any number (w:start); spelt out in Roman numerals
    10,000,000 is 200,000 letters, and 10^22 would never end. Past what a report uses the
    counter is read in digits, and a start that is no number counts from 1."""
    import zipfile

    from services.intake import read_report_file

    data = official_report()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        numbering = archive.read("word/numbering.xml").decode()
    wild = numbering.replace(
        '<w:lvl w:ilvl="0"><w:start w:val="1"/>', f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
    )
    assert wild != numbering
    lines = read_report_file("r.docx", with_part(data, "word/numbering.xml", wild.encode())).lines
    assert max(len(line.text) for line in lines) < 1000
    headings = [line.text for line in lines if line.text.endswith(SECTION_I)]
    assert headings == [f"{'I' if start == 'abc' else '999'}. {SECTION_I}"]


def test_a_word_file_sent_again_with_its_number_corrected_is_a_new_version(
    open_cycle: Cli, tmp_path: Path
) -> None:
    """The same body text, its masthead's number fixed: a new original to keep, not a
    repeat of the version standing (which would drop the corrected file)."""
    import zipfile

    first = tmp_path / "bao-cao.docx"
    first.write_bytes(official_report())
    assert send(open_cycle, first)["version"] == 1
    again = send(open_cycle, first, now="2024-07-08T11:00")
    assert (again["version"], again["repeated"]) == (1, True)  # the very same file: a repeat
    data = first.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml")
    assert b"45/BC-H" in xml
    fixed = tmp_path / "bao-cao-sua-so.docx"
    fixed.write_bytes(with_part(data, "word/document.xml", xml.replace(b"45/BC-H", b"46/BC-H")))
    corrected = send(open_cycle, fixed, now="2024-07-08T12:00")
    assert (corrected["version"], corrected["repeated"]) == (2, False)
    assert corrected["header"]["number"] == "46/BC-HĐND"
    assert corrected["source"]["name"] == "bao-cao-sua-so.docx"
