"""Projects, roles and per-role shortlists of one workspace, with every change recorded.

An entry's status moves considered -> audition -> callback -> booked, or to dropped (with a
reason). Each change writes a `ShortlistEvent` naming who made it and when, so "why did we
drop Rohan?" and "who is on callback for Inspector Yadav?" have answers.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import utcnow
from bot.types import ConversationKey
from talent.models import (
    SHARED,
    STATUSES,
    CurrentRole,
    Project,
    Role,
    ShortlistEntry,
    ShortlistEvent,
    Talent,
)
from talent.query import parse
from talent.recent import cached_role, remember_role

if TYPE_CHECKING:
    from bot.services import Services

DEFAULT_PROJECT = "General"


class ShortlistError(ValueError):
    """Something the person asked can't be done; the message says what to do instead."""


@dataclass(frozen=True)
class EntryView:
    position: int
    talent_id: str
    name: str
    status: str
    reason: str
    note: str
    updated_by: str
    updated_at: datetime
    age_range: str
    city: str

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["updated_at"] = self.updated_at.isoformat(timespec="seconds")
        return data


# -- projects and roles --------------------------------------------------------------------


async def ensure_role(
    services: Services,
    workspace: str,
    name: str,
    *,
    project: str | None = None,
    brief: str | None = None,
    actor: str = "",
) -> Role:
    """The named role (created, with its project, when new); a brief also sets its filters."""
    name = name.strip()
    if not name:
        raise ShortlistError("a role needs a name, e.g. 'Inspector Yadav'")
    async with services.sessions() as session, session.begin():
        role = await _find_role(session, workspace, name, project)
        if role is None:
            project_pk = await _ensure_project(
                session, workspace, project or DEFAULT_PROJECT, actor
            )
            role = Role(workspace=workspace, project_pk=project_pk, name=name, created_by=actor)
            session.add(role)
        if brief is not None:
            role.brief = brief
            role.filters = parse(brief).filters.compact()
        await session.flush()
        return role


async def find_role(
    services: Services, workspace: str, name: str, project: str | None = None
) -> Role | None:
    async with services.sessions() as session:
        return await _find_role(session, workspace, name, project)


async def _find_role(
    session: AsyncSession, workspace: str, name: str, project: str | None
) -> Role | None:
    query = select(Role).where(Role.workspace == workspace, func.lower(Role.name) == name.lower())
    if project:
        query = query.join(Project, Project.pk == Role.project_pk).where(
            func.lower(Project.name) == project.strip().lower()
        )
    roles = (await session.execute(query.order_by(Role.created_at.desc()))).scalars().all()
    if len(roles) > 1 and not project:
        raise ShortlistError(f"more than one project has a role called {name!r}; name the project")
    return roles[0] if roles else None


async def _ensure_project(session: AsyncSession, workspace: str, name: str, actor: str) -> int:
    statement = (
        insert(Project)
        .values(workspace=workspace, name=name.strip(), created_by=actor, created_at=utcnow())
        .on_conflict_do_nothing(constraint="uq_talent_projects_name")
    )
    await session.execute(statement)
    return int(
        await session.scalar(
            select(Project.pk).where(Project.workspace == workspace, Project.name == name.strip())
        )
    )


async def list_roles(services: Services, workspace: str) -> list[dict[str, Any]]:
    query = (
        select(Project.name, Role.name, Role.brief, func.count(ShortlistEntry.pk))
        .join(Role, Role.project_pk == Project.pk)
        .outerjoin(ShortlistEntry, ShortlistEntry.role_pk == Role.pk)
        .where(Project.workspace == workspace)
        .group_by(Project.name, Role.name, Role.brief, Role.created_at)
        .order_by(Role.created_at)
    )
    async with services.sessions() as session:
        rows = (await session.execute(query)).all()
    return [{"project": p, "role": r, "brief": b, "shortlisted": n} for p, r, b, n in rows]


# -- the conversation's current role ------------------------------------------------------


async def set_current_role(services: Services, key: ConversationKey, role: Role) -> None:
    statement = insert(CurrentRole).values(
        conversation_id=key.id, workspace=role.workspace, role_pk=role.pk, updated_at=utcnow()
    )
    statement = statement.on_conflict_do_update(
        index_elements=["conversation_id"],
        set_={"role_pk": role.pk, "updated_at": statement.excluded.updated_at},
    )
    async with services.sessions() as session, session.begin():
        await session.execute(statement)
    await remember_role(services, key, role.pk)


