"""Reviewing where the report is read: accept behind a confirmation that names body and
version, the queue moving on to the next waiting report, dates the calendar moved said
so, and the cycle's tasks filtered (in the URL, in the exports, in the API).

QD238/2024-H1's seven bodies are all due 12/07/2024, so the cycle table (and the
review queue) goes by body code: HDND, SO-TP, SO-TTTT, SO-VHTTDL, TAND, UBND, VKSND.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.web.conftest import Web, csrf_of, report_text

SEND = "/api/tasks/{}/submissions"


@pytest.fixture
def three_sent(web: Web) -> Web:
    """UBND, HDND and TAND have each sent version 1 (HDND and UBND have accounts; TAND
    sends through the service)."""
    from services import clock
    from services.provision import submit

    for body, user in (("UBND", "ubnd"), ("HDND", "hdnd")):
        sent = web.api("POST", SEND.format(web.tasks[body]), user, json={"text": report_text()})
        assert sent.is_success, sent.text
    submit(report_text(), task_id=web.tasks["TAND"], now=clock.now(), actor="t")
    return web


def _row(html: str, task: int) -> str:
    return html.split(f'data-task="{task}"', 1)[1].split("</tr>", 1)[0]


def _status(web: Web, body: str) -> str:
    return web.api("GET", f"/api/tasks/{web.tasks[body]}", "khoa").json()["task"]["status"]


def _flash(html: str) -> str:
    return html.split('class="flash ok"', 1)[1].split("</p>", 1)[0]


# -- 1. accepting where the report is read, once confirmed ---------------------------------


def test_the_cycle_table_links_to_the_report_instead_of_accepting(
    three_sent: Web, browser_login: Any
) -> None:
    web = three_sent
    table = browser_login("khoa").get(f"/cycles/{web.cycle_id}").text
    row = _row(table, web.tasks["UBND"])
    assert 'value="accept"' not in row and "/review" not in row  # no decision in the table
    assert f'href="/tasks/{web.tasks["UBND"]}#review"' in row
    assert 'Xem xét<span class="vh"> báo cáo của Ủy ban nhân dân tỉnh</span></a>' in row
    assert 'action="/tasks/' in _row(table, web.tasks["VKSND"])  # extending stays in the table


def test_accept_asks_for_a_confirmation_naming_body_and_version(
    three_sent: Web, browser_login: Any
) -> None:
    web, task = three_sent, three_sent.tasks["UBND"]
    client = browser_login("khoa")
    page = client.get(f"/tasks/{task}").text
    review = page.split('id="review"', 1)[1].split("</section>", 1)[0]
    assert f'<form method="get" action="/tasks/{task}/accept"' in review
    assert 'name="version" value="1"' in review and "Tiếp nhận…" in review

    confirm = client.get(f"/tasks/{task}/accept?version=1")
    assert confirm.status_code == 200
    assert 'id="accept-body">Ủy ban nhân dân tỉnh (UBND)</dd>' in confirm.text
    assert 'id="accept-version">1</dd>' in confirm.text
    assert "Tiếp nhận phiên bản 1 của Ủy ban nhân dân tỉnh</button>" in confirm.text
    assert "I. Đánh giá tình hình" in confirm.text  # its sections
    assert _status(web, "UBND") == "submitted"  # looking changes nothing

    token = csrf_of(confirm.text)
    unconfirmed = client.post(f"/tasks/{task}/review", data={"csrf_token": token,
                              "decision": "accept", "version": "1"})  # fmt: skip
    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["location"] == f"/tasks/{task}/accept?version=1"
    assert _status(web, "UBND") == "submitted"

    # The body sends again while the coordinator reads version 1: nothing is accepted.
    again = web.api("POST", SEND.format(task), "ubnd", json={"text": report_text("Bổ sung")})
    assert again.is_success
    stale = client.post(f"/tasks/{task}/review", data={"csrf_token": token, "decision": "accept",
                        "confirm": "yes", "version": "1"})  # fmt: skip
    assert stale.headers["location"] == f"/tasks/{task}"
    shown = client.get(f"/tasks/{task}").text
    assert "Cơ quan đã gửi phiên bản 2 sau phiên bản 1 mà bạn đã đọc" in shown
    assert _status(web, "UBND") == "submitted"
    assert client.get(f"/tasks/{task}/accept?version=1").headers["location"] == f"/tasks/{task}"

    done = client.post(f"/tasks/{task}/review", data={"csrf_token": token, "decision": "accept",
                       "confirm": "yes", "version": "2"})  # fmt: skip
    assert done.status_code == 303 and _status(web, "UBND") == "accepted"
    english = browser_login("khoa").get(f"/tasks/{web.tasks['HDND']}/accept?lang=en").text
    assert "Accept version 1 of Thường trực Hội đồng nhân dân tỉnh</button>" in english


def test_the_api_accepts_in_one_call_and_refuses_a_version_not_read(three_sent: Web) -> None:
    web, path = three_sent, f"/api/tasks/{three_sent.tasks['HDND']}/review"
    stale = web.api("POST", path, "khoa", json={"decision": "accept", "version": 2})
    assert stale.status_code == 409
    assert stale.json()["error"].startswith("Cơ quan đã gửi phiên bản 1 sau phiên bản 2")
    assert _status(web, "HDND") == "submitted"
    done = web.api("POST", path, "khoa", json={"decision": "accept", "version": 1})
    assert done.status_code == 200 and done.json()["decision"] == "accepted"
    plain = web.api("POST", f"/api/tasks/{web.tasks['TAND']}/review", "khoa",
                    json={"decision": "accept"})  # fmt: skip
    assert plain.status_code == 200  # without a version: the latest, as before


def test_others_still_cannot_reach_the_confirmation(three_sent: Web, browser_login: Any) -> None:
    task = three_sent.tasks["UBND"]
    assert browser_login("ubnd").get(f"/tasks/{task}/accept").status_code == 403
    assert browser_login("ubndc").get(f"/tasks/{task}/accept").status_code == 403
    pending = three_sent.tasks["VKSND"]  # nothing sent: nothing to accept
    shown = browser_login("khoa").get(f"/tasks/{pending}/accept")
    assert shown.status_code == 303 and shown.headers["location"] == f"/tasks/{pending}"


# -- 2. the queue moves on -------------------------------------------------------------------


def test_after_a_decision_the_next_waiting_report_opens(
    three_sent: Web, browser_login: Any
) -> None:
    web = three_sent
    ubnd, hdnd, tand = web.tasks["UBND"], web.tasks["HDND"], web.tasks["TAND"]
    client = browser_login("khoa")
    page = client.get(f"/tasks/{ubnd}").text
    nav = page.split('class="queue"', 1)[1].split("</nav>", 1)[0]
    assert f'id="next-waiting" href="/tasks/{hdnd}">Thường trực Hội đồng nhân dân tỉnh</a>' in nav
    assert "còn 2 báo cáo khác chờ xem xét" in nav  # HDND, TAND
    assert f'href="/cycles/{web.cycle_id}"' in page  # and back to its cycle
    token = csrf_of(page)

    accepted = client.post(f"/tasks/{ubnd}/review", data={"csrf_token": token,
                           "decision": "accept", "confirm": "yes", "version": "1"})  # fmt: skip
    assert accepted.headers["location"] == f"/tasks/{hdnd}"  # wrapped round to the first
    flash = _flash(client.get(f"/tasks/{hdnd}").text)
    assert "Đã tiếp nhận báo cáo của Ủy ban nhân dân tỉnh (phiên bản 1)." in flash
    assert "Tiếp theo: báo cáo của Thường trực Hội đồng nhân dân tỉnh đang chờ xem xét" in flash

    returned = client.post(f"/tasks/{hdnd}/review", data={"csrf_token": token,
                           "decision": "return", "version": "1", "comment": "Bổ sung số liệu",
                           "new_due_date": "2024-07-22"})  # fmt: skip
    assert returned.headers["location"] == f"/tasks/{tand}"  # after HDND in the table: TAND
    flash = _flash(client.get(f"/tasks/{tand}").text)
    assert "Đã trả lại báo cáo của Thường trực Hội đồng nhân dân tỉnh; hạn mới 22/07/2024." in flash
    assert "Tòa án nhân dân tỉnh đang chờ xem xét (còn 1 báo cáo)" in flash
    assert "Không có báo cáo nào khác chờ xem xét." in client.get(f"/tasks/{tand}").text

    last = client.post(f"/tasks/{tand}/review", data={"csrf_token": token, "decision": "accept",
                       "confirm": "yes", "version": "1"})  # fmt: skip
    assert last.headers["location"] == f"/cycles/{web.cycle_id}"
    cycle = client.get(f"/cycles/{web.cycle_id}").text
    assert "Không còn báo cáo nào chờ xem xét trong kỳ này." in _flash(cycle)


# -- 3. a date the calendar moved says so ------------------------------------------------------


def test_a_return_due_on_a_sunday_says_it_moved_and_why(
    three_sent: Web, browser_login: Any
) -> None:
    web, task = three_sent, three_sent.tasks["UBND"]
    client = browser_login("khoa")
    token = csrf_of(client.get(f"/tasks/{task}").text)
    returned = client.post(f"/tasks/{task}/review", data={"csrf_token": token,
                           "decision": "return", "comment": "Bổ sung số liệu",
                           "new_due_date": "2024-07-21"})  # fmt: skip
    flash = _flash(client.get(returned.headers["location"]).text)
    assert "hạn mới 22/07/2024" in flash
    assert (
        "Ngày đã nhập 21/07/2024 là ngày nghỉ (Chủ nhật), nên hạn được chuyển sang ngày làm "
        "việc tiếp theo: 22/07/2024."
    ) in flash
    # an extension typed on National Day, in English
    ext = client.post(f"/tasks/{web.tasks['VKSND']}/extend?lang=en", data={"csrf_token": token,
                      "new_due_date": "2024-09-02", "reason": "Chờ số liệu",
                      "back": f"/cycles/{web.cycle_id}"})  # fmt: skip
    flash = _flash(client.get(ext.headers["location"]).text)
    assert "The date typed, 02/09/2024, is a day off (Quốc khánh; days off through " in flash
    assert "03/09/2024), so the deadline moved to the next working day, 04/09/2024." in flash
    plain = client.post(f"/tasks/{web.tasks['SO-TP']}/extend", data={"csrf_token": token,
                        "new_due_date": "2024-07-30", "reason": "Chờ số liệu"})  # fmt: skip
    assert "ngày nghỉ" not in _flash(client.get(plain.headers["location"]).text)


def test_the_api_says_how_a_date_moved(three_sent: Web) -> None:
    web = three_sent
    returned = web.api("POST", f"/api/tasks/{web.tasks['UBND']}/review", "khoa",
                       json={"decision": "return", "comment": "Bổ sung",
                             "new_due_date": "2024-07-20"})  # fmt: skip
    assert returned.status_code == 200, returned.text
    moved = returned.json()["due_moved"]
    assert (moved["typed"], moved["moved_to"]) == ("2024-07-20", "2024-07-22")
    assert moved["reasons"] == ["thứ Bảy"] and moved["reasons_en"] == ["Saturday"]
    assert [d["reason"] for d in moved["days_off"]] == ["thứ Bảy", "Chủ nhật"]
    extended = web.api("POST", f"/api/tasks/{web.tasks['VKSND']}/extensions", "khoa",
                       json={"new_due_date": "2024-07-30", "reason": "Chờ"})  # fmt: skip
    assert extended.json()["due_moved"] is None


def test_opening_a_cycle_due_on_a_day_off_says_it_moved(web: Web, browser_login: Any) -> None:
    client = browser_login("khoa")
    page = client.get("/cycles")
    assert 'name="due"' in page.text
    opened = client.post("/cycles", data={"csrf_token": csrf_of(page.text), "program": "QD238",
                         "period": "2024-H2", "letter_date": "2024-07-08",
                         "due": "2024-07-28"})  # fmt: skip
    assert opened.status_code == 303, opened.text
    flash = _flash(client.get(opened.headers["location"]).text)
    assert "Ngày đã nhập 28/07/2024 là ngày nghỉ (Chủ nhật)" in flash and "29/07/2024." in flash
    api = web.api("POST", "/api/cycles", "khoa", json={"program": "QD238", "period": "2025-H1",
                  "letter_date": "2024-07-08", "due": "2024-07-27"})  # fmt: skip
    assert api.status_code == 201, api.text
    assert api.json()["due_moved"]["moved_to"] == "2024-07-29"
    assert api.json()["cycle"]["provide_due"] == "2024-07-29"


# -- 4. filters and search over the cycle's tasks ------------------------------------------------


def _bodies_listed(html: str) -> list[str]:
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [r.split('"', 1)[0] for r in rows.split('data-body="')[1:]]


def test_the_cycle_page_filters_by_status_body_overdue_and_text(
    three_sent: Web, browser_login: Any, now: Any
) -> None:
    web, client = three_sent, browser_login("khoa")
    c = web.cycle_id
    everything = _bodies_listed(client.get(f"/cycles/{c}").text)
    assert everything == ["HDND", "SO-TP", "SO-TTTT", "SO-VHTTDL", "TAND", "UBND", "VKSND"]
    sent = client.get(f"/cycles/{c}?status=submitted").text
    assert _bodies_listed(sent) == ["HDND", "TAND", "UBND"]
    assert '<option value="submitted" selected>' in sent  # the filter stays shown
    assert 'id="filter-count">3 trên 7 nhiệm vụ của kỳ khớp bộ lọc.' in sent
    # text: body name or code, diacritics and case aside
    assert _bodies_listed(client.get(f"/cycles/{c}?q=toa+an").text) == ["TAND"]
    assert _bodies_listed(client.get(f"/cycles/{c}?q=UY%20BAN").text) == ["UBND"]
    assert _bodies_listed(client.get(f"/cycles/{c}?q=s%E1%BB%9F").text) == [
        "SO-TP", "SO-TTTT", "SO-VHTTDL"]  # fmt: skip
    assert _bodies_listed(client.get(f"/cycles/{c}?q=so-t").text) == ["SO-TP", "SO-TTTT"]
    assert _bodies_listed(client.get(f"/cycles/{c}?q=nh%C3%A2n+d%C3%A2n&status=submitted").text
                          ) == ["HDND", "TAND", "UBND"]  # fmt: skip
    assert "Không có nhiệm vụ nào khớp bộ lọc." in client.get(f"/cycles/{c}?q=%25").text
    body = client.get(f"/cycles/{c}?body=VKSND").text
    assert _bodies_listed(body) == ["VKSND"] and '<option value="VKSND" selected>' in body
    now("2024-07-17T09:00")  # past the due date: the four that never sent are overdue
    client = browser_login("khoa")  # (a session lasts 8 hours of phoihop's clock)
    late = client.get(f"/cycles/{c}?overdue=1").text
    assert _bodies_listed(late) == ["SO-TP", "SO-TTTT", "SO-VHTTDL", "VKSND"]
    assert 'id="overdue-filter" value="1" checked' in late
    assert _bodies_listed(client.get(f"/cycles/{c}?overdue=1&q=vien").text) == ["VKSND"]
    # the exports carry the same filter
    assert 'href="/cycles/1/tasks.csv?overdue=1&amp;q=vien"' in client.get(
        f"/cycles/{c}?overdue=1&q=vien").text  # fmt: skip
    exported = client.get(f"/cycles/{c}/tasks.csv?overdue=1&q=vien")
    assert exported.status_code == 200
    lines = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [r[2] for r in lines[1:]] == ["VKSND"]
    workbook = client.get(f"/cycles/{c}/tasks.xlsx?status=submitted")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "HDND", "TAND", "UBND"]  # fmt: skip


def test_filters_keep_to_what_the_user_may_see(three_sent: Web, browser_login: Any) -> None:
    web = three_sent
    agency = browser_login("ubnd")
    page = agency.get(f"/cycles/{web.cycle_id}?q=nhan+dan").text
    assert _bodies_listed(page) == ["UBND"] and 'id="body-filter"' not in page
    exported = agency.get(f"/cycles/{web.cycle_id}/tasks.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))[1:]
    assert [r[2] for r in rows] == ["UBND"]
    assert browser_login("lanhdao").get(f"/cycles/{web.cycle_id}/tasks.csv").status_code == 200
    api = web.api("GET", f"/api/tasks?cycle={web.cycle_id}&q=HOI+DONG", "khoa").json()
    assert [r["body"] for r in api["items"]] == ["HDND"]
    assert web.api("GET", "/api/tasks?q=hoi+dong", "ubnd").json()["items"] == []


def test_a_return_on_a_version_not_read_keeps_the_comment(
    three_sent: Web, browser_login: Any
) -> None:
    web, task = three_sent, three_sent.tasks["UBND"]
    client = browser_login("khoa")
    token = csrf_of(client.get(f"/tasks/{task}").text)
    assert web.api("POST", SEND.format(task), "ubnd", json={"text": report_text("v2")}).is_success
    refused = client.post(f"/tasks/{task}/review", data={"csrf_token": token,
                          "decision": "return", "version": "1", "comment": "Thiếu số liệu quý II",
                          "new_due_date": "2024-07-22"})  # fmt: skip
    assert refused.status_code == 400
    form = refused.text.split('name="decision" value="return"', 1)[1].split("</form>", 1)[0]
    assert "Cơ quan đã gửi phiên bản 2 sau phiên bản 1" in form
    assert 'value="Thiếu số liệu quý II"' in form and 'name="version" value="2"' in form
    assert _status(web, "UBND") == "submitted"
