"""The access matrix: role × own/other body × action, through the API and the pages.

Two programs: QD238 coordinated by BTGTU (``khoa``), with UBND and HDND among
its bodies; P2 coordinated by UBND (``ubndc``), in which HDND reports. Every
refusal must be a bare 403 (nothing about the task in it) and be audited.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Web, report_text

P2 = """\
code: P2
title: Báo cáo công tác cải cách hành chính
coordinator: UBND
bodies: [HDND, TAND]
period: half
working_days: {provide: 7, review: 3, synthesis: 2}
outline:
  - {code: I, title: Đánh giá tình hình và kết quả thực hiện Quyết định số 238}
  - {code: II, title: Những nhiệm vụ trọng tâm trong thời gian tới}
"""

USERS = ("khoa", "ubnd", "hdnd", "ubndc", "lanhdao")
TARGETS = ("p1_ubnd", "p1_hdnd", "p2_hdnd")
# Who may do what on which task (everything else must be refused).
READ = {
    ("khoa", "p1_ubnd"),
    ("khoa", "p1_hdnd"),
    ("ubnd", "p1_ubnd"),
    ("hdnd", "p1_hdnd"),
    ("hdnd", "p2_hdnd"),
    ("ubndc", "p1_ubnd"),
    ("ubndc", "p2_hdnd"),
}
SUBMIT = {("ubnd", "p1_ubnd"), ("hdnd", "p1_hdnd"), ("hdnd", "p2_hdnd")}
REVIEW = {("khoa", "p1_ubnd"), ("khoa", "p1_hdnd"), ("ubndc", "p2_hdnd")}
CYCLE_READ = {
    ("khoa", "c1"),
    ("ubnd", "c1"),
    ("hdnd", "c1"),
    ("hdnd", "c2"),
    ("ubndc", "c1"),
    ("ubndc", "c2"),
    ("lanhdao", "c1"),
    ("lanhdao", "c2"),
}
CYCLE_MANAGE = {("khoa", "c1"), ("ubndc", "c2")}


@pytest.fixture
def world(web: Web, tmp_path: Path) -> tuple[Web, dict[str, int], dict[str, int]]:
    from datetime import date

    from services import loaders, registry
    from services.cycles import open_cycle
    from tests.web.conftest import local

    spec = tmp_path / "p2.yaml"
    spec.write_text(P2, encoding="utf-8")
    registry.add_program(loaders.load_program(str(spec)), now=local("2024-07-01"), actor="t")
    opened = open_cycle(
        "P2",
        "2024-H1",
        letter_no=None,
        letter_date=date(2024, 7, 3),
        now=local("2024-07-03T09:00"),
        actor="t",
    )
    c2 = opened.cycle.id
    p2_hdnd = web.api("GET", f"/api/tasks?cycle={c2}&body=HDND", "ubndc").json()["items"][0]
    tasks = {"p1_ubnd": web.tasks["UBND"], "p1_hdnd": web.tasks["HDND"], "p2_hdnd": p2_hdnd["task"]}
    return web, tasks, {"c1": web.cycle_id, "c2": c2}


def denials(path: str) -> list[dict[str, Any]]:
    from sqlmodel import select

    from models import AuditRecord
    from services import db

    with db.reading() as session:
        rows = session.exec(select(AuditRecord).where(AuditRecord.action == "access.denied")).all()
    return [r.detail for r in rows if r.detail.get("path") == path]


def check(response: Any, allowed: bool, user: str, path: str) -> None:
    if allowed:
        assert response.status_code != 403, (user, path, response.text)
        assert response.status_code < 500
        assert not denials(path)
    else:
        assert response.status_code == 403, (user, path, response.status_code, response.text)
        if response.headers["content-type"].startswith("application/json"):
            # the same words for every refusal, in Vietnamese by default
            assert response.json() == {"error": "Không có quyền truy cập.", "error_en": "forbidden"}
        else:
            main = response.text.split("<main", 1)[1].split("</main>", 1)[0]
            assert "Không có quyền truy cập." in main
            assert "liên hệ đầu mối của cơ quan chủ trì" in main  # whom to ask: the focal
            # contacts of the bodies coordinating the user's programs, whatever was refused
            before, contacts = main.split('<ul class="contacts">', 1)
            contacts, after = contacts.split("</ul>", 1)
            assert "mailto:" in contacts
            main = before + after
            for leak in ("Ủy ban", "Hội đồng", "Tòa án", "QD238", "P2", "Quyết định"):
                assert leak not in main
        [record] = denials(path)
        assert record["user"] == user and record["reason"]


TASK_ACTIONS = ("read", "versions", "submit", "review", "extend")


def _api_task_action(web: Web, user: str, task: int, action: str) -> tuple[Any, str]:
    if action == "read":
        path = f"/api/tasks/{task}"
        return web.api("GET", path, user), path
    if action == "versions":
        path = f"/api/tasks/{task}/submissions"
        return web.api("GET", path, user), path
    if action == "submit":
        path = f"/api/tasks/{task}/submissions"
        return web.api("POST", path, user, json={"text": report_text()}), path
    if action == "review":
        path = f"/api/tasks/{task}/review"
        return web.api("POST", path, user, json={"decision": "accept"}), path
    path = f"/api/tasks/{task}/extensions"
    body = {"new_due_date": "2024-07-30", "reason": "Chờ số liệu"}
    return web.api("POST", path, user, json=body), path


@pytest.mark.parametrize("action", TASK_ACTIONS)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("user", USERS)
def test_api_task_matrix(world: Any, user: str, target: str, action: str) -> None:
    web, tasks, _cycles = world
    allowed = {
        "read": READ,
        "versions": READ,
        "submit": SUBMIT,
        "review": REVIEW,
        "extend": REVIEW,
    }[action]
    response, path = _api_task_action(web, user, tasks[target], action)
    check(response, (user, target) in allowed, user, path)


@pytest.mark.parametrize("action", ("read", "synthesize", "report"))
@pytest.mark.parametrize("target", ("c1", "c2"))
@pytest.mark.parametrize("user", USERS)
def test_api_cycle_matrix(world: Any, user: str, target: str, action: str) -> None:
    web, _tasks, cycles = world
    cid = cycles[target]
    if action == "read":
        path = f"/api/cycles/{cid}"
        response = web.api("GET", path, user)
        allowed = (user, target) in CYCLE_READ
    elif action == "synthesize":
        path = f"/api/cycles/{cid}/synthesize"
        response = web.api("POST", path, user)
        allowed = (user, target) in CYCLE_MANAGE
    else:
        path = f"/api/cycles/{cid}/report"
        response = web.api("GET", path, user)
        allowed = (user, target) in CYCLE_MANAGE or user == "lanhdao"  # leadership reads
    check(response, allowed, user, path)


@pytest.mark.parametrize("user", USERS)
def test_lists_show_only_what_the_role_may_see(world: Any, user: str) -> None:
    web, tasks, _cycles = world
    rows = web.api("GET", "/api/tasks?limit=500", user).json()["items"]
    seen = {r["task"] for r in rows}
    if user == "lanhdao":  # leadership: every body's summary row
        assert seen >= set(tasks.values())
    else:
        assert seen & set(tasks.values()) == {tasks[t] for t in TARGETS if (user, t) in READ}
    overdue = web.api("GET", "/api/dashboard/overdue", user).json()
    assert overdue["total"] == 0  # before the deadline
    bodies = {b["body"] for b in web.api("GET", "/api/stats/bodies", user).json()["items"]}
    if user in ("ubnd", "hdnd"):
        assert bodies == {user.upper()}


@pytest.mark.parametrize("action", ("read", "submit", "review", "extend"))
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("user", USERS)
def test_page_matrix(world: Any, browser_login: Any, user: str, target: str, action: str) -> None:
    from tests.web.conftest import csrf_of

    web, tasks, _cycles = world
    client = browser_login(user)
    task = tasks[target]
    token = csrf_of(client.get("/agency").text)
    if action == "read":
        path = f"/tasks/{task}"
        response = client.get(path)
        allowed = (user, target) in READ
    elif action == "submit":
        path = f"/tasks/{task}/submit"
        response = client.post(path, data={"csrf_token": token, "text": report_text()})
        allowed = (user, target) in SUBMIT
    elif action == "review":
        path = f"/tasks/{task}/review"
        response = client.post(path, data={"csrf_token": token, "decision": "accept"})
        allowed = (user, target) in REVIEW
    else:
        path = f"/tasks/{task}/extend"
        data = {"csrf_token": token, "new_due_date": "2024-07-30", "reason": "Chờ số liệu"}
        response = client.post(path, data=data)
        allowed = (user, target) in REVIEW
    check(response, allowed, user, path)


def test_viewer_sees_dashboards_but_no_forms(world: Any, browser_login: Any) -> None:
    web, tasks, cycles = world
    client = browser_login("lanhdao")
    page = client.get(f"/cycles/{cycles['c1']}")
    assert page.status_code == 200
    assert "Ủy ban nhân dân tỉnh" in page.text  # summary rows of every body
    assert "/review" not in page.text and "/extend" not in page.text
    assert "/synthesize" not in page.text and f'href="/tasks/{tasks["p1_ubnd"]}"' not in page.text
    assert client.get("/").status_code == 200


def test_agency_cycle_page_shows_its_own_row_only(world: Any, browser_login: Any) -> None:
    web, tasks, cycles = world
    page = browser_login("ubnd").get(f"/cycles/{cycles['c1']}")
    assert page.status_code == 200
    assert f'data-task="{tasks["p1_ubnd"]}"' in page.text
    assert f'data-task="{tasks["p1_hdnd"]}"' not in page.text
    assert "Thường trực Hội đồng nhân dân tỉnh" not in page.text
    other = browser_login("ubnd").get(f"/cycles/{cycles['c2']}")
    assert other.status_code == 403


def test_csrf_is_required_on_every_form(world: Any, browser_login: Any) -> None:
    web, tasks, _cycles = world
    client = browser_login("ubnd")
    path = f"/tasks/{tasks['p1_ubnd']}/submit"
    for data in ({"text": report_text()}, {"text": report_text(), "csrf_token": "forged"}):
        response = client.post(path, data=data)
        assert response.status_code == 403
    assert len(denials(path)) == 2
    assert web.api("GET", f"/api/tasks/{tasks['p1_ubnd']}", "ubnd").json()["versions"] == []
    # logout needs the token too
    assert client.post("/logout", data={}).status_code == 403
