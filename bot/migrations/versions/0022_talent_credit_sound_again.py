"""talent: credit sound keys recomputed (a word's first m is an m, ृ is "ri", ं is an n,
"Mr." is "mister"), so 'मर्द', 'मृत्युदंड' and 'मिस्टर इंडिया' find their films

Revision ID: 0022_talent_credit_sound_again
Revises: 0021_messages_indexed_at
"""

import sqlalchemy as sa
from alembic import op

from talent.credits import sound_key

revision = "0022_talent_credit_sound_again"
down_revision = "0021_messages_indexed_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    titles = bind.execute(sa.text("SELECT DISTINCT title FROM talent_credits")).scalars()
    for title in list(titles):
        bind.execute(
            sa.text("UPDATE talent_credits SET sound_key = :key WHERE title = :title"),
            {"key": sound_key(title), "title": title},
        )


def downgrade() -> None:
    pass  # the keys stay as computed (the older rule is not kept)
