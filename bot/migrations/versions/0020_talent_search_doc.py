"""talent: the full-text document as a stored column with a GIN index

Lexical ranking computed `to_tsvector` of every profile passing the filters on each search:
fine for thousands, minutes at a million. Stored and indexed, a search reads only the rows
holding one of its words.

Revision ID: 0020_talent_search_doc
Revises: 0019_talent_credit_sound
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

from talent.models import SEARCH_DOCUMENT

revision = "0020_talent_search_doc"
down_revision = "0019_talent_credit_sound"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "talent", sa.Column("search_doc", TSVECTOR, sa.Computed(SEARCH_DOCUMENT, persisted=True))
    )
    op.create_index("ix_talent_search_doc", "talent", ["search_doc"], postgresql_using="gin")


def downgrade() -> None:
    op.drop_index("ix_talent_search_doc", "talent")
    op.drop_column("talent", "search_doc")
