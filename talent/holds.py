"""Holds and availability: who is pencilled, held or booked for which project, and when.

A first hold (or a booking) on dates that overlap another first hold or booking of the
same person in the same workspace is a conflict: it is still recorded (casting works on
provisional holds), and the answer names the clash so someone can decide. Holds of other
workspaces are never seen. Everything here is scoped by workspace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.db import utcnow
from talent.dates import Span, span_text
from talent.holds_models import ACTIVE, BLOCKING, KINDS, LABELS, Availability, Hold
from talent.models import SHARED, Project, Role, Talent
from talent.shortlists import DEFAULT_PROJECT

if TYPE_CHECKING:
    from bot.services import Services
    from talent.filters import Filters

CARD_ITEMS = 3  # a card's availability line names at most this many holds/windows
KIND_WORDS = {
    "pencil": "pencil", "pencilled": "pencil", "penciled": "pencil",
    "first": "first", "1st": "first", "first hold": "first", "1st hold": "first",
    "second": "second", "2nd": "second", "second hold": "second", "2nd hold": "second",
    "booked": "booked", "book": "booked", "confirmed": "booked",
    "released": "released", "release": "released",
}  # fmt: skip


class HoldError(ValueError):
    """What was asked can't be done; the message says what to do instead."""


@dataclass(frozen=True)
class HoldView:
    talent_id: str
    name: str
    project: str
    role: str
    kind: str
    starts: date
    ends: date
    note: str
    updated_by: str
    updated_at: datetime

    @property
    def where(self) -> str:
        """The role, and its project unless it is the default one."""
        if self.project and self.project != DEFAULT_PROJECT:
            return f"{self.role} ({self.project})"
        return self.role

    @property
    def span(self) -> Span:
        return Span(self.starts, self.ends)

    def line(self, *, with_name: bool = True) -> str:
        """'Amruta Joshi: 1st hold 10–20 Mar, Inspector Yadav (Dabangg 4)'."""
        where = self.where
        what = f"{LABELS[self.kind]} {span_text(self.starts, self.ends)}, {where}"
        return f"{self.name or self.talent_id}: {what}" if with_name else what

    def as_json(self) -> dict[str, Any]:
        return {
            "talent_id": self.talent_id,
            "name": self.name,
            "project": self.project,
            "role": self.role,
            "where": self.where,
            "kind": self.kind,
            "from": self.starts.isoformat(),
            "to": self.ends.isoformat(),
            "dates": span_text(self.starts, self.ends),
            "note": self.note,
            "updated_by": self.updated_by,
        }


@dataclass(frozen=True)
class HoldResult:
    hold: HoldView
    conflicts: list[HoldView]  # first holds / bookings for other roles on overlapping dates
    overlaps: list[HoldView]  # other active holds on overlapping dates

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"hold": self.hold.as_json()}
        if self.conflicts:
            data["conflicts"] = [c.as_json() for c in self.conflicts]
            data["warning"] = "CONFLICT: tell the person; " + "; ".join(
                c.line() for c in self.conflicts
            )
        if self.overlaps:
            data["also_held"] = [o.as_json() for o in self.overlaps]
        return data


def kind_of(word: str) -> str:
    kind = KIND_WORDS.get(" ".join(word.lower().split()))
    if kind is None:
        raise HoldError(f"a hold is one of: {', '.join(KINDS)}")
    return kind


def _views_query(workspace: str) -> Any:
    return (
        select(Hold, Project.name, Role.name, Talent.name)
        .join(Project, Project.pk == Hold.project_pk)
        .join(Role, Role.pk == Hold.role_pk)
        .outerjoin(Talent, (Talent.id == Hold.talent_id)
                   & Talent.workspace.in_((SHARED, workspace)))
        .where(Hold.workspace == workspace)
        .execution_options(populate_existing=True)
    )  # fmt: skip


def _view(row: Any) -> HoldView:
    hold, project, role, name = row
    return HoldView(
        hold.talent_id, name or "", project, role or "", hold.kind, hold.starts, hold.ends,
        hold.note, hold.updated_by, hold.updated_at,
    )  # fmt: skip


async def _check_talent(session: AsyncSession, workspace: str, talent_id: str) -> str:
    """The person's name, if this workspace may act on them (a consenting profile)."""
    name = await session.scalar(
        select(Talent.name).where(
            Talent.id == talent_id, Talent.workspace.in_((SHARED, workspace)), Talent.consent
        )
    )
    if name is None:
        raise HoldError(f"no profile with id {talent_id}")
    return str(name)


async def _lock_person(session: AsyncSession, workspace: str, talent_id: str) -> None:
    # Two first holds made at once on two replicas must see each other: one person's
    # holds change one at a time.
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
        {"key": f"hold\x1f{workspace}\x1f{talent_id}"},
    )


