"""Workspace tables: companies, the channel accounts linked to them, their members."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow


class Workspace(Base):
    """One casting company. A Slack team's or WhatsApp number's own workspace (`slack:T…`,
    `whatsapp:+…`) gets its row the first time anything refers to it."""

    __tablename__ = "workspaces"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Link(Base):
    """A channel account joined to a workspace; an account without a row is its own."""

    __tablename__ = "workspace_links"

    account: Mapped[str] = mapped_column(String(200), primary_key=True)
    workspace: Mapped[str] = mapped_column(
        ForeignKey("workspaces.name", ondelete="CASCADE"), index=True
    )
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Member(Base):
    """A person allowed to use a workspace (`whatsapp:+…`, `slack:U…`); admins manage it."""

    __tablename__ = "workspace_members"

    workspace: Mapped[str] = mapped_column(
        ForeignKey("workspaces.name", ondelete="CASCADE"), primary_key=True
    )
    member: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    admin: Mapped[bool] = mapped_column(Boolean, default=False)
    added_by: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
