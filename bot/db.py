"""PostgreSQL access: the declarative base every model uses, engines and sessions."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
from sqlalchemy import MetaData
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from bot import pool_check

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


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20) -> AsyncEngine:
    """An async engine on psycopg 3 that notices dead connections before using them
    (`pool_check`: mostly without a round trip).

    10 connections stay open between bursts. 20 saved ~8 PostgreSQL connects per burst of
    ten mentions, but a replica runs a web and a turn-worker process, each with a pool:
    two replicas would keep 80 idle connections of PostgreSQL's default 100."""
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_recycle=1800,
        connect_args={"connect_timeout": 5},
        hide_parameters=True,  # errors must not quote message text or phone numbers
    )
    pool_check.watch(engine)
    return engine


def make_sessions(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def is_outage(exc: BaseException) -> bool:
    """Whether PostgreSQL is unreachable or failing (as opposed to refusing this data)."""
    down = (psycopg.OperationalError, psycopg.InterfaceError)
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or isinstance(exc.orig, down)
    return isinstance(exc, (SQLAlchemyError, OSError, TimeoutError, *down))
