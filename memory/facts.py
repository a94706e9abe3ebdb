"""Facts about the work, with their source message and time, and supersession.

A new fact about a `subject` someone already stated supersedes the old one: the old row is
kept (history: "we first said Goa") with `superseded_at`, and only current facts are fed to
the model as current. Workspace facts are shared by the company; person facts (preferences)
are only ever read back for their owner.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from memory.models import Fact


@dataclass(frozen=True)
class NewFact:
    scope: str  # workspace | person
    kind: str  # project, role, decision, preference, note
    subject: str
    text: str


@dataclass(frozen=True)
class FactView:
    id: int
    scope: str
    kind: str
    subject: str
    text: str
    stated_at: datetime
    source_message_id: int | None
    superseded_at: datetime | None = None
    owner: str = ""


_COLUMNS = (
    Fact.id,
    Fact.scope,
    Fact.kind,
    Fact.subject,
    Fact.text,
    Fact.stated_at,
    Fact.source_message_id,
    Fact.superseded_at,
    Fact.owner,
)


def _view(row: Fact) -> FactView:
    return FactView(
        row.id,
        row.scope,
        row.kind,
        row.subject,
        row.text,
        row.stated_at,
        row.source_message_id,
        row.superseded_at,
        row.owner,
    )


@dataclass
class WorkspaceFacts:
    """A workspace's facts (newest first) as one process holds them between changes."""

    facts: list[FactView]
    version: int | None = None

    def __post_init__(self) -> None:
        self.by_id = {f.id: f for f in self.facts}
        live = {f.source_message_id for f in self.facts if f.superseded_at is None}
        self.superseded_sources: dict[int, datetime] = {}
        for f in self.facts:
            if (
                f.superseded_at is not None
                and f.source_message_id
                and f.source_message_id not in live
            ):
                self.superseded_sources[f.source_message_id] = f.superseded_at

    def current(self, owner: str, limit: int) -> list[FactView]:
        return [
            f
            for f in self.facts
            if f.superseded_at is None and (f.scope == "workspace" or f.owner == owner)
        ][:limit]


STATE_FACTS = 5000  # a workspace's newest facts held per process


