"""Covering indexes for the dashboards: a cycle's four buckets, the overdue lists.

The dashboards count each open cycle's tasks by status, on-time flag and
deadline on every refresh; with a national program that is a million tasks.
``ix_task_cycle_buckets (cycle_id, status, last_on_time, due_at)`` holds every
column those counts read, in the order they group by, so they are answered from
the index alone without a sort. It begins with ``cycle_id``, so it replaces
``ix_task_cycle_id`` for every lookup by cycle (one more index to keep up to date
would cost every transition for nothing).

``ix_task_waiting_due`` (open cycle, status, deadline) gains the cycle and the
body: the overdue lists of a coordinator (its programs' cycles) or an agency (its
body) are then counted and cut from the index, without reading 50,000 task rows
to learn whose they are.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_cycle_id")
        batch_op.drop_index("ix_task_waiting_due")
        batch_op.create_index(
            "ix_task_cycle_buckets", ["cycle_id", "status", "last_on_time", "due_at"], unique=False
        )
        batch_op.create_index(
            "ix_task_waiting_due",
            ["cycle_open", "status", "due_at", "cycle_id", "body_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_waiting_due")
        batch_op.drop_index("ix_task_cycle_buckets")
        batch_op.create_index(
            "ix_task_waiting_due", ["cycle_open", "status", "due_at"], unique=False
        )
        batch_op.create_index("ix_task_cycle_id", ["cycle_id"], unique=False)
