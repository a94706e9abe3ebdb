"""Audition slots per role, and invitations to shortlisted people: to a slot (date, time,
place) or for a self-tape with a deadline. An invitation is sent on WhatsApp by a job
(`talent.auditions_jobs`), so it survives restarts and is sent once whichever replica runs
it; the person's YES/NO and their self-tape come back through `talent.auditions_guest`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import utcnow
from talent import shortlists
from talent.auditions_models import OPEN, Contact, Invitation, Slot
from talent.models import SHARED, Project, Role, Talent

if TYPE_CHECKING:
    from bot.services import Services

SEND = "castmatch.auditions.send"
REMIND = "castmatch.auditions.remind"
REMIND_BEFORE = (timedelta(hours=24), timedelta(hours=3))
_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
PROFILE_PHONE_FIELDS = ("whatsapp", "phone", "mobile")  # from the catalogue's `extra`


class AuditionError(ValueError):
    """What was asked can't be done; the message says what to do instead."""


def phone_number(text: str) -> str:
    """E.164 from what people type ('+91 98765 43210', 'whatsapp:+91…')."""
    digits = re.sub(r"[\s().-]", "", text.strip().removeprefix("whatsapp:"))
    if not _PHONE.match(digits):
        raise AuditionError(f"{text.strip()[:30]!r} is not a phone number like +919876543210")
    return digits


def zone(services: Services) -> ZoneInfo:
    return ZoneInfo(services.settings.timezone)


def when_text(at: datetime, tz: ZoneInfo) -> str:
    local = at.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


@dataclass(frozen=True)
class SlotView:
    number: int  # 1-based, in time order within the role
    pk: int
    starts_at: datetime
    place: str
    capacity: int
    taken: int

    def as_json(self, tz: ZoneInfo) -> dict[str, Any]:
        return {
            "slot": self.number,
            "when": when_text(self.starts_at, tz),
            "starts_at": self.starts_at.astimezone(tz).isoformat(timespec="minutes"),
            "place": self.place,
            "capacity": self.capacity,
            "taken": self.taken,
        }


@dataclass(frozen=True)
class InvitationView:
    pk: int
    talent_id: str
    name: str
    kind: str
    status: str
    when: str  # the slot's time and place, or the self-tape deadline
    detail: str

    def as_json(self) -> dict[str, Any]:
        return {
            "talent_id": self.talent_id,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "when": self.when,
            **({"detail": self.detail} if self.detail else {}),
        }


# -- slots ---------------------------------------------------------------------------------


async def add_slot(
    services: Services, role: Role, starts_at: datetime, place: str, *, capacity: int, actor: str
) -> list[SlotView]:
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=zone(services))
    if starts_at < datetime.now(UTC):
        raise AuditionError("that time has already passed")
    if not place.strip():
        raise AuditionError("say where the audition is (or ask for self-tapes instead)")
    async with services.sessions() as session, session.begin():
        session.add(
            Slot(workspace=role.workspace, role_pk=role.pk, starts_at=starts_at,
                 place=place.strip()[:500], capacity=max(1, capacity), created_by=actor)
        )  # fmt: skip
    return await slots(services, role)


async def slots(services: Services, role: Role) -> list[SlotView]:
    taken = (
        select(Invitation.slot_pk, func.count().label("n"))
        .where(Invitation.role_pk == role.pk, Invitation.status.in_(OPEN))
        .group_by(Invitation.slot_pk)
        .subquery()
    )
    query = (
        select(Slot, func.coalesce(taken.c.n, 0))
        .outerjoin(taken, taken.c.slot_pk == Slot.pk)
        .where(Slot.role_pk == role.pk)
        .order_by(Slot.starts_at, Slot.pk)
    )
    async with services.sessions() as session:
        rows = (await session.execute(query)).all()
    return [
        SlotView(n, s.pk, s.starts_at, s.place, s.capacity, int(t))
        for n, (s, t) in enumerate(rows, start=1)
    ]


# -- contacts ------------------------------------------------------------------------------


async def set_contact(
    services: Services, workspace: str, talent_id: str, phone: str, *, actor: str
) -> str:
    phone = phone_number(phone)
    async with services.sessions() as session, session.begin():
        await _check_talent(session, workspace, talent_id)
        statement = insert(Contact).values(
            workspace=workspace, talent_id=talent_id, phone=phone, updated_by=actor,
            updated_at=utcnow(),
        )  # fmt: skip
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=["workspace", "talent_id"],
                set_={"phone": phone, "updated_by": actor, "updated_at": utcnow()},
            )
        )
    return phone


