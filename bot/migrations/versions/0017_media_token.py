"""media: an unguessable token per stored file, for its link on `castmatch serve`

Revision ID: 0017_media_token
Revises: 0017_auditions
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_media_token"
down_revision = "0017_auditions"
branch_labels = None
depends_on = None

# 122 random bits from PostgreSQL's own generator (a capability, like an unlisted link)
TOKEN = sa.text("replace(gen_random_uuid()::text, '-', '')")


def upgrade() -> None:
    op.add_column(
        "talent_media", sa.Column("token", sa.String(64), nullable=False, server_default=TOKEN)
    )
    op.create_index("ix_talent_media_token", "talent_media", ["token"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_talent_media_token", "talent_media")
    op.drop_column("talent_media", "token")
