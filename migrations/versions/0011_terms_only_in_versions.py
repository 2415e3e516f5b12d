"""A program's terms live only in its versions: the program row's copy goes.

Since 0009 a program's outline, urging ladder, working days and cut-off day (its
*terms*) are ``programversion`` rows, written once, and every cycle reads them
from the version it was opened under. The program row still carried a copy of
the latest version's terms, rewritten by each ``program update``. Two copies of
the same facts can drift apart, and each reader had to know which one to trust.
This revision drops the copy; a program's current terms are its latest version
(services.versions):

- ``program``: ``cutoff_start_day``, ``provide_working_days``,
  ``review_working_days``, ``synthesis_working_days``, ``margin_working_days``,
  ``outline`` and ``escalation`` are dropped. Nothing is lost: 0009 copied every
  program's terms into its version 1 and every change since wrote a version. A
  program that has no version anyway (none should) first gets version 1 from its
  row, as 0009 made them.

The downgrade adds the columns back and fills each program's from its newest
version (what the copy held), so a database with data goes back to 0010 whole.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 21:03:48
"""

from collections.abc import Sequence
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VN = ZoneInfo("Asia/Ho_Chi_Minh")
JSON_TERMS = ("outline", "escalation")
NUMBER_TERMS = (
    "cutoff_start_day", "provide_working_days", "review_working_days",
    "synthesis_working_days", "margin_working_days",
)  # fmt: skip
TERMS = (*NUMBER_TERMS, *JSON_TERMS)


def _terms_table(name: str, *extra: sa.ColumnClause) -> sa.TableClause:
    return sa.table(
        name, sa.column("id"), *extra,
        *(sa.column(t, sa.JSON if t in JSON_TERMS else sa.Integer) for t in TERMS),
    )  # fmt: skip


def upgrade() -> None:
    conn = op.get_bind()
    program = _terms_table("program", sa.column("created_at", sa.DateTime))
    version = _terms_table(
        "programversion", sa.column("program_id"), sa.column("version"),
        sa.column("valid_from", sa.Date), sa.column("created_at", sa.DateTime),
    )  # fmt: skip
    unversioned = conn.execute(
        sa.select(program.c.id, program.c.created_at, *program.c[TERMS]).where(
            ~sa.exists().where(version.c.program_id == program.c.id)
        )
    ).all()
    for row in unversioned:
        created = row.created_at
        created = created.replace(tzinfo=UTC) if created.tzinfo is None else created
        conn.execute(
            version.insert().values(
                program_id=row.id,
                version=1,
                valid_from=created.astimezone(VN).date(),
                created_at=created,
                **{name: getattr(row, name) for name in TERMS},
            )
        )

    with op.batch_alter_table("program", schema=None) as batch_op:
        for name in TERMS:
            batch_op.drop_column(name)


def downgrade() -> None:
    with op.batch_alter_table("program", schema=None) as batch_op:
        for name in NUMBER_TERMS:
            default = "1" if name == "margin_working_days" else None  # as 0008 made it
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default=default))
        for name in JSON_TERMS:
            batch_op.add_column(sa.Column(name, sa.JSON(), nullable=True))

    conn = op.get_bind()
    program = _terms_table("program")
    version = _terms_table("programversion", sa.column("program_id"), sa.column("version"))

    def newest(name: str) -> sa.ScalarSelect:
        return (
            sa.select(version.c[name])
            .where(version.c.program_id == program.c.id)
            .order_by(version.c.version.desc())
            .limit(1)
            .scalar_subquery()
        )

    conn.execute(program.update().values({name: newest(name) for name in TERMS}))

    with op.batch_alter_table("program", schema=None) as batch_op:
        for name in NUMBER_TERMS:
            batch_op.alter_column(name, existing_type=sa.Integer(), nullable=False)
        for name in JSON_TERMS:
            batch_op.alter_column(name, existing_type=sa.JSON(), nullable=False)
