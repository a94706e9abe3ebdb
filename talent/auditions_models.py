"""Tables for auditions: slots per role, invitations (to a slot or for a self-tape), the
WhatsApp numbers invitations go to, and the media people send (headshots, self-tapes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, FetchedValue, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow

# queued -> sent -> confirmed | declined | submitted (a self-tape came); or failed/cancelled
OPEN = ("queued", "sent", "confirmed")
ANSWERABLE = ("sent", "confirmed", "declined")  # a later YES/NO still counts


class Slot(Base):
    __tablename__ = "audition_slots"
    __table_args__ = (Index("ix_audition_slots_role", "role_pk", "starts_at"),)

    pk: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200))
    role_pk: Mapped[int] = mapped_column(ForeignKey("talent_roles.pk", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str] = mapped_column(Text)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Invitation(Base):
    __tablename__ = "audition_invitations"
    __table_args__ = (
        Index("ix_audition_invitations_phone", "workspace", "phone", "status"),
        Index("ix_audition_invitations_role", "role_pk", "talent_id"),
    )

    pk: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200))
    role_pk: Mapped[int] = mapped_column(ForeignKey("talent_roles.pk", ondelete="CASCADE"))
    talent_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # audition | self_tape
    slot_pk: Mapped[int | None] = mapped_column(
        ForeignKey("audition_slots.pk", ondelete="SET NULL"), nullable=True
    )
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    phone: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    detail: Mapped[str] = mapped_column(Text, default="")  # why it failed; the answer given
    message_sid: Mapped[str] = mapped_column(String(64), default="")
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Contact(Base):
    """A person's WhatsApp number as this workspace knows it (and when they last wrote, for
    WhatsApp's 24-hour window)."""

    __tablename__ = "talent_contacts"

    workspace: Mapped[str] = mapped_column(String(200), primary_key=True)
    talent_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    phone: Mapped[str] = mapped_column(String(32), index=True)
    last_inbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Media(Base):
    """A stored file: a headshot or self-tape, attached to a profile and perhaps an
    invitation. `key` names it in the media store (never a platform URL)."""

    __tablename__ = "talent_media"
    __table_args__ = (Index("ix_talent_media_talent", "workspace", "talent_id"),)

    pk: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200))
    talent_id: Mapped[str] = mapped_column(String(200))
    role_pk: Mapped[int | None] = mapped_column(
        ForeignKey("talent_roles.pk", ondelete="SET NULL"), nullable=True
    )
    invitation_pk: Mapped[int | None] = mapped_column(
        ForeignKey("audition_invitations.pk", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # headshot | self_tape | photo | video
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    # the file's link on the server is /media/<token>; set by PostgreSQL (see 0017_media_token)
    token: Mapped[str] = mapped_column(String(64), server_default=FetchedValue())
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
