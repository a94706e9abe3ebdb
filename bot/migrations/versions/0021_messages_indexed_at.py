"""messages: when a turn's memory work was taken, so turns left unindexed are caught up

Indexing waits in a bounded in-process queue: a full queue or a stopped process left a turn
without its facts and vectors for good. Marked when taken, the turns never taken are found
again by the periodic catch-up (`Memory.catch_up`).

Revision ID: 0021_messages_indexed_at
Revises: 0020_talent_search_doc
"""

import sqlalchemy as sa
from alembic import op

from memory.models import HAS_REPLY_TO, UNINDEXED

revision = "0021_messages_indexed_at"
down_revision = "0020_talent_search_doc"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("messages", sa.Column("indexed_at", sa.DateTime(timezone=True)))
    # turns stored before this revision were indexed when they were answered
    op.execute("UPDATE messages SET indexed_at = updated_at WHERE role = 'user'")
    op.create_index(
        "ix_messages_unindexed", "messages", ["id"], postgresql_where=sa.text(UNINDEXED)
    )
    op.create_index(
        "ix_messages_reply_to", "messages", ["reply_to_id"], postgresql_where=sa.text(HAS_REPLY_TO)
    )


def downgrade() -> None:
    op.drop_index("ix_messages_reply_to", "messages")
    op.drop_index("ix_messages_unindexed", "messages")
    op.drop_column("messages", "indexed_at")
