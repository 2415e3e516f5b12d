"""The scorecard page, its downloads and /api/scorecard, for each role.

QD238/2024-H1 (due 12/07/2024): UBND sends on time, HDND late (16/07), the rest
never; then QD238/2024-H2 is opened on 03/01/2025 (due 14/01/2025) and HDND and
TAND send on time. Seen on 20/01/2025.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from tests.web import test_browser as chromium_tests
from tests.web.conftest import PASSWORD, Web, local, report_text

CHROMIUM = chromium_tests.CHROMIUM
server, browser = chromium_tests.server, chromium_tests.browser  # the real-Chromium fixtures
CHARTS = ("chart-cycles", "chart-bodies", "chart-trend")
BODIES = {"HDND", "UBND", "VKSND", "TAND", "SO-TTTT", "SO-TP", "SO-VHTTDL"}


@pytest.fixture
def two_periods(web: Web, now: Any) -> Web:
    from datetime import date

    from services.cycles import open_cycle
    from services.dashboard import list_tasks

    send = "/api/tasks/{}/submissions"
    web.api("POST", send.format(web.tasks["UBND"]), "ubnd", json={"text": report_text()})
    now("2024-07-16T10:00")
    web.api("POST", send.format(web.tasks["HDND"]), "hdnd", json={"text": report_text()})
    opened = open_cycle("QD238", "2024-H2", letter_no="15-CV/BTGTU", letter_date=date(2025, 1, 3),
                        now=local("2025-01-03T08:00"), actor="t")  # fmt: skip
    now("2025-01-10T09:00")
    h2 = {
        r["body"]: r["task"] for r in list_tasks(local("2025-01-10T09:00"), cycle="QD238/2024-H2")
    }
    assert opened.cycle.id
    web.api("POST", send.format(h2["HDND"]), "hdnd", json={"text": report_text()})
    web.api("POST", send.format(h2["UBND"]), "ubnd", json={"text": report_text()})
    now("2025-01-20T09:00")
    return web


def bodies_on(html: str) -> set[str]:
    section = html.split('id="bodies"', 1)[1].split("</section>", 1)[0]
    return set(re.findall(r'data-body="([^"]+)"', section))


@pytest.mark.parametrize(
    ("username", "seen"),
    [
        ("khoa", BODIES),  # coordinator of QD238: every body of its program
        ("lanhdao", BODIES),  # leadership viewer: everything, read-only
        ("ubnd", {"UBND"}),  # an agency: itself only
        ("ubndc", {"UBND"}),  # a coordinator of nothing here: its own body's tasks
    ],
)
def test_page_renders_with_svg_charts_for_each_role(
    two_periods: Web, browser_login: Any, username: str, seen: set[str]
) -> None:
    client = browser_login(username)
    page = client.get("/scorecard")
    assert page.status_code == 200, page.text
    html = page.text
    for chart in CHARTS:
        assert f'<svg class="chart" id="{chart}"' in html
    assert "<script" not in html and '<form method="post"' not in html.split("</header>")[1]
    assert bodies_on(html) == seen
    assert "Tỷ lệ đúng hạn = số nhiệm vụ gửi đúng hạn" in html
    assert "Nhiệm vụ chưa đến hạn và chưa gửi không tính vào mẫu số" in html
    assert "2024-H1" in html and "2024-H2" in html
    assert len(html.encode()) < 60_000  # light: no script, no images but the SVG


def test_figures_charts_and_trend_for_the_coordinator(two_periods: Web, browser_login: Any) -> None:
    html = browser_login("khoa").get("/scorecard?program=QD238").text
    row = html.split('data-body="TAND"', 1)[1].split("</tr>", 1)[0]
    assert "0% <small>(0/2)</small>" in row  # never sent, twice: not on time, not "—"
    hdnd = html.split('id="trends"', 1)[1].split('data-body="HDND"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r">(\d+%)<", hdnd) == ["0%", "100%"] and "cải thiện" in hdnd
    trend = html.split('id="chart-trend"', 1)[1].split("</svg>", 1)[0]
    assert '<polyline class="line total"' in trend and "<circle" in trend
    bars = html.split('id="chart-cycles"', 1)[1].split("</svg>", 1)[0]
    assert bars.count("QD238/2024-H") >= 2 and 'class="overdue"' in bars
    english = browser_login("lanhdao").get("/scorecard?lang=en").text
    assert "On-time rate (on time / due)" in english and "improving" in english


def test_mean_lateness_has_the_decimal_mark_of_the_page_language(
    two_periods: Web, browser_login: Any
) -> None:
    """HDND sent H1 two working days late (Tuesday 16/07, due Friday 12/07): 2,0 / 2.0,
    as the CLI writes it; a body that was never late shows —."""
    viewer = browser_login("lanhdao")
    for lang, mean in (("vi", "2,0"), ("en", "2.0")):
        html = viewer.get(f"/scorecard?program=QD238&to=2024-H1&lang={lang}").text
        cells = re.findall(r'<td class="num">([^<]*)</td>', row_of(html, "HDND"))
        assert cells[5] == mean  # after total, on time, late, pending, overdue
        assert re.findall(r'<td class="num">([^<]*)</td>', row_of(html, "UBND"))[5] == "—"


def row_of(html: str, body: str) -> str:
    section = html.split('id="bodies"', 1)[1]
    return section.split(f'data-body="{body}"', 1)[1].split("</tr>", 1)[0]


def test_refuses_what_a_role_may_not_see(two_periods: Web, browser_login: Any) -> None:
    agency, other = browser_login("ubnd"), browser_login("ubndc")
    assert agency.get("/scorecard?body=HDND").status_code == 403
    assert agency.get("/scorecard.csv?body=HDND").status_code == 403
    assert agency.get("/scorecard?body=UBND&program=QD238").status_code == 200
    assert other.get("/scorecard?body=TAND").status_code == 403
    viewer = browser_login("lanhdao")
    assert viewer.get("/scorecard?body=TAND").status_code == 200
    assert viewer.get("/scorecard?body=NOPE").status_code == 404
    assert viewer.get("/scorecard?program=NOPE").status_code == 404
    bad = viewer.get("/scorecard?from=2024-H3")
    assert bad.status_code == 400 and "2024-H3" in bad.text
    assert two_periods.client.get("/scorecard").status_code in (302, 303, 307)  # log in first


def test_downloads_xlsx_and_csv(two_periods: Web, browser_login: Any) -> None:
    from openpyxl import load_workbook

    viewer = browser_login("lanhdao")
    xlsx = viewer.get("/scorecard.xlsx?program=QD238&from=2024-H1&to=2024-H2")
    assert xlsx.status_code == 200
    assert "bang-danh-gia-tuan-thu-2025-01-20.xlsx" in xlsx.headers["content-disposition"]
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    table = [r for r in book["Theo cơ quan"].iter_rows(values_only=True) if any(r)]
    col = {name: n for n, name in enumerate(table[1])}
    total = table[-1]
    assert total[col["Cơ quan"]] == "Tổng cộng"
    assert (
        total[col["Số nhiệm vụ"]],
        total[col["Hoàn thành đúng hạn"]],
        total[col["Hoàn thành trễ hạn"]],
    ) == (14, 3, 1)
    assert total[col["Quá hạn, chưa gửi"]] == 10  # H1's 5 never sent, H2's 5 past 14/01
    assert total[col["Tỷ lệ đúng hạn (%)"]] == round(100 * 3 / 14, 1)

    mine = browser_login("ubnd").get("/scorecard.csv")
    assert mine.status_code == 200 and mine.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(mine.content.decode("utf-8-sig"))))
    codes = {line[0] for line in lines[2:] if line and line[0] and not line[0].startswith("Tuân")}
    assert "UBND" in codes and "HDND" not in codes
    assert any(line[1:2] == ["Tổng cộng"] for line in lines)


def test_api_scorecard(two_periods: Web) -> None:
    data = two_periods.api("GET", "/api/scorecard?from=2024-H2", "lanhdao").json()
    assert data["filters"] == {"program": None, "body": None, "from": "2024-07-01", "to": None}
    assert [c["ref"] for c in data["cycles"]] == ["QD238/2024-H2"]
    assert (data["total"]["done_on_time"], data["total"]["overdue"]) == (2, 5)
    assert data["bodies"][0]["on_time_rate"] == 0.0 and data["bodies"][-1]["on_time_rate"] == 1.0
    whole = two_periods.api("GET", "/api/scorecard", "khoa").json()
    assert [p["period"] for p in whole["periods"]] == ["2024-H1", "2024-H2"]
    assert {t["body"]: t["trend"] for t in whole["trends"]}["HDND"] == "up"
    paged = two_periods.api("GET", "/api/scorecard?limit=3&offset=6", "lanhdao").json()
    assert (len(paged["bodies"]), paged["bodies_total"], paged["total"]["total"]) == (1, 7, 14)
    assert two_periods.api("GET", "/api/scorecard?limit=0", "lanhdao").status_code == 422
    mine = two_periods.api("GET", "/api/scorecard", "hdnd").json()
    assert [b["body"] for b in mine["bodies"]] == ["HDND"]
    for path, who, status in (
        ("/api/scorecard?body=UBND", "hdnd", 403),
        ("/api/scorecard?body=NOPE", "lanhdao", 404),
        ("/api/scorecard?program=NOPE", "khoa", 404),
        ("/api/scorecard?to=2024-13", "khoa", 400),
        ("/api/scorecard", None, 401),
    ):
        response = two_periods.api("GET", path, who)
        assert response.status_code == status, (path, response.text)
        assert "error" in response.json()  # ErrorOut, like every refusal


def open_scorecard(browser: Any, server: str, username: str, width: int, scripts: bool) -> Any:
    context = browser.new_context(base_url=server, locale="vi-VN", java_script_enabled=scripts,
                                  viewport={"width": width, "height": 844})  # fmt: skip
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto("/scorecard?from=2024-H1")
    return page


IN_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is missing")
ROLES_AND_WIDTHS = [("lanhdao", 1366), ("lanhdao", 390), ("khoa", 390), ("ubnd", 390)]


@IN_CHROMIUM
@pytest.mark.parametrize("width", [1366, 390])
def test_charts_in_chromium_with_scripts_off(
    two_periods: Web, server: str, browser: Any, width: int
) -> None:
    """The charts are drawn with scripts off, a phone never scrolls sideways, and the
    filter form works."""
    page = open_scorecard(browser, server, "lanhdao", width, scripts=False)
    for chart in CHARTS:
        box = page.locator(f"svg#{chart}").bounding_box()
        assert box and box["width"] > 200 and box["height"] > 40, chart
        assert page.locator(f"svg#{chart}").get_attribute("aria-label")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.select_option("select[name=program]", "QD238")
    page.fill("input[name=body]", "TAND")
    page.click("button:has-text('Lọc')")
    assert "body=TAND" in page.url
    assert page.locator("#bodies tr[data-body]").count() == 1
    page.context.close()


@IN_CHROMIUM
@pytest.mark.parametrize(("username", "width"), ROLES_AND_WIDTHS)
def test_axe_core_finds_no_violation(
    two_periods: Web, server: str, browser: Any, username: str, width: int
) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = open_scorecard(browser, server, username, width, scripts=True)
    violations = axe.Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []
    page.context.close()


def test_page_lists_bodies_a_page_at_a_time(
    two_periods: Web, browser_login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web import pages

    monkeypatch.setattr(pages, "BODIES_PER_PAGE", 3)
    viewer = browser_login("lanhdao")
    first, third = viewer.get("/scorecard").text, viewer.get("/scorecard?page=3").text
    assert len(bodies_on(first)) == 3 and len(bodies_on(third)) == 1
    assert not bodies_on(first) & bodies_on(third)
    assert 'data-bodies="7"' in first and "page=2" in first
    total = first.split('id="total"', 1)[1].split("</tr>", 2)[1]
    assert ">14<" in total  # the totals count every body, whatever the page
