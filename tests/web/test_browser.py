"""The whole review loop in real headless Chromium (Debian's package, driven by Playwright).

An agency logs in and submits a report in Vietnamese; the coordinator opens it from
the cycle table, returns it with a comment (a due date on a Sunday, which moves and
says so); the agency resubmits; the coordinator accepts it on the task page, through
the confirmation step; the dashboard counts it; and the agency is refused another
body's task. Then the review queue and the cycle's filters, at desktop and phone
widths, with axe-core on every page.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, Web

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium)"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving() -> Iterator[str]:
    """uvicorn serving ``create_app()`` on a free loopback port, in a thread, until the
    block ends; yields its base URL once it accepts connections."""
    import uvicorn

    from web.app import create_app

    port = free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60  # a bound on a wait for a state, not a timing check
    while not instance.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        assert thread.is_alive(), "uvicorn stopped before it started"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def server(web: Web) -> Iterator[str]:
    """The web face on loopback, for the browser."""
    with serving() as url:
        yield url


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


def log_in(
    browser: Any,
    base: str,
    username: str,
    *,
    width: int | None = None,
    height: int = 844,
    scripts: bool = True,
) -> Any:
    """A fresh Vietnamese browser context logged in as ``username`` (at ``width`` × ``height``
    when given), on the dashboard: every browser test's way in."""
    viewport = {"viewport": {"width": width, "height": height}} if width else {}
    context = browser.new_context(base_url=base, locale="vi-VN", java_script_enabled=scripts,
                                  **viewport)  # fmt: skip
    page = context.new_page()
    page.goto("/")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]:has-text('Đăng nhập')")
    page.wait_for_url(f"{base}/")
    return page


REPORT_V1 = (
    "# I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238\n"
    "Ủy ban nhân dân tỉnh đã chủ động phối hợp, cung cấp thông tin kịp thời.\n\n"
    "# II. Những nhiệm vụ trọng tâm trong thời gian tới\n"
    "Tiếp tục nâng cao chất lượng báo cáo.\n"
)


def test_submit_return_resubmit_accept_in_chromium(web: Web, server: str, browser: Any) -> None:
    task, other = web.tasks["UBND"], web.tasks["HDND"]
    agency = log_in(browser, server, "ubnd")
    agency.click("a:has-text('Nhiệm vụ của cơ quan')")
    agency.click(f"tr[data-task='{task}'] a")
    agency.fill("textarea[name=text]", REPORT_V1)
    agency.click("button[name=send]")
    assert agency.locator(".flash.ok").inner_text() == "Đã gửi báo cáo."
    assert "cung cấp thông tin kịp thời" in agency.locator("article[data-version='1']").inner_text()
    agency.goto("/agency")
    assert agency.locator(f"tr[data-task='{task}'] .status").inner_text() == "đã gửi, chờ xem xét"

    coordinator = log_in(browser, server, "khoa")
    coordinator.goto(f"/cycles/{web.cycle_id}")
    row = coordinator.locator(f"tr[data-task='{task}']")
    assert row.locator("button[name=accept]").count() == 0  # no accepting unread
    row.locator("a.review-link").click()
    review = coordinator.locator("#review")
    review.locator("input[name=comment]").fill("Đề nghị bổ sung số liệu 6 tháng")
    review.locator("input[name=new_due_date]").fill("2024-07-21")  # a Sunday
    review.locator("button[name=return]").click()
    flash = coordinator.locator(".flash.ok").inner_text()
    assert flash.startswith("Đã trả lại báo cáo của Ủy ban nhân dân tỉnh; hạn mới 22/07/2024.")
    assert "Ngày đã nhập 21/07/2024 là ngày nghỉ (Chủ nhật)" in flash
    assert "Không còn báo cáo nào chờ xem xét trong kỳ này." in flash  # back on the cycle

    agency.goto(f"/tasks/{task}")
    assert "Đề nghị bổ sung số liệu 6 tháng" in agency.locator("#versions").inner_text()
    assert agency.locator("#task-due").inner_text() == "22/07/2024"
    agency.fill("textarea[name=text]", REPORT_V1 + "\nSố liệu bổ sung: 12 hội nghị.\n")
    agency.click("button[name=send]")
    assert agency.locator("#task-versions").inner_text() == "2"

    coordinator.goto(f"/tasks/{task}")
    coordinator.locator("#review button[name=accept]").click()  # to the confirmation
    assert coordinator.locator("#accept-version").inner_text() == "2"
    assert coordinator.locator("#accept-body").inner_text() == "Ủy ban nhân dân tỉnh (UBND)"
    coordinator.locator("button[name=confirm_accept]").click()
    flash = coordinator.locator(".flash.ok").inner_text()
    assert flash.startswith("Đã tiếp nhận báo cáo của Ủy ban nhân dân tỉnh (phiên bản 2).")
    status = coordinator.locator(f"tr[data-task='{task}'] .status").inner_text()
    assert status == "đã tiếp nhận"

    coordinator.goto("/")
    progress = coordinator.locator(f"#progress tr[data-cycle='{web.cycle_id}']")
    assert progress.locator("td.done_on_time").inner_text() == "1"
    assert progress.locator("td.pending").inner_text() == "6"
    assert progress.locator("td.overdue").inner_text() == "0"
    assert progress.locator("td.total").inner_text() == "7"

    response = agency.goto(f"/tasks/{other}")
    assert response is not None and response.status == 403
    assert "Không có quyền truy cập." in agency.locator("main").inner_text()
    assert "Hội đồng nhân dân" not in agency.locator("main").inner_text()


