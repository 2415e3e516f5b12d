"""Mergers: successor links between bodies, and the tasks handed over under them.

2025's reorganisation merged provinces and abolished districts; a body's work
passes to a successor from a date, and its waiting tasks in open cycles are
handed over (services.succession).

- ``succession``: one row per predecessor (``uq_succession_predecessor``: a body
  has one successor), with the day it takes effect and the decision's reference;
- ``task_handover``: one row per task that left a body under a succession, who
  did it and when, and the successor's own task when it already had one there
  (``uq_handover_task_from``: a task leaves a body once).

Two new tables and no new column: old rows need nothing. A task handed over to a
successor that already had its own task gets the status ``handed_over``, which
fits ``task.status`` (16 characters) as it is.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 17:16:19
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "succession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["predecessor_id"], ["body.id"]),
        sa.ForeignKeyConstraint(["successor_id"], ["body.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("predecessor_id", name="uq_succession_predecessor"),
    )
    with op.batch_alter_table("succession", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_succession_successor_id"), ["successor_id"], unique=False
        )

    op.create_table(
        "task_handover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("succession_id", sa.Integer(), nullable=False),
        sa.Column("from_body_id", sa.Integer(), nullable=False),
        sa.Column("to_body_id", sa.Integer(), nullable=False),
        sa.Column("into_task_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["from_body_id"], ["body.id"]),
        sa.ForeignKeyConstraint(["into_task_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["succession_id"], ["succession.id"]),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["to_body_id"], ["body.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "from_body_id", name="uq_handover_task_from"),
    )
    with op.batch_alter_table("task_handover", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_task_handover_succession_id"), ["succession_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_task_handover_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task_handover", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_handover_task_id"))
        batch_op.drop_index(batch_op.f("ix_task_handover_succession_id"))
    op.drop_table("task_handover")
    with op.batch_alter_table("succession", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_succession_successor_id"))
    op.drop_table("succession")
