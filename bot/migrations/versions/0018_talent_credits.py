"""talent: credits as rows (title, its key and initials, year, part), for title search

Revision ID: 0018_talent_credits
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_talent_credits"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "talent_credits",
        sa.Column("pk", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column(
            "talent_row_id",
            sa.BigInteger,
            sa.ForeignKey("talent.row_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("title_key", sa.String(300), nullable=False),
        sa.Column("initials", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("role", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_talent_credits_talent_row_id", "talent_credits", ["talent_row_id"])
    op.create_index("ix_talent_credits_title_key", "talent_credits", ["title_key"])
    op.create_index("ix_talent_credits_initials", "talent_credits", ["initials"])
    op.create_index("ix_talent_credits_year", "talent_credits", ["year"])
    # profiles imported before this revision: their credits as rows
    op.execute(
        """
        INSERT INTO talent_credits (talent_row_id, title, title_key, initials, year, role)
        SELECT t.row_id, left(c->>'title', 300),
               left(regexp_replace(lower(c->>'title'), '[^[:alnum:]]+', '', 'g'), 300),
               left(lower(array_to_string(ARRAY(
                   SELECT left(w, 1) FROM regexp_split_to_table(c->>'title', '[^[:alnum:]]+') w
                   WHERE w <> ''), '')), 40),
               CASE WHEN c->>'year' ~ '^[0-9]{4}$' THEN (c->>'year')::int END,
               coalesce(c->>'role', '')
        FROM talent t, jsonb_array_elements(t.credits) c
        WHERE jsonb_typeof(t.credits) = 'array' AND coalesce(c->>'title', '') <> ''
        """
    )


def downgrade() -> None:
    op.drop_table("talent_credits")