async def contact_of(session: AsyncSession, workspace: str, talent_id: str) -> str | None:
    """The workspace's number for the person, else one on their profile."""
    phone = await session.scalar(
        select(Contact.phone).where(Contact.workspace == workspace, Contact.talent_id == talent_id)
    )
    if phone:
        return phone
    extra = await session.scalar(
        select(Talent.extra).where(
            Talent.id == talent_id, Talent.workspace.in_((SHARED, workspace))
        )
    )
    for key in PROFILE_PHONE_FIELDS:
        value = (extra or {}).get(key)
        if isinstance(value, str):
            try:
                return phone_number(value)
            except AuditionError:
                continue
    return None


async def _check_talent(session: AsyncSession, workspace: str, talent_id: str) -> str:
    name = await session.scalar(
        select(Talent.name).where(
            Talent.id == talent_id, Talent.workspace.in_((SHARED, workspace)), Talent.consent
        )
    )
    if name is None:
        raise AuditionError(f"no profile with id {talent_id}")
    return str(name)


# -- invitations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Invited:
    invitations: list[InvitationView]
    problems: list[str]  # people not invited, and why


async def invite(
    services: Services,
    role: Role,
    talent_ids: list[str],
    *,
    actor: str,
    slot: int | None = None,
    deadline: datetime | None = None,
) -> Invited:
    """Invite people to audition in a slot (the given one, else the next with room) or,
    with a `deadline`, to send a self-tape. They join the role's shortlist at 'audition'.
    Each invitation is queued for sending; nothing is sent inside this call."""
    from bot.jobs import attach

    if deadline is not None and deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=zone(services))
    if deadline is not None and deadline < datetime.now(UTC):
        raise AuditionError("that deadline has already passed")
    free = [] if deadline is not None else await slots(services, role)
    if deadline is None and not free:
        raise AuditionError(
            f"{role.name} has no audition slots yet: add one (date, time, place), "
            "or ask for self-tapes with a deadline"
        )
    if slot is not None and not 1 <= slot <= len(free):
        raise AuditionError(f"{role.name} has {len(free)} slot(s); pick 1 to {len(free)}")
    room = {s.pk: s.capacity - s.taken for s in free}
    made: list[int] = []
    invited: list[str] = []
    problems: list[str] = []
    async with services.sessions() as session, session.begin():
        for talent_id in dict.fromkeys(talent_ids):
            name = await _check_talent(session, role.workspace, talent_id)
            phone = await contact_of(session, role.workspace, talent_id)
            if phone is None:
                problems.append(
                    f"{name} ({talent_id}): no WhatsApp number; tell me it "
                    f"('number of {talent_id} is +91…')"
                )
                continue
            slot_pk = None
            if deadline is None:
                chosen = [free[slot - 1]] if slot else [s for s in free if room[s.pk] > 0]
                if not chosen or room[chosen[0].pk] <= 0:
                    problems.append(f"{name} ({talent_id}): no slot with room left")
                    continue
                slot_pk = chosen[0].pk
                room[slot_pk] -= 1
            invitation = Invitation(
                workspace=role.workspace, role_pk=role.pk, talent_id=talent_id,
                kind="self_tape" if deadline is not None else "audition", slot_pk=slot_pk,
                deadline=deadline, phone=phone, status="queued", created_by=actor,
            )  # fmt: skip
            session.add(invitation)
            await session.flush()
            made.append(invitation.pk)
            invited.append(talent_id)
    if invited:
        await shortlists.add(services, role, invited, actor=actor)
        for talent_id in invited:
            await shortlists.set_status(services, role, talent_id, "audition", actor=actor)
    queue = attach(services)
    for pk in made:
        await queue.defer(SEND, queueing_lock=f"audition-send:{pk}", invitation=pk)
    views = await invitations(services, role, pks=made)
    return Invited(views, problems)


