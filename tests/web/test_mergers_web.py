"""A successor's account after a merger: it sees the task handed to it, and its
scorecard (page and API) carries its predecessors' history, labelled as theirs.

QD238/2024-H1 (due 12/07/2024): the information department (SO-TTTT) sends late on
16/07 and is accepted; the culture department (SO-VHTTDL) never sends. Both merge
into a new department, SO-KHCN, from 18/07/2024 (a made-up date, on the demo's cycle).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.steps import CYCLE, REPORTS, Cli, ok
from tests.web.conftest import PASSWORD, Web


@pytest.fixture
def merged(web: Web, cli: Cli, now: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Web:
    from services import accounts, clock

    ok(cli("submit", REPORTS / "SO-TTTT.md", "--cycle", CYCLE, "--body", "SO-TTTT",
           "--now", "2024-07-16T10:00", "--json"))  # fmt: skip
    ok(cli("review", "accept", "--cycle", CYCLE, "--body", "SO-TTTT", "--now",
           "2024-07-17T09:00", "--json"))  # fmt: skip
    bodies = tmp_path / "khcn.csv"
    bodies.write_text(
        "code,name,level,parent,valid_from\n"
        "SO-KHCN,Sở Khoa học và Công nghệ,province,UBND,2024-07-18\n", "utf-8"
    )  # fmt: skip
    ok(cli("bodies", "import", bodies, "--now", "2024-07-17T10:00", "--json"))
    done = ok(cli("bodies", "merge", "SO-TTTT", "SO-VHTTDL", "--into", "SO-KHCN", "--on",
                  "2024-07-18", "--decision", "Quyết định số 1/QĐ-UBND", "--now",
                  "2024-07-18T09:00", "--json"))  # fmt: skip
    assert [(h["from"], h["moved"]) for h in done["handed_over"]] == [("SO-VHTTDL", True)]
    now("2024-07-18T10:00")
    accounts.create_user("khcn", body="SO-KHCN", role="agency", password=PASSWORD,
                         display_name="Sở KH&CN", now=clock.now(), actor="test")  # fmt: skip
    web.tokens["khcn"] = accounts.issue_token("khcn", name="t", now=clock.now(), actor="t")["token"]
    return web


def test_the_successors_account_sees_the_task_handed_to_it(merged: Web) -> None:
    task = merged.tasks["SO-VHTTDL"]
    seen = merged.api("GET", f"/api/tasks/{task}", "khcn")
    assert seen.status_code == 200, seen.text
    assert seen.json()["task"]["body"] == "SO-KHCN"
    mine = merged.api("GET", "/api/tasks", "khcn").json()["items"]
    assert [t["task"] for t in mine] == [task]
    assert merged.api("GET", f"/api/tasks/{task}", "ubnd").status_code in (403, 404)


def test_the_successors_scorecard_carries_its_predecessors_history(
    merged: Web, browser_login: Any
) -> None:
    data = merged.api("GET", "/api/scorecard", "khcn").json()
    [row] = data["bodies"]
    assert row["body"] == "SO-KHCN"
    assert [(p["body"], p["effective_on"], p["decision"]) for p in row["predecessors"]] == [
        ("SO-TTTT", "2024-07-18", "Quyết định số 1/QĐ-UBND"),
        ("SO-VHTTDL", "2024-07-18", "Quyết định số 1/QĐ-UBND"),
    ]
    # SO-TTTT's accepted late report (its own task, seen through the merger) and
    # SO-VHTTDL's task, handed over and still unsent past its deadline.
    assert (row["total"], row["done_late"], row["overdue"], row["on_time_rate"]) == (2, 1, 1, 0.0)
    assert data["cycles"][0]["from_predecessors"] == ["SO-TTTT", "SO-VHTTDL"]
    assert data["trends"][0]["series"][0]["from_predecessors"] == ["SO-TTTT", "SO-VHTTDL"]
    html = browser_login("khcn").get("/scorecard").text
    section = html.split('id="bodies"', 1)[1].split("</section>", 1)[0]
    assert 'data-predecessors="SO-TTTT SO-VHTTDL"' in section
    assert "Gồm lịch sử của cơ quan tiền thân: Sở Thông tin và Truyền thông (SO-TTTT)" in section
    assert "sáp nhập từ 18/07/2024, Quyết định số 1/QĐ-UBND" in section


def test_the_successor_may_ask_for_its_own_scorecard_and_others_may_not(
    merged: Web, browser_login: Any
) -> None:
    mine = browser_login("khcn").get("/scorecard?body=SO-KHCN")
    assert mine.status_code == 200 and 'data-predecessors="SO-TTTT SO-VHTTDL"' in mine.text
    assert merged.api("GET", "/api/scorecard?body=SO-KHCN", "ubnd").status_code == 403
    assert merged.api("GET", "/api/scorecard?body=SO-KHCN", "lanhdao").json()["bodies"][0][
        "predecessors"
    ]
