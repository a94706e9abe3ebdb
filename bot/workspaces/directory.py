"""Which workspace a channel account belongs to and who may use it, shared by every replica.

Each process holds a snapshot of the (small) link and member tables and checks one version
counter in Redis per lookup: a change made by any process (`castmatch members add`, an
admin's Slack command, a link) bumps it, so every replica reloads before its next message;
no restart and no stale cache. While Redis is down the snapshot is re-read from PostgreSQL
at most every few seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import is_outage
from bot.workspaces import ids
from bot.workspaces.models import Link, Member, Workspace

log = logging.getLogger(__name__)

STALE_WITHOUT_REDIS_S = 5.0


class WorkspaceError(ValueError):
    """A change that can't be made (unknown workspace, account linked elsewhere)."""


# A feature's part of moving an account's data into the workspace it joins: rows renamed
# inside the link's transaction, then caches told once it has committed.
MoveRows = Callable[[AsyncSession, str, str], Awaitable[Sequence[str]]]
AfterMove = Callable[[str, str], Awaitable[None]]


@dataclass(frozen=True)
class Mover:
    name: str
    rows: MoveRows
    after: AfterMove | None = None


@dataclass(frozen=True)
class Snapshot:
    version: int | None
    links: dict[str, str]  # account -> workspace
    members: dict[str, dict[str, bool]]  # workspace -> member -> admin
    loaded_at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class WorkspaceInfo:
    name: str
    accounts: tuple[str, ...]
    members: int
    admins: int


