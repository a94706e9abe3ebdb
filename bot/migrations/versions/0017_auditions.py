"""auditions: slots, invitations, talent WhatsApp contacts, stored media

Revision ID: 0017_auditions
Revises: 0017_holds
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_auditions"
down_revision = "0017_holds"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _role() -> sa.Column:
    return sa.Column(
        "role_pk",
        sa.BigInteger(),
        sa.ForeignKey("talent_roles.pk", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "audition_slots",
        sa.Column("pk", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        _role(),
        sa.Column("starts_at", TS, nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_audition_slots_role", "audition_slots", ["role_pk", "starts_at"])
    op.create_table(
        "audition_invitations",
        sa.Column("pk", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        _role(),
        sa.Column("talent_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column(
            "slot_pk", sa.BigInteger(), sa.ForeignKey("audition_slots.pk", ondelete="SET NULL")
        ),
        sa.Column("deadline", TS),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="queued"),
        sa.Column("detail", sa.Text(), nullable=False, server_default=""),
        sa.Column("message_sid", sa.String(64), nullable=False, server_default=""),
        sa.Column("reminders_sent", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
    )
    op.create_index(
        "ix_audition_invitations_phone", "audition_invitations", ["workspace", "phone", "status"]
    )
    op.create_index(
        "ix_audition_invitations_role", "audition_invitations", ["role_pk", "talent_id"]
    )
    op.create_table(
        "talent_contacts",
        sa.Column("workspace", sa.String(200), primary_key=True),
        sa.Column("talent_id", sa.String(200), primary_key=True),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("last_inbound_at", TS),
        sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_talent_contacts_phone", "talent_contacts", ["phone"])
    op.create_table(
        "talent_media",
        sa.Column("pk", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("talent_id", sa.String(200), nullable=False),
        sa.Column(
            "role_pk", sa.BigInteger(), sa.ForeignKey("talent_roles.pk", ondelete="SET NULL")
        ),
        sa.Column(
            "invitation_pk",
            sa.BigInteger(),
            sa.ForeignKey("audition_invitations.pk", ondelete="SET NULL"),
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_talent_media_talent", "talent_media", ["workspace", "talent_id"])


def downgrade() -> None:
    for table in ("talent_media", "talent_contacts", "audition_invitations", "audition_slots"):
        op.drop_table(table)
