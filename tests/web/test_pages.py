"""The pages as a browser without JavaScript uses them: forms, redirects, cookies."""

from __future__ import annotations

import os
import stat
from typing import Any

import pytest

from tests.web.conftest import AFTER_DUE, PASSWORD, Web, csrf_of, login, report_text


def test_pages_redirect_to_login_and_back(web: Web) -> None:
    response = web.client.get(f"/cycles/{web.cycle_id}")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fcycles%2F1"
    form = web.client.get("/login?next=/cycles/1")
    assert 'value="/cycles/1"' in form.text
    evil = web.client.get("/login?next=//evil.example/")
    assert 'name="next" value="/"' in evil.text


def test_login_sets_a_safe_cookie_and_logout_clears_it(web: Web) -> None:
    response = login(web.client, "ubnd")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "phoihop_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Max-Age=28800" in cookie
    home = web.client.get("/")
    assert home.status_code == 200 and "Đoàn Thị Ngọc Ánh" in home.text
    out = web.client.post("/logout", data={"csrf_token": csrf_of(home.text)})
    assert out.status_code == 303
    assert web.client.get("/").status_code == 303


def test_wrong_password_is_refused_and_audited(web: Web) -> None:
    from sqlmodel import select

    from models import AuditRecord
    from services import db

    response = login(web.client, "ubnd", "sai-mat-khau")
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.text
    assert login(web.client, "nobody", PASSWORD).status_code == 401
    with db.reading() as session:
        actions = session.exec(select(AuditRecord.action)).all()
    assert actions.count("user.login_failed") == 2


def test_login_form_needs_its_csrf_token(web: Web) -> None:
    web.client.get("/login")
    response = web.client.post("/login", data={"username": "ubnd", "password": PASSWORD})
    assert response.status_code == 403


def test_sessions_expire_and_end_with_the_account(web: Web, browser_login: Any, now: Any) -> None:
    from services import accounts, clock
    from web import auth

    client = browser_login("ubnd")
    assert client.get("/").status_code == 200
    accounts.reset_password("ubnd", password="mat-khau-moi-456", now=clock.now(), actor="t")
    assert client.get("/").status_code == 303  # the old password's session is over
    client = browser_login("hdnd")
    accounts.disable_user("hdnd", now=clock.now(), actor="t")
    assert client.get("/").status_code == 303
    client = browser_login("khoa")
    cookie = client.cookies.get(auth.SESSION_COOKIE)
    assert auth.SESSION_MAX_AGE == 8 * 3600  # logged in at BEFORE_DUE, 10/07/2024 09:00
    now("2024-07-10T16:59")  # the simulated clock ages the session: still valid
    assert client.get("/").status_code == 200
    now("2024-07-10T17:00:01")
    assert client.cookies.get(auth.SESSION_COOKIE) == cookie  # the server, not the jar, refuses
    assert client.get("/").status_code == 303


def test_tampered_session_cookie_is_ignored(web: Web) -> None:
    login(web.client, "ubnd")
    value = web.client.cookies.get("phoihop_session")
    web.client.cookies.set("phoihop_session", value[:-3] + "abc")
    assert web.client.get("/").status_code == 303


def test_secret_key_file_is_private(web: Web, data_dir: Any) -> None:
    path = data_dir / "secret.key"
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_vietnamese_by_default_english_on_request(web: Web, browser_login: Any) -> None:
    client = browser_login("khoa")
    vi = client.get(f"/cycles/{web.cycle_id}")
    assert "Kỳ báo cáo" in vi.text and "12/07/2024" in vi.text and "03/07/2024" in vi.text
    assert 'lang="vi"' in vi.text
    en = client.get(f"/cycles/{web.cycle_id}?lang=en")
    assert 'lang="en"' in en.text and "Due date" in en.text
    assert "12/07/2024" in en.text
    again = client.get("/")  # remembered by the cookie
    assert 'lang="en"' in again.text and "Dashboard" in again.text
    assert 'lang="vi"' in client.get("/?lang=vi").text