class Directory:
    def __init__(self, sessions: async_sessionmaker, redis: Redis, namespace: str) -> None:
        self._sessions = sessions
        self._redis = redis
        self._version_key = f"{namespace}:workspaces:version"
        self._snapshot: Snapshot | None = None
        self._loading = asyncio.Lock()
        self.movers: list[Mover] = []

    # -- reads (every inbound message) ------------------------------------------------------

    async def workspace_of(self, account: str) -> str:
        """The workspace of a channel account (`slack:T…`): linked, else its own."""
        snapshot = await self._current()
        return snapshot.links.get(account, account)

    async def role(self, workspace: str, person: str) -> bool | None:
        """None when `person` is not a member of `workspace`; else whether an admin."""
        snapshot = await self._current()
        return snapshot.members.get(workspace, {}).get(person)

    async def _current(self) -> Snapshot:
        held = self._snapshot
        try:
            raw = await self._redis.get(self._version_key)
            version: int | None = int(raw) if raw else 0
        except RedisError:
            version = None
        if held is not None:
            if version is not None and held.version == version:
                return held
            if version is None and time.monotonic() - held.loaded_at < STALE_WITHOUT_REDIS_S:
                return held
        async with self._loading:
            if self._snapshot is not held and self._snapshot is not None:
                return self._snapshot  # another task reloaded meanwhile
            try:
                self._snapshot = await self._load(version)
            except Exception as exc:
                if held is None or not is_outage(exc):
                    raise
                # PostgreSQL busy or down: a snapshot a few seconds old answers the message;
                # dropping the message would be worse. The next lookup tries again.
                log.warning("workspace directory not reloaded (%s); using the last one",
                            type(exc).__name__)  # fmt: skip
                # Marked fresh, so the lookups queued on this lock don't each wait on it too.
                self._snapshot = replace(held, loaded_at=time.monotonic())
            return self._snapshot

    async def _load(self, version: int | None) -> Snapshot:
        async with self._sessions() as session:
            links = dict((await session.execute(select(Link.account, Link.workspace))).all())
            members: dict[str, dict[str, bool]] = {}
            rows = await session.execute(select(Member.workspace, Member.member, Member.admin))
            for workspace, person, admin in rows:
                members.setdefault(workspace, {})[person] = admin
        return Snapshot(version, links, members)

    async def changed(self) -> None:
        """Tell every process (this one at once) to reload before its next lookup."""
        self._snapshot = None
        try:
            await self._redis.incr(self._version_key)
        except RedisError:
            log.warning("redis unavailable: other replicas see the change within seconds")

    # -- names -------------------------------------------------------------------------------

    async def resolve(self, name: str, *, create: bool = False) -> str:
        """A workspace as named on the command line -> its record's name.

        A channel account names the workspace it belongs to (its own until linked), which
        always exists. A company name must exist unless `create`.
        """
        name = ids.workspace(name)
        async with self._sessions() as session, session.begin():
            if ids.is_account(name):
                linked = await session.scalar(select(Link.workspace).where(Link.account == name))
                if linked:
                    return linked
                await _ensure(session, name)
                return name
            if await session.get(Workspace, name) is None:
                if not create:
                    raise WorkspaceError(
                        f"no workspace named {name!r} (see castmatch workspace list)"
                    )
                await _ensure(session, name)
        return name

    # -- changes -----------------------------------------------------------------------------

    async def add_members(
        self, workspace: str, people: Iterable[str], *, admin: bool = False, by: str = ""
    ) -> list[str]:
        """Add (or update) members; every id is checked before any is added."""
        checked = [ids.member(p) for p in people]
        name = await self.resolve(workspace)
        async with self._sessions() as session, session.begin():
            for person in dict.fromkeys(checked):
                statement = insert(Member).values(
                    workspace=name, member=person, admin=admin, added_by=by
                )
                if admin:  # --admin promotes an existing member; without it nobody is demoted
                    statement = statement.on_conflict_do_update(
                        index_elements=["workspace", "member"], set_={"admin": True}
                    )
                else:
                    statement = statement.on_conflict_do_nothing()
                await session.execute(statement)
        await self.changed()
        return list(dict.fromkeys(checked))

    async def remove_members(self, workspace: str, people: Iterable[str]) -> list[str]:
        """Remove members; returns those who were members."""
        checked = [ids.member(p) for p in people]
        name = await self.resolve(workspace)
        async with self._sessions() as session, session.begin():
            removed = await session.scalars(
                delete(Member)
                .where(Member.workspace == name, Member.member.in_(checked))
                .returning(Member.member)
            )
            gone = list(removed)
        await self.changed()
        return gone

    async def forget(self, channel: str, user_id: str) -> list[str]:
        """Erasure: the person leaves every workspace's member list (an admin can add them
        again)."""
        async with self._sessions() as session, session.begin():
            gone = await session.execute(
                delete(Member).where(Member.member == f"{channel}:{user_id}")
            )
        if gone.rowcount:
            await self.changed()
        return [f"PostgreSQL: {gone.rowcount} workspace membership(s)"]

    async def members(self, workspace: str) -> tuple[str, list[tuple[str, bool]]]:
        name = await self.resolve(workspace)
        async with self._sessions() as session:
            rows = await session.execute(
                select(Member.member, Member.admin)
                .where(Member.workspace == name)
                .order_by(Member.admin.desc(), Member.member)
            )
            return name, [(m, a) for m, a in rows]

    async def workspaces(self) -> list[WorkspaceInfo]:
        async with self._sessions() as session:
            names = list(await session.scalars(select(Workspace.name).order_by(Workspace.name)))
            links = (await session.execute(select(Link.account, Link.workspace))).all()
            people = (await session.execute(select(Member.workspace, Member.admin))).all()
        out = []
        for name in names:
            accounts = tuple(sorted(a for a, w in links if w == name))
            if ids.is_account(name) and not accounts and any(a == name for a, _ in links):
                continue  # a channel's own workspace, now linked elsewhere
            mine = [admin for w, admin in people if w == name]
            out.append(WorkspaceInfo(name, accounts, len(mine), sum(mine)))
        return out

    async def link(self, workspace: str, account: str) -> tuple[str, list[str]]:
        """Join `account` to `workspace` (created if new); its data and members move in.

        Returns the workspace's name and what moved. Linking the same pair again changes
        nothing; an account already linked to another workspace is refused.
        """
        account = ids.account(account)
        target = ids.workspace(workspace)
        if ids.is_account(target):
            target = await self.resolve(target)
        report: list[str] = []
        async with self._sessions() as session, session.begin():
            await _ensure(session, target)
            current = await session.scalar(
                select(Link.workspace).where(Link.account == account).with_for_update()
            )
            if current == target:
                return target, [f"{account} is already linked to {target}"]
            if current is not None:
                raise WorkspaceError(
                    f"{account} is already linked to workspace {current!r}; "
                    "a channel belongs to one workspace"
                )
            if target == account:
                return target, [f"{account} is its own workspace already"]
            if await session.scalar(select(Link.account).where(Link.account == target)):
                raise WorkspaceError(f"{target!r} is linked to another workspace")
            await _ensure(session, account)
            await session.execute(insert(Link).values(account=account, workspace=target))
            # The account's own workspace (and anything linked to it) now points at target.
            await session.execute(
                update(Link).where(Link.workspace == account).values(workspace=target)
            )
            report.append(await _move_members(session, account, target))
            for mover in self.movers:
                report += await mover.rows(session, account, target)
        for mover in self.movers:
            if mover.after is not None:
                try:
                    await mover.after(account, target)
                except Exception:
                    log.exception(
                        "after moving %s's data, %s's caches were not told", account, mover.name
                    )
        await self.changed()
        return target, [line for line in report if line]


async def _ensure(session: AsyncSession, name: str) -> None:
    await session.execute(insert(Workspace).values(name=name).on_conflict_do_nothing())


async def _move_members(session: AsyncSession, source: str, target: str) -> str:
    """Members of the account's own workspace join the target (admins stay admins)."""
    rows = (
        await session.execute(
            select(Member.member, Member.admin, Member.added_by).where(Member.workspace == source)
        )
    ).all()
    for person, admin, by in rows:
        statement = insert(Member).values(workspace=target, member=person, admin=admin, added_by=by)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=["workspace", "member"],
                set_={"admin": Member.admin.op("OR")(statement.excluded.admin)},
            )
        )
    await session.execute(delete(Member).where(Member.workspace == source))
    return f"{len(rows)} member(s) moved" if rows else ""
