"""The ad-hoc request page (web.request_pages): a coordinator's form, the same service."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Web, csrf_of

FIELDS = {
    "subject": "Tình hình tuyên truyền phòng, chống cơn bão số 3",
    "letter_no": "123-CV/BTGTU",
    "within": "5",
    "bodies": "UBND, HDND",
    "outline": "## I. Công tác chỉ đạo\n## II. Kết quả tuyên truyền\n",
}


def _post(client: Any, **changes: str) -> Any:
    token = csrf_of(client.get("/requests/new").text)
    return client.post("/requests", data=FIELDS | changes | {"csrf_token": token})


def test_a_coordinator_opens_an_ad_hoc_request_on_the_page(
    web: Web, browser_login: Any, now: Any
) -> None:
    now("2024-08-01T09:00")
    client = browser_login("khoa")
    assert 'href="/requests/new"' in client.get("/cycles").text
    form = client.get("/requests/new")
    assert form.status_code == 200
    assert "Yêu cầu báo cáo đột xuất" in form.text and '<option value="UBND">' in form.text
    sent = _post(client)
    assert sent.status_code == 303
    shown = client.get(sent.headers["location"])
    assert "Đã mở yêu cầu báo cáo đột xuất." in shown.text
    assert "DX-BTGTU/2024-001" in shown.text and "08/08/2024" in shown.text
    cycle_id = int(sent.headers["location"].rsplit("/", 1)[1])
    info = web.api("GET", f"/api/cycles/{cycle_id}", "khoa").json()["cycle"]
    assert [s["title"] for s in info["outline"]] == ["Công tác chỉ đạo", "Kết quả tuyên truyền"]
    tasks = web.api("GET", f"/api/tasks?cycle={cycle_id}", "khoa").json()["items"]
    assert sorted(t["body"] for t in tasks) == ["HDND", "UBND"]
    # The body's task page shows the request and its own outline's headings.
    [task] = [t["task"] for t in tasks if t["body"] == "UBND"]
    agency = browser_login("ubnd").get(f"/tasks/{task}").text
    for words in ("đột xuất", "Công tác chỉ đạo", "Kết quả tuyên truyền"):
        assert words in agency


def test_a_refused_request_says_why_on_the_form(web: Web, browser_login: Any, now: Any) -> None:
    now("2024-08-01T09:00")
    client = browser_login("khoa")
    past = _post(client, within="", due="2024-07-30")
    assert (past.status_code, past.headers["location"]) == (303, "/requests/new")
    assert "Hạn báo cáo 30/07/2024 đã qua." in client.get("/requests/new").text
    unknown = _post(client, bodies="UBND,NOPE")
    assert unknown.headers["location"] == "/requests/new"
    assert "Không có cơ quan: NOPE." in client.get("/requests/new").text
    assert len(web.api("GET", "/api/cycles", "khoa").json()) == 1  # only QD238/2024-H1
    agency = browser_login("ubnd")
    assert agency.get("/requests/new").status_code == 403
    assert 'href="/requests/new"' not in agency.get("/cycles").text