async def current_role(services: Services, key: ConversationKey, workspace: str) -> Role | None:
    """Redis first (hot), PostgreSQL when Redis lost it (restart, eviction); only a role of
    the conversation's workspace (a link may have moved the conversation)."""
    role_pk = await cached_role(services, key)
    async with services.sessions() as session:
        role = await session.get(Role, role_pk) if role_pk is not None else None
        if role is None or role.workspace != workspace:  # not cached, or merged by a link
            role_pk = await session.scalar(
                select(CurrentRole.role_pk).where(CurrentRole.conversation_id == key.id)
            )
            role = await session.get(Role, role_pk) if role_pk is not None else None
    if role is None or role.workspace != workspace:
        return None
    await remember_role(services, key, role.pk)
    return role


# -- entries --------------------------------------------------------------------------------


async def add(
    services: Services, role: Role, talent_ids: list[str], *, actor: str, note: str = ""
) -> tuple[list[str], list[str]]:
    """(added, already there). Unknown ids raise, so nothing half-happens."""
    async with services.sessions() as session, session.begin():
        known = await _known_talent(session, role.workspace, talent_ids)
        missing = [t for t in talent_ids if t not in known]
        if missing:
            raise ShortlistError(f"no profile with id {', '.join(missing)}")
        existing = set(
            (
                await session.execute(
                    select(ShortlistEntry.talent_id).where(ShortlistEntry.role_pk == role.pk)
                )
            ).scalars()
        )
        position = await _next_position(session, role.pk)
        added = []
        for talent_id in dict.fromkeys(talent_ids):
            if talent_id in existing:
                continue
            now = utcnow()
            session.add(
                ShortlistEntry(
                    workspace=role.workspace,
                    role_pk=role.pk,
                    talent_id=talent_id,
                    position=position,
                    status="considered",
                    note=note,
                    updated_by=actor,
                    created_at=now,
                    updated_at=now,
                )
            )
            _event(session, role, talent_id, "added", actor, {"note": note} if note else {})
            position += 1
            added.append(talent_id)
    if added:
        await _changed(services, role)
    return added, [t for t in talent_ids if t in existing]


async def remove(services: Services, role: Role, talent_ids: list[str], *, actor: str) -> list[str]:
    async with services.sessions() as session, session.begin():
        removed = list(
            (
                await session.execute(
                    delete(ShortlistEntry)
                    .where(ShortlistEntry.role_pk == role.pk)
                    .where(ShortlistEntry.talent_id.in_(talent_ids))
                    .returning(ShortlistEntry.talent_id)
                )
            ).scalars()
        )
        for talent_id in removed:
            _event(session, role, talent_id, "removed", actor, {})
        await _renumber(session, role.pk)
    if removed:
        await _changed(services, role)
    return removed


async def set_status(
    services: Services, role: Role, talent_id: str, status: str, *, actor: str, reason: str = ""
) -> EntryView:
    status = status.strip().lower()
    if status not in STATUSES:
        raise ShortlistError(f"status must be one of {', '.join(STATUSES)}")
    async with services.sessions() as session, session.begin():
        entry = await _entry(session, role, talent_id)
        previous = entry.status
        entry.status, entry.reason = status, reason
        entry.updated_by, entry.updated_at = actor, utcnow()
        _event(
            session,
            role,
            talent_id,
            "status",
            actor,
            {"from": previous, "to": status, "reason": reason},
        )
    await _changed(services, role)
    return (await show(services, role, talent_ids=[talent_id]))[0]


async def set_note(
    services: Services, role: Role, talent_id: str, note: str, *, actor: str
) -> EntryView:
    async with services.sessions() as session, session.begin():
        entry = await _entry(session, role, talent_id)
        entry.note = note
        entry.updated_by, entry.updated_at = actor, utcnow()
        _event(session, role, talent_id, "note", actor, {"note": note})
    await _changed(services, role)
    return (await show(services, role, talent_ids=[talent_id]))[0]


