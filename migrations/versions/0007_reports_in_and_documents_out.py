"""Reports as officials write them, and official documents going out.

In: the original file of a submission kept with its type, name, size and digest
(``submission_source``), the header read from it, and the figures of a data form
(``program_form`` declares a form, ``form_entry`` holds one body's values).
Out: issued documents stored as issued (``document``), the number register
(``number_series``, ``register_entry``), the files attached to a message
(``outbox_attachment``), dated signers (``office_holder``), the fields a body's
documents need in their header (kind, symbol, place, short name, number series)
and the consolidated report's link to its document. Every new column is nullable
or has a default: rows made before it keep their meaning (a 0.1 report has no
Word original; a 0.1 synthesis has no issued document).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 14:24:05
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "number_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("series", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issuer_id"],
            ["body.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer_id", "sequence", "series", name="uq_number_series"),
    )
    op.create_table(
        "office_holder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("authority", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["body.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("body_id", "role", "name", "valid_from", name="uq_office_holder"),
    )
    with op.batch_alter_table("office_holder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_office_holder_body_id"), ["body_id"], unique=False)

    op.create_table(
        "program_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("program_id", "code", name="uq_program_form_code"),
    )
    with op.batch_alter_table("program_form", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_program_form_program_id"), ["program_id"], unique=False
        )

    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("issuer_id", sa.Integer(), nullable=True),
        sa.Column("regime", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("symbol", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("new_due", sa.Date(), nullable=True),
        sa.Column("to_leadership", sa.Boolean(), nullable=False),
        sa.Column("summary_id", sa.Integer(), nullable=True),
        sa.Column("sweep_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signer_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("signer_title", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("template", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=True),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("markdown", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("markdown_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("facts", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycle.id"],
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["issuer_id"],
            ["body.id"],
        ),
        sa.ForeignKeyConstraint(
            ["summary_id"],
            ["document.id"],
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("escalation_id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index("ix_document_state", ["state", "kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_task_id"), ["task_id"], unique=False)

    op.create_table(
        "form_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("form_code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("source_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("source_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("source_data", sa.LargeBinary(), nullable=True),
        sa.Column("carried_from", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_id", "form_code", name="uq_form_entry"),
    )
    with op.batch_alter_table("form_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_form_entry_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "submission_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_id"),
    )
    op.create_table(
        "outbox_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notification.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notification_id", "document_id", name="uq_outbox_file"),
    )
    with op.batch_alter_table("outbox_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_attachment_notification_id"), ["notification_id"], unique=False
        )

    op.create_table(
        "register_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("series", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("type_code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("symbol", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("entered", sa.Boolean(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
        ),
        sa.ForeignKeyConstraint(
            ["issuer_id"],
            ["body.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer_id", "sequence", "series", "number", name="uq_register_number"),
    )
    with op.batch_alter_table("register_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_register_entry_document_id"), ["document_id"], unique=False
        )

    with op.batch_alter_table("body", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
        )
        batch_op.add_column(
            sa.Column("symbol", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(sa.Column("place", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(
            sa.Column("short_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("number_series", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )

    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.add_column(
            sa.Column("source_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(sa.Column("source_size", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("source_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column("header", sa.JSON(), nullable=True))

    with op.batch_alter_table("synthesis", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("markdown_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("docx_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.create_foreign_key("fk_synthesis_document", "document", ["document_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("synthesis", schema=None) as batch_op:
        batch_op.drop_constraint("fk_synthesis_document", type_="foreignkey")
        batch_op.drop_column("docx_sha256")
        batch_op.drop_column("markdown_sha256")
        batch_op.drop_column("document_id")

    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_column("header")
        batch_op.drop_column("source_sha256")
        batch_op.drop_column("source_size")
        batch_op.drop_column("source_name")
        batch_op.drop_column("source_type")

    with op.batch_alter_table("body", schema=None) as batch_op:
        batch_op.drop_column("number_series")
        batch_op.drop_column("short_name")
        batch_op.drop_column("place")
        batch_op.drop_column("symbol")
        batch_op.drop_column("kind")

    with op.batch_alter_table("register_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_entry_document_id"))

    op.drop_table("register_entry")
    with op.batch_alter_table("outbox_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_attachment_notification_id"))

    op.drop_table("outbox_attachment")
    op.drop_table("submission_source")
    with op.batch_alter_table("form_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_entry_submission_id"))

    op.drop_table("form_entry")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_task_id"))
        batch_op.drop_index("ix_document_state")
        batch_op.drop_index(batch_op.f("ix_document_cycle_id"))

    op.drop_table("document")
    with op.batch_alter_table("program_form", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_form_program_id"))

    op.drop_table("program_form")
    with op.batch_alter_table("office_holder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_office_holder_body_id"))

    op.drop_table("office_holder")
    op.drop_table("number_series")
