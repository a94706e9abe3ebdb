"""The workspace's shortlists as context for memory: who is on which role's list, in what
state, and why (registered as the services' `ShortlistSource`).

Read from the talent tables (the shortlist tools write them), so "shortlist the second one"
is remembered by name even though the message itself names nobody. A short-lived copy per
workspace keeps this off the database on most turns; a change made through CastMatch (a
shortlist edit, an import that renames someone or withdraws their consent, an erasure)
bumps a version in Redis, so every process's next context shows it at once.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

from redis.exceptions import RedisError
from sqlalchemy import bindparam, or_, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.ports import ShortlistLine
from talent.models import SHARED, Project, Role, ShortlistEntry, Talent
from talent.shortlists import WITHDRAWN

if TYPE_CHECKING:
    from redis.asyncio import Redis

FRESH_S = 10.0  # the longest a copy is used (a change made outside CastMatch shows after it)
LIMIT = 40  # the most recently changed entries

# built once: composing the statement cost as much as running it
_WORKSPACE = bindparam("workspace")
_LATEST = (
    select(ShortlistEntry.updated_at, ShortlistEntry.status, ShortlistEntry.reason,
           ShortlistEntry.talent_id, Talent.name, Role.name, Project.name, Talent.consent)
    .join(Role, Role.pk == ShortlistEntry.role_pk)
    .join(Project, Project.pk == Role.project_pk)
    .outerjoin(Talent, (Talent.id == ShortlistEntry.talent_id)
               & or_(Talent.workspace == SHARED, Talent.workspace == _WORKSPACE))
    .where(ShortlistEntry.workspace == _WORKSPACE)
    .order_by(ShortlistEntry.updated_at.desc())
    .limit(LIMIT)
)  # fmt: skip


class WorkspaceShortlists:
    def __init__(
        self, sessions: async_sessionmaker, redis: Redis | None = None, namespace: str = ""
    ) -> None:
        self._sessions = sessions
        self._redis = redis
        self._ns = namespace
        # workspace -> (read at, the versions it was read at, its lines)
        self._held: dict[str, tuple[float, list[bytes | None] | None, list[ShortlistLine]]] = {}

    async def lines(self, workspace: str) -> list[ShortlistLine]:
        version = await self._version(workspace)  # read first: a change after it re-reads
        held = self._held.get(workspace)
        if (
            held is not None
            and time.monotonic() - held[0] < FRESH_S
            and (version is None or held[1] == version)
        ):
            return held[2]
        async with self._sessions() as session:
            rows = (await session.execute(_LATEST, {"workspace": workspace})).all()
        lines = [
            ShortlistLine(at, f"{role} ({project})",
                          f"{WITHDRAWN} ({status})" if consent is False else
                          f"{name or talent_id} ({status}{': ' + reason if reason else ''})")
            for at, status, reason, talent_id, name, role, project, consent in rows
        ]  # fmt: skip
        self._held[workspace] = (time.monotonic(), version, lines)
        if len(self._held) > 4096:
            self._held.pop(next(iter(self._held)))
        return lines

    async def changed(self, *workspaces: str) -> None:
        """These workspaces' shortlists changed: every process reads them again."""
        for workspace in workspaces:
            self._held.pop(workspace, None)
        await self._bump(*(self._key(f"ws:{w}") for w in workspaces))

    async def profiles_changed(self) -> None:
        """Profiles changed (a name, a consent, an erasure): every workspace is read again."""
        self._held.clear()
        await self._bump(self._key("profiles"))

    def _key(self, what: str) -> str:
        return f"{self._ns}:shortlists-version:{what}"

    async def _version(self, workspace: str) -> list[bytes | None] | None:
        """The workspace's and the profiles' change counters (None: Redis can't tell, so a
        copy is trusted for `FRESH_S` as before)."""
        if self._redis is None:
            return None
        try:
            return list(await self._redis.mget(self._key(f"ws:{workspace}"), self._key("profiles")))
        except RedisError:
            return None

    async def _bump(self, *keys: str) -> None:
        if self._redis is None or not keys:
            return
        # when Redis is down, the other processes' copies still expire after FRESH_S
        with contextlib.suppress(RedisError):
            async with self._redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.incr(key)
                await pipe.execute()
