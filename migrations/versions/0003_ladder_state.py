"""Each task keeps its ladder state and the moment its next rung is due, indexed.

The sweep used to read every waiting task near its deadline and every
escalation row of theirs; now it reads only tasks whose ``next_rung_at`` has
come. Existing tasks get their state from the rows they already have:

- ``rungs_done``: how far into the ladder of the current epoch the fired rungs
  reach (reminders, closest last, then the levels, as ``rules.escalation``
  orders them; the policy is read from the program's stored JSON);
- ``next_rung_at``: for a task still waiting in an open cycle, "now" (the
  epoch of the Unix clock), so the first sweep after the upgrade works out the
  true moment without firing anything that is not due; None otherwise;
- ``escalations``: the escalation rows the task has (the compliance count);
- ``cycle_open``: the cycle's status. Tasks of closed cycles leave the index
  range the overdue lists read (``ix_task_waiting_due`` replaces
  ``ix_task_status_due``).

And ``ix_escalation_task_id`` goes: the unique (task_id, epoch, step) key
serves those lookups, and the sweep writes thousands of escalations at once.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 11:31:33.595160
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = ("pending", "returned")
SWEEP_SOON = datetime(1970, 1, 1, tzinfo=UTC)


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rungs_done", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("next_rung_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("escalations", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("cycle_open", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.drop_index("ix_task_status_due")
        batch_op.create_index(batch_op.f("ix_task_next_rung_at"), ["next_rung_at"], unique=False)
        batch_op.create_index(
            "ix_task_waiting_due", ["cycle_open", "status", "due_at"], unique=False
        )

    # Lookups by task use uq_escalation_step (task_id, epoch, step); a second index on
    # task_id alone only cost every escalation one more write.
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.drop_index("ix_escalation_task_id")

    _derive_ladder_state(op.get_bind())


def _position(step: str, reminders: list[int]) -> int | None:
    """Where ``step`` stands in the ladder: reminders from the furthest, then levels."""
    kind, _, number = step.partition("-")
    if not number.isdigit():
        return None
    ordered = sorted(set(reminders), reverse=True)
    if kind == "reminder":
        return ordered.index(int(number)) if int(number) in ordered else None
    return len(ordered) + int(number) - 1 if kind == "level" else None


def _derive_ladder_state(conn: sa.Connection) -> None:
    task, cycle, escalation = (
        sa.table(name, *(sa.column(c) for c in cols))
        for name, cols in (
            ("task", ("id", "cycle_id", "status", "ladder_epoch", "rungs_done",
                      "next_rung_at", "escalations", "cycle_open")),
            ("cycle", ("id", "program_id", "status")),
            ("escalation", ("task_id", "epoch", "step", "kind")),
        )
    )  # fmt: skip
    program = sa.table("program", sa.column("id"), sa.column("escalation", sa.JSON))
    conn.execute(
        task.update()
        .where(task.c.cycle_id.in_(sa.select(cycle.c.id).where(cycle.c.status != "open")))
        .values(cycle_open=False)
    )
    counts = sa.select(sa.func.count()).where(
        escalation.c.task_id == task.c.id, escalation.c.kind == "escalation"
    )
    conn.execute(task.update().values(escalations=counts.scalar_subquery()))

    policy_of = dict(conn.execute(sa.select(program.c.id, program.c.escalation)).all())
    waiting = conn.execute(
        sa.select(task.c.id, cycle.c.program_id)
        .join(cycle, cycle.c.id == task.c.cycle_id)
        .where(cycle.c.status == "open", task.c.status.in_(WAITING))
    ).all()
    fired: dict[int, list[str]] = {}
    this_epoch = (task.c.id == escalation.c.task_id) & (task.c.ladder_epoch == escalation.c.epoch)
    for task_id, step in conn.execute(
        sa.select(escalation.c.task_id, escalation.c.step).join(task, this_epoch)
    ):
        fired.setdefault(task_id, []).append(step)
    rows = []
    for task_id, program_id in waiting:
        policy = policy_of.get(program_id) or {}
        reminders = [int(k) for k in policy.get("reminders") or []]
        positions = [
            p for step in fired.get(task_id, []) if (p := _position(step, reminders)) is not None
        ]
        rows.append({"tid": task_id, "done": max(positions) + 1 if positions else 0})
    if rows:  # stored as the models store instants: naive UTC on SQLite, aware on PostgreSQL
        stamp = SWEEP_SOON.replace(tzinfo=None) if conn.dialect.name == "sqlite" else SWEEP_SOON
        conn.execute(
            task.update()
            .where(task.c.id == sa.bindparam("tid"))
            .values(rungs_done=sa.bindparam("done"), next_rung_at=stamp),
            rows,
        )


def downgrade() -> None:
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.create_index("ix_escalation_task_id", ["task_id"], unique=False)
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_waiting_due")
        batch_op.drop_index(batch_op.f("ix_task_next_rung_at"))
        batch_op.create_index("ix_task_status_due", ["status", "due_at"], unique=False)
        batch_op.drop_column("cycle_open")
        batch_op.drop_column("escalations")
        batch_op.drop_column("next_rung_at")
        batch_op.drop_column("rungs_done")
