"""Tables for who is free when: holds per talent and project, and availability windows.

A hold belongs to one workspace, one role and so one project ("first hold for Inspector
Yadav"). One row per talent and role; its kind moves pencil -> second -> first -> booked,
or to released, and the row keeps its dates and who changed it last.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow

KINDS = ("pencil", "second", "first", "booked", "released")
ACTIVE = ("pencil", "second", "first", "booked")
BLOCKING = ("first", "booked")  # two of these on overlapping dates are a conflict
LABELS = {
    "pencil": "pencil",
    "second": "2nd hold",
    "first": "1st hold",
    "booked": "booked",
    "released": "released",
}


class Hold(Base):
    __tablename__ = "talent_holds"
    __table_args__ = (
        UniqueConstraint("role_pk", "talent_id", name="uq_talent_holds_role"),
        Index("ix_talent_holds_talent", "workspace", "talent_id", "starts", "ends"),
    )

    pk: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200))
    talent_id: Mapped[str] = mapped_column(String(200))
    project_pk: Mapped[int] = mapped_column(
        ForeignKey("talent_projects.pk", ondelete="CASCADE"), index=True
    )
    role_pk: Mapped[int] = mapped_column(ForeignKey("talent_roles.pk", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Availability(Base):
    """A window a person said they are free (`available`) or not (`unavailable`)."""

    __tablename__ = "talent_availability"
    __table_args__ = (Index("ix_talent_availability_talent", "workspace", "talent_id", "ends"),)

    pk: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    workspace: Mapped[str] = mapped_column(String(200))
    talent_id: Mapped[str] = mapped_column(String(200))
    available: Mapped[bool] = mapped_column()
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
