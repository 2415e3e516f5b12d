"""The event relay's watermark: domain events reach Prefect from the audit log.

Services no longer hand events to Prefect themselves (one per fired rung, lost
when Prefect was slow or down); the relay flow reads the audit log after this
watermark and emits in batches.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "eventcursor",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("last_audit_id", sa.Integer(), nullable=False),
        sa.Column("gap_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    # An existing database does not replay its history into Prefect: the relay starts
    # after the audit records already there.
    op.execute(
        "INSERT INTO eventcursor (name, last_audit_id, updated_at) "
        "SELECT 'prefect', COALESCE(MAX(id), 0), CURRENT_TIMESTAMP FROM auditrecord"
    )


def downgrade() -> None:
    op.drop_table("eventcursor")
