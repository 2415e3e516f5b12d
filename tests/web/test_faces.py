"""Every page, for each role, in real Chromium: axe-core finds nothing, and no page
scrolls sideways at 1366×768 or on a 390×844 phone. Also the dashboard's in-place,
pausable update, and the 403 page that says why and whom to ask.

UBND has sent twice (returned once, so its task has a comparison page) and waits for
review; HDND has sent once; the rest have sent nothing (10/07/2024, before the due date).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.web import test_browser as chromium_tests
from tests.web.conftest import Web, report_text

CHROMIUM = chromium_tests.CHROMIUM
server, browser = chromium_tests.server, chromium_tests.browser  # the real-Chromium fixtures
IN_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is missing")
SIZES = {1366: 768, 390: 844}


@pytest.fixture
def sent(web: Web) -> Web:
    send = "/api/tasks/{}/submissions"
    ubnd, hdnd = web.tasks["UBND"], web.tasks["HDND"]
    assert web.api("POST", send.format(ubnd), "ubnd", json={"text": report_text()}).is_success
    returned = web.api("POST", f"/api/tasks/{ubnd}/review", "khoa",
                       json={"decision": "return", "comment": "Bổ sung số liệu",
                             "new_due_date": "2024-07-19"})  # fmt: skip
    assert returned.is_success, returned.text
    again = web.api("POST", send.format(ubnd), "ubnd", json={"text": report_text("Bổ sung.")})
    assert again.is_success
    assert web.api("POST", send.format(hdnd), "hdnd", json={"text": report_text()}).is_success
    return web


def pages_of(web: Web, username: str) -> dict[str, tuple[str, int]]:
    """name: (path, expected status) of every page ``username`` reaches, errors included."""
    c, ubnd, hdnd = web.cycle_id, web.tasks["UBND"], web.tasks["HDND"]
    common = {
        "dashboard": ("/", 200),
        "cycles": ("/cycles", 200),
        "scorecard": ("/scorecard", 200),
        "agency": ("/agency", 200),
        "404": ("/tasks/999999", 404),
        "english dashboard": ("/?lang=en", 200),
    }
    if username == "khoa":
        return common | {
            "cycle": (f"/cycles/{c}", 200),
            "task (review)": (f"/tasks/{ubnd}", 200),
            "accept (confirm)": (f"/tasks/{ubnd}/accept?version=2", 200),
            "cycle (filtered)": (f"/cycles/{c}?status=submitted&q=nhan+dan&overdue=1", 200),
            "diff": (f"/tasks/{ubnd}/versions/2/diff", 200),
            "synthesize": (f"/cycles/{c}/synthesize", 200),
            "cycle history": (f"/cycles/{c}/history", 200),
            "task history": (f"/tasks/{ubnd}/history", 200),
            "english cycle": (f"/cycles/{c}?lang=en", 200),
            "accounts": ("/accounts", 200),
            "english accounts": ("/accounts?lang=en", 200),
        }
    if username == "ubnd":
        return common | {
            "cycle": (f"/cycles/{c}", 200),
            "task (submit)": (f"/tasks/{ubnd}", 200),
            "diff": (f"/tasks/{ubnd}/versions/2/diff", 200),
            "403": (f"/tasks/{hdnd}", 403),
        }
    return common | {  # the leadership viewer
        "cycle": (f"/cycles/{c}", 200),
        "403": (f"/tasks/{hdnd}", 403),
    }


def open_as(browser: Any, server: str, username: str | None, width: int, scripts: bool = True):
    if username:
        return chromium_tests.log_in(browser, server, username, width=width, height=SIZES[width],
                      scripts=scripts)  # fmt: skip
    context = browser.new_context(base_url=server, locale="vi-VN", java_script_enabled=scripts,
                                  viewport={"width": width, "height": SIZES[width]})  # fmt: skip
    return context.new_page()


def check(page: Any, width: int) -> list[Any]:
    """axe-core's violations and a sideways scroll, on the page as shown."""
    from axe_playwright_python.sync_playwright import Axe

    problems: list[Any] = []
    violations = Axe().run(page).response["violations"]
    problems += [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in violations]
    scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll[0] > scroll[1]:
        problems.append(("scrolls sideways", scroll))
    skip = page.locator("a.skip")
    if skip.count() != 1 or skip.get_attribute("href") != "#main":
        problems.append(("no skip link", page.url))
    return problems


