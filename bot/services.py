"""The running parts one process shares: settings, PostgreSQL, Redis, embedder and tools.

`open_services` starts the embedded servers when no URLs are configured, connects, applies
migrations and lets each feature (talent, memory) attach itself. Everything is closed again
on exit, and the embedded servers are left only when no other castmatch process uses them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from redis.asyncio import BlockingConnectionPool, Redis
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.db import make_engine, make_sessions
from bot.embedded import EmbeddedServers
from bot.embedding import Embedder, default_embedder
from bot.heap import FullCollections, freeze_startup_objects
from bot.migrate import migrate
from bot.ports import (
    Eraser,
    GuestHandler,
    HealthCheck,
    MediaSource,
    Memory,
    Messenger,
    Poster,
    ProfileEraser,
    ReplyCloser,
    Shortlists,
)
from bot.priority import FirstTextFirst
from bot.settings import Settings
from bot.tools import ToolRegistry
from bot.workspaces.directory import Directory

if TYPE_CHECKING:
    from bot.handoff import Consumer, Handoff
    from bot.metrics import QueueProbe

log = logging.getLogger(__name__)

WEB_POOL_SIZE = 2  # PostgreSQL connections a webhook-only process keeps open between uses
CANCELLED_GRACE_S = 5.0  # how long cancelled background work may take to clean up on exit

T = TypeVar("T")


@dataclass
class Services:
    settings: Settings
    db: AsyncEngine
    sessions: async_sessionmaker
    redis: Redis
    tools: ToolRegistry
    embedder: Embedder
    directory: Directory
    embedded: EmbeddedServers | None = None
    fresh_database: bool = False  # the embedded database was created by this start
    # What features and channels register at start-up (see `bot.ports`).
    memory: Memory | None = None
    shortlists: Shortlists | None = None
    health_checks: dict[str, HealthCheck] = field(default_factory=dict)  # /readyz "index"
    queue_depths: dict[str, QueueProbe] = field(default_factory=dict)  # /metrics
    reply_closers: dict[str, ReplyCloser] = field(default_factory=dict)  # by channel
    erasers: list[Eraser] = field(default_factory=list)  # forget a person
    profile_erasers: list[ProfileEraser] = field(default_factory=list)  # forget talent:ID
    guests: list[GuestHandler] = field(default_factory=list)  # expected non-members
    messengers: dict[str, Messenger] = field(default_factory=dict)  # by channel
    media_sources: dict[str, MediaSource] = field(default_factory=dict)  # by channel
    posters: dict[str, Poster] = field(default_factory=dict)  # by channel
    routes: dict[str, Any] = field(default_factory=dict)  # GET path -> aiohttp handler
    post_routes: dict[str, Any] = field(default_factory=dict)  # POST path -> handler
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)  # on exit
    # In a turn worker (bot/worker.py): what takes each channel's queued turns.
    consumers: list[Callable[[Handoff], list[Consumer]]] = field(default_factory=list)
    provided: dict[type, Any] = field(default_factory=dict)  # see `provide`
    background: set[asyncio.Task[Any]] = field(default_factory=set)
    # Turns before their first text; background work (memory indexing) yields to them.
    priority: FirstTextFirst = field(default_factory=FirstTextFirst)

    def provide(self, value: T) -> T:
        """Keep one object of its type for this process (a feature's index, a channel's
        runtime), found again with `find`."""
        self.provided[type(value)] = value
        return value

    def find(self, kind: type[T]) -> T | None:
        found = self.provided.get(kind)
        return found if isinstance(found, kind) else None

    def key(self, *parts: str) -> str:
        """A Redis key in this deployment's namespace."""
        return ":".join((self.settings.redis_namespace, *parts))

    def spawn(self, coro: Any, *, name: str = "") -> asyncio.Task[Any]:
        """Run work in the background in a task we own (kept until done, awaited on close)."""
        task = asyncio.create_task(coro, name=name or None)
        self.background.add(task)
        task.add_done_callback(self._background_done)
        return task

    def _background_done(self, task: asyncio.Task[Any]) -> None:
        self.background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())


def make_redis(url: str) -> Redis:
    """A client whose pool makes bursts wait for a connection instead of failing."""
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=256,
        timeout=5,
        socket_connect_timeout=2,
        socket_timeout=5,
        health_check_interval=15,
    )
    return Redis(connection_pool=pool, retry_on_timeout=False, decode_responses=False)


Setup = Callable[[Services], Awaitable[None]]


@contextlib.asynccontextmanager
async def open_services(
    settings: Settings, *, migrate_schema: bool = True, features: Sequence[Setup] = ()
) -> AsyncIterator[Services]:
    """The running parts, with each of `features` attached (it registers its tools, health
    checks, memory, closers on the services)."""
    embedded: EmbeddedServers | None = None
    database_url, redis_url = settings.sqlalchemy_url, settings.redis_url
    fresh = False
    if not database_url or not redis_url:
        embedded = EmbeddedServers(settings.data_path, grace_s=settings.embedded_grace_s)
        urls = await asyncio.to_thread(embedded.start)
        if not database_url:
            database_url, fresh = urls.database_url, urls.database_created
        redis_url = redis_url or urls.redis_url
    # A web process with a turn worker runs no turns: it keeps few connections idle.
    pools = {"pool_size": WEB_POOL_SIZE} if settings.process_role == "web" else {}
    db = make_engine(database_url, **pools)
    redis = make_redis(redis_url)
    sessions = make_sessions(db)
    services = Services(
        settings=settings,
        db=db,
        sessions=sessions,
        redis=redis,
        tools=ToolRegistry(),
        embedder=default_embedder(),
        directory=Directory(sessions, redis, settings.redis_namespace),
        embedded=embedded,
        fresh_database=fresh,
    )
    services.erasers.append(services.directory.forget)
    try:
        if migrate_schema:
            await migrate(db)
        for setup in features:
            await setup(services)
        if features:  # a process that runs turns (or searches): the rest is its work
            freeze_startup_objects()
            services.closers.append(FullCollections(services.priority).stop)
        yield services
    finally:
        for close in reversed(services.closers):
            try:
                await close()
            except Exception:
                log.exception("a closer failed")
        if services.background:
            await asyncio.wait(services.background, timeout=settings.shutdown_grace_s)
        cancelled = list(services.background)
        for task in cancelled:
            task.cancel()
        if cancelled:  # their clean-up runs now (an indexing turn gives its claim back)
            await asyncio.wait(cancelled, timeout=CANCELLED_GRACE_S)
        await redis.aclose()
        await db.dispose()
        if embedded is not None:
            await asyncio.to_thread(embedded.release)
