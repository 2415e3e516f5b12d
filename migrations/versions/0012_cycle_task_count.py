"""A cycle keeps the number of its tasks, so its progress is not a count of all of them.

The dashboards show each cycle's four buckets (on time, late, waiting, overdue).
They were counted from every task of every cycle shown: at a million open tasks
that is a read of a million index entries on every page load (~60–110 ms on
PostgreSQL here), and the count grew with the size of the cycles, not with what
had happened in them.

A cycle's tasks are written once, when it opens (one per body asked; none is
added or removed later), so their number is a fact of the cycle. This revision
adds ``cycle.task_count`` and fills it for every existing cycle from its tasks;
the dashboards count only the tasks no longer pending and take the pending ones
as the rest.

The downgrade drops the column; nothing else depended on it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 23:01:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("task_count", sa.Integer(), server_default="0", nullable=False)
        )
    cycle = sa.table("cycle", sa.column("id"), sa.column("task_count"))
    task = sa.table("task", sa.column("cycle_id"))
    counted = (
        sa.select(sa.func.count())
        .select_from(task)
        .where(task.c.cycle_id == cycle.c.id)
        .scalar_subquery()
    )
    op.execute(cycle.update().values(task_count=counted))


def downgrade() -> None:
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.drop_column("task_count")
