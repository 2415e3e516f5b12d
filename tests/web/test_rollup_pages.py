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