def test_dashboard_counts_overdue_and_buckets(web: Web, browser_login: Any, now: Any) -> None:
    web.api(
        "POST", f"/api/tasks/{web.tasks['UBND']}/submissions", "ubnd", json={"text": report_text()}
    )
    now(AFTER_DUE)
    html = browser_login("lanhdao").get("/").text
    # updated in place by a same-origin script (pausable), not a full-page meta refresh
    assert 'http-equiv="refresh"' not in html and '<script src="/static/refresh.js"' in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    assert 'data-total="6"' in html  # six bodies have sent nothing
    assert "Viện Kiểm sát nhân dân tỉnh" in html and "17/07/2024" in html
    row = html.split('data-cycle="1"', 1)[1].split("</tr>", 1)[0]
    for cls, value in (("done_on_time", 1), ("done_late", 0), ("pending", 0), ("overdue", 6)):
        assert f'class="num {cls}">{value}<' in row
    assert "<svg" in row and 'class="done_on_time"' in row
    compliance = html.split('data-body="UBND"', 1)[1].split("</tr>", 1)[0]
    assert "100%" in compliance
    agency = browser_login("hdnd").get("/").text
    assert 'data-total="1"' in agency  # an agency's dashboard counts its own task only


def test_dashboard_pages_its_three_lists(
    web: Web, browser_login: Any, now: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each list is cut to a page with a pager and its total, and a deep page shows
    the rows where they fall; totals stay the whole list's."""
    import re

    from web import pages

    monkeypatch.setattr(pages, "OVERDUE_PER_PAGE", 4)
    monkeypatch.setattr(pages, "BODIES_PER_PAGE", 3)
    monkeypatch.setattr(pages, "CYCLES_PER_PAGE", 1)
    now(AFTER_DUE)
    client = browser_login("lanhdao")

    def overdue_bodies(html: str) -> list[str]:
        section = html.split('<section id="overdue">', 1)[1].split("</section>", 1)[0]
        return re.findall(r"<small>\(([A-Z-]+)\)</small>", section)

    def compliance_bodies(html: str) -> list[str]:
        return re.findall(r'<tr data-body="([A-Z-]+)">', html)

    first = client.get("/").text
    assert 'data-total="7"' in first and 'data-cycles="1"' in first and 'data-bodies="7"' in first
    assert overdue_bodies(first) == ["HDND", "SO-TP", "SO-TTTT", "SO-VHTTDL"]  # by code
    assert "1–4 trên 7" in first and "opage=2" in first
    assert compliance_bodies(first) == ["HDND", "SO-TP", "SO-TTTT"]
    assert "1–3 trên 7" in first and "bpage=2" in first
    assert "cpage=2" not in first  # one open cycle: one page

    second = client.get("/?opage=2&bpage=3").text
    assert overdue_bodies(second) == ["TAND", "UBND", "VKSND"]
    assert "5–7 trên 7" in second and "opage=1" in second and "opage=3" not in second
    assert compliance_bodies(second) == ["VKSND"]
    assert 'data-total="7"' in second and 'data-bodies="7"' in second
    beyond = client.get("/?opage=9").text
    assert overdue_bodies(beyond) == [] and 'data-total="7"' in beyond


def test_a_coordinator_of_nothing_counts_its_own_task(
    web: Web, browser_login: Any, now: Any
) -> None:
    """ubndc coordinates no program: its dashboard counts UBND's task and nothing else,
    in each of the three lists."""
    now(AFTER_DUE)
    html = browser_login("ubndc").get("/").text
    assert 'data-total="1"' in html and 'data-bodies="1"' in html
    row = html.split('data-cycle="1"', 1)[1].split("</tr>", 1)[0]
    assert 'class="num overdue">1<' in row and 'class="num total">1<' in row
    assert '<tr data-body="UBND">' in html and 'data-body="HDND"' not in html
    khoa = browser_login("khoa").get("/").text  # coordinates QD238: sees every task
    assert 'data-total="7"' in khoa and 'data-bodies="7"' in khoa
    assert 'class="num total">7<' in khoa.split('data-cycle="1"', 1)[1].split("</tr>", 1)[0]


def test_agency_submits_pasted_text_and_a_file(web: Web, browser_login: Any) -> None:
    client = browser_login("ubnd")
    mine = client.get("/agency")
    task = web.tasks["UBND"]
    assert f'href="/tasks/{task}"' in mine.text
    page = client.get(f"/tasks/{task}")
    assert "Đánh giá tình hình và kết quả thực hiện Quyết định số 238" in page.text
    token = csrf_of(page.text)
    sent = client.post(
        f"/tasks/{task}/submit", data={"csrf_token": token, "text": report_text("Lần một.")}
    )
    assert sent.status_code == 303
    shown = client.get(sent.headers["location"])
    assert "Đã gửi báo cáo." in shown.text and "Lần một." in shown.text
    again = client.post(
        f"/tasks/{task}/submit",
        data={"csrf_token": token, "text": ""},
        files={
            "report_file": ("bao-cao.md", report_text("Lần hai.").encode(), "text/markdown"),
            "attachments": ("phụ lục.txt", "Phụ lục".encode(), "text/plain"),
        },
    )
    assert again.status_code == 303
    shown = client.get(f"/tasks/{task}")
    assert 'data-version="2"' in shown.text and "Lần hai." in shown.text
    assert "phụ lục.txt" in shown.text
    link = shown.text.split('href="/tasks/2/versions/2/attachments/', 1)[1].split('"', 1)[0]
    download = client.get(f"/tasks/{task}/versions/2/attachments/{link}")
    assert download.content == "Phụ lục".encode()
    bad = client.post(f"/tasks/{task}/submit", data={"csrf_token": token, "text": "no headings"})
    assert bad.status_code == 400 and "Báo cáo thiếu mục bắt buộc của đề cương" in bad.text
    assert ">no headings</textarea>" in bad.text  # what was typed is kept


def test_coordinator_reviews_extends_synthesizes_and_downloads(
    web: Web, browser_login: Any
) -> None:
    task = web.tasks["UBND"]
    web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": report_text()})
    client = browser_login("khoa")
    page = client.get(f"/cycles/{web.cycle_id}")
    token = csrf_of(page.text)
    back = f"/cycles/{web.cycle_id}?page=1"
    returned = client.post(
        f"/tasks/{task}/review",
        data={
            "csrf_token": token,
            "decision": "return",
            "comment": "Bổ sung số liệu về tuyên truyền",
            "new_due_date": "2024-07-19",
            "back": back,
        },
    )
    # nothing else waits for review: back to the cycle, saying so
    assert returned.status_code == 303 and returned.headers["location"] == f"/cycles/{web.cycle_id}"
    page = client.get(back)
    assert "Đã trả lại báo cáo của Ủy ban nhân dân tỉnh; hạn mới 19/07/2024." in page.text
    assert "Không còn báo cáo nào chờ xem xét trong kỳ này." in page.text
    assert "Bổ sung số liệu về tuyên truyền" in page.text
    ext = client.post(
        f"/tasks/{web.tasks['TAND']}/extend",
        data={"csrf_token": token, "new_due_date": "2024-07-26", "reason": "Chờ số liệu"},
    )
    assert "Đã gia hạn." in client.get(ext.headers["location"]).text
    web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": report_text("v2")})
    unconfirmed = client.post(
        f"/tasks/{task}/review", data={"csrf_token": token, "decision": "accept"}
    )
    assert unconfirmed.headers["location"] == f"/tasks/{task}/accept"  # the confirmation step
    client.post(
        f"/tasks/{task}/review",
        data={"csrf_token": token, "decision": "accept", "confirm": "yes", "version": "2"},
    )
    agency_view = browser_login("ubnd").get(f"/tasks/{task}").text
    assert "Bổ sung số liệu về tuyên truyền" in agency_view and "đã tiếp nhận" in agency_view
    # Closing goes through a preview; TAND's extension runs to 26/07, the rest still have time.
    preview = client.get(f"/cycles/{web.cycle_id}/synthesize")
    assert preview.status_code == 200
    assert "Ủy ban nhân dân tỉnh đã phối hợp chặt chẽ" in preview.text
    assert "Còn trong hạn đến 26/07/2024" in preview.text
    waiting = ["HDND", "VKSND", "TAND", "SO-TTTT", "SO-TP", "SO-VHTTDL"]
    unconfirmed = client.post(
        f"/cycles/{web.cycle_id}/synthesize", data={"csrf_token": token, "leave_out": waiting}
    )
    assert unconfirmed.status_code == 400 and "Hãy đánh dấu ô xác nhận" in unconfirmed.text
    assert 'value="TAND" checked' in unconfirmed.text  # the ticks are kept
    blocked = client.post(
        f"/cycles/{web.cycle_id}/synthesize", data={"csrf_token": token, "confirm": "yes"}
    )
    assert blocked.status_code == 409 and "Chưa thể khóa kỳ: nhiệm vụ" in blocked.text
    assert "the cycle cannot be closed yet" not in blocked.text
    assert "Đã tổng hợp" not in client.get(f"/cycles/{web.cycle_id}").text
    synth = client.post(
        f"/cycles/{web.cycle_id}/synthesize",
        data={"csrf_token": token, "confirm": "yes", "leave_out": waiting},
    )
    assert synth.status_code == 303
    page = client.get(f"/cycles/{web.cycle_id}")
    assert "Đã tổng hợp kỳ báo cáo." in page.text and "report.md" in page.text
    report = client.get(f"/cycles/{web.cycle_id}/report.md")
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/markdown")
    assert "Ủy ban nhân dân tỉnh đã phối hợp chặt chẽ" in report.text
    word = client.get(f"/cycles/{web.cycle_id}/report.docx")
    assert word.status_code == 200 and word.content[:2] == b"PK"  # a .docx is a zip
    assert "trả lại bản 1, hạn mới" in page.text and "tiếp nhận bản 2" in page.text
    assert "Đã tổng hợp" in page.text


def _denials(path: str) -> list[dict[str, Any]]:
    from sqlmodel import select

    from models import AuditRecord
    from services import db

    with db.reading() as session:
        rows = session.exec(select(AuditRecord).where(AuditRecord.action == "access.denied")).all()
    return [r.detail for r in rows if r.detail.get("path") == path]


def test_coordinator_opens_a_cycle_from_the_cycles_page(web: Web, browser_login: Any) -> None:
    client = browser_login("khoa")
    page = client.get("/cycles")
    assert 'action="/cycles"' in page.text and '<option value="QD238">' in page.text
    assert "Mở kỳ báo cáo mới" in page.text and "Số công văn" in page.text
    assert "Open a new cycle" in client.get("/cycles?lang=en").text
    client.get("/cycles?lang=vi")
    token = csrf_of(page.text)
    fields = {
        "csrf_token": token,
        "program": "QD238",
        "period": "2024-H2",
        "letter_no": "12-CV/BTGTU",
        "letter_date": "2024-07-08",
    }
    opened = client.post("/cycles", data=fields)
    assert opened.status_code == 303
    new_id = int(opened.headers["location"].rsplit("/", 1)[1])
    assert new_id != web.cycle_id
    shown = client.get(opened.headers["location"])
    assert "Đã mở kỳ báo cáo." in shown.text and "QD238/2024-H2" in shown.text
    detail = web.api("GET", f"/api/cycles/{new_id}", "khoa").json()
    assert detail["cycle"]["letter_no"] == "12-CV/BTGTU"
    assert detail["cycle"]["letter_date"] == "2024-07-08"
    assert detail["progress"]["total"] == 7
    # the same period again: the usual one-shot error message, back on the list
    again = client.post("/cycles", data=fields)
    assert again.status_code == 303 and again.headers["location"] == "/cycles"
    listed = client.get("/cycles").text
    assert "Chương trình QD238 đã mở kỳ báo cáo 2024-H2." in listed
    assert listed.count("QD238/2024-H2") == 1
    bad = client.post("/cycles", data=fields | {"period": "2024-H3"})
    shown = client.get(bad.headers["location"]).text
    assert "2024-H3 không phải là kỳ báo cáo (dùng dạng YYYY-MM" in shown and "hoặc YYYY" in shown
    # the form needs its CSRF token
    assert (
        client.post("/cycles", data=fields | {"csrf_token": "x", "period": "2025"}).status_code
        == 403
    )


@pytest.mark.parametrize("username", ["ubnd", "ubndc"])
def test_only_the_programs_coordinator_opens_cycles(
    web: Web, browser_login: Any, username: str
) -> None:
    client = browser_login(username)
    page = client.get("/cycles")
    assert page.status_code == 200 and 'action="/cycles"' not in page.text
    refused = client.post(
        "/cycles",
        data={"csrf_token": csrf_of(page.text), "program": "QD238", "period": "2024-H2"},
    )
    assert refused.status_code == 403
    assert [d["user"] for d in _denials("/cycles")] == [username]
    assert [c["ref"] for c in web.api("GET", "/api/cycles", "lanhdao").json()] == ["QD238/2024-H1"]


@pytest.mark.parametrize("path", ["/static/style.css", "/api/docs"])
def test_static_and_docs(web: Web, path: str) -> None:
    assert web.client.get(path).status_code == 200


def test_repeated_wrong_passwords_lock_the_login_form(web: Web) -> None:
    from rules.lockout import MAX_FAILURES

    for _ in range(MAX_FAILURES):
        assert login(web.client, "ubnd", "sai-mat-khau").status_code == 401
    locked = login(web.client, "ubnd")  # the right password, too late
    assert locked.status_code == 429
    assert "tạm khóa đăng nhập tài khoản này đến 10/07/2024 09:15" in locked.text
    assert "phoihop_session" not in web.client.cookies
    assert login(web.client, "khoa").status_code == 303  # other accounts are not affected


def test_due_dates_in_an_unannounced_year_are_marked_provisional(
    web: Web, browser_login: Any
) -> None:
    from datetime import date

    from services.cycles import open_cycle
    from tests.web.conftest import local

    later = open_cycle(
        "QD238", "2024-H2", letter_no="1-CV/BTGTU", letter_date=date(2025, 1, 6),
        due=date(2027, 1, 8), now=local("2025-01-06T08:00"), actor="t",
    )  # fmt: skip
    client = browser_login("khoa")
    mark = 'class="provisional"'
    page = client.get(f"/cycles/{later.cycle.id}").text
    assert "08/01/2027 <abbr" in page and "(tạm tính)" in page
    assert page.count(mark) == 1 + later.tasks  # the cycle's due date and each task's
    listed = web.api("GET", f"/api/tasks?cycle={later.cycle.id}", "khoa").json()
    task_id = listed["items"][0]["task"]
    task = client.get(f"/tasks/{task_id}").text
    assert mark in task and "chưa có lịch hoán đổi" in task
    assert mark not in client.get(f"/cycles/{web.cycle_id}").text  # due 12/07/2024
    assert "(provisional)" in client.get(f"/cycles/{later.cycle.id}?lang=en").text


def test_closing_can_leave_out_more_bodies_than_a_form_usually_holds(
    web: Web, browser_login: Any
) -> None:
    """One box per blocking body: a large cycle's closing page lists hundreds. The form
    reader's default cap (20 fields) refused it before the page could answer."""
    client = browser_login("khoa")
    page = client.get(f"/cycles/{web.cycle_id}/synthesize")
    token = csrf_of(page.text)
    many = [f"BODY-{n}" for n in range(300)]
    unconfirmed = client.post(
        f"/cycles/{web.cycle_id}/synthesize", data={"csrf_token": token, "leave_out": many}
    )
    assert unconfirmed.status_code == 400 and "Hãy đánh dấu ô xác nhận" in unconfirmed.text