def page_problems(page: Any) -> list[Any]:
    """axe-core's violations and a sideways scroll on the page as shown."""
    from axe_playwright_python.sync_playwright import Axe

    found: list[Any] = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                        for v in Axe().run(page).response["violations"]]  # fmt: skip
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        found.append(("scrolls sideways", widths))
    return found


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_review_queue_and_filters_in_chromium(
    web: Web, server: str, browser: Any, width: int, height: int
) -> None:
    """The coordinator filters the cycle (search without diacritics, status), reads the
    first waiting report, accepts it through the confirmation, and is taken to the next
    one each time, until the cycle says none is left; axe finds nothing on the way."""
    pytest.importorskip("axe_playwright_python.sync_playwright")
    from services import clock
    from services.provision import submit

    for body in ("UBND", "HDND", "TAND"):
        submit(REPORT_V1, task_id=web.tasks[body], now=clock.now(), actor="t")
    ubnd, hdnd, tand = web.tasks["UBND"], web.tasks["HDND"], web.tasks["TAND"]
    page = log_in(browser, server, "khoa", width=width, height=height)
    problems: dict[str, Any] = {}

    def look(name: str) -> None:
        found = page_problems(page)
        if found:
            problems[name] = found

    page.goto(f"/cycles/{web.cycle_id}")
    page.fill("#q-filter", "toa an")
    page.click("form.filters button[type=submit]")
    assert "q=toa+an" in page.url  # the filter is in the address, to share or reload
    assert page.locator("table.tasks tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.body)") == ["TAND"]  # fmt: skip
    look("cycle, searched")
    page.fill("#q-filter", "")
    page.select_option("#status-filter", "submitted")
    page.click("form.filters button[type=submit]")
    assert page.locator("table.tasks tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.body)") == ["HDND", "TAND", "UBND"]  # fmt: skip
    assert page.locator("#filter-count").inner_text() == "3 trên 7 nhiệm vụ của kỳ khớp bộ lọc."
    look("cycle, filtered")

    page.locator(f"tr[data-task='{hdnd}'] a.review-link").click()
    assert page.locator("#next-waiting").inner_text() == "Tòa án nhân dân tỉnh"
    look("task page")
    page.locator("#review button[name=accept]").click()
    look("confirmation")
    page.locator("button[name=confirm_accept]").click()
    page.wait_for_url(f"{server}/tasks/{tand}")  # on to the next waiting report
    assert "Tiếp theo: báo cáo của Tòa án nhân dân tỉnh" in page.locator(".flash.ok").inner_text()
    look("next report")
    page.locator("#review button[name=accept]").click()
    page.locator("button[name=confirm_accept]").click()
    page.wait_for_url(f"{server}/tasks/{ubnd}")
    page.locator("#review button[name=accept]").click()
    page.locator("button[name=confirm_accept]").click()
    page.wait_for_url(f"{server}/cycles/{web.cycle_id}")
    assert "Không còn báo cáo nào chờ xem xét" in page.locator(".flash.ok").inner_text()
    look("cycle, queue done")
    assert problems == {}


def test_a_coordinator_manages_its_bodys_accounts_in_chromium(
    web: Web, server: str, browser: Any
) -> None:
    """UBND's coordinator, on a phone: a refused account (the passwords differ) keeps what
    was typed but the passwords, the error by the form; then the account, a token shown
    once, its revocation. axe-core finds nothing on any of these pages, none scrolls
    sideways."""
    pytest.importorskip("axe_playwright_python.sync_playwright")
    from tests.web.test_faces import check

    page = log_in(browser, server, "ubndc", width=390)
    page.click("nav a:has-text('Tài khoản')")
    assert check(page, 390) == []
    add = page.locator("form[action='/accounts']")
    add.locator("input[name=username]").fill("thu.ubnd")
    add.locator("input[name=display_name]").fill("Võ Thị Thu")
    add.locator("select[name=role]").select_option("agency")
    add.locator("input[name=password]").fill("mat-khau-moi-456")
    add.locator("input[name=password_repeat]").fill("mat-khau-moi-457")
    add.locator("button[name=add]").click()
    assert page.locator("#add-error").inner_text() == "Hai lần nhập mật khẩu không khớp nhau."
    assert add.locator("input[name=username]").input_value() == "thu.ubnd"
    assert add.locator("input[name=display_name]").input_value() == "Võ Thị Thu"
    assert add.locator("select[name=role]").input_value() == "agency"
    assert add.locator("input[name=password]").input_value() == ""
    assert check(page, 390) == []
    add.locator("input[name=password]").fill("mat-khau-moi-456")
    add.locator("input[name=password_repeat]").fill("mat-khau-moi-456")
    add.locator("button[name=add]").click()
    assert page.locator(".flash.ok").inner_text() == "Đã thêm tài khoản."
    account = page.locator("article[data-user='thu.ubnd']")
    assert "Cơ quan phối hợp" in account.inner_text()

    account.locator("summary:has-text('Cấp mã truy cập API')").click()
    account.locator("input[name=token_name]").fill("máy chủ báo cáo")
    account.locator("button[name=issue]").click()
    secret = page.locator("#new-token").input_value()
    assert len(secret) >= 43 and "chỉ hiển thị một lần" in page.locator("#issued").inner_text()
    assert check(page, 390) == []
    me = web.client.get("/api/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["username"] == "thu.ubnd"
    page.goto("/accounts")
    assert page.locator("#new-token").count() == 0 and secret not in page.content()
    page.locator("article[data-user='thu.ubnd'] button[name=revoke]").click()
    assert page.locator(".flash.ok").inner_text() == "Đã thu hồi mã truy cập."
    assert web.client.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).is_error
    page.context.close()
