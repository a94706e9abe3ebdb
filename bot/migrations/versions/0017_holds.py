"""holds and availability: per talent and project, with dates

Revision ID: 0017_holds
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_holds"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "talent_holds",
        sa.Column("pk", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("talent_id", sa.String(200), nullable=False),
        sa.Column(
            "project_pk",
            sa.BigInteger(),
            sa.ForeignKey("talent_projects.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "role_pk",
            sa.BigInteger(),
            sa.ForeignKey("talent_roles.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("role_pk", "talent_id", name="uq_talent_holds_role"),
        sa.CheckConstraint("ends >= starts", name="ck_talent_holds_dates"),
    )
    op.create_index("ix_talent_holds_project_pk", "talent_holds", ["project_pk"])
    op.create_index(
        "ix_talent_holds_talent", "talent_holds", ["workspace", "talent_id", "starts", "ends"]
    )
    op.create_table(
        "talent_availability",
        sa.Column("pk", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("talent_id", sa.String(200), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("ends >= starts", name="ck_talent_availability_dates"),
    )
    op.create_index(
        "ix_talent_availability_talent", "talent_availability", ["workspace", "talent_id", "ends"]
    )


def downgrade() -> None:
    op.drop_table("talent_availability")
    op.drop_table("talent_holds")
