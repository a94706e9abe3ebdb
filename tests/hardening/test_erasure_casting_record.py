"""A coordinator who made audition slots, invited people, noted a number, kept a headshot,
put holds and availability on people and shared a shortlist is forgotten: the casting
record stays, under an opaque id, and no row of those tables names their number (real
PostgreSQL; what `castmatch forget whatsapp:+…` runs)."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy import text

from bot.db import utcnow
from talent import share_links, shortlists
from talent.auditions_models import Contact, Invitation, Media, Slot
from talent.holds_models import Availability, Hold
from talent.share_models import ShareLink

TABLES = (Slot, Invitation, Contact, Media, ShareLink, Hold, Availability)


async def _naming(services, needle: str) -> list[str]:
    found = []
    async with services.db.connect() as conn:
        for model in TABLES:
            table = model.__tablename__
            for column in model.__table__.columns:
                if column.type.python_type is not str:
                    continue
                count = (
                    await conn.execute(
                        text(f'SELECT count(*) FROM {table} WHERE "{column.name}" LIKE :n'),
                        {"n": f"%{needle}%"},
                    )
                ).scalar_one()
                if count:
                    found.append(f"{table}.{column.name}: {count}")
    return found


async def _count(services, model) -> int:
    async with services.db.connect() as conn:
        return (
            await conn.execute(text(f"SELECT count(*) FROM {model.__tablename__}"))
        ).scalar_one()


async def test_forgetting_a_coordinator_leaves_the_casting_record_without_their_number(services):
    digits = "9198" + str(secrets.randbelow(10**8)).zfill(8)
    number, business = f"+{digits}", "+14155238886"
    person = f"whatsapp:{number}"
    workspace = f"whatsapp:{business}"
    talent = f"cr-{secrets.token_hex(3)}"
    role = await shortlists.ensure_role(
        services, workspace, f"Cop {talent}", project="Mumbai Diaries", actor=person
    )
    async with services.sessions() as session, session.begin():
        slot = Slot(workspace=workspace, role_pk=role.pk, starts_at=utcnow() + timedelta(days=2),
                    place="Andheri", created_by=person)  # fmt: skip
        session.add(slot)
        await session.flush()
        invitation = Invitation(workspace=workspace, role_pk=role.pk, talent_id=talent,
                                kind="audition", slot_pk=slot.pk, phone="+919800000077",
                                created_by=person)  # fmt: skip
        session.add(invitation)
        await session.flush()
        session.add_all([
            Contact(workspace=workspace, talent_id=talent, phone="+919800000077",
                    updated_by=person),
            Media(workspace=workspace, talent_id=talent, role_pk=role.pk, kind="headshot",
                  content_type="image/jpeg", size_bytes=3, key=f"k/{talent}.jpg",
                  sha256="0" * 64, created_by=person),
            Hold(workspace=workspace, talent_id=talent, project_pk=role.project_pk,
                 role_pk=role.pk, kind="pencil", starts=date(2027, 3, 1), ends=date(2027, 3, 5),
                 updated_by=person),
            Availability(workspace=workspace, talent_id=talent, available=False,
                         starts=date(2027, 4, 1), ends=date(2027, 4, 2), created_by=person),
        ])  # fmt: skip
    await share_links.share(
        services, role, actor=person, conversation_id=f"whatsapp:{business}:{number}:"
    )
    kept = {model: await _count(services, model) for model in TABLES}
    named = {found.split(".")[0] for found in await _naming(services, digits)}
    assert named == {model.__tablename__ for model in TABLES}  # each table named them

    for erase in services.erasers:
        await erase("whatsapp", number)

    assert await _naming(services, digits) == []
    # The record itself stays: nothing the team made was deleted with the coordinator.
    assert {model: await _count(services, model) for model in TABLES} == kept
