"""Is a pooled PostgreSQL connection still alive? Asked at each checkout, mostly without
a round trip.

SQLAlchemy's `pool_pre_ping` sends `SELECT 1` before every use: a turn checks out ~4
connections, so a quarter of the statements on its path were pings. Instead, an idle
connection whose server has gone (restarted, killed, the backend terminated) has something
to read on its socket (PostgreSQL's FATAL notice, or the closed socket's end), seen with a
zero-timeout poll; only a connection idle for `PING_AFTER_S` (where a network could have
dropped it silently) still gets a real ping. A dead one invalidates the pool, as a failed
pre-ping does, and the checkout reconnects.
"""

from __future__ import annotations

import select
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.ext.asyncio import AsyncEngine

PING_AFTER_S = 30.0


def watch(engine: AsyncEngine) -> None:
    """Check each checkout of `engine`'s pool (instead of `pool_pre_ping`)."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    @event.listens_for(pool, "checkin")
    def idle_since(dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def alive(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None:
            return  # just connected
        if _server_left(dbapi_connection):
            raise InvalidatePoolError("PostgreSQL closed an idle connection")
        if time.monotonic() - since > PING_AFTER_S and not dialect._do_ping_w_event(
            dbapi_connection
        ):
            raise InvalidatePoolError("an idle connection did not answer a ping")


def _server_left(dbapi_connection: Any) -> bool:
    """Whether an idle connection's socket has anything to read (nothing is expected)."""
    try:
        fd = dbapi_connection.driver_connection.pgconn.socket
        readable, _, _ = select.select([fd], [], [], 0)
    except Exception:  # closed, or no socket to ask: not usable
        return True
    return bool(readable)
