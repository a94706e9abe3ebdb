"""What a director sees on a shared shortlist page, read from the database.

Only what helps a decision: picture, playing age, city, languages, skills, credits,
showreel, the team's note and status, and the director's own marks. Never a phone number,
an agency or its contacts, and nobody who withdrew consent (they are left out entirely).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from talent.media_route import headshots
from talent.models import SHARED, Project, Role, ShortlistEntry, ShortlistEvent, Talent

if TYPE_CHECKING:
    from bot.services import Services

DIRECTOR = "director via shared link"
DECISIONS = ("yes", "maybe", "no")
# Phone-like runs (+91 98200 12345, 022-2345-6789) in free text written by the team.
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")


@dataclass(frozen=True)
class Candidate:
    talent_id: str
    name: str
    headshot: str
    playing_age: str
    city: str
    languages: list[str]
    skills: list[str]
    credits: list[str]
    showreel: str
    note: str
    status: str
    decision: str = ""
    comment: str = ""


@dataclass(frozen=True)
class ShortlistPage:
    project: str
    role: str
    brief: str
    candidates: list[Candidate] = field(default_factory=list)


def without_phones(text: str) -> str:
    return _PHONE.sub("[number removed]", text or "")


def credit_line(credit: Any) -> str:
    if isinstance(credit, dict):
        title = str(credit.get("title") or "").strip()
        year = f" ({credit['year']})" if credit.get("year") else ""
        part = f" as {credit['role']}" if credit.get("role") else ""
        return f"{title}{year}{part}".strip()
    return str(credit).strip()


def _http(url: str | None) -> str:
    return url if url and url.lower().startswith(("http://", "https://")) else ""


async def load(services: Services, role: Role) -> ShortlistPage:
    query = (
        select(ShortlistEntry, Talent)
        .join(
            Talent,
            (Talent.id == ShortlistEntry.talent_id)
            & Talent.workspace.in_((SHARED, role.workspace)),
        )
        .where(ShortlistEntry.role_pk == role.pk, Talent.consent.is_(True))
        .order_by(ShortlistEntry.position)
    )
    async with services.sessions() as session:
        project = await session.scalar(select(Project.name).where(Project.pk == role.project_pk))
        rows = (await session.execute(query)).all()
        marks = await _director_marks(session, role.pk)
    kept = await headshots(services, role.workspace, [t.id for _, t in rows])
    seen: set[str] = set()
    candidates = []
    for entry, talent in rows:
        if talent.id in seen:  # the same id in the shared and the workspace catalogue
            continue
        seen.add(talent.id)
        decision, comment = marks.get(talent.id, ("", ""))
        candidates.append(
            Candidate(
                talent_id=talent.id,
                name=talent.name,
                headshot=kept.get(talent.id) or _http(talent.headshot_url),
                playing_age=(
                    f"{talent.playing_age_min}–{talent.playing_age_max}"
                    if talent.playing_age_min is not None
                    else ""
                ),
                city=talent.city or "",
                languages=list(talent.languages or []),
                skills=list(talent.skills or []),
                credits=[line for c in talent.credits or [] if (line := credit_line(c))],
                showreel=_http(talent.showreel_url),
                note=without_phones(entry.note),
                status=entry.status,
                decision=decision,
                comment=comment,
            )
        )
    return ShortlistPage(project or "", role.name, role.brief or "", candidates)


async def _director_marks(session: Any, role_pk: int) -> dict[str, tuple[str, str]]:
    """The director's latest mark and comment per person."""
    events = (
        await session.execute(
            select(ShortlistEvent.talent_id, ShortlistEvent.detail)
            .where(ShortlistEvent.role_pk == role_pk, ShortlistEvent.actor == DIRECTOR)
            .order_by(ShortlistEvent.at, ShortlistEvent.pk)
        )
    ).all()
    marks: dict[str, tuple[str, str]] = {}
    for talent_id, detail in events:
        before = marks.get(talent_id, ("", ""))
        marks[talent_id] = (
            str(detail.get("decision") or before[0]),
            str(detail.get("comment") or before[1]),
        )
    return marks