async def move(
    services: Services, role: Role, talent_id: str, position: int, *, actor: str
) -> list[EntryView]:
    """Put one entry at `position` (1 = top); the others keep their relative order."""
    async with services.sessions() as session, session.begin():
        entries = list(
            (
                await session.execute(
                    select(ShortlistEntry)
                    .where(ShortlistEntry.role_pk == role.pk)
                    .order_by(ShortlistEntry.position)
                    .with_for_update()
                )
            ).scalars()
        )
        moving = next((e for e in entries if e.talent_id == talent_id), None)
        if moving is None:
            raise ShortlistError(f"{talent_id} is not on the {role.name} shortlist")
        entries.remove(moving)
        entries.insert(max(0, min(position - 1, len(entries))), moving)
        for number, entry in enumerate(entries, start=1):
            entry.position = number
        _event(session, role, talent_id, "moved", actor, {"position": position})
    await _changed(services, role)
    return await show(services, role)


async def show(
    services: Services,
    role: Role,
    *,
    status: str | None = None,
    talent_ids: list[str] | None = None,
) -> list[EntryView]:
    query = (
        select(
            ShortlistEntry,
            Talent.name,
            Talent.playing_age_min,
            Talent.playing_age_max,
            Talent.city,
            Talent.consent,
        )
        .outerjoin(
            Talent,
            (Talent.id == ShortlistEntry.talent_id)
            & Talent.workspace.in_((SHARED, role.workspace)),
        )
        .where(ShortlistEntry.role_pk == role.pk)
        .order_by(ShortlistEntry.position)
    )
    if status:
        query = query.where(ShortlistEntry.status == status)
    if talent_ids:
        query = query.where(ShortlistEntry.talent_id.in_(talent_ids))
    async with services.sessions() as session:
        rows = (await session.execute(query)).all()
    return [
        withdrawn(view) if consent is False else view
        for view, consent in (
            (_view(e, name, low, high, city), consent) for e, name, low, high, city, consent in rows
        )
    ]


WITHDRAWN = "(withdrawn)"


def withdrawn(view: EntryView) -> EntryView:
    """A person who withdrew consent: their place on the list, nothing that names them."""
    return dataclasses.replace(view, name=WITHDRAWN, reason="", note="", age_range="", city="")


def _view(e: ShortlistEntry, name: str | None, low: Any, high: Any, city: str | None) -> EntryView:
    return EntryView(
        position=e.position,
        talent_id=e.talent_id,
        name=name or "(profile removed)",
        status=e.status,
        reason=e.reason,
        note=e.note,
        updated_by=e.updated_by,
        updated_at=e.updated_at,
        age_range=f"{low}-{high}" if low is not None else "",
        city=city or "",
    )


