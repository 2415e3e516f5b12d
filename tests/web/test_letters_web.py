"""Letters and the draft report on the web: who may list and download them."""

from __future__ import annotations

from typing import Any

from services import escalation
from services.notices import prepare_outbox
from tests.web.conftest import Web, local


def _sweep(moment: str) -> None:
    escalation.sweep(now=local(moment))
    prepare_outbox(now=local(moment))


def test_the_cycle_page_lists_the_letters_and_each_body_gets_its_own(
    web: Web, browser_login: Any, now: Any
) -> None:
    now("2024-07-17T09:00")
    _sweep("2024-07-17T08:00")  # level 2: a numbered letter to every late body
    coordinator = browser_login("khoa")
    page = coordinator.get(f"/cycles/{web.cycle_id}")
    assert "Công văn đôn đốc" in page.text and "01-CV/BTGTU" in page.text
    listed = web.api("GET", f"/api/cycles/{web.cycle_id}/letters", "khoa").json()
    assert len(listed) == 7
    ubnd = next(x for x in listed if x["body"] == "UBND")
    other = next(x for x in listed if x["body"] == "HDND")
    got = coordinator.get(f"/cycles/{web.cycle_id}/letters/{ubnd['id']}.docx")
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert "cong-van-don-doc" in got.headers["content-disposition"]
    # the late body sees and downloads its own letter, not another body's
    mine = web.api("GET", f"/api/cycles/{web.cycle_id}/letters", "ubnd").json()
    assert [x["id"] for x in mine] == [ubnd["id"]]
    assert web.api("GET", f"/api/letters/{ubnd['id']}", "ubnd").status_code == 200
    assert web.api("GET", f"/api/letters/{other['id']}", "ubnd").status_code == 403
    agency = browser_login("ubnd")
    assert agency.get(f"/cycles/{web.cycle_id}/letters/{other['id']}.docx").status_code == 403


def test_a_draft_report_for_its_coordinator_only(web: Web, browser_login: Any, now: Any) -> None:
    now("2024-07-10T09:00")
    draft = web.api("GET", f"/api/cycles/{web.cycle_id}/draft.docx", "khoa")
    assert draft.status_code == 200 and draft.content[:2] == b"PK"
    assert "du-thao" in draft.headers["content-disposition"]
    assert web.api("GET", f"/api/cycles/{web.cycle_id}/draft.docx", "ubnd").status_code == 403
    page = browser_login("khoa").get(f"/cycles/{web.cycle_id}/draft.docx")
    assert page.status_code == 200
