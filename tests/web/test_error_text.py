"""Errors in the user's language: pages (HTML) and API (JSON), Vietnamese by default,
English when chosen; dates dd/mm/yyyy; no pydantic words, no raw JSON, no raw codes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.web.conftest import Web, csrf_of, report_text

ROOT = Path(__file__).resolve().parents[2]
FROM_STARLETTE = {"Not Found", "Method Not Allowed"}


def _sources() -> str:
    """The code's text with adjacent string literals joined (``"a " "b"`` → ``a b``):
    the services, both faces, and argparse, whose usage errors the command line shows."""
    import argparse

    paths = [ROOT / "cli.py", Path(argparse.__file__)]
    for folder in ("rules", "services", "web", "commands", "deployments"):
        paths += (ROOT / folder).rglob("*.py")
    tables = ("error_text.py", "error_text_cli.py")  # the templates themselves
    text = "".join(p.read_text(encoding="utf-8") for p in paths if p.name not in tables)
    return re.sub(r"\"\s*\n\s*f?\"", "", text)


def test_every_template_still_matches_words_the_code_raises() -> None:
    """The table translates the services' words; if a service rewords, this fails."""
    from rules.error_text import VI

    source = _sources()
    stale = []
    for template in VI:
        if template in FROM_STARLETTE:
            continue
        for piece in re.split(r"\{\w+\}", template):
            if len(piece.strip()) >= 4 and piece not in source:
                stale.append((template, piece))
    assert stale == []


def test_localize_dates_statuses_and_unknown_messages() -> None:
    from rules.error_text import for_user, localize

    past = "the new due date 2025-01-10 is in the past"
    assert localize(past, "vi") == "Hạn mới 10/01/2025 đã qua; hãy chọn một ngày từ hôm nay."
    assert localize(past, "en") == "the new due date 10/01/2025 is in the past"
    refused = "only a task waiting for the body can be extended (this one is accepted)"
    assert localize(refused, "vi") == (
        "Chỉ gia hạn được nhiệm vụ đang chờ cơ quan gửi (nhiệm vụ này: đã tiếp nhận)."
    )
    for as_written in (False, True):  # a status in words on the pages and the command line
        assert localize(refused, "en", as_written=as_written) == (
            "only a task waiting for the body can be extended (this one is accepted)"
        )
    typed = "unknown program: 'QD9'"  # the pages drop a typed value's quotes, the CLI keeps them
    assert localize(typed, "en") == "unknown program: QD9"
    assert localize(typed, "en", as_written=True) == typed
    assert for_user("something new went wrong", "vi", "Yêu cầu không hợp lệ.") == (
        "Yêu cầu không hợp lệ.",
        "something new went wrong",
    )
    cell = "Biểu BM01, ô E8 (HN — Số hội nghị): phải là số"  # already Vietnamese
    assert localize(cell, "vi") == cell


def test_the_command_lines_messages_in_vietnamese() -> None:
    """Usage errors name their argument and translate their reason in turn; a mistyped
    date stays as typed, a path keeps its name, a list of choices loses its quotes."""
    from rules.error_text import localize

    assert localize("argument --due: not a valid date (YYYY-MM-DD): '2024-13-01'", "vi") == (
        "Tham số --due: 2024-13-01 không phải là ngày hợp lệ (ngày/tháng/năm)."
    )
    assert localize("argument --status: invalid choice: 'x' (choose from 'a', 'b')", "vi") == (
        "Tham số --status: Không có lựa chọn x (chọn một trong: a, b)."
    )
    assert localize("report file not found: /tmp/2024-07-01.md", "vi") == (
        "Không tìm thấy tệp báo cáo: /tmp/2024-07-01.md."
    )
    assert localize("program QD238: unknown body code(s): X, Y", "vi") == (
        "Chương trình QD238: không có cơ quan mã X, Y."
    )
    # one word for a code: a sentence with a colon is not taken for "program X: …"
    assert localize("program QD feeds X, whose outline requires I: give it", "vi") is None


