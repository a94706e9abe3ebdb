"""talent: a credit title's sound key, so a title written in Devanagari finds its film

Revision ID: 0019_talent_credit_sound
Revises: 0018_talent_credits
"""

import sqlalchemy as sa
from alembic import op

from talent.credits import sound_key

revision = "0019_talent_credit_sound"
down_revision = "0018_talent_credits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "talent_credits",
        sa.Column("sound_key", sa.String(300), nullable=False, server_default=""),
    )
    op.create_index("ix_talent_credits_sound_key", "talent_credits", ["sound_key"])
    bind = op.get_bind()
    titles = bind.execute(sa.text("SELECT DISTINCT title FROM talent_credits")).scalars()
    for title in list(titles):
        bind.execute(
            sa.text("UPDATE talent_credits SET sound_key = :key WHERE title = :title"),
            {"key": sound_key(title), "title": title},
        )


def downgrade() -> None:
    op.drop_index("ix_talent_credits_sound_key", "talent_credits")
    op.drop_column("talent_credits", "sound_key")
