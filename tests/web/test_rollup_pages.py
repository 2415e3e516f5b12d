"""The web over two levels: the province's cycle page links each commune board's task to
the commune's cycle, and the commune's names the cycle above; the province board reads
(never acts in) the communes' cycles, a commune board never its neighbours'; the
dashboard drills down to each commune's cycle and sums the levels up, with the figures
of ``phoihop cycle tree`` and ``GET /api/cycles/{id}/tree``."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.web import test_browser as chromium_tests
from tests.web.conftest import PASSWORD, local, login

CHROMIUM, browser = chromium_tests.CHROMIUM, chromium_tests.browser  # the real-Chromium fixture


@pytest.fixture
def two_levels(monkeypatch: pytest.MonkeyPatch) -> tuple[int, dict[str, int]]:
    """The demo's organisation and programs, QD238/2024-H1 opened with its communes'."""
    from services import accounts, loaders, registry
    from services.cycles import open_cycle
    from tests.steps import DEMO_DATA

    monkeypatch.setenv("PHOIHOP_NOW", "2024-07-04T09:00")
    at = local("2024-07-01T08:00")
    registry.import_bodies(loaders.load_bodies(str(DEMO_DATA / "bodies.csv")), now=at, actor="t")
    for path in [DEMO_DATA / "program.yaml", *sorted((DEMO_DATA / "communes").glob("*.yaml"))]:
        registry.add_program(loaders.load_program(str(path)), now=at, actor="t")
    opened = open_cycle("QD238", "2024-H1", letter_no="310-CV/BTGTU",
                        letter_date=date(2024, 7, 3), now=local("2024-07-03T08:00"),
                        actor="t")  # fmt: skip
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)
    accounts.create_user("khoa", body="BTGTU", role="coordinator", password=PASSWORD,
                         display_name="Lê Minh Khoa", now=at, actor="t")  # fmt: skip
    accounts.create_user("mai", body="DU-PHUTUC", role="coordinator", password=PASSWORD,
                         display_name="Nguyễn Thị Mai", now=at, actor="t")  # fmt: skip
    return opened.cycle.id, {c.program_code: c.cycle.id for c in opened.children}


def test_the_cycle_page_links_the_levels(two_levels: tuple[int, dict[str, int]]) -> None:
    from fastapi.testclient import TestClient

    from web.app import create_app

    parent, children = two_levels
    with TestClient(create_app(), follow_redirects=False) as client:
        assert login(client, "khoa").status_code == 303
        page = client.get(f"/cycles/{parent}").text
        for code, cycle_id in children.items():
            assert f'<a href="/cycles/{cycle_id}">{code}/2024-H1</a>' in page
        assert page.count("tổng hợp từ kỳ cấp dưới") == 3
    with TestClient(create_app(), follow_redirects=False) as client:
        assert login(client, "mai").status_code == 303  # the commune board's coordinator
        child = client.get(f"/cycles/{children['XA238-PHUTUC']}")
        assert child.status_code == 200
        assert "Kỳ cấp trên" in child.text
        assert f'<a href="/cycles/{parent}">QD238/2024-H1</a>' in child.text


def _tasks_of(cycle_id: int) -> dict[str, int]:
    from services import clock
    from services.dashboard import list_tasks

    return {r["body"]: r["task"] for r in list_tasks(clock.now(), cycle=str(cycle_id))}


def test_a_board_above_reads_the_cycles_below_and_never_acts_in_them(
    two_levels: tuple[int, dict[str, int]],
) -> None:
    """The province board (khoa) opens a commune's cycle and its bodies' task pages,
    read-only; its review and closing are refused (403), and nothing changes."""
    from fastapi.testclient import TestClient

    from tests.web.conftest import csrf_of
    from web.app import create_app

    _parent, children = two_levels
    phutuc = children["XA238-PHUTUC"]
    below = _tasks_of(phutuc)
    with TestClient(create_app(), follow_redirects=False) as client:
        assert login(client, "khoa").status_code == 303
        page = client.get(f"/cycles/{phutuc}")
        assert page.status_code == 200
        for body, task_id in below.items():
            assert f'data-task="{task_id}"' in page.text, body  # every body's row
        assert 'name="accept"' not in page.text and "/synthesize" not in page.text
        task = client.get(f"/tasks/{below['UBND-PHUTUC']}")
        assert task.status_code == 200
        assert 'action="/tasks/' not in task.text  # no review, extension or submit form
        token = csrf_of(page.text)
        review = client.post(f"/tasks/{below['UBND-PHUTUC']}/extend",
                             data={"csrf_token": token, "new_due_date": "2024-08-30",
                                   "reason": "x"})  # fmt: skip
        assert review.status_code == 403
        close = client.post(f"/cycles/{phutuc}/synthesize",
                            data={"csrf_token": token, "confirm": "yes"})  # fmt: skip
        assert close.status_code == 403
        assert client.get(f"/cycles/{phutuc}/history").status_code == 403
    from services import clock
    from services.dashboard import list_tasks

    due = {r["due_date"] for r in list_tasks(clock.now(), cycle=str(phutuc))}
    assert len(due) == 1 and date(2024, 8, 30) not in due


def test_a_board_above_gets_a_cycle_page_below_with_one_lookup_of_the_cycles_above(
    two_levels: tuple[int, dict[str, int]],
) -> None:
    """The province board's view of a commune's cycle: the guard, the task table, the
    buckets and the report each need to know it sees the cycle whole; the page asks the
    database for the cycles above once (they used to be looked up four times)."""
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from services import db
    from web.app import create_app

    _parent, children = two_levels
    phutuc = children["XA238-PHUTUC"]
    below = _tasks_of(phutuc)
    lookups: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "RECURSIVE" in statement.upper():
            lookups.append(statement)

    with TestClient(create_app(), follow_redirects=False) as client:
        assert login(client, "khoa").status_code == 303
        event.listen(db.engine(), "before_cursor_execute", count)
        try:
            page = client.get(f"/cycles/{phutuc}")
        finally:
            event.remove(db.engine(), "before_cursor_execute", count)
    assert page.status_code == 200
    assert all(f'data-task="{task_id}"' in page.text for task_id in below.values())
    assert len(lookups) == 1, lookups


def test_a_board_above_reads_a_closed_cycle_below_and_its_report(
    two_levels: tuple[int, dict[str, int]],
) -> None:
    """Phú Túc's cycle closed after its deadline, nobody having sent: the province
    board reads its consolidated report on the commune's cycle page and downloads it,
    as it already had it as Phú Túc's submission above; a neighbouring commune may not."""
    from fastapi.testclient import TestClient

    from services.synthesis import synthesize
    from web.app import create_app

    _parent, children = two_levels
    phutuc = children["XA238-PHUTUC"]
    synthesize(str(phutuc), now=local("2024-07-12T09:00"), actor="t")  # nobody sent
    with TestClient(create_app(), follow_redirects=False) as client:
        assert login(client, "khoa").status_code == 303
        page = client.get(f"/cycles/{phutuc}")
        assert 'id="report"' in page.text and f'href="/cycles/{phutuc}/report.docx"' in page.text
        markdown = client.get(f"/cycles/{phutuc}/report.md")
        assert markdown.status_code == 200 and "Phú Túc" in markdown.text
    from services import accounts

    accounts.create_user(
        "lan",
        body="DU-ANKHANH",
        role="coordinator",
        password=PASSWORD,
        display_name="Trần Thị Lan",
        now=local("2024-07-01T08:00"),
        actor="t",
    )  # a neighbouring commune's board
    with TestClient(create_app(), follow_redirects=False) as client:
        assert login(client, "lan").status_code == 303
        assert client.get(f"/cycles/{phutuc}/report.md").status_code == 403


