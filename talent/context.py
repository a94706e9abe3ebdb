"""The workspace's shortlists as context for memory: who is on which role's list, in what
state, and why (registered as the services' `ShortlistSource`).

Read from the talent tables (the shortlist tools write them), so "shortlist the second one"
is remembered by name even though the message itself names nobody. A short-lived copy per
workspace keeps this off the database on most turns.
"""

from __future__ import annotations

import time

from sqlalchemy import bindparam, or_, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.ports import ShortlistLine
from talent.models import SHARED, Project, Role, ShortlistEntry, Talent
from talent.shortlists import WITHDRAWN

FRESH_S = 10.0  # a copy this young is used as is
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
    def __init__(self, sessions: async_sessionmaker) -> None:
        self._sessions = sessions
        self._held: dict[str, tuple[float, list[ShortlistLine]]] = {}

    async def lines(self, workspace: str) -> list[ShortlistLine]:
        held = self._held.get(workspace)
        if held is not None and time.monotonic() - held[0] < FRESH_S:
            return held[1]
        async with self._sessions() as session:
            rows = (await session.execute(_LATEST, {"workspace": workspace})).all()
        lines = [
            ShortlistLine(at, f"{role} ({project})",
                          f"{WITHDRAWN} ({status})" if consent is False else
                          f"{name or talent_id} ({status}{': ' + reason if reason else ''})")
            for at, status, reason, talent_id, name, role, project, consent in rows
        ]  # fmt: skip
        self._held[workspace] = (time.monotonic(), lines)
        if len(self._held) > 4096:
            self._held.pop(next(iter(self._held)))
        return lines

    def changed(self, workspace: str) -> None:
        self._held.pop(workspace, None)