async def set_hold(
    services: Services,
    role: Role,
    talent_id: str,
    kind: str,
    span: Span | None,
    *,
    actor: str,
    note: str = "",
) -> HoldResult:
    """Hold (or re-hold, or book) one person for the role on `span`. Without dates, an
    existing hold keeps its dates (moving a pencil to a first hold)."""
    kind = kind_of(kind)
    workspace = role.workspace
    async with services.sessions() as session, session.begin():
        await _check_talent(session, workspace, talent_id)
        await _lock_person(session, workspace, talent_id)
        existing = await session.scalar(
            select(Hold).where(Hold.role_pk == role.pk, Hold.talent_id == talent_id)
        )
        if span is None:
            if existing is None:
                raise HoldError("give the dates of the hold, e.g. '10-20 March'")
            span = Span(existing.starts, existing.ends)
        now = utcnow()
        values = {
            "workspace": workspace, "talent_id": talent_id, "project_pk": role.project_pk,
            "role_pk": role.pk, "kind": kind, "starts": span.start, "ends": span.end,
            "note": note or (existing.note if existing else ""), "updated_by": actor,
            "updated_at": now,
        }  # fmt: skip
        statement = insert(Hold).values(**values, created_at=now)
        statement = statement.on_conflict_do_update(
            constraint="uq_talent_holds_role",
            set_={k: statement.excluded[k] for k in values if k != "workspace"},
        )
        await session.execute(statement)
        rows = (
            await session.execute(
                _views_query(workspace).where(
                    Hold.talent_id == talent_id,
                    Hold.kind.in_(ACTIVE),
                    Hold.starts <= span.end,
                    Hold.ends >= span.start,
                )
            )
        ).all()
        mine = await session.execute(
            _views_query(workspace).where(Hold.talent_id == talent_id, Hold.role_pk == role.pk)
        )
        hold = _view(mine.one())
    others = [_view(r) for r in rows if r[0].role_pk != role.pk]
    conflicts = [o for o in others if kind in BLOCKING and o.kind in BLOCKING]
    overlaps = [o for o in others if o not in conflicts]
    return HoldResult(hold, conflicts, overlaps)


async def release(
    services: Services, role: Role, talent_ids: Sequence[str], *, actor: str
) -> list[HoldView]:
    """Release the role's holds on these people (the rows stay, marked released)."""
    async with services.sessions() as session, session.begin():
        holds = (
            await session.scalars(
                select(Hold).where(
                    Hold.role_pk == role.pk,
                    Hold.talent_id.in_(list(talent_ids)),
                    Hold.kind != "released",
                )
            )
        ).all()
        for hold in holds:
            hold.kind, hold.updated_by, hold.updated_at = "released", actor, utcnow()
        await session.flush()
        rows = (
            await session.execute(
                _views_query(role.workspace).where(Hold.pk.in_([h.pk for h in holds]))
            )
        ).all()
    return [_view(r) for r in rows]


async def for_role(services: Services, role: Role, *, released: bool = False) -> list[HoldView]:
    query = _views_query(role.workspace).where(Hold.role_pk == role.pk)
    if not released:
        query = query.where(Hold.kind != "released")
    async with services.sessions() as session:
        rows = (await session.execute(query.order_by(Hold.starts, Hold.talent_id))).all()
    return [_view(r) for r in rows]


async def for_talent(
    services: Services, workspace: str, talent_ids: Sequence[str], *, since: date | None = None
) -> list[HoldView]:
    """Active holds of these people that have not ended before `since` (default today)."""
    query = _views_query(workspace).where(
        Hold.talent_id.in_(list(talent_ids)),
        Hold.kind.in_(ACTIVE),
        Hold.ends >= (since or date.today()),
    )
    async with services.sessions() as session:
        rows = (await session.execute(query.order_by(Hold.starts))).all()
    return [_view(r) for r in rows]


async def upcoming(services: Services, workspace: str, *, limit: int = 50) -> list[HoldView]:
    query = _views_query(workspace).where(Hold.kind.in_(ACTIVE), Hold.ends >= date.today())
    async with services.sessions() as session:
        rows = (await session.execute(query.order_by(Hold.starts).limit(limit))).all()
    return [_view(r) for r in rows]


# -- availability windows ------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    talent_id: str
    available: bool
    starts: date
    ends: date
    note: str

    def line(self) -> str:
        word = "free" if self.available else "unavailable"
        return f"{word} {span_text(self.starts, self.ends)}" + (
            f" ({self.note})" if self.note else ""
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "available": self.available,
            "from": self.starts.isoformat(),
            "to": self.ends.isoformat(),
            "dates": span_text(self.starts, self.ends),
            "note": self.note,
        }


