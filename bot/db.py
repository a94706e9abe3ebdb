"""PostgreSQL access: the declarative base every model uses, engines and sessions."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
from sqlalchemy import MetaData
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints so alembic migrations stay stable.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str, *, pool_size: int = 20, max_overflow: int = 10) -> AsyncEngine:
    """An async engine on psycopg 3 that notices dead connections before using them.

    At most 30 connections, as before, but 20 (was 10) stay open between bursts: a turn
    reads on ~4 connections at once, and every connection past the kept ones was opened
    for the burst and closed after it (a new PostgreSQL backend each time: 10 turns at
    once opened ~10)."""
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={"connect_timeout": 5},
        hide_parameters=True,  # errors must not quote message text or phone numbers
    )


def make_sessions(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def is_outage(exc: BaseException) -> bool:
    """Whether PostgreSQL is unreachable or failing (as opposed to refusing this data)."""
    down = (psycopg.OperationalError, psycopg.InterfaceError)
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or isinstance(exc.orig, down)
    return isinstance(exc, (SQLAlchemyError, OSError, TimeoutError, *down))
