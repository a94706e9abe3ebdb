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


BATCH = 5000  # titles an UPDATE


def upgrade() -> None:
    # One UPDATE a batch of titles, rewriting only the rows whose key changed: `title` has
    # no index, so an UPDATE a title scanned the table once each (100,000 credits of 1,000
    # titles: 21.6 s, every row rewritten; batched: 0.16 s), under the start-up lock
    bind = op.get_bind()
    titles = list(bind.execute(sa.text("SELECT DISTINCT title FROM talent_credits")).scalars())
    for start in range(0, len(titles), BATCH):
        batch = titles[start : start + BATCH]
        bind.execute(
            sa.text(
                "UPDATE talent_credits AS c SET sound_key = v.key"
                " FROM unnest(CAST(:titles AS text[]), CAST(:keys AS text[])) AS v(title, key)"
                " WHERE c.title = v.title AND c.sound_key IS DISTINCT FROM v.key"
            ),
            {"titles": batch, "keys": [sound_key(title) for title in batch]},
        )


def downgrade() -> None:
    pass  # the keys stay as computed (the older rule is not kept)
