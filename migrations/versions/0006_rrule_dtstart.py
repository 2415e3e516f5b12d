"""Every program's RRule carries an explicit DTSTART.

A rule without one was anchored by whoever read it (Prefect: 2020-01-01). The
rule keeps its meaning with the start of the day the program was registered
(local Vietnam time, as ``rules.schedule.anchored`` writes it from now on).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:40:00
"""

from collections.abc import Sequence
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def upgrade() -> None:
    conn = op.get_bind()
    program = sa.table(
        "program", sa.column("id"), sa.column("schedule"), sa.column("created_at", sa.DateTime)
    )
    rows = conn.execute(
        sa.select(program.c.id, program.c.schedule, program.c.created_at).where(
            program.c.schedule.is_not(None)
        )
    ).all()
    for pid, rule, created in rows:
        text = rule.strip()
        if not text or any(
            line.strip().upper().startswith("DTSTART") for line in text.splitlines()
        ):
            continue
        created = created.replace(tzinfo=UTC) if created.tzinfo is None else created
        start = created.astimezone(VN).date()
        body = text if text.upper().startswith("RRULE:") else f"RRULE:{text}"
        conn.execute(
            program.update()
            .where(program.c.id == pid)
            .values(schedule=f"DTSTART:{start:%Y%m%d}T000000\n{body}")
        )


def downgrade() -> None:
    pass  # a DTSTART the rule always implied is harmless to keep
