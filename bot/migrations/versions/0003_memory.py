"""memory: facts (with supersession), episodes, semantic vectors

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "memory_facts",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(220), nullable=False),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("subject", sa.String(400), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_message_id", sa.BigInteger()),
        sa.Column("stated_at", TS, nullable=False),
        sa.Column("superseded_at", TS),
        sa.Column("superseded_by", sa.BigInteger()),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index(
        "ix_memory_facts_workspace_current", "memory_facts", ["workspace", "superseded_at"]
    )
    op.create_index("ix_memory_facts_subject", "memory_facts", ["workspace", "subject"])
    op.create_index("ix_memory_facts_owner", "memory_facts", ["owner"])
    op.create_index("ix_memory_facts_source", "memory_facts", ["source_message_id"])
    op.create_table(
        "memory_episodes",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(400), nullable=False),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(220), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("ended_at", TS, nullable=False),
        sa.Column("first_message_id", sa.BigInteger(), nullable=False),
        sa.Column("last_message_id", sa.BigInteger(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("summary", sa.Text(), nullable=False, server_default=""),
        sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index(
        "ix_memory_episodes_conversation", "memory_episodes", ["conversation_id", "ended_at"]
    )
    op.create_index("ix_memory_episodes_owner", "memory_episodes", ["owner"])
    op.create_table(
        "memory_items",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("partition", sa.String(500), nullable=False),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(220), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ref_id", sa.BigInteger(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_memory_items_partition", "memory_items", ["partition", "id"])
    op.create_index("ix_memory_items_owner", "memory_items", ["owner"])
    op.create_index("ix_memory_items_ref", "memory_items", ["kind", "ref_id"])


def downgrade() -> None:
    op.drop_table("memory_items")
    op.drop_table("memory_episodes")
    op.drop_table("memory_facts")