async def invitations(
    services: Services, role: Role, *, pks: list[int] | None = None
) -> list[InvitationView]:
    tz = zone(services)
    query = (
        select(Invitation, Talent.name, Slot)
        .outerjoin(Talent, (Talent.id == Invitation.talent_id)
                   & Talent.workspace.in_((SHARED, role.workspace)))
        .outerjoin(Slot, Slot.pk == Invitation.slot_pk)
        .where(Invitation.role_pk == role.pk)
        .order_by(Invitation.created_at, Invitation.pk)
    )  # fmt: skip
    if pks is not None:
        query = query.where(Invitation.pk.in_(pks))
    async with services.sessions() as session:
        rows = (await session.execute(query)).all()
    return [
        InvitationView(inv.pk, inv.talent_id, name or "", inv.kind, inv.status,
                       describe_when(inv, slot, tz), inv.detail)
        for inv, name, slot in rows
    ]  # fmt: skip


async def open_self_tape(services: Services, role: Role, talent_id: str) -> Invitation | None:
    """The person's newest self-tape request for the role still waiting for the tape."""
    async with services.sessions() as session:
        return await session.scalar(
            select(Invitation)
            .where(Invitation.role_pk == role.pk, Invitation.talent_id == talent_id,
                   Invitation.kind == "self_tape", Invitation.status.in_(OPEN))
            .order_by(Invitation.pk.desc())
            .limit(1)
        )  # fmt: skip


def describe_when(inv: Invitation, slot: Slot | None, tz: ZoneInfo) -> str:
    if inv.kind == "self_tape" and inv.deadline is not None:
        return f"self-tape by {when_text(inv.deadline, tz)}"
    if slot is not None:
        return f"{when_text(slot.starts_at, tz)} at {slot.place}"
    return "slot removed"


async def details(services: Services, pk: int) -> tuple[Invitation, Role, Project, Slot | None]:
    async with services.sessions() as session:
        row = (
            await session.execute(
                select(Invitation, Role, Project, Slot)
                .join(Role, Role.pk == Invitation.role_pk)
                .join(Project, Project.pk == Role.project_pk)
                .outerjoin(Slot, Slot.pk == Invitation.slot_pk)
                .where(Invitation.pk == pk)
            )
        ).first()
    if row is None:
        raise AuditionError(f"invitation {pk} is gone")
    return row[0], row[1], row[2], row[3]


def project_title(role: Role, project: Project) -> str:
    if project.name == shortlists.DEFAULT_PROJECT:
        return f"the role of *{role.name}*"
    return f"the role of *{role.name}* in *{project.name}*"


def invitation_text(inv: Invitation, role: Role, project: Project, slot: Slot | None,
                    tz: ZoneInfo, name: str) -> str:  # fmt: skip
    hello = f"Hello {name.split()[0]}," if name else "Hello,"
    if inv.kind == "self_tape" and inv.deadline is not None:
        return (
            f"{hello} the casting team would like a self-tape from you for "
            f"{project_title(role, project)}. Please send the video here by "
            f"{when_text(inv.deadline, tz)}. Reply NO if you can't."
        )
    where = f"{when_text(slot.starts_at, tz)} at {slot.place}" if slot else "a time to be set"
    return (
        f"{hello} you are invited to audition for {project_title(role, project)}: "
        f"{where}. Reply YES to confirm or NO if you can't make it."
    )


def reminder_text(inv: Invitation, role: Role, project: Project, slot: Slot | None,
                  tz: ZoneInfo) -> str:  # fmt: skip
    if inv.kind == "self_tape" and inv.deadline is not None:
        return (
            f"Reminder: your self-tape for {project_title(role, project)} is due by "
            f"{when_text(inv.deadline, tz)}. Send the video here."
        )
    where = f"{when_text(slot.starts_at, tz)} at {slot.place}" if slot else ""
    return f"Reminder: your audition for {project_title(role, project)} is {where}."


def reminder_times(inv: Invitation, slot: Slot | None) -> list[datetime]:
    due = inv.deadline if inv.kind == "self_tape" else (slot.starts_at if slot else None)
    if due is None:
        return []
    soon = datetime.now(UTC) + timedelta(minutes=1)
    return [due - before for before in REMIND_BEFORE if due - before > soon]


async def set_status(
    services: Services, pk: int, status: str, detail: str = "", **more: Any
) -> None:
    async with services.sessions() as session, session.begin():
        inv = await session.get(Invitation, pk)
        if inv is not None:
            inv.status, inv.updated_at = status, utcnow()
            if detail:
                inv.detail = detail[:500]
            for key, value in more.items():
                setattr(inv, key, value)
