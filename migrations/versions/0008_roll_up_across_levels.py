"""Roll-up across levels: programs that feed a program above, cycles under a parent.

A commune board's program feeds the province board's program; when the
province's cycle opens, the commune's opens under it, its deadlines worked back
from the commune board's own deadline in the province's cycle, and its
consolidated report becomes the commune board's submission there.

- ``program.feeds_program_id``: the program of the level above (NULL: none, as
  every program before this revision);
- ``program.margin_working_days``: working days kept free between the program's
  synthesis and its coordinator's deadline above (1 for old rows, the default);
- ``program.parent_extension``: what an extension above does to the program's open
  cycle, ``keep`` its deadlines (old rows, the default) or ``follow`` it;
- ``cycle.parent_cycle_id``: the cycle of the level above it was opened under
  (NULL: a top-level cycle, as every cycle before);
- ``submission.from_cycle_id``: the cycle whose consolidated report a version is
  (NULL: written by the body, as every version before).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 14:32:30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_cycle_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_cycle_parent_cycle_id"), ["parent_cycle_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_cycle_parent_cycle_id_cycle", "cycle", ["parent_cycle_id"], ["id"]
        )

    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feeds_program_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("margin_working_days", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "parent_extension",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                server_default="keep",
                nullable=False,
            )
        )
        batch_op.create_index(
            batch_op.f("ix_program_feeds_program_id"), ["feeds_program_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_program_feeds_program_id_program", "program", ["feeds_program_id"], ["id"]
        )

    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("from_cycle_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_submission_from_cycle_id"), ["from_cycle_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_submission_from_cycle_id_cycle", "cycle", ["from_cycle_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_constraint("fk_submission_from_cycle_id_cycle", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_submission_from_cycle_id"))
        batch_op.drop_column("from_cycle_id")

    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_constraint("fk_program_feeds_program_id_program", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_program_feeds_program_id"))
        batch_op.drop_column("parent_extension")
        batch_op.drop_column("margin_working_days")
        batch_op.drop_column("feeds_program_id")

    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.drop_constraint("fk_cycle_parent_cycle_id_cycle", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_cycle_parent_cycle_id"))
        batch_op.drop_column("parent_cycle_id")
