"""Talent tables: the catalogue, and each workspace's projects, roles and shortlists.

A profile belongs to a catalogue (`workspace`; "" is the shared catalogue every workspace
searches). `row_id` doubles as the profile's id in the FAISS index. Projects, roles and
shortlists always belong to one workspace; nothing crosses workspaces.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, deferred, mapped_column

from bot.db import Base, utcnow

SHARED = ""  # the shared catalogue's workspace
STATUSES = ("considered", "audition", "callback", "booked", "dropped")
# The full-text document of a profile (name, bio, every credit's title), kept by PostgreSQL
# itself so lexical search reads a GIN index instead of parsing every profile per search.
SEARCH_DOCUMENT = (
    "to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || coalesce(bio, '') || ' '"
    " || coalesce(jsonb_path_query_array(credits, '$[*].title')::text, ''))"
)


class Talent(Base):
    __tablename__ = "talent"
    __table_args__ = (
        UniqueConstraint("workspace", "id", name="uq_talent_workspace_id"),
        Index("ix_talent_id", "id"),
        Index("ix_talent_languages", "languages", postgresql_using="gin"),
        Index("ix_talent_skills", "skills", postgresql_using="gin"),
        Index("ix_talent_city", "city"),
        Index("ix_talent_gender", "gender"),
        Index("ix_talent_playing_age", "playing_age_min", "playing_age_max"),
        Index("ix_talent_height", "height_cm"),
        Index("ix_talent_updated", "updated_at"),
        Index("ix_talent_name_birth", "name_key", "birth_year"),
        Index("ix_talent_name_sound", "name_sound"),
        Index("ix_talent_search_doc", "search_doc", postgresql_using="gin"),
    )

    row_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200), default=SHARED)
    id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))  # folded name, for duplicate checks
    # the name's consonants as said (talent.names), so other scripts find it
    name_sound: Mapped[str] = mapped_column(String(300), default="", server_default="")
    gender: Mapped[str | None] = mapped_column(String(20))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    playing_age_min: Mapped[int | None] = mapped_column(Integer)
    playing_age_max: Mapped[int | None] = mapped_column(Integer)
    city: Mapped[str | None] = mapped_column(String(100))
    travels: Mapped[bool] = mapped_column(Boolean, default=False)  # willing to travel
    languages: Mapped[list[str]] = mapped_column(ARRAY(String(60)), default=list)
    skills: Mapped[list[str]] = mapped_column(ARRAY(String(80)), default=list)
    height_cm: Mapped[int | None] = mapped_column(Integer)
    bio: Mapped[str] = mapped_column(Text, default="")
    credits: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    credit_years: Mapped[list[int]] = mapped_column(ARRAY(Integer), default=list)
    agency: Mapped[str | None] = mapped_column(String(200))
    headshot_url: Mapped[str | None] = mapped_column(Text)
    showreel_url: Mapped[str | None] = mapped_column(Text)
    consent: Mapped[bool] = mapped_column(Boolean, default=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    # float32 bytes of the passage embedding: the index is rebuilt from here, never re-embedded
    embedding: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    search_doc: Mapped[str | None] = deferred(
        mapped_column(TSVECTOR, Computed(SEARCH_DOCUMENT, persisted=True))
    )


class Project(Base):
    __tablename__ = "talent_projects"
    __table_args__ = (UniqueConstraint("workspace", "name", name="uq_talent_projects_name"),)

    pk: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Role(Base):
    __tablename__ = "talent_roles"
    __table_args__ = (
        UniqueConstraint("workspace", "project_pk", "name", name="uq_talent_roles_name"),
    )

    pk: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200))
    project_pk: Mapped[int] = mapped_column(
        ForeignKey("talent_projects.pk", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    brief: Mapped[str] = mapped_column(Text, default="")
    filters: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ShortlistEntry(Base):
    __tablename__ = "talent_shortlist"
    __table_args__ = (
        UniqueConstraint("role_pk", "talent_id", name="uq_talent_shortlist_role_talent"),
        Index("ix_talent_shortlist_talent", "talent_id"),
    )

    pk: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200))
    role_pk: Mapped[int] = mapped_column(ForeignKey("talent_roles.pk", ondelete="CASCADE"))
    talent_id: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="considered")
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ShortlistEvent(Base):
    """Every shortlist change: who, when, what (the answer to "why did we drop Rohan?")."""

    __tablename__ = "talent_shortlist_events"
    __table_args__ = (
        Index("ix_talent_shortlist_events_role", "role_pk", "at"),
        Index("ix_talent_shortlist_events_talent", "talent_id"),
    )

    pk: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200))
    role_pk: Mapped[int] = mapped_column(ForeignKey("talent_roles.pk", ondelete="CASCADE"))
    talent_id: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    actor: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CurrentRole(Base):
    """The role a conversation is working on (Redis holds the hot copy)."""

    __tablename__ = "talent_current_role"

    conversation_id: Mapped[str] = mapped_column(String(400), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(200))
    role_pk: Mapped[int] = mapped_column(ForeignKey("talent_roles.pk", ondelete="CASCADE"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CreditRow(Base):
    """One credit of a profile (title, year, part), kept in step with `Talent.credits` by
    import so that "who acted in 3 Idiots?" and "a 2018 release" are queries, not guesses."""

    __tablename__ = "talent_credits"
    __table_args__ = (
        Index("ix_talent_credits_title_key", "title_key"),
        Index("ix_talent_credits_initials", "initials"),
        Index("ix_talent_credits_year", "year"),
        Index("ix_talent_credits_sound_key", "sound_key"),
    )

    pk: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    talent_row_id: Mapped[int] = mapped_column(
        ForeignKey("talent.row_id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    title_key: Mapped[str] = mapped_column(String(300))  # letters and digits, lower case
    initials: Mapped[str] = mapped_column(String(40))  # "Zindagi Na Milegi Dobara" -> "znmd"
    sound_key: Mapped[str] = mapped_column(String(300), default="")  # across scripts
    year: Mapped[int | None] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(Text, default="")
