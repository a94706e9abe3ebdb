"""Linking a WhatsApp number into a company moves everything it kept, not only shortlists:
audition slots and invitations, the numbers it knows for people, the headshots and
self-tapes it was sent and its shared-shortlist links follow, and a role merging into the
company's one of the same name takes them along instead of deleting them (real PostgreSQL)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import func, select

from bot.db import utcnow
from talent import share_links, shortlists
from talent.auditions_models import Contact, Invitation, Media, Slot
from talent.share_models import ShareLink


def number() -> str:
    return "+9198" + str(secrets.randbelow(10**8)).zfill(8)


async def seed(services, workspace: str, talent: str, phone: str) -> dict[str, int]:
    """A 'Cop' role (the name both sides share) and a 'Mother' role, each with a slot; an
    invitation, a kept headshot and a shared link on 'Cop'; a number for `talent`."""
    cop = await shortlists.ensure_role(services, workspace, "Cop", project="Mumbai Diaries")
    mother = await shortlists.ensure_role(services, workspace, "Mother", project="Mumbai Diaries")
    async with services.sessions() as session, session.begin():
        slots = [
            Slot(
                workspace=workspace,
                role_pk=role.pk,
                starts_at=utcnow() + timedelta(days=3),
                place="Andheri studio",
            )
            for role in (cop, mother)
        ]
        session.add_all(slots)
        await session.flush()
        invitation = Invitation(
            workspace=workspace,
            role_pk=cop.pk,
            talent_id=talent,
            kind="audition",
            slot_pk=slots[0].pk,
            phone=phone,
            status="sent",
        )
        session.add(invitation)
        await session.flush()
        session.add(Contact(workspace=workspace, talent_id=talent, phone=phone))
        session.add(
            Media(
                workspace=workspace,
                talent_id=talent,
                role_pk=cop.pk,
                invitation_pk=invitation.pk,
                kind="headshot",
                content_type="image/jpeg",
                size_bytes=3,
                key=f"k/{secrets.token_hex(4)}.jpg",
                sha256="0" * 64,
            )
        )
    url, _ = await share_links.share(services, cop)
    return {"cop": cop.pk, "mother": mother.pk, "invitation": invitation.pk, "url": url}


async def count(services, model, **where) -> int:
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    async with services.sessions() as session:
        return int(await session.scalar(query))


async def test_linking_moves_auditions_contacts_media_and_links_and_merges_keep_them(services):
    business, company = number(), f"co-{secrets.token_hex(3)}"
    phone_known_here, phone_on_phone = number(), number()
    account = f"whatsapp:{business}"
    await shortlists.ensure_role(services, company, "Cop", project="Mumbai Diaries")
    async with services.sessions() as session, session.begin():
        session.add(Contact(workspace=company, talent_id="t-both", phone=phone_known_here))
    theirs = await seed(services, account, "t-both", phone_on_phone)
    async with services.sessions() as session, session.begin():
        session.add(Contact(workspace=account, talent_id="t-only", phone=number()))

    _, report = await services.directory.link(company, account)
    assert any("merged" in line for line in report), report

    survivor = await shortlists.find_role(services, company, "Cop", "Mumbai Diaries")
    assert survivor is not None and survivor.pk != theirs["cop"]
    # Nothing stayed behind under the number's own name, and nothing was deleted.
    for model in (Slot, Invitation, Contact, Media, ShareLink):
        assert await count(services, model, workspace=account) == 0, model.__tablename__
    assert await count(services, Slot, workspace=company) == 2
    assert await count(services, Slot, role_pk=survivor.pk) == 1
    assert await count(services, Invitation, role_pk=survivor.pk, workspace=company) == 1
    assert await count(services, Media, role_pk=survivor.pk, workspace=company) == 1
    async with services.sessions() as session:
        invitation = await session.get(Invitation, theirs["invitation"])
        assert invitation is not None and invitation.slot_pk is not None
        contacts = dict(
            (
                await session.execute(
                    select(Contact.talent_id, Contact.phone).where(Contact.workspace == company)
                )
            ).all()
        )
    # The company's own number for a person wins over the one the phone knew.
    assert contacts["t-both"] == phone_known_here and "t-only" in contacts
    # The director's link made on the phone still opens, now on the company's role.
    opened = await share_links.open_link(services, theirs["url"].rsplit("/", 1)[1])
    assert opened.role.pk == survivor.pk and opened.link.workspace == company