def _return_with_past_date(client: Any, web: Web, lang: str = "") -> str:
    task = web.tasks["UBND"]
    page = client.get(f"/tasks/{task}{lang}")
    sent = client.post(
        f"/tasks/{task}/review",
        data={"csrf_token": csrf_of(page.text), "decision": "return", "comment": "Bổ sung",
              "new_due_date": "2024-07-01"},
    )  # fmt: skip
    assert sent.status_code == 400  # the task page again, the form kept (see test_faces)
    return sent.text


def test_a_service_error_on_a_page_is_in_the_users_language(web: Web, browser_login: Any) -> None:
    task = web.tasks["UBND"]
    web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": report_text()})
    client = browser_login("khoa")
    vi = _return_with_past_date(client, web)
    assert "Hạn mới 01/07/2024 đã qua" in vi
    error = vi.split('id="return-error"', 1)[1].split("</p>", 1)[0]
    assert "is in the past" not in vi and "2024-07-01" not in error
    assert 'value="2024-07-01"' in vi and 'value="Bổ sung"' in vi  # the form keeps them
    en = _return_with_past_date(client, web, "?lang=en")
    assert "the new due date 01/07/2024 is in the past" in en


def test_the_api_answers_in_vietnamese_unless_english_is_asked(web: Web) -> None:
    task = web.tasks["UBND"]
    web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": report_text()})
    body = {"decision": "return", "comment": "Bổ sung", "new_due_date": "2024-07-01"}
    path = f"/api/tasks/{task}/review"
    vi = web.api("POST", path, "khoa", json=body).json()
    assert vi == {
        "error": "Hạn mới 01/07/2024 đã qua; hãy chọn một ngày từ hôm nay.",
        "error_en": "the new due date 2024-07-01 is in the past",
    }
    en = web.api("POST", path + "?lang=en", "khoa", json=body).json()
    assert en == {"error": "the new due date 01/07/2024 is in the past"}
    accept = web.api("POST", path, "khoa", json=body, headers={"Accept-Language": "en-GB,en"})
    assert accept.json()["error"] == "the new due date 01/07/2024 is in the past"
    unauthenticated = web.api("GET", "/api/tasks").json()
    assert unauthenticated["error"] == "Cần mã truy cập (Authorization: Bearer <mã>)."


def test_the_422_page_has_no_pydantic_words(web: Web, browser_login: Any) -> None:
    client = browser_login("lanhdao")
    for path in ("/?opage=0", "/cycles/abc", "/?lang=en&opage=-1"):
        page = client.get(path)
        assert page.status_code == 422, path
        main = page.text.split("<main", 1)[1]
        for raw in ("Input should", "greater than", "invalid request", "query.", "int_parsing"):
            assert raw not in main, (path, raw)
    assert "không đúng dạng" in client.get("/?lang=vi&opage=0").text
    assert "not in the expected form" in client.get("/?lang=en&opage=0").text


def test_an_over_limit_upload_in_the_browser_is_an_html_page(web: Web, browser_login: Any) -> None:
    from web.limits import MAX_REQUEST_BYTES

    client = browser_login("ubnd")
    big = client.post(
        f"/tasks/{web.tasks['UBND']}/submit",
        content=b"x" * (MAX_REQUEST_BYTES + 1),
        headers={"Content-Type": "multipart/form-data; boundary=XX"},
    )
    assert big.status_code == 413
    assert big.headers["content-type"].startswith("text/html")
    assert "Tệp hoặc nội dung quá lớn." in big.text and "khoảng 30 MiB" in big.text
    assert '{"error"' not in big.text
    api = web.api("POST", f"/api/tasks/{web.tasks['UBND']}/submissions", "ubnd",
                  content=b"x" * (MAX_REQUEST_BYTES + 1))  # fmt: skip
    assert api.status_code == 413 and api.json()["error"].startswith("request body larger")


def test_no_raw_codes_on_the_pages(web: Web, browser_login: Any) -> None:
    client = browser_login("khoa")
    cycles = client.get("/cycles").text
    row = cycles.split("QD238/2024-H1", 1)[1].split("</tr>", 1)[0]
    assert "<td>Đang mở</td>" in row and ">open<" not in row
    cycle = client.get(f"/cycles/{web.cycle_id}").text
    assert "Trạng thái: *" not in cycle and ">OK<" not in cycle
    assert '<label for="status-filter">Trạng thái\n' in cycle  # a label, not "*"
