"""Memory tables: every message, the facts and episodes drawn from them, their vectors."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow

UNINDEXED = "role = 'user' AND indexed_at IS NULL"
HAS_REPLY_TO = "reply_to_id IS NOT NULL"


class Message(Base):
    """One message: a person's (role `user`) or the assistant's reply (role `assistant`).

    A user message's `status` tracks its turn: `pending` until answered, then `answered` or
    `failed`; a reply's status is `streaming` while it is written, then `complete`,
    `partial` (interrupted, kept with a note) or `failed`.
    """

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "platform_message_id", name="uq_messages_platform_id"),
        Index("ix_messages_conversation_created", "conversation_id", "created_at"),
        Index("ix_messages_workspace_user", "workspace", "user_id"),
        Index("ix_messages_status", "status"),
        # turns answered but not yet indexed (the catch-up reads these), and a turn's reply
        Index("ix_messages_unindexed", "id", postgresql_where=text(UNINDEXED)),
        Index("ix_messages_reply_to", "reply_to_id", postgresql_where=text(HAS_REPLY_TO)),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(400))
    channel: Mapped[str] = mapped_column(String(20))
    workspace: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    platform_message_id: Mapped[str | None] = mapped_column(String(200))
    reply_to_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    model: Mapped[str | None] = mapped_column(String(100))
    input_tokens: Mapped[int | None] = mapped_column(Integer)
    output_tokens: Mapped[int | None] = mapped_column(Integer)
    cache_read_tokens: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    attachments: Mapped[str | None] = mapped_column(Text)  # JSON list of references
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # a person's message: when its turn's memory work (episode, facts, vectors) was taken
    indexed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Fact(Base):
    """Something worth remembering about the work: a project, role, decision, preference.

    `scope` is `workspace` (shared by the company: projects, roles, decisions) or `person`
    (preferences: only ever shown to their owner). A newer fact with the same `subject`
    supersedes the old one, which is kept as history (`superseded_at` set) and never fed
    to the model as current.
    """

    __tablename__ = "memory_facts"
    __table_args__ = (
        Index("ix_memory_facts_workspace_current", "workspace", "superseded_at"),
        Index("ix_memory_facts_subject", "workspace", "subject"),
        Index("ix_memory_facts_owner", "owner"),
        Index("ix_memory_facts_source", "source_message_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(220))  # channel:user_id of whoever said it
    scope: Mapped[str] = mapped_column(String(20))  # workspace | person
    kind: Mapped[str] = mapped_column(String(30))  # project, role, decision, preference, note
    subject: Mapped[str] = mapped_column(String(400))  # what it is about, for supersession
    text: Mapped[str] = mapped_column(Text)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)
    stated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    superseded_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Episode(Base):
    """A span of one conversation, closed after an idle gap, with a summary."""

    __tablename__ = "memory_episodes"
    __table_args__ = (
        Index("ix_memory_episodes_conversation", "conversation_id", "ended_at"),
        Index("ix_memory_episodes_owner", "owner"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(400))
    workspace: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(220))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first_message_id: Mapped[int] = mapped_column(BigInteger)
    last_message_id: Mapped[int] = mapped_column(BigInteger)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
    closed: Mapped[bool] = mapped_column(Boolean, default=False)


class MemoryItem(Base):
    """One vector of semantic memory: a message, a fact or an episode summary.

    `partition` names the FAISS index it lives in (a person's private one, or the
    workspace's shared one); the row id is its FAISS id. The embedding is kept here so an
    index is rebuilt from PostgreSQL without embedding anything again.
    """

    __tablename__ = "memory_items"
    __table_args__ = (
        Index("ix_memory_items_partition", "partition", "id"),
        Index("ix_memory_items_owner", "owner"),
        Index("ix_memory_items_ref", "kind", "ref_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    partition: Mapped[str] = mapped_column(String(500))
    workspace: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(220))
    kind: Mapped[str] = mapped_column(String(20))  # message | fact | episode
    ref_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    embedding: Mapped[bytes] = mapped_column(LargeBinary)  # float16, L2-normalised