async def history(
    services: Services, role: Role, *, talent_id: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    query = select(ShortlistEvent).where(ShortlistEvent.role_pk == role.pk)
    if talent_id:
        query = query.where(ShortlistEvent.talent_id == talent_id)
    query = query.order_by(ShortlistEvent.at.desc(), ShortlistEvent.pk.desc()).limit(limit)
    async with services.sessions() as session:
        events = (await session.execute(query)).scalars().all()
    return [
        {
            "talent_id": e.talent_id,
            "action": e.action,
            "detail": e.detail,
            "by": e.actor,
            "at": e.at.isoformat(timespec="seconds"),
        }
        for e in events
    ]


async def compare(
    services: Services, workspace: str, talent_ids: list[str]
) -> list[dict[str, Any]]:
    """Side by side: the facts a casting director weighs, for two or more profiles."""
    query = select(Talent).where(
        Talent.id.in_(talent_ids), Talent.workspace.in_((SHARED, workspace)), Talent.consent
    )
    async with services.sessions() as session:
        found = {t.id: t for t in (await session.execute(query)).scalars()}
    return [
        {
            "id": t.id,
            "name": t.name,
            "gender": t.gender,
            "playing_age": f"{t.playing_age_min}-{t.playing_age_max}",
            "city": t.city,
            "height_cm": t.height_cm,
            "languages": t.languages,
            "skills": t.skills,
            "credits": len(t.credits or []),
            "showreel": bool(t.showreel_url),
        }
        for talent_id in talent_ids
        if (t := found.get(talent_id)) is not None
    ]


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: object) -> object:
    """A spreadsheet runs a text cell starting with = + - @ tab or CR as a formula (OWASP
    "CSV injection"): such text gets a leading apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


async def _export_details(
    services: Services, workspace: str, ids: list[str]
) -> dict[str, dict[str, str]]:
    """Languages, agency, headshot and showreel per person (the workspace's own profile over
    the shared catalogue's; a headshot kept from WhatsApp when the profile has none)."""
    from talent import media_route  # the media feature's links, only when exporting

    query = select(Talent).where(Talent.id.in_(ids), Talent.workspace.in_([workspace, SHARED]))
    async with services.sessions() as session:
        rows = sorted((await session.scalars(query)).all(), key=lambda t: t.workspace != "")
    kept = await media_route.headshots(services, workspace, ids)
    details: dict[str, dict[str, str]] = {}
    for t in rows:  # shared first, so the workspace's own profile wins
        details[t.id] = {
            "languages": "; ".join(t.languages or []),
            "agency": t.agency or "",
            "headshot_url": t.headshot_url or kept.get(t.id, ""),
            "showreel_url": t.showreel_url or "",
        }
    return details


async def pictures(services: Services, workspace: str, ids: list[str]) -> dict[str, str]:
    """The headshot link per person who has one (as in exports)."""
    details = await _export_details(services, workspace, ids) if ids else {}
    return {k: v["headshot_url"] for k, v in details.items() if v["headshot_url"]}


EXPORT_DETAILS = ("languages", "agency", "headshot_url", "showreel_url")


async def export_csv(services: Services, role: Role) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "position",
            "talent_id",
            "name",
            "status",
            "reason",
            "note",
            "playing_age",
            "city",
            "updated_by",
            "updated_at",
            *EXPORT_DETAILS,
        ]
    )
    entries = [e for e in await show(services, role) if e.name != WITHDRAWN]  # never exported
    details = await _export_details(services, role.workspace, [e.talent_id for e in entries])
    for e in entries:
        extra = details.get(e.talent_id, {})
        writer.writerow(
            inert_cell(value)
            for value in [
                e.position,
                e.talent_id,
                e.name,
                e.status,
                e.reason,
                e.note,
                e.age_range,
                e.city,
                e.updated_by,
                e.updated_at.isoformat(timespec="seconds"),
                *(extra.get(name, "") for name in EXPORT_DETAILS),
            ]
        )
    return buffer.getvalue()


# -- helpers --------------------------------------------------------------------------------


async def _known_talent(session: AsyncSession, workspace: str, ids: list[str]) -> set[str]:
    query = select(Talent.id).where(
        Talent.id.in_(ids), Talent.workspace.in_((SHARED, workspace)), Talent.consent
    )
    return set((await session.execute(query)).scalars())


async def _next_position(session: AsyncSession, role_pk: int) -> int:
    top = await session.scalar(
        select(func.max(ShortlistEntry.position)).where(ShortlistEntry.role_pk == role_pk)
    )
    return int(top or 0) + 1


async def _renumber(session: AsyncSession, role_pk: int) -> None:
    ids = (
        await session.execute(
            select(ShortlistEntry.pk)
            .where(ShortlistEntry.role_pk == role_pk)
            .order_by(ShortlistEntry.position)
        )
    ).scalars()
    for number, pk in enumerate(ids, start=1):
        await session.execute(
            update(ShortlistEntry).where(ShortlistEntry.pk == pk).values(position=number)
        )


async def _entry(session: AsyncSession, role: Role, talent_id: str) -> ShortlistEntry:
    entry = await session.scalar(
        select(ShortlistEntry)
        .where(ShortlistEntry.role_pk == role.pk, ShortlistEntry.talent_id == talent_id)
        .with_for_update()
    )
    if entry is None:
        raise ShortlistError(f"{talent_id} is not on the {role.name} shortlist; add them first")
    return entry


async def _changed(services: Services, role: Role) -> None:
    """After the change is committed: memory's copy of the lists is read again."""
    if services.shortlists is not None:
        await services.shortlists.changed(role.workspace)


def _event(
    session: AsyncSession, role: Role, talent_id: str, action: str, actor: str, detail: dict
) -> None:
    session.add(
        ShortlistEvent(
            workspace=role.workspace,
            role_pk=role.pk,
            talent_id=talent_id,
            action=action,
            detail=detail,
            actor=actor,
            at=utcnow(),
        )
    )
