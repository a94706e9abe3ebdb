"""Tables of shared shortlist links (see `talent.share_links`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow


class ShareLink(Base):
    """One link to one role's shortlist: it opens until `expires_at` unless revoked."""

    __tablename__ = "talent_share_links"

    pk: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    link_id: Mapped[str] = mapped_column(String(64))
    workspace: Mapped[str] = mapped_column(String(200))
    role_pk: Mapped[int] = mapped_column(ForeignKey("talent_roles.pk", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(String(400), default="")  # where news goes
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ShareKey(Base):
    """The deployment's signing key, made by the migration (every replica signs alike)."""

    __tablename__ = "talent_share_key"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    secret: Mapped[str] = mapped_column(String(128))
