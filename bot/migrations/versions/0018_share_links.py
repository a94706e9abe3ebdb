"""shared shortlist links: one row per link (revocable, expiring) and the signing key

Revision ID: 0018_share_links
Revises: 0017_media_token
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_share_links"
down_revision = "0017_media_token"
branch_labels = None
depends_on = None

RANDOM = sa.text("replace(gen_random_uuid()::text, '-', '')")


def upgrade() -> None:
    op.create_table(
        "talent_share_links",
        sa.Column("pk", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("link_id", sa.String(64), nullable=False, server_default=RANDOM),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column(
            "role_pk",
            sa.BigInteger,
            sa.ForeignKey("talent_roles.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("conversation_id", sa.String(400), nullable=False, server_default=""),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_talent_share_links_id", "talent_share_links", ["link_id"], unique=True)
    op.create_index("ix_talent_share_links_role", "talent_share_links", ["role_pk"])
    # One signing key for every replica (two uuids' worth of random bits).
    op.create_table(
        "talent_share_key",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column(
            "secret",
            sa.String(128),
            nullable=False,
            server_default=sa.text(
                "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')"
            ),
        ),
    )
    op.execute("INSERT INTO talent_share_key (pk) VALUES (1)")


def downgrade() -> None:
    op.drop_table("talent_share_key")
    op.drop_index("ix_talent_share_links_role", "talent_share_links")
    op.drop_index("ix_talent_share_links_id", "talent_share_links")
    op.drop_table("talent_share_links")
