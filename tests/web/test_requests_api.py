"""``POST /api/requests``: an ad-hoc request opened through the API, then lived as a cycle."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Web

ASKED = {
    "coordinator": "BTGTU",
    "subject": "Tình hình tuyên truyền phòng, chống cơn bão số 3",
    "letter_no": "123-CV/BTGTU",
    "within_working_days": 5,
    "bodies": ["UBND", "HDND"],
}


def _cycles(web: Web) -> list[dict[str, Any]]:
    return web.api("GET", "/api/cycles", "khoa").json()


def test_a_coordinator_opens_an_ad_hoc_request_and_a_body_answers_it(web: Web, now) -> None:  # type: ignore[no-untyped-def]
    now("2024-08-01T09:00")
    opened = web.api("POST", "/api/requests", "khoa", json=ASKED)
    assert opened.status_code == 201, opened.text
    cycle = opened.json()["cycle"]
    assert (cycle["ref"], cycle["subject"], opened.json()["tasks"]) == (
        "DX-BTGTU/2024-001", ASKED["subject"], 2,
    )  # fmt: skip
    assert (cycle["provide_due"], cycle["review_due"], cycle["synthesis_due"]) == (
        "2024-08-08", "2024-08-13", "2024-08-15",
    )  # fmt: skip
    tasks = web.api("GET", f"/api/tasks?cycle={cycle['id']}", "ubnd").json()["items"]
    [mine] = [t for t in tasks if t["body"] == "UBND"]
    detail = web.api("GET", f"/api/tasks/{mine['task']}", "ubnd").json()["task"]
    assert [s["title"] for s in detail["outline"]] == ["Nội dung báo cáo"]  # the form's headings
    now("2024-08-05T10:00")
    sent = web.api(
        "POST", f"/api/tasks/{mine['task']}/submissions", "ubnd",
        json={"text": "# I. Nội dung báo cáo\nĐã huy động 300 cán bộ hỗ trợ Nhân dân.\n"},
    )  # fmt: skip
    assert sent.status_code == 201, sent.text
    assert sent.json()["on_time"] is True
    shown = web.api("GET", f"/api/cycles/{cycle['id']}", "khoa").json()
    assert shown["cycle"]["program_title"] == "Báo cáo đột xuất"
    assert shown["progress"]["done_on_time"] == 1
    [dx] = [p for p in web.api("GET", "/api/programs", "khoa").json() if p["code"] == "DX-BTGTU"]
    assert (dx["period"], dx["version"]) == ("adhoc", 1)


def test_bad_requests_are_refused_in_vietnamese_and_change_nothing(web: Web, now) -> None:  # type: ignore[no-untyped-def]
    now("2024-08-01T09:00")
    assert web.api("POST", "/api/requests", "khoa", json=ASKED).status_code == 201
    before = _cycles(web)
    again = web.api("POST", "/api/requests", "khoa", json=ASKED)
    assert again.status_code == 409
    assert again.json()["error"] == (
        "Công văn 123-CV/BTGTU đã mở yêu cầu báo cáo đột xuất DX-BTGTU/2024-001."
    )
    fresh = ASKED | {"letter_no": "124-CV/BTGTU"}
    past = web.api("POST", "/api/requests", "khoa", json=fresh | {
        "within_working_days": None, "due": "2024-07-30"})  # fmt: skip
    assert past.status_code == 400
    assert past.json()["error"] == "Hạn báo cáo 30/07/2024 đã qua."
    unknown = web.api("POST", "/api/requests", "khoa", json=fresh | {"bodies": ["UBND", "NOPE"]})
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "Không có cơ quan: NOPE."
    blank = web.api("POST", "/api/requests", "khoa", json=fresh | {"subject": "   "})
    assert blank.status_code == 400
    assert blank.json()["error"] == "Yêu cầu báo cáo đột xuất cần có nội dung (trích yếu)."
    both = web.api("POST", "/api/requests", "khoa", json=fresh | {"due": "2024-08-20"})
    assert both.status_code == 400
    assert both.json()["error"].startswith("Hãy cho hạn báo cáo bằng một ngày")
    # Only the coordinator itself asks in its name.
    assert web.api("POST", "/api/requests", "ubndc", json=fresh).status_code == 403
    assert web.api("POST", "/api/requests", "ubnd", json=fresh).status_code == 403
    assert _cycles(web) == before
