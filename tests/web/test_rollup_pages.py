"""The cycle page over two levels: the province's links each commune board's task to the
commune's cycle, and the commune's names the cycle above."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.conftest import PASSWORD, local, login


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
        mai = {"Authorization": f"Bearer {tokens['mai']}"}
        assert client.get(f"/api/cycles/{neighbour}", headers=mai).status_code == 403
        assert client.get(f"/api/tasks?cycle={neighbour}", headers=mai).json()["total"] == 0
