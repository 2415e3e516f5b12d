"""An agency's submission, the busiest write of a national deadline, in few statements."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from services import db
from tests.web.conftest import Web, report_text


def _statements(web: Web, username: str, task: int, text: str) -> tuple[Any, list[str]]:
    seen: list[str] = []

    def grab(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(db.engine(), "before_cursor_execute", grab)
    try:
        response = web.api("POST", f"/api/tasks/{task}/submissions", username, json={"text": text})
    finally:
        event.remove(db.engine(), "before_cursor_execute", grab)
    return response, seen


def test_a_submission_reads_its_task_once_before_its_transaction(web: Web) -> None:
    task = web.tasks["UBND"]
    web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": report_text()})
    response, seen = _statements(web, "ubnd", task, report_text("Bổ sung."))
    assert response.status_code == 201, response.text
    assert response.json()["version"] == 2
    reads = [s for s in seen if s.startswith("SELECT") and " FROM task " in f"{s} "]
    # One read for the permission check and the reading of the report, one inside the
    # transaction (locked, with the standing version): not a third for the check alone.
    assert len(reads) == 2, reads
    assert seen.index(reads[0]) < min(i for i, s in enumerate(seen) if s.startswith("INSERT"))


def test_another_bodys_agency_is_refused_before_the_task_state_is_told(web: Web) -> None:
    """The check and the reading share one read, yet the refusal still comes first: an
    agency of another body gets the bare 403, not a 409 telling the task is accepted."""
    task = web.tasks["UBND"]
    web.api("POST", f"/api/tasks/{task}/submissions", "ubnd", json={"text": report_text()})
    accept = {"decision": "accept"}
    assert web.api("POST", f"/api/tasks/{task}/review", "khoa", json=accept).status_code == 200
    refused, seen = _statements(web, "hdnd", task, report_text())
    assert refused.status_code == 403
    assert "accepted" not in refused.text
    assert not any(s.startswith("INSERT INTO submission") for s in seen)
    closed, _ = _statements(web, "ubnd", task, report_text("Bổ sung."))
    assert closed.status_code == 409, closed.text  # its own agency is told why
