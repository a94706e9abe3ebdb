"""whatsapp: outbound message delivery status and opt-outs

Revision ID: 0004
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    # One row per message we sent; status callbacks arrive out of order, so `rank` only rises.
    op.create_table(
        "whatsapp_outbound",
        sa.Column("sid", sa.String(64), primary_key=True),
        sa.Column("workspace", sa.String(64), nullable=False, server_default=""),
        sa.Column("recipient", sa.String(64), nullable=False, server_default=""),
        sa.Column("body", sa.Text(), nullable=False, server_default=""),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("rank", sa.SmallInteger(), nullable=False),
        sa.Column("error_code", sa.Integer()),
        sa.Column("fallback_sid", sa.String(64)),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_whatsapp_outbound_recipient", "whatsapp_outbound", ["recipient"])
    op.create_table(
        "whatsapp_opt_outs",
        sa.Column("workspace", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("whatsapp_opt_outs")
    op.drop_table("whatsapp_outbound")
