"""Versioned programs, and the subject of an ad-hoc request.

``program update`` must not change what a cycle already opened runs by: its
outline, its urging ladder and the working days its deadlines came from. Those
terms move to ``programversion`` rows, written once; a cycle points at the one it
was opened under.

- ``programversion``: version 1 of every existing program, its terms copied from
  the program row, valid from the day the program was registered (local time);
- ``cycle.program_version_id``: every existing cycle points at its program's
  version 1 (the only terms it could have been opened with);
- ``cycle.subject``: the subject of an ad-hoc request (báo cáo đột xuất); NULL for
  a regular period, as every cycle before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 17:13:14
"""

from collections.abc import Sequence
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TERMS = (
    "cutoff_start_day", "provide_working_days", "review_working_days",
    "synthesis_working_days", "margin_working_days", "outline", "escalation",
)  # fmt: skip


def upgrade() -> None:
    version = op.create_table(
        "programversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("cutoff_start_day", sa.Integer(), nullable=False),
        sa.Column("provide_working_days", sa.Integer(), nullable=False),
        sa.Column("review_working_days", sa.Integer(), nullable=False),
        sa.Column("synthesis_working_days", sa.Integer(), nullable=False),
        sa.Column("margin_working_days", sa.Integer(), nullable=False),
        sa.Column("outline", sa.JSON(), nullable=False),
        sa.Column("escalation", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"], ["program.id"], name="fk_programversion_program_id_program"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("program_id", "version", name="uq_programversion_program_version"),
    )
    with op.batch_alter_table("programversion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programversion_program_id"), ["program_id"], unique=False
        )
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("program_version_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=True))

    conn = op.get_bind()
    program = sa.table(
        "program", sa.column("id"), sa.column("created_at", sa.DateTime),
        *(sa.column(name, sa.JSON if name in ("outline", "escalation") else None)
          for name in TERMS),
    )  # fmt: skip
    rows = conn.execute(sa.select(program.c.id, program.c.created_at, *program.c[TERMS])).all()
    for row in rows:
        created = row.created_at
        created = created.replace(tzinfo=UTC) if created.tzinfo is None else created
        conn.execute(
            version.insert().values(
                program_id=row.id,
                version=1,
                valid_from=created.astimezone(VN).date(),
                created_at=created,
                **{name: getattr(row, name) for name in TERMS},
            )  # fmt: skip
        )
    cycle = sa.table("cycle", sa.column("program_id"), sa.column("program_version_id"))
    conn.execute(
        cycle.update().values(
            program_version_id=sa.select(version.c.id)
            .where(version.c.program_id == cycle.c.program_id, version.c.version == 1)
            .scalar_subquery()
        )
    )

    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.alter_column("program_version_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_cycle_program_version_id"), ["program_version_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_cycle_program_version_id_programversion",
            "programversion",
            ["program_version_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.drop_constraint("fk_cycle_program_version_id_programversion", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_cycle_program_version_id"))
        batch_op.drop_column("subject")
        batch_op.drop_column("program_version_id")
    with op.batch_alter_table("programversion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programversion_program_id"))
    op.drop_table("programversion")
