"""The web face of reports as officials write them and of data forms: pages and API."""

from __future__ import annotations

import io
from typing import Any

import pytest

from demo.forms import DEMO_VALUES, fill
from tests.docx_samples import official_report, with_part
from tests.test_bad_input import snapshot as every_row
from tests.web.conftest import Web, csrf_of, report_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def snapshot() -> dict[str, Any]:
    """Every row but the sessions' and tokens' last use (a request touches those)."""
    return {k: v for k, v in every_row().items() if k not in ("apitoken", "websession")}


def template_for(web: Web, body: str) -> bytes:
    response = web.api("GET", f"/api/tasks/{web.tasks[body]}/forms/BM01/template", body.lower())
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(XLSX)
    return response.content


def test_an_agency_uploads_word_and_the_reviewer_reads_its_sections(
    web: Web, browser_login: Any
) -> None:
    client = browser_login("ubnd")
    task = web.tasks["UBND"]
    page = client.get(f"/tasks/{task}")
    assert 'accept=".docx' in page.text and "/forms/BM01/template.xlsx" in page.text
    data = official_report()
    sent = client.post(
        f"/tasks/{task}/submit",
        data={"csrf_token": csrf_of(page.text), "text": ""},
        files={"report_file": ("báo cáo UBND.docx", data, DOCX)},
    )
    assert sent.status_code == 303
    assert "Đã gửi báo cáo." in client.get(sent.headers["location"]).text
    coordinator = browser_login("khoa")
    shown = coordinator.get(f"/tasks/{task}").text
    # formatted: the sub-heading bold, the data table a table, the body's own wording noted
    assert '<p class="sub-heading depth-2"><b>1. Kết quả phối hợp tuyên truyền</b></p>' in shown
    assert "<th>Nội dung</th><th>6 tháng 2023</th>" in shown
    as_written = "tiêu đề trong báo cáo: II. Những nhiệm vụ trọng tâm trong 6 tháng cuối năm 2024"
    assert as_written in shown
    assert "Số 45/BC-HĐND" in shown and "310-CV/BTGTU" in shown
    original = coordinator.get(f"/tasks/{task}/versions/1/source")
    assert original.status_code == 200 and original.content == data
    assert "attachment;" in original.headers["content-disposition"]
    api = web.api("GET", f"/api/tasks/{task}/submissions/1/source", "khoa")
    assert api.content == data


def test_the_form_sent_headings_only_is_refused_as_empty(web: Web, browser_login: Any) -> None:
    client = browser_login("ubnd")
    task = web.tasks["UBND"]
    page = client.get(f"/tasks/{task}")
    skeleton = page.text.split('<textarea name="text" rows="16">', 1)[1].split("</textarea>")[0]
    before = snapshot()
    sent = client.post(f"/tasks/{task}/submit", data={"csrf_token": csrf_of(page.text),
                                                       "text": skeleton})  # fmt: skip
    assert sent.status_code == 400 and "các mục mới chỉ có tiêu đề" in sent.text
    api = web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": skeleton})
    assert api.status_code == 400 and "only their headings" in api.json()["error_en"]
    assert snapshot() == before


def _encrypted() -> bytes:
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    )


@pytest.mark.parametrize(
    "name, data, status, message",
    [
        ("hong.docx", official_report()[:2000], 400, "not a readable"),
        ("mk.docx", _encrypted(), 400, "password-protected"),
        ("macro.docm", official_report(), 400, "macro-enabled"),
        ("vba.docx", with_part(official_report(), "word/vbaProject.bin", b"\0"), 400, "macro"),
        ("lon.docx", b"PK\x03\x04" + b"\0" * (10 * 2**20 + 10), 413, "larger"),
    ],
    ids=["corrupt", "password", "docm", "vba", "oversized"],
)
def test_a_bad_word_file_is_a_4xx_and_changes_nothing(
    web: Web, name: str, data: bytes, status: int, message: str
) -> None:
    task = web.tasks["UBND"]
    before = snapshot()
    response = web.api(
        "POST", f"/api/tasks/{task}/submissions/upload", "ubnd",
        files={"report": (name, data, DOCX)},
    )  # fmt: skip
    assert response.status_code == status, response.text
    assert message in response.json().get("error_en", response.json()["error"])
    assert snapshot() == before


def test_an_agency_sends_its_form_and_the_reviewer_sees_the_values(
    web: Web, browser_login: Any
) -> None:
    task = web.tasks["UBND"]
    workbook = fill(template_for(web, "UBND"), {"BM01": DEMO_VALUES["UBND"]})
    response = web.api(
        "POST", f"/api/tasks/{task}/submissions/upload", "ubnd",
        files=[("report", ("r.md", report_text().encode(), "text/markdown")),
               ("forms", ("BM01-UBND.xlsx", workbook, XLSX))],
    )  # fmt: skip
    assert response.status_code == 201, response.text
    values = web.api("GET", f"/api/tasks/{task}/submissions/1/forms", "khoa").json()
    assert values[0]["values"]["KN_GQ"] == 260
    shown = browser_login("khoa").get(f"/tasks/{task}").text
    assert 'data-form="BM01"' in shown and ">310<" in shown and "BM01-UBND.xlsx" in shown
    kept = browser_login("khoa").get(f"/tasks/{task}/versions/1/forms/BM01.xlsx")
    assert kept.content == workbook