def test_a_commune_board_reads_neither_its_neighbours_nor_acts_above(
    two_levels: tuple[int, dict[str, int]],
) -> None:
    """The commune board (mai, DU-PHUTUC) reads its own cycle and its own row above;
    another commune's cycle and tasks stay a 403, and the province's cycle shows it
    its own row only."""
    from fastapi.testclient import TestClient

    from web.app import create_app

    parent, children = two_levels
    neighbour = children["XA238-ANKHANH"]
    with TestClient(create_app(), follow_redirects=False) as client:
        assert login(client, "mai").status_code == 303
        assert client.get(f"/cycles/{neighbour}").status_code == 403
        for task_id in _tasks_of(neighbour).values():
            assert client.get(f"/tasks/{task_id}").status_code == 403
        above = client.get(f"/cycles/{parent}").text
        rows = _tasks_of(parent)
        assert f'data-task="{rows["DU-PHUTUC"]}"' in above
        assert f'data-task="{rows["UBND"]}"' not in above
        assert client.get(f"/tasks/{rows['UBND']}").status_code == 403


def test_the_api_lets_the_board_above_read_a_cycle_below(
    two_levels: tuple[int, dict[str, int]],
) -> None:
    from fastapi.testclient import TestClient

    from services import accounts, clock
    from web.app import create_app

    _parent, children = two_levels
    phutuc, neighbour = children["XA238-PHUTUC"], children["XA238-ANKHANH"]
    tokens = {
        name: accounts.issue_token(name, name="t", now=clock.now(), actor="t")["token"]
        for name in ("khoa", "mai")
    }
    with TestClient(create_app()) as client:
        khoa = {"Authorization": f"Bearer {tokens['khoa']}"}
        listed = client.get(f"/api/tasks?cycle={phutuc}", headers=khoa).json()
        assert listed["total"] == len(_tasks_of(phutuc)) > 0
        shown = client.get(f"/api/cycles/{phutuc}", headers=khoa).json()
        assert shown["progress"]["total"] == listed["total"]
        clerk = _tasks_of(phutuc)["UBND-PHUTUC"]
        assert client.get(f"/api/tasks/{clerk}", headers=khoa).status_code == 200
        extend = client.post(f"/api/tasks/{clerk}/extensions", headers=khoa,
                             json={"new_due_date": "2024-08-30", "reason": "x"})  # fmt: skip
        assert extend.status_code == 403
        close = client.post(f"/api/cycles/{phutuc}/synthesize", headers=khoa, json={})
        assert close.status_code == 403
        mai = {"Authorization": f"Bearer {tokens['mai']}"}
        assert client.get(f"/api/cycles/{neighbour}", headers=mai).status_code == 403
        assert client.get(f"/api/tasks?cycle={neighbour}", headers=mai).json()["total"] == 0


