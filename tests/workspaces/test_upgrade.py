"""The workspace migration on a database filled the way the previous release wrote it:
Slack and WhatsApp rows move to prefixed names, terminal rows keep theirs, people who wrote
to a WhatsApp number become its members, and nothing moves to another company."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from alembic import command

from bot.migrate import alembic_config


@pytest.fixture
def old_database(database_url: str) -> Iterator[str]:
    """A new database at the previous release's schema (before workspaces)."""
    admin = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"cm_upgrade_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def upgrade(url: str, target: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, target)
    engine.dispose()


MESSAGES = [  # (conversation id, channel, workspace, user, role)
    ("slack:T0ABC:C1:1.0", "slack", "T0ABC", "U1", "user"),
    ("slack:T0ABC:C1:1.0", "slack", "T0ABC", "U1", "assistant"),
    ("whatsapp:+14155238886:+919800000001:", "whatsapp", "+14155238886", "+919800000001", "user"),
    ("whatsapp:+14155238886:+919800000002:", "whatsapp", "+14155238886", "+919800000002", "user"),
    ("console:T0ABC:asha:", "console", "T0ABC", "asha", "user"),  # a terminal named like a team
]


def fill(url: str) -> None:
    with psycopg.connect(url) as conn:
        for n, (conversation, channel, workspace, user, role) in enumerate(MESSAGES):
            conn.execute(
                "INSERT INTO messages (conversation_id, channel, workspace, user_id, role, text, "
                "platform_message_id, status, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s, %s, 'x', %s, 'complete', now(), now())",
                (conversation, channel, workspace, user, role, f"m{n}"),
            )
        for workspace, owner in (("T0ABC", "slack:U1"), ("T0ABC", "console:asha")):
            conn.execute(
                "INSERT INTO memory_facts (workspace, owner, scope, kind, subject, text, stated_at,"
                " created_at) VALUES (%s, %s, 'workspace', 'note', 's', 't', now(), now())",
                (workspace, owner),
            )
            for partition in (f"p|{workspace}|{owner}", f"w|{workspace}"):
                conn.execute(
                    "INSERT INTO memory_items (partition, workspace, owner, kind, ref_id, at, "
                    "embedding) VALUES (%s, %s, %s, 'fact', 1, now(), '\\x00')",
                    (partition, workspace, owner),
                )
        for workspace, actor in (
            ("+14155238886", "whatsapp:+919800000001"),
            ("T0ABC", "console:asha"),
        ):
            project = conn.execute(
                "INSERT INTO talent_projects (workspace, name, created_by, created_at) "
                "VALUES (%s, 'Mumbai Diaries', %s, now()) RETURNING pk",
                (workspace, actor),
            ).fetchone()[0]
            role = conn.execute(
                "INSERT INTO talent_roles (workspace, project_pk, name, brief, filters, "
                "created_by, created_at) VALUES (%s, %s, 'Cop', '', '{}', %s, now()) "
                "RETURNING pk",
                (workspace, project, actor),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO talent_shortlist (workspace, role_pk, talent_id, position, "
                "updated_by, created_at, updated_at) VALUES (%s, %s, 'cm-1', 1, %s, now(), now())",
                (workspace, role, actor),
            )
            conn.execute(
                "INSERT INTO talent_shortlist_events (workspace, role_pk, talent_id, action, "
                "actor, at) VALUES (%s, %s, 'cm-1', 'added', %s, now())",
                (workspace, role, actor),
            )
            conversation = f"{actor.split(':')[0]}:{workspace}:{actor.split(':')[1]}:"
            conn.execute(
                "INSERT INTO talent_current_role (conversation_id, workspace, role_pk, "
                "updated_at) VALUES (%s, %s, %s, now())",
                (conversation, workspace, role),
            )
        for conversation, owner in (
            ("slack:T0ABC:C1:1.0", "slack:U1"),
            ("console:T0ABC:asha:", "console:asha"),
        ):
            conn.execute(
                "INSERT INTO memory_episodes (conversation_id, workspace, owner, started_at, "
                "ended_at, first_message_id, last_message_id) "
                "VALUES (%s, 'T0ABC', %s, now(), now(), 1, 2)",
                (conversation, owner),
            )


def column(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def test_upgrade_moves_channel_rows_keeps_terminal_rows_and_lets_nobody_out(old_database):
    for head in ("0002", "0003", "0004"):
        upgrade(old_database, head)
    fill(old_database)
    upgrade(old_database, "0011_workspaces")

    assert column(
        old_database, "SELECT channel, workspace, conversation_id FROM messages ORDER BY id"
    ) == [
        ("slack", "slack:T0ABC", "slack:T0ABC:C1:1.0"),
        ("slack", "slack:T0ABC", "slack:T0ABC:C1:1.0"),
        ("whatsapp", "whatsapp:+14155238886", "whatsapp:+14155238886:+919800000001:"),
        ("whatsapp", "whatsapp:+14155238886", "whatsapp:+14155238886:+919800000002:"),
        ("console", "T0ABC", "console:T0ABC:asha:"),  # conversation keys keep channel ids
    ]
    assert sorted(column(old_database, "SELECT owner, workspace FROM memory_facts")) == [
        ("console:asha", "T0ABC"),
        ("slack:U1", "slack:T0ABC"),
    ]
    assert sorted(column(old_database, "SELECT partition FROM memory_items")) == sorted(
        [("p|T0ABC|console:asha",), ("w|T0ABC",), ("p|slack:T0ABC|slack:U1",), ("w|slack:T0ABC",)]
    )
    assert sorted(column(old_database, "SELECT partition FROM memory_stale_partitions")) == [
        ("p|T0ABC|slack:U1",),
        ("w|T0ABC",),  # the old shared name: its file is rebuilt for the terminal from PostgreSQL
    ]
    assert sorted(column(old_database, "SELECT workspace, name FROM talent_projects")) == [
        ("T0ABC", "Mumbai Diaries"),
        ("whatsapp:+14155238886", "Mumbai Diaries"),
    ]
    assert sorted(column(old_database, "SELECT workspace FROM talent_roles")) == [
        ("T0ABC",),
        ("whatsapp:+14155238886",),
    ]
    for table in ("talent_shortlist", "talent_shortlist_events", "talent_current_role"):
        assert sorted(column(old_database, f"SELECT workspace FROM {table}")) == [
            ("T0ABC",),
            ("whatsapp:+14155238886",),
        ], table
    assert sorted(
        column(old_database, "SELECT conversation_id, workspace FROM memory_episodes")
    ) == [("console:T0ABC:asha:", "T0ABC"), ("slack:T0ABC:C1:1.0", "slack:T0ABC")]
    assert sorted(column(old_database, "SELECT workspace, member FROM workspace_members")) == [
        ("whatsapp:+14155238886", "whatsapp:+919800000001"),
        ("whatsapp:+14155238886", "whatsapp:+919800000002"),
    ]
    assert sorted(column(old_database, "SELECT name FROM workspaces")) == [
        ("slack:T0ABC",),
        ("whatsapp:+14155238886",),
    ]