def test_a_wrong_cell_on_the_web_is_a_400_in_vietnamese(web: Web) -> None:
    task = web.tasks["UBND"]
    workbook = fill(template_for(web, "UBND"), {"BM01": dict(DEMO_VALUES["UBND"], HN="abc")})
    before = snapshot()
    response = web.api(
        "POST", f"/api/tasks/{task}/submissions/upload", "ubnd",
        files=[("report", ("r.md", report_text().encode(), "text/markdown")),
               ("forms", ("f.xlsx", workbook, XLSX))],
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"].startswith("Biểu BM01, ô E8 (HN — Số hội nghị")
    assert snapshot() == before


def test_figures_typed_on_the_page(web: Web, browser_login: Any) -> None:
    client = browser_login("ubnd")
    task = web.tasks["UBND"]
    page = client.get(f"/tasks/{task}")
    fields = {f"form:BM01:{k}": str(v) for k, v in DEMO_VALUES["HDND"].items()}
    sent = client.post(
        f"/tasks/{task}/submit",
        data={"csrf_token": csrf_of(page.text), "text": report_text()} | fields,
    )
    assert sent.status_code == 303
    values = web.api("GET", f"/api/tasks/{task}/submissions/1/forms", "ubnd").json()
    assert values[0]["values"]["TL_GQ"] == 85.0  # computed from its parts
    again = client.get(f"/tasks/{task}").text
    assert 'name="form:BM01:HN"' in again and 'value="12"' in again
    bad = client.post(
        f"/tasks/{task}/submit",
        data={"csrf_token": csrf_of(page.text), "text": report_text("x")}
        | fields | {"form:BM01:KN": "-3"},
    )  # fmt: skip
    assert bad.status_code == 400 and "ô KN (KN — Số kiến nghị" in bad.text
    assert 'name="form:BM01:KN"' in bad.text and 'value="-3"' in bad.text  # typed, kept


def test_versions_are_compared_on_a_page_and_in_the_api(web: Web, browser_login: Any) -> None:
    task = web.tasks["UBND"]
    first = web.api("POST", f"/api/tasks/{task}/submissions", "ubnd",
                    json={"text": report_text("Lần một.")})  # fmt: skip
    assert first.status_code == 201
    returned = {"decision": "return", "comment": "Bổ sung", "new_due_date": "2024-07-19"}
    web.api("POST", f"/api/tasks/{task}/review", "khoa", json=returned)
    second = web.api(
        "POST", f"/api/tasks/{task}/submissions/upload", "ubnd",
        files={"report": ("v2.docx", official_report(), DOCX)},
    )  # fmt: skip
    assert second.status_code == 201, second.text
    diff = web.api("GET", f"/api/tasks/{task}/submissions/2/diff", "khoa").json()
    assert diff["changed"] == ["", "I", "II"]  # the Word file has an opening too
    page = browser_login("khoa").get(f"/tasks/{task}/versions/2/diff")
    assert page.status_code == 200
    assert "<del>Năm 2024, Ủy ban nhân dân tỉnh đã phối hợp chặt chẽ. Lần một.</del>" in page.text
    assert "<ins>1. Kết quả phối hợp tuyên truyền</ins>" in page.text
    assert (
        f'href="/tasks/{task}/versions/2/diff"' in browser_login("ubnd").get(f"/tasks/{task}").text
    )
    first_diff = web.api("GET", f"/api/tasks/{task}/submissions/1/diff", "khoa")
    assert first_diff.status_code == 400


def test_another_bodys_original_is_not_served(web: Web, browser_login: Any) -> None:
    task = web.tasks["UBND"]
    web.api("POST", f"/api/tasks/{task}/submissions/upload", "ubnd",
            files={"report": ("v.docx", official_report(), DOCX)})  # fmt: skip
    assert web.api("GET", f"/api/tasks/{task}/submissions/1/source", "hdnd").status_code == 403
    assert web.api("GET", f"/api/tasks/{task}/forms/BM01/template", "hdnd").status_code == 403


def test_dashboard_downloads_and_cycle_totals(web: Web, browser_login: Any) -> None:
    import openpyxl

    client = browser_login("khoa")
    page = client.get("/")
    assert 'href="/dashboard.xlsx"' in page.text and 'href="/dashboard.csv"' in page.text
    book = openpyxl.load_workbook(io.BytesIO(client.get("/dashboard.xlsx").content))
    assert book.sheetnames == ["Quá hạn", "Tiến độ các kỳ", "Tuân thủ"]
    csv = client.get("/dashboard.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.content.decode("utf-8").startswith("\ufeffNhiệm vụ quá hạn")
    task = web.tasks["UBND"]
    workbook = fill(template_for(web, "UBND"), {"BM01": DEMO_VALUES["UBND"]})
    web.api("POST", f"/api/tasks/{task}/submissions/upload", "ubnd",
            files=[("report", ("r.md", report_text().encode(), "text/markdown")),
                   ("forms", ("f.xlsx", workbook, XLSX))])  # fmt: skip
    web.api("POST", f"/api/tasks/{task}/review", "khoa", json={"decision": "accept"})
    totals = web.api("GET", f"/api/cycles/{web.cycle_id}/totals", "khoa").json()
    cells = {c["key"]: c for c in totals["forms"][0]["cells"]}
    assert cells["HN"]["total"] == 25 and "HDND" in cells["HN"]["missing"]
    xlsx = web.api("GET", f"/api/cycles/{web.cycle_id}/totals?format=xlsx", "khoa")
    assert "Tổng hợp" in openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames
    assert web.api("GET", f"/api/cycles/{web.cycle_id}/totals", "ubnd").status_code == 403
    assert client.get(f"/cycles/{web.cycle_id}/totals.xlsx").status_code == 200