async def set_availability(
    services: Services,
    workspace: str,
    talent_id: str,
    span: Span,
    *,
    available: bool,
    actor: str,
    note: str = "",
) -> tuple[str, list[Window]]:
    """Record a window; it replaces what this person's earlier windows said about those
    days (the newest word wins). Returns the person's name and windows from today on."""
    async with services.sessions() as session, session.begin():
        name = await _check_talent(session, workspace, talent_id)
        await _lock_person(session, workspace, talent_id)
        for old in await session.scalars(
            select(Availability).where(
                Availability.workspace == workspace,
                Availability.talent_id == talent_id,
                Availability.starts <= span.end,
                Availability.ends >= span.start,
            )
        ):
            await _cut(session, old, span)
        session.add(
            Availability(
                workspace=workspace, talent_id=talent_id, available=available,
                starts=span.start, ends=span.end, note=note, created_by=actor,
                created_at=utcnow(),
            )
        )  # fmt: skip
    return name, (await windows(services, workspace, [talent_id])).get(talent_id, [])


async def _cut(session: AsyncSession, old: Availability, span: Span) -> None:
    """Remove `span` from an older window (it may leave a piece before and after)."""
    before = old.starts < span.start
    after = old.ends > span.end
    if before and after:
        session.add(
            Availability(
                workspace=old.workspace, talent_id=old.talent_id, available=old.available,
                starts=span.end + timedelta(days=1), ends=old.ends, note=old.note,
                created_by=old.created_by, created_at=old.created_at,
            )
        )  # fmt: skip
    if before:
        old.ends = span.start - timedelta(days=1)
    elif after:
        old.starts = span.end + timedelta(days=1)
    else:
        await session.delete(old)


async def windows(
    services: Services, workspace: str, talent_ids: Sequence[str], *, since: date | None = None
) -> dict[str, list[Window]]:
    query = (
        select(Availability)
        .where(
            Availability.workspace == workspace,
            Availability.talent_id.in_(list(talent_ids)),
            Availability.ends >= (since or date.today()),
        )
        .order_by(Availability.starts)
    )
    out: dict[str, list[Window]] = {}
    async with services.sessions() as session:
        for row in await session.scalars(query):
            out.setdefault(row.talent_id, []).append(
                Window(row.talent_id, row.available, row.starts, row.ends, row.note)
            )
    return out


# -- cards and search ----------------------------------------------------------------------


async def summaries(
    services: Services, workspace: str, talent_ids: Sequence[str]
) -> dict[str, str]:
    """A short availability line per person, for cards: '1st hold 10–20 Mar, Dabangg 4 ·
    free 1–15 Apr'. People with nothing recorded are absent."""
    if not workspace or not talent_ids:
        return {}
    held = await for_talent(services, workspace, talent_ids)
    free = await windows(services, workspace, talent_ids)
    items: dict[str, list[tuple[date, str]]] = {}
    for hold in held:
        items.setdefault(hold.talent_id, []).append(
            (hold.starts, f"{LABELS[hold.kind]} {span_text(hold.starts, hold.ends)}, "
                          f"{hold.where}")
        )  # fmt: skip
    for talent_id, found in free.items():
        items.setdefault(talent_id, []).extend((w.starts, w.line()) for w in found)
    out = {}
    for talent_id, found in items.items():
        found.sort(key=lambda item: item[0])
        more = len(found) - CARD_ITEMS
        line = " · ".join(text for _, text in found[:CARD_ITEMS])
        out[talent_id] = line + (f" · +{more} more" if more > 0 else "")
    return out


def search_clauses(
    filters: Filters, workspace: str | None, *, except_project: int | None = None
) -> list[ColumnElement[bool]]:
    """SQL for the availability filters: free on the dates (no first hold, booking or
    'unavailable' window overlapping them) and not on hold for another project."""
    clauses: list[ColumnElement[bool]] = []
    ws = workspace or ""
    low, high = filters.available_from, filters.available_to
    if low is not None or high is not None:
        low, high = low or high, high or low
        blocked = select(Hold.talent_id).where(
            Hold.workspace == ws, Hold.kind.in_(BLOCKING), Hold.starts <= high, Hold.ends >= low
        )
        away = select(Availability.talent_id).where(
            Availability.workspace == ws,
            Availability.available.is_(False),
            Availability.starts <= high,
            Availability.ends >= low,
        )
        clauses += [Talent.id.not_in(blocked), Talent.id.not_in(away)]
    if filters.not_on_hold:
        held = select(Hold.talent_id).where(
            Hold.workspace == ws, Hold.kind.in_(ACTIVE), Hold.ends >= date.today()
        )
        if low is not None and high is not None:
            held = held.where(Hold.starts <= high, Hold.ends >= low)
        if except_project is not None:
            held = held.where(Hold.project_pk != except_project)
        clauses.append(Talent.id.not_in(held))
    return clauses


def filter_reasons(filters: Filters) -> list[str]:
    """What the availability filters guarantee, for a result's `why`."""
    reasons = []
    low, high = filters.available_from, filters.available_to
    if low is not None or high is not None:
        reasons.append("free " + span_text(low or high, high or low))  # type: ignore[arg-type]
    if filters.not_on_hold:
        reasons.append("not on hold elsewhere")
    return reasons