class FactStore:
    def __init__(
        self, sessions: async_sessionmaker, redis: Redis | None = None, namespace: str = ""
    ) -> None:
        self._sessions = sessions
        self._redis = redis
        self._ns = namespace
        self._states: OrderedDict[str, WorkspaceFacts] = OrderedDict()
        # reads under way, by workspace: a turn's recall and its current facts ask at once,
        # and share one read
        self._reading: dict[str, asyncio.Future[WorkspaceFacts]] = {}

    def _version_key(self, workspace: str) -> str:
        return f"{self._ns}:factver:{workspace}"

    async def state(self, workspace: str) -> WorkspaceFacts:
        """The workspace's facts, from this process's copy while nobody changed them."""
        reading = self._reading.get(workspace)
        if reading is not None:
            return await asyncio.shield(reading)
        reading = asyncio.ensure_future(self._state(workspace))
        self._reading[workspace] = reading

        def done(future: asyncio.Future[WorkspaceFacts]) -> None:
            if self._reading.get(workspace) is future:
                del self._reading[workspace]
            if not future.cancelled():
                future.exception()  # retrieved here: a caller may have gone

        reading.add_done_callback(done)
        return await asyncio.shield(reading)

    async def _state(self, workspace: str) -> WorkspaceFacts:
        version: int | None = None
        if self._redis is not None:
            try:
                raw = await self._redis.get(self._version_key(workspace))
                version = int(raw) if raw else 0
            except RedisError:
                version = None  # can't tell: read PostgreSQL
        held = self._states.get(workspace)
        if held is not None and version is not None and held.version == version:
            self._states.move_to_end(workspace)
            return held
        query = (
            select(*_COLUMNS).where(Fact.workspace == workspace)
            .order_by(Fact.stated_at.desc()).limit(STATE_FACTS)
        )  # fmt: skip
        async with self._sessions() as session:
            state = WorkspaceFacts([FactView(*row) for row in await session.execute(query)],
                                   version)  # fmt: skip
        if version is not None:
            self._states[workspace] = state
            while len(self._states) > 4096:
                self._states.popitem(last=False)
        return state

    async def changed(self, workspace: str) -> None:
        """Forget this process's copy of the workspace's facts; tell the other processes."""
        self._states.pop(workspace, None)
        self._reading.pop(workspace, None)  # a read under way may predate the change
        if self._redis is not None:
            # when Redis is down, other processes see the change once it is back
            with contextlib.suppress(RedisError):
                await self._redis.incr(self._version_key(workspace))

    async def add(
        self,
        facts: Sequence[NewFact],
        *,
        workspace: str,
        owner: str,
        source_message_id: int | None,
        stated_at: datetime,
    ) -> list[FactView]:
        """Store new facts, superseding current ones about the same subject."""
        if not facts:
            return []
        async with self._sessions.begin() as session:
            added = [
                view
                for fact in facts
                if (
                    view := await self._add_one(
                        session, fact, workspace, owner, source_message_id, stated_at
                    )
                )
            ]
        if added:
            await self.changed(workspace)
        return added

    async def _add_one(
        self,
        session: AsyncSession,
        fact: NewFact,
        workspace: str,
        owner: str,
        source_message_id: int | None,
        stated_at: datetime,
    ) -> FactView | None:
        same = [
            Fact.workspace == workspace,
            Fact.subject == fact.subject,
            Fact.superseded_at.is_(None),
        ]
        if fact.scope == "person":
            same.append(Fact.owner == owner)
        current = list((await session.execute(select(Fact).where(*same))).scalars())
        if any(old.text == fact.text for old in current):
            return None  # said again: no duplicate
        if any(old.stated_at > stated_at for old in current):
            # an older statement arriving late (a replay): history, not current
            row = _row(fact, workspace, owner, source_message_id, stated_at)
            row.superseded_at = max(old.stated_at for old in current)
            session.add(row)
            await session.flush()
            return _view(row)
        row = _row(fact, workspace, owner, source_message_id, stated_at)
        session.add(row)
        await session.flush()
        if current:
            await session.execute(
                update(Fact)
                .where(Fact.id.in_([old.id for old in current]))
                .values(superseded_at=stated_at, superseded_by=row.id)
            )
        return _view(row)

    async def current(self, workspace: str, owner: str, *, limit: int = 200) -> list[FactView]:
        """Current workspace facts and this person's own current facts, newest first."""
        return (await self.state(workspace)).current(owner, limit)

    async def by_ids(self, ids: Iterable[int], workspace: str, owner: str) -> list[FactView]:
        ids = list(ids)
        if not ids:
            return []
        query = select(Fact).where(
            Fact.id.in_(ids),
            Fact.workspace == workspace,
            or_(Fact.scope == "workspace", Fact.owner == owner),
        )
        async with self._sessions() as session:
            return [_view(row) for row in (await session.execute(query)).scalars()]

    async def stated_by(self, message_id: int) -> list[FactView]:
        """The facts stored from one message, in the order they were stored."""
        query = select(Fact).where(Fact.source_message_id == message_id).order_by(Fact.id)
        async with self._sessions() as session:
            return [_view(row) for row in (await session.execute(query)).scalars()]

    async def superseded_sources(
        self, workspace: str, message_ids: Iterable[int]
    ) -> dict[int, datetime]:
        """Messages whose facts were all superseded since: message id → when."""
        ids = list(message_ids)
        if not ids:
            return {}
        query = select(Fact.source_message_id, Fact.superseded_at).where(
            Fact.workspace == workspace, Fact.source_message_id.in_(ids)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        out: dict[int, datetime] = {}
        live = {r.source_message_id for r in rows if r.superseded_at is None}
        for r in rows:
            if r.superseded_at is not None and r.source_message_id not in live:
                out[r.source_message_id] = r.superseded_at
        return out

    async def history(self, workspace: str, owner: str, subject_like: str) -> list[FactView]:
        query = (
            select(Fact)
            .where(
                Fact.workspace == workspace,
                Fact.subject.like(subject_like),
                or_(Fact.scope == "workspace", and_(Fact.scope == "person", Fact.owner == owner)),
            )
            .order_by(Fact.stated_at)
        )
        async with self._sessions() as session:
            return [_view(row) for row in (await session.execute(query)).scalars()]


def _row(
    fact: NewFact, workspace: str, owner: str, source_message_id: int | None, at: datetime
) -> Fact:
    return Fact(
        workspace=workspace,
        owner=owner,
        scope=fact.scope,
        kind=fact.kind,
        subject=fact.subject[:400],
        text=fact.text,
        source_message_id=source_message_id,
        stated_at=at,
    )