@IN_CHROMIUM
@pytest.mark.parametrize("width", sorted(SIZES))
@pytest.mark.parametrize("username", ["khoa", "ubnd", "lanhdao", None])
def test_every_page_passes_axe_and_fits(
    sent: Web, server: str, browser: Any, username: str | None, width: int
) -> None:
    pytest.importorskip("axe_playwright_python.sync_playwright")
    page = open_as(browser, server, username, width)
    found: dict[str, Any] = {}
    targets = {"login": ("/login", 200)} if username is None else pages_of(sent, username)
    for name, (path, status) in targets.items():
        response = page.goto(path)
        assert response is not None and response.status == status, (name, path, response)
        problems = check(page, width)
        if problems:
            found[name] = problems
    assert found == {}
    page.context.close()


@IN_CHROMIUM
def test_skip_link_is_the_first_tab_stop_and_lands_on_main(
    sent: Web, server: str, browser: Any
) -> None:
    page = open_as(browser, server, "khoa", 390)
    page.goto(f"/cycles/{sent.cycle_id}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator("a.skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.context.close()


def test_review_buttons_name_the_body(sent: Web, browser_login: Any) -> None:
    html = browser_login("khoa").get(f"/cycles/{sent.cycle_id}").text
    row = html.split(f'data-task="{sent.tasks["UBND"]}"', 1)[1].split("</tr>", 1)[0]
    assert '<span class="vh"> báo cáo của Ủy ban nhân dân tỉnh</span></a>' in row  # review link
    other = html.split(f'data-task="{sent.tasks["HDND"]}"', 1)[1].split("</tr>", 1)[0]
    assert "báo cáo của Thường trực Hội đồng nhân dân tỉnh</span>" in other
    pending = html.split(f'data-task="{sent.tasks["TAND"]}"', 1)[1].split("</tr>", 1)[0]
    assert "hạn của Tòa án nhân dân tỉnh</span></button>" in pending  # extend
    task = browser_login("khoa").get(f"/tasks/{sent.tasks['UBND']}?lang=en").text
    assert 'Accept…<span class="vh"> the report of Ủy ban nhân dân tỉnh</span>' in task
    assert 'Return<span class="vh"> the report of Ủy ban nhân dân tỉnh</span>' in task


def test_forbidden_page_says_why_and_whom_to_ask(sent: Web, browser_login: Any) -> None:
    agency = browser_login("ubnd")
    page = agency.get(f"/tasks/{sent.tasks['HDND']}")
    assert page.status_code == 403
    main = page.text.split("<main", 1)[1]
    assert "mỗi cơ quan chỉ xem và gửi nhiệm vụ của mình" in main  # why
    assert "Bạn đang đăng nhập là <b>Đoàn Thị Ngọc Ánh</b> (ubnd), Cơ quan phối hợp." in main
    # whom: the focal contact of QD238's coordinating body (BTGTU)
    assert "Ban Tuyên giáo Tỉnh ủy Bến Tre — Lê Minh Khoa" in main
    assert 'href="mailto:khoa.lm@btgtu.bentre.example"' in main
    # a stale form says to reload, not that the account lacks access
    stale = agency.post(f"/tasks/{sent.tasks['UBND']}/submit", data={"csrf_token": "old"})
    assert stale.status_code == 403 and "Hãy tải lại trang" in stale.text
    assert "đầu mối" not in stale.text
    english = agency.get(f"/tasks/{sent.tasks['HDND']}?lang=en").text
    assert "ask the coordinating body&#39;s focal contact" in english


@IN_CHROMIUM
def test_dashboard_updates_in_place_and_can_be_paused(
    sent: Web, server: str, browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    from web import pages

    monkeypatch.setattr(pages, "DASHBOARD_REFRESH_SECONDS", 1)
    page = open_as(browser, server, "lanhdao", 1366)
    page.evaluate("window.kept = 'same document'")
    row = page.locator(f"#progress tr[data-cycle='{sent.cycle_id}'] td.pending")
    assert row.inner_text() == "5"
    from services import clock
    from services.provision import submit  # TAND and VKSND have no account here

    submit(report_text(), task_id=sent.tasks["TAND"], now=clock.now(), actor="t")
    expect(row).to_have_text("4", timeout=5000)
    assert page.evaluate("window.kept") == "same document"  # no reload
    toggle = page.locator("button.refresh-toggle")
    assert toggle.inner_text() == "Tạm dừng tự cập nhật"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.locator("#refresh .refresh-text").inner_text() == "Đã tạm dừng tự cập nhật."
    submit(report_text(), task_id=sent.tasks["VKSND"], now=clock.now(), actor="t")
    page.wait_for_timeout(2500)
    assert row.inner_text() == "4"  # paused: not updated
    toggle.click()
    expect(row).to_have_text("3", timeout=5000)
    page.context.close()


@IN_CHROMIUM
def test_dashboard_without_javascript(sent: Web, server: str, browser: Any) -> None:
    page = open_as(browser, server, "lanhdao", 390, scripts=False)
    assert page.locator("button.refresh-toggle").count() == 0
    note = page.locator("#refresh").inner_text()
    assert "tải lại trang để cập nhật" in note
    page.click("#refresh a:has-text('Cập nhật ngay')")
    assert page.locator(f"#progress tr[data-cycle='{sent.cycle_id}']").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()


def test_viewer_reads_and_downloads_closed_cycles_reports(sent: Web, browser_login: Any) -> None:
    """Leadership reads every closed cycle's consolidated report, on the page and through
    the API; agencies still do not, and no body's own submission opens to a viewer."""
    c = sent.cycle_id
    viewer, agency = browser_login("lanhdao"), browser_login("ubnd")
    api_report = f"/api/cycles/{c}/report"
    assert viewer.get(f"/cycles/{c}/report.md").status_code == 404  # still open: no report
    assert sent.api("GET", api_report, "lanhdao").status_code == 404
    assert 'id="report"' not in viewer.get(f"/cycles/{c}").text
    accept = {"decision": "accept"}
    assert sent.api(
        "POST", f"/api/tasks/{sent.tasks['UBND']}/review", "khoa", json=accept
    ).is_success
    waiting = ["HDND", "VKSND", "TAND", "SO-TTTT", "SO-TP", "SO-VHTTDL"]
    closed = sent.api("POST", f"/api/cycles/{c}/synthesize", "khoa", json={"leave_out": waiting})
    assert closed.is_success, closed.text

    page = viewer.get(f"/cycles/{c}").text
    section = page.split('id="report"', 1)[1].split("</section>", 1)[0]
    assert "Báo cáo tổng hợp" in section and f"/cycles/{c}/report.docx" in section
    assert "Ủy ban nhân dân tỉnh đã phối hợp chặt chẽ" in section and "<pre" in section
    assert "totals.xlsx" not in section  # the summed figures stay the coordinator's
    md = viewer.get(f"/cycles/{c}/report.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    word = viewer.get(f"/cycles/{c}/report.docx")
    assert word.status_code == 200 and word.content[:2] == b"PK"
    assert sent.api("GET", api_report, "lanhdao").status_code == 200
    docx = sent.api("GET", api_report + "?format=docx", "lanhdao")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"

    # agencies: still their own things only
    assert agency.get(f"/cycles/{c}/report.md").status_code == 403
    assert agency.get(f"/cycles/{c}/report.docx").status_code == 403
    assert 'id="report"' not in agency.get(f"/cycles/{c}").text
    assert sent.api("GET", api_report, "ubnd").status_code == 403
    assert sent.api("GET", api_report + "?format=docx", "hdnd").status_code == 403
    assert sent.api("GET", api_report, "ubndc").status_code == 403  # coordinates nothing here
    # the viewer still reads no body's own submission, and changes nothing
    assert viewer.get(f"/tasks/{sent.tasks['UBND']}").status_code == 403
    assert (
        sent.api("GET", f"/api/tasks/{sent.tasks['UBND']}/submissions", "lanhdao").status_code
        == 403
    )
    assert viewer.get(f"/cycles/{c}/totals.xlsx").status_code == 403


def test_a_refused_form_keeps_what_was_typed(sent: Web, browser_login: Any) -> None:
    from tests.web.conftest import csrf_of

    task = sent.tasks["TAND"]
    clerk = browser_login("khoa")  # TAND's coordinator extends from the cycle page
    token = csrf_of(clerk.get(f"/cycles/{sent.cycle_id}").text)
    ext = clerk.post(f"/tasks/{task}/extend", data={"csrf_token": token, "back": "/cycles/1",
                     "new_due_date": "2024-07-01", "reason": "Chờ số liệu quý II"})  # fmt: skip
    assert ext.status_code == 400
    form = ext.text.split(f'action="/tasks/{task}/extend"', 1)[1].split("</form>", 1)[0]
    assert 'id="extend-error" role="alert">Hạn mới 01/07/2024 đã qua' in form
    assert 'value="Chờ số liệu quý II"' in form and 'value="2024-07-01"' in form

    agency = browser_login("ubnd")
    page = agency.get(f"/tasks/{sent.tasks['UBND']}")
    typed = "# I. Đánh giá tình hình\nĐã làm nhiều việc, số liệu kèm theo.\n"
    bad = agency.post(
        f"/tasks/{sent.tasks['UBND']}/submit",
        data={"csrf_token": csrf_of(page.text), "text": typed},
        files={"attachments": ("phu-luc.txt", "Phụ lục".encode(), "text/plain")},
    )
    assert bad.status_code == 400
    assert f'aria-describedby="submit-error">{typed}</textarea>' in bad.text
    assert 'id="submit-error" role="alert">Báo cáo thiếu mục bắt buộc' in bad.text
    assert "hãy chọn lại tệp trước khi gửi" in bad.text  # files cannot be kept


def test_an_expired_session_keeps_the_draft_and_returns_to_the_page(
    sent: Web, browser_login: Any, now: Any
) -> None:
    from tests.web.conftest import csrf_of, login

    task = sent.tasks["TAND"]
    client = browser_login("khoa")
    token = csrf_of(client.get(f"/tasks/{task}").text)
    now("2024-07-10T18:00")  # nine hours later: the 8-hour session has expired
    posted = client.post(f"/tasks/{task}/extend", data={"csrf_token": token,
                         "new_due_date": "2024-07-30", "reason": "Chờ số liệu quý II"})  # fmt: skip
    assert posted.status_code == 303
    assert posted.headers["location"] == f"/login?next=%2Ftasks%2F{task}"  # the page, not a POST
    again = login(client, "khoa")
    assert again.status_code == 303
    page = client.get(f"/tasks/{task}")
    assert page.status_code == 200
    form = page.text.split(f'action="/tasks/{task}/extend"', 1)[1].split("</form>", 1)[0]
    assert "nội dung bạn đã nhập được giữ lại" in form
    assert 'value="Chờ số liệu quý II"' in form and 'value="2024-07-30"' in form
    assert "Chờ số liệu quý II" not in client.get(f"/tasks/{task}").text  # kept once
    # a stranger's POST with no session of this server keeps nothing
    from fastapi.testclient import TestClient

    with TestClient(sent.client.app, follow_redirects=False) as stranger:
        refused = stranger.post(f"/tasks/{task}/extend", data={"reason": "x" * 100})
        assert refused.status_code == 303 and "phoihop_draft" not in refused.headers.get(
            "set-cookie", ""
        )


def test_history_pages_show_the_audit_log_readably(sent: Web, browser_login: Any) -> None:
    c, ubnd, hdnd = sent.cycle_id, sent.tasks["UBND"], sent.tasks["HDND"]
    coordinator = browser_login("khoa")
    task = coordinator.get(f"/tasks/{ubnd}/history")
    assert task.status_code == 200
    rows = task.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    actions = [a for a in rows.split('data-action="')[1:]]
    assert [a.split('"', 1)[0] for a in actions] == [
        "task.submitted",
        "task.returned",
        "task.submitted",
    ]  # newest first
    # The same words as `phoihop audit` (rules.history): no raw codes, dates as people write
    assert "trả lại bản 1, hạn mới 19/07/2024" in rows and "<td>gửi bản 2" in rows
    assert "2024-07-19" not in rows and "task.returned<" not in rows
    cycle = coordinator.get(f"/cycles/{c}/history")
    assert cycle.status_code == 200 and "mở kỳ báo cáo QD238/2024-H1" in cycle.text
    assert f'href="/cycles/{c}/history"' in coordinator.get(f"/cycles/{c}").text
    clerk = browser_login("ubnd")
    assert clerk.get(f"/tasks/{ubnd}/history").status_code == 200  # its own task
    assert clerk.get(f"/tasks/{hdnd}/history").status_code == 403
    assert clerk.get(f"/cycles/{c}/history").status_code == 403
    assert browser_login("lanhdao").get(f"/tasks/{ubnd}/history").status_code == 403


def test_every_list_downloads_as_xlsx_and_csv_within_what_the_page_shows(
    sent: Web, browser_login: Any
) -> None:
    """The cycles list, a clerk's own tasks and the history pages download like the
    dashboard: a link on the page, the same rows the user may see (every page), the
    words and dates as people read them, and another body's history still a 403."""
    import io

    import openpyxl

    c, ubnd, hdnd = sent.cycle_id, sent.tasks["UBND"], sent.tasks["HDND"]
    coordinator = browser_login("khoa")
    assert 'href="/cycles.xlsx"' in coordinator.get("/cycles").text
    book = openpyxl.load_workbook(io.BytesIO(coordinator.get("/cycles.xlsx").content))
    [[head, first]] = [list(book.active.iter_rows(values_only=True))[:2]]
    assert head[:4] == ("ID", "Kỳ", "Nội dung", "Công văn")
    assert (first[1], first[2], first[-1]) == ("QD238/2024-H1", "6 tháng đầu năm 2024", "đang mở")

    clerk = browser_login("ubnd")
    assert 'href="/agency.csv"' in clerk.get("/agency").text
    mine = clerk.get("/agency.csv")
    assert mine.headers["content-type"].startswith("text/csv")
    lines = mine.content.decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Kỳ,Task,Mã,Cơ quan,Trạng thái")
    assert [line.split(",")[2] for line in lines[1:]] == ["UBND"]  # its own task only
    assert "đã gửi, chờ xem xét" in lines[1]

    page = coordinator.get(f"/tasks/{ubnd}/history")
    assert f'href="/tasks/{ubnd}/history.xlsx"' in page.text
    history = coordinator.get(f"/tasks/{ubnd}/history.csv").content.decode("utf-8")
    assert "trả lại bản 1, hạn mới 19/07/2024" in history and "task.returned" in history
    cycle = openpyxl.load_workbook(
        io.BytesIO(coordinator.get(f"/cycles/{c}/history.xlsx").content)
    ).active
    texts = [row[5] for row in cycle.iter_rows(min_row=2, values_only=True)]
    assert texts[-1].startswith("mở kỳ báo cáo QD238/2024-H1")  # newest first: opening last
    english = coordinator.get(f"/tasks/{ubnd}/history.csv?lang=en").content.decode("utf-8")
    assert english.lstrip("\ufeff").startswith("#,When (UTC+7),Who")
    assert clerk.get(f"/tasks/{ubnd}/history.csv").status_code == 200  # its own task
    assert clerk.get(f"/tasks/{hdnd}/history.csv").status_code == 403
    assert clerk.get(f"/cycles/{c}/history.xlsx").status_code == 403