COMMUNE_REPORT = (
    "# I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238\nĐã tổ chức 4 hội nghị.\n\n"
    "# II. Những nhiệm vụ trọng tâm trong thời gian tới\nTiếp tục tuyên truyền.\n\n"
    "# III. Đề xuất, kiến nghị\nKhông.\n"
)


def _row(html: str, marker: str) -> str:
    return html.split(marker, 1)[1].split("</tr>", 1)[0]


def _cells(row: str) -> list[int]:
    import re

    found = re.findall(r'class="num (done_on_time|done_late|pending|overdue|total)">(\d+)<', row)
    return [int(n) for _k, n in found]


def test_the_dashboard_drills_down_and_sums_up_the_levels(
    two_levels: tuple[int, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The province board's dashboard: its cycle's own buckets (của cấp tỉnh), each
    commune's cycle with the commune board's task above and the commune's own buckets,
    linked to drill into it, and the sum with the communes (gồm cả cấp xã); the figures
    are the tree's, as the API and ``phoihop cycle tree --json`` give them."""
    import json

    from fastapi.testclient import TestClient

    from services import accounts, clock, rollup
    from services.provision import submit
    from web import queries
    from web.app import create_app

    parent, children = two_levels
    monkeypatch.setenv("PHOIHOP_NOW", "2024-07-11T09:00")  # the communes' date has passed
    phutuc = children["XA238-PHUTUC"]
    submit(COMMUNE_REPORT, task_id=_tasks_of(phutuc)["UBND-PHUTUC"], now=clock.now(), actor="t")
    above = _tasks_of(parent)
    token = accounts.issue_token("khoa", name="t", now=clock.now(), actor="t")["token"]
    with TestClient(create_app(), follow_redirects=False) as client:
        assert login(client, "khoa").status_code == 303
        html = client.get("/").text
        section = html.split('<section id="rollup">', 1)[1].split("</section>", 1)[0]
        assert f'href="#rollup-{parent}"' in html  # from the cycle's progress row
        own = _row(section, '<tr class="own">')
        assert "QD238/2024-H1: của cấp tỉnh" in own and _cells(own) == [0, 0, 10, 0, 10]
        row = _row(section, f'<tr class="child" data-cycle="{phutuc}">')
        assert f'<a href="/cycles/{phutuc}">XA238-PHUTUC/2024-H1</a>' in row
        assert f'<a href="/tasks/{above["DU-PHUTUC"]}">chưa gửi</a>' in row  # the board's task
        assert _cells(row) == [0, 1, 0, 2, 3]  # the commune's own: one late, two overdue
        order = [section.index(f'data-cycle="{children[code]}"') for code in
                 ("XA238-ANKHANH", "XA238-PHUTUC", "XA238-TANTHACH")]  # fmt: skip
        assert order == sorted(order)  # worst first: 3 overdue, then 2 and a late one, then 2
        assert section.count('<tr class="child"') == 3 and 'class="more"' not in section
        total = _row(section, '<tr class="all">')
        assert "QD238/2024-H1: gồm cả cấp xã" in total and _cells(total) == [0, 1, 10, 7, 18]
        monkeypatch.setattr(queries, "DRILL_ROWS", 2)  # a province of many communes
        cut = client.get("/").text.split('<section id="rollup">', 1)[1].split("</section>")[0]
        assert (
            cut.count('<tr class="child"') == 2
            and f'data-cycle="{children["XA238-TANTHACH"]}"' not in cut
        )
        assert f'<a href="/cycles/{parent}">Còn 1 kỳ cấp dưới khác' in cut
        assert _cells(_row(cut, '<tr class="all">')) == [0, 1, 10, 7, 18]  # still every level
        english = client.get("/?lang=en").text
        assert "QD238/2024-H1: province level only" in english
        assert "QD238/2024-H1: including the commune level" in english
        # drill down: the commune's cycle page lists its bodies
        commune = client.get(f"/cycles/{phutuc}").text
        assert 'data-body="UBND-PHUTUC"' in commune and 'data-body="MTTQ-PHUTUC"' in commune

        api = client.get(f"/api/cycles/{parent}/tree", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 200
    cli_json = json.loads(json.dumps(rollup.tree("QD238/2024-H1", clock.now()), default=str))
    assert api.json()["cycles"] == cli_json["cycles"]
    by_id = {n["id"]: n for n in api.json()["cycles"]}
    assert [by_id[phutuc]["buckets"][k] for k in ("done_on_time", "done_late", "pending",
                                                  "overdue", "total")] == _cells(row)  # fmt: skip


def test_only_whoever_sees_a_cycle_whole_gets_its_tree(
    two_levels: tuple[int, dict[str, int]],
) -> None:
    """A commune board: its own cycle's tree (it and nothing above), not the province's
    nor a neighbour's; its dashboard drills into its own cycle only."""
    from fastapi.testclient import TestClient

    from services import accounts, clock
    from web.app import create_app

    parent, children = two_levels
    token = accounts.issue_token("mai", name="t", now=clock.now(), actor="t")["token"]
    mai = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(), follow_redirects=False) as client:
        own = client.get(f"/api/cycles/{children['XA238-PHUTUC']}/tree", headers=mai)
        assert own.status_code == 200
        assert [n["ref"] for n in own.json()["cycles"]] == ["XA238-PHUTUC/2024-H1"]
        assert own.json()["cycles"][0]["parent"] == "QD238/2024-H1"
        assert client.get(f"/api/cycles/{parent}/tree", headers=mai).status_code == 403
        neighbour = children["XA238-ANKHANH"]
        assert client.get(f"/api/cycles/{neighbour}/tree", headers=mai).status_code == 403
        assert login(client, "mai").status_code == 303
        assert 'id="rollup"' not in client.get("/").text  # its task above is no drill-down


@pytest.fixture
def two_level_server(two_levels: tuple[int, dict[str, int]]) -> Any:
    """The web face over the two levels, on loopback (as test_browser's server)."""
    from tests.web.test_browser import serving

    with serving() as url:
        yield url


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
@pytest.mark.parametrize("width", [1366, 390])
def test_the_drill_down_in_chromium_passes_axe_and_fits(
    two_levels: tuple[int, dict[str, int]], two_level_server: str, browser: Any, width: int
) -> None:
    """The province board follows its dashboard down to a commune's cycle and a commune
    body's task (read-only); every page axe-clean, none wider than the screen."""
    pytest.importorskip("axe_playwright_python.sync_playwright")
    from tests.web.test_faces import check, open_as

    _parent, children = two_levels
    phutuc = children["XA238-PHUTUC"]
    page = open_as(browser, two_level_server, "khoa", width)
    found = {"dashboard": check(page, width)}
    page.click(f"table.rollup tr[data-cycle='{phutuc}'] a[href='/cycles/{phutuc}']")
    page.wait_for_url(f"{two_level_server}/cycles/{phutuc}")
    found["commune cycle"] = check(page, width)
    assert page.locator("tr[data-body='UBND-PHUTUC']").count() == 1
    assert page.locator("button[name=accept], button[name=extend]").count() == 0
    page.click("tr[data-body='UBND-PHUTUC'] a")
    found["commune task"] = check(page, width)
    assert page.locator("form[action*='/review'], form[action*='/extend']").count() == 0
    page.goto("/?lang=en")
    found["english dashboard"] = check(page, width)
    assert "including the commune level" in page.locator("#rollup").inner_text()
    assert {k: v for k, v in found.items() if v} == {}
    page.context.close()


@pytest.fixture
def two_levels_on_postgresql(pg_url: str, two_levels: tuple[int, dict[str, int]]) -> Any:
    """The two levels in a PostgreSQL database (pg_url is set up first)."""
    return two_levels


def test_the_board_above_is_found_on_postgresql_too(
    two_levels_on_postgresql: tuple[int, dict[str, int]],
) -> None:
    """The recursive lookup of the cycles above, and the drill-down, on PostgreSQL."""
    from fastapi.testclient import TestClient

    from services import db
    from web.app import create_app

    assert db.engine().dialect.name == "postgresql"
    parent, children = two_levels_on_postgresql
    phutuc = children["XA238-PHUTUC"]
    with TestClient(create_app(), follow_redirects=False) as client:
        assert login(client, "khoa").status_code == 303
        assert client.get(f"/cycles/{phutuc}").status_code == 200
        assert client.get(f"/tasks/{_tasks_of(phutuc)['UBND-PHUTUC']}").status_code == 200
        section = client.get("/").text.split('<section id="rollup">', 1)[1]
        assert section.count('<tr class="child"') == 3
        client.cookies.clear()
        assert login(client, "mai").status_code == 303
        assert client.get(f"/cycles/{children['XA238-ANKHANH']}").status_code == 403


def test_the_roll_up_downloads_with_the_dashboard_and_a_viewer_sees_it(
    two_levels: tuple[int, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard's .xlsx and .csv carry the roll-up (every cycle below, the page's cut
    aside); leadership sees the drill-down too, without links into tasks it may not read."""
    import io

    import openpyxl
    from fastapi.testclient import TestClient

    from services import accounts, clock
    from web import queries
    from web.app import create_app

    parent, children = two_levels
    monkeypatch.setattr(queries, "DRILL_ROWS", 1)
    accounts.create_user("lanhdao", body="TU-BT", role="viewer", password=PASSWORD,
                         display_name="Thường trực", now=clock.now(), actor="t")  # fmt: skip
    with TestClient(create_app(), follow_redirects=False) as client:
        assert login(client, "khoa").status_code == 303
        book = openpyxl.load_workbook(io.BytesIO(client.get("/dashboard.xlsx").content))
        assert book.sheetnames[-1] == "Cấp dưới"
        rows = [[c.value for c in r] for r in book["Cấp dưới"].iter_rows()]
        rows = rows[[r[0] for r in rows].index("Kỳ") + 1 :]  # below the title and the headings
        assert [r[1] for r in rows] == [
            "của cấp tỉnh", "XA238-ANKHANH/2024-H1", "XA238-PHUTUC/2024-H1",
            "XA238-TANTHACH/2024-H1", "gồm cả cấp xã",
        ]  # fmt: skip
        assert rows[0][4:] == [0, 0, 10, 0, 10] and rows[-1][4:] == [0, 0, 18, 0, 18]
        assert rows[2][3] == "chưa gửi"  # the commune board's task above
        assert "Các kỳ cấp dưới" in client.get("/dashboard.csv").content.decode("utf-8")
        client.cookies.clear()
        assert login(client, "lanhdao").status_code == 303
        section = client.get("/").text.split('<section id="rollup">', 1)[1].split("</section>")[0]
        assert f'<a href="/cycles/{children["XA238-ANKHANH"]}">' in section  # worst, then A-Z
        assert "Còn 2 kỳ cấp dưới khác" in section
        assert 'href="/tasks/' not in section and "gồm cả cấp xã" in section
        assert f'data-cycle="{parent}"' in section
