"""Hostile and malformed input: shown as text, refused with a 4xx, never a 500."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from services.provision import MAX_ATTACHMENT_BYTES, MAX_REPORT_BYTES
from tests.web.conftest import Web, report_text

SCRIPT = '<script>alert("xss")</script>'


def test_script_in_a_submission_is_shown_as_text(web: Web, browser_login: Any) -> None:
    task = web.tasks["UBND"]
    text = report_text(SCRIPT)
    assert web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": text}).is_success
    comment = f'Thiếu số liệu {SCRIPT} <img src=x onerror="alert(1)">'
    web.api(
        "POST",
        f"/api/tasks/{task}/review",
        "khoa",
        json={"decision": "return", "comment": comment, "new_due_date": "2024-07-19"},
    )
    for user, path in (("ubnd", f"/tasks/{task}"), ("khoa", f"/cycles/{web.cycle_id}")):
        html = browser_login(user).get(path).text
        assert SCRIPT not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in html
    page = browser_login("ubnd").get(f"/tasks/{task}")
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self'
    assert "<script" not in page.text  # the pages carry no script at all


def test_oversized_report_and_attachment_are_refused(web: Web) -> None:
    task = web.tasks["UBND"]
    big = report_text("x" * (MAX_REPORT_BYTES + 10))
    json_body = web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": big})
    assert json_body.status_code in (400, 413, 422)
    upload = web.api(
        "POST",
        f"/api/tasks/{task}/submissions/upload",
        "ubnd",
        files={"report": ("r.md", big.encode(), "text/markdown")},
    )
    assert upload.status_code == 413
    attachment = web.api(
        "POST",
        f"/api/tasks/{task}/submissions/upload",
        "ubnd",
        files={
            "report": ("r.md", report_text().encode(), "text/markdown"),
            "attachments": ("big.bin", b"\0" * (MAX_ATTACHMENT_BYTES + 1), "application/pdf"),
        },
    )
    assert attachment.status_code == 413
    encoded = base64.b64encode(b"\0" * (MAX_ATTACHMENT_BYTES + 3)).decode()
    as_json = web.api(
        "POST",
        f"/api/tasks/{task}/submissions",
        "ubnd",
        json={"text": report_text(), "attachments": [{"filename": "a", "content_base64": encoded}]},
    )
    assert as_json.status_code in (400, 413, 422)
    huge = web.api(
        "POST",
        f"/api/tasks/{task}/submissions",
        "ubnd",
        content=b"{" + b" " * (40 * 2**20) + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert huge.status_code == 413
    assert web.api("GET", f"/api/tasks/{task}/submissions", "ubnd").json() == []


def test_oversized_page_upload_is_refused(web: Web, browser_login: Any) -> None:
    from tests.web.conftest import csrf_of

    client = browser_login("ubnd")
    task = web.tasks["UBND"]
    token = csrf_of(client.get(f"/tasks/{task}").text)
    response = client.post(
        f"/tasks/{task}/submit",
        data={"csrf_token": token},
        files={"report_file": ("r.md", b"x" * (MAX_REPORT_BYTES + 1), "text/markdown")},
    )
    assert response.status_code == 413
    assert web.api("GET", f"/api/tasks/{task}/submissions", "ubnd").json() == []


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"null",
        b"[]",
        b'"text"',
        b'{"text": 12}',
        b'{"text": ["a"]}',
        b'{"text": "\\ud800 lone surrogate"}',
        b'{"text": "nul \\u0000 inside"}',
        b'{"text": "# I. a\\n# II. b", "attachments": "x"}',
        b'{"text": "# I. a\\n# II. b", "attachments": [{"filename": "a", '
        b'"content_base64": "%%%"}]}',
        b'{"text": "# I. a\\n# II. b", "unexpected": 1}',
        b"\xff\xfe\xfd",
    ],
)
def test_malformed_submissions_get_4xx(web: Web, body: bytes) -> None:
    response = web.api(
        "POST",
        f"/api/tasks/{web.tasks['UBND']}/submissions",
        "ubnd",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500, response.text
    assert "error" in response.json()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("review", {"decision": "maybe"}),
        ("review", {"decision": "return", "comment": "x", "new_due_date": "2024-02-30"}),
        ("review", {"decision": "return", "comment": "x", "new_due_date": "9999-12-31"}),
        ("review", {"decision": "return", "comment": "x", "new_due_date": 20240720}),
        ("review", {"decision": "return", "comment": "", "new_due_date": "2024-07-20"}),
        ("extensions", {"new_due_date": "2024-07-30"}),
        ("extensions", {"new_due_date": "2024-07-01", "reason": "quá khứ"}),
        ("extensions", {"new_due_date": "2024-07-30", "reason": "   "}),
        ("extensions", {"new_due_date": True, "reason": "x"}),
    ],
)
def test_bad_review_input_gets_4xx(web: Web, path: str, body: dict[str, Any]) -> None:
    task = web.tasks["UBND"]
    web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": report_text()})
    target = task if path == "review" else web.tasks["HDND"]
    response = web.api("POST", f"/api/tasks/{target}/{path}", "khoa", json=body)
    assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/tasks/0",
        "/api/tasks/-1",
        "/api/tasks/abc",
        "/api/tasks/99999999999999999999999",
        "/api/tasks?limit=0",
        "/api/tasks?limit=100000",
        "/api/tasks?offset=-5",
        "/api/tasks?status=lost",
        "/api/tasks?cycle=1e9",
        "/api/tasks?overdue=perhaps",
        "/api/tasks?body=" + "x" * 500,
        "/api/tasks/1/submissions/0",
        "/api/cycles/%00",
    ],
)
def test_odd_paths_and_queries_get_4xx(web: Web, path: str) -> None:
    response = web.api("GET", path, "khoa")
    assert 400 <= response.status_code < 500, response.text


def test_odd_page_input_gets_4xx(web: Web, browser_login: Any) -> None:
    from tests.web.conftest import csrf_of

    client = browser_login("khoa")
    for path in ("/tasks/0", "/cycles/abc", "/?opage=0", "/?bpage=x", "/tasks/999"):
        assert 400 <= client.get(path).status_code < 500, path
    token = csrf_of(client.get("/").text)
    response = client.post(
        f"/tasks/{web.tasks['TAND']}/extend",
        data={"csrf_token": token, "new_due_date": "2024-02-30", "reason": "x"},
    )
    assert response.status_code == 400  # the task page again, with the error by the form
    assert "không phải là ngày hợp lệ (ngày/tháng/năm)" in response.text
    assert 'name="reason" required maxlength="4000" value="x"' in response.text  # kept
    login = client.post("/login", data={"username": "x" * 100000, "password": "p"})
    assert 400 <= login.status_code < 500


def test_a_nul_in_an_uploaded_file_name_is_a_4xx_not_a_500(web: Web) -> None:
    task = web.tasks["UBND"]
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="report"; filename="r.md"\r\n'
        b"Content-Type: text/markdown\r\n\r\n" + report_text().encode() + b"\r\n"
        b'--XX\r\nContent-Disposition: form-data; name="attachments"; filename="a\x00b.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\nPDF\r\n--XX--\r\n"
    )
    response = web.api(
        "POST",
        f"/api/tasks/{task}/submissions/upload",
        "ubnd",
        content=body,
        headers={"Content-Type": "multipart/form-data; boundary=XX"},
    )
    assert response.status_code == 400
    assert response.json()["error_en"] == (
        "the text contains a control character (U+0000) at line 1, column 2; "
        "only tab and line breaks are allowed"
    )
    assert response.json()["error"] == (
        "Nội dung có ký tự điều khiển (U+0000) ở dòng 1, cột 2; chỉ được dùng ký tự tab và "
        "xuống dòng."
    )
    assert web.api("GET", f"/api/tasks/{task}/submissions", "ubnd").json() == []


def test_a_nul_in_a_form_field_is_refused_not_a_500(web: Web) -> None:
    from tests.web.conftest import csrf_of

    token = csrf_of(web.client.get("/login").text)
    response = web.client.post(
        "/login", data={"username": "ub\x00nd", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 400
    assert "ký tự điều khiển (U+0000)" in response.text and "control character" not in response.text


def test_the_api_refuses_a_nul_in_a_report_with_the_same_words(web: Web) -> None:
    task = web.tasks["UBND"]
    response = web.api(
        "POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": "# I. a\n\x00\n# II. b"}
    )
    assert response.status_code == 422
    assert (
        "the text contains a control character (U+0000) at line 2, column 1"
        in (response.json()["error_en"])
    )
    assert "ký tự điều khiển (U+0000) ở dòng 2, cột 1" in response.json()["error"]
    assert web.api("GET", f"/api/tasks/{task}/submissions", "ubnd").json() == []
