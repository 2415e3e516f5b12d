"""An audit record's detail keeps dates as ISO text, converted in one place
(services.db.audit): callers pass the dates they hold, and the stored JSON is what the
callers' own ``isoformat()`` calls used to write."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

from sqlalchemy import text


def test_dates_in_an_audit_detail_are_stored_as_iso_text_at_any_depth() -> None:
    from services import db

    at = datetime(2024, 7, 3, 1, 0, tzinfo=UTC)
    with db.transaction() as session:
        db.audit(
            session, at=at, actor="t", action="cycle.opened", cycle_id=None,
            letter_date=date(2024, 7, 3), requested_due=None, until=at, hour=time(17, 30),
            worked_back={"parent_due": date(2024, 7, 31), "tight": False, "days": 5},
            fields={"valid_from": [date(2024, 1, 1), None]}, dues=(date(2024, 7, 12),),
            letter_no="310-CV/BTGTU",
        )  # fmt: skip
    with db.reading() as session:
        stored = session.connection().execute(text("SELECT detail FROM auditrecord")).scalar_one()
    assert json.loads(stored) == {
        "letter_date": "2024-07-03",
        "requested_due": None,
        "until": "2024-07-03T01:00:00+00:00",
        "hour": "17:30:00",
        "worked_back": {"parent_due": "2024-07-31", "tight": False, "days": 5},
        "fields": {"valid_from": ["2024-01-01", None]},
        "dues": ["2024-07-12"],
        "letter_no": "310-CV/BTGTU",
    }
