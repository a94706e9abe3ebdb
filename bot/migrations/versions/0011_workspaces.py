"""workspaces as records: companies, linked channel accounts, members

Rows written by Slack and WhatsApp move from the bare team id / business number to the
prefixed workspace names (`slack:T…`, `whatsapp:+…`); terminal rows keep their names. Each
row's own channel tells them apart (the message's channel, the conversation id, the person
who wrote it); rows without one follow the channel their workspace's messages came from.
Everyone who has written to a WhatsApp number becomes a member of its workspace, so the
upgrade locks nobody out. Semantic-memory partitions are renamed in PostgreSQL and their
old index files listed in memory_stale_partitions, for the memory layer to delete at start.

Revision ID: 0011_workspaces
Revises: 0002, 0003, 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_workspaces"
down_revision = ("0002", "0003", "0004")
branch_labels = None
depends_on = None


def _renamed(channel: str, column: str = "workspace") -> str:
    """SQL: the new workspace name for a row whose channel is the expression `channel`."""
    return (
        f"CASE {channel} WHEN 'slack' THEN 'slack:' || {column} "
        f"WHEN 'whatsapp' THEN 'whatsapp:' || {column} ELSE {column} END"
    )


def _channel_of(person: str) -> str:
    """SQL: the channel named by a `channel:id` column, else the workspace's only channel."""
    return (
        f"COALESCE(CASE WHEN split_part({person}, ':', 1) IN ('slack', 'whatsapp', 'console') "
        f"THEN split_part({person}, ':', 1) END, "
        "(SELECT channel FROM ws_home h WHERE h.workspace = t.workspace))"
    )


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "workspace_links",
        sa.Column("account", sa.String(200), primary_key=True),
        sa.Column(
            "workspace",
            sa.String(200),
            sa.ForeignKey("workspaces.name", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_workspace_links_workspace", "workspace_links", ["workspace"])
    op.create_table(
        "workspace_members",
        sa.Column(
            "workspace",
            sa.String(200),
            sa.ForeignKey("workspaces.name", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("member", sa.String(200), primary_key=True),
        sa.Column("admin", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("added_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_workspace_members_member", "workspace_members", ["member"])
    op.create_table(
        "memory_stale_partitions",
        sa.Column("partition", sa.String(500), primary_key=True),
    )

    # Workspaces whose messages all came through one channel: the fallback for rows that
    # don't say whose they are.
    op.execute(
        "CREATE TEMP TABLE ws_home ON COMMIT DROP AS SELECT workspace, min(channel) AS channel "
        "FROM messages GROUP BY workspace HAVING count(DISTINCT channel) = 1"
    )
    op.execute(
        "INSERT INTO workspaces (name) SELECT DISTINCT " + _renamed("channel") + " FROM messages "
        "WHERE channel IN ('slack', 'whatsapp') ON CONFLICT DO NOTHING"
    )
    op.execute(
        "INSERT INTO workspace_members (workspace, member, added_by) "
        "SELECT DISTINCT 'whatsapp:' || workspace, 'whatsapp:' || user_id, 'upgrade' "
        "FROM messages WHERE channel = 'whatsapp' AND role = 'user' ON CONFLICT DO NOTHING"
    )

    op.execute("UPDATE messages SET workspace = " + _renamed("channel"))
    for table in ("memory_episodes", "talent_current_role"):
        op.execute(
            f"UPDATE {table} SET workspace = "
            + _renamed("split_part(conversation_id, ':', 1)")
        )
    op.execute("UPDATE memory_facts t SET workspace = " + _renamed(_channel_of("t.owner")))
    op.execute(
        "INSERT INTO memory_stale_partitions (partition) SELECT DISTINCT partition "
        "FROM memory_items t WHERE " + _channel_of("t.owner") + " IN ('slack', 'whatsapp') "
        "ON CONFLICT DO NOTHING"
    )
    op.execute(
        "UPDATE memory_items t SET workspace = " + _renamed(_channel_of("t.owner"))
    )
    op.execute(
        "UPDATE memory_items SET partition = CASE WHEN partition LIKE 'p|%' "
        "THEN 'p|' || workspace || '|' || owner ELSE 'w|' || workspace END"
    )
    op.execute("UPDATE talent_projects t SET workspace = " + _renamed(_channel_of("t.created_by")))
    op.execute(
        "UPDATE talent_roles r SET workspace = p.workspace FROM talent_projects p "
        "WHERE p.pk = r.project_pk"
    )
    for table in ("talent_shortlist", "talent_shortlist_events"):
        op.execute(
            f"UPDATE {table} e SET workspace = r.workspace FROM talent_roles r "
            "WHERE r.pk = e.role_pk"
        )
    op.execute(
        "UPDATE talent t SET workspace = " + _renamed("(SELECT channel FROM ws_home h "
        "WHERE h.workspace = t.workspace)") + " WHERE workspace <> ''"
    )
    op.execute("DROP TABLE ws_home")


def downgrade() -> None:
    for table in ("messages", "memory_episodes", "talent_current_role", "memory_facts",
                  "memory_items", "talent_projects", "talent_roles", "talent_shortlist",
                  "talent_shortlist_events", "talent"):
        op.execute(
            f"UPDATE {table} SET workspace = regexp_replace(workspace, '^(slack|whatsapp):', '')"
        )
    op.execute(
        "UPDATE memory_items SET partition = CASE WHEN partition LIKE 'p|%' "
        "THEN 'p|' || workspace || '|' || owner ELSE 'w|' || workspace END"
    )
    op.drop_table("memory_stale_partitions")
    op.drop_table("workspace_members")
    op.drop_table("workspace_links")
    op.drop_table("workspaces")
