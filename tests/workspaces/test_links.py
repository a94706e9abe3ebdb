"""Workspaces across channels: the gate's answer for Slack guests and terminal names, and a
shortlist made in Slack seen by the WhatsApp coordinator once both are linked (real
PostgreSQL and Redis, the real talent tools)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field

import pytest

from bot.engine import Engine
from bot.llm.offline import OfflineResponder
from bot.pipeline import Inbound, Pipeline
from bot.tools import ToolContext
from bot.types import ConversationKey, InboundMessage
from bot.workspaces.directory import WorkspaceError
from bot.workspaces.ids import IdError
from talent.importer import import_records, validate
from talent.reader import RawRecord


@pytest.fixture
def prefix() -> str:
    return f"w{secrets.token_hex(3)}-"


async def catalogue(services, **names: str) -> None:
    raw = [RawRecord(n, {"id": i, "name": name}) for n, (i, name) in enumerate(names.items(), 1)]
    good, rejects = validate(raw)
    assert not rejects
    await import_records(services, [record for _, record in good])


@dataclass
class Outlet:
    notices: list[str] = field(default_factory=list)

    def reply(self, message: InboundMessage):  # not reached: the pipeline ends in `reached`
        raise AssertionError("no turn expected")

    async def notice(self, message: InboundMessage, text: str) -> None:
        self.notices.append(text)


def team() -> str:
    return "T" + secrets.token_hex(4).upper()


def number() -> str:
    return "+9198" + str(secrets.randbelow(10**8)).zfill(8)


def slack(team_id: str, user: str = "U1", *, guest_team: str = "") -> InboundMessage:
    key = ConversationKey("slack", team_id, "C1", "1.0")
    return InboundMessage(
        key, user_id=user, text="hi", message_id=uuid.uuid4().hex, sender_account=guest_team
    )


def whatsapp(business: str, sender: str) -> InboundMessage:
    key = ConversationKey("whatsapp", business, sender)
    return InboundMessage(key, user_id=sender, text="hi", message_id=uuid.uuid4().hex)


def console(name: str) -> InboundMessage:
    key = ConversationKey("console", name, "asha")
    return InboundMessage(key, user_id="asha", text="hi", message_id=uuid.uuid4().hex)


async def admitted(services, message: InboundMessage) -> tuple[InboundMessage | None, Outlet]:
    """Run the pipeline's first steps; the message as it left the gate, or None."""
    engine = Engine(services, OfflineResponder())
    reached: list[InboundMessage] = []

    async def last(inbound: Inbound) -> None:
        reached.append(inbound.message)

    outlet = Outlet()
    await Pipeline([engine.dedupe, engine.gate], last)(Inbound(message, outlet))
    return (reached[0] if reached else None), outlet


async def test_slack_users_of_the_team_pass_and_a_connect_guest_is_refused(services):
    home = team()
    passed, _ = await admitted(services, slack(home))
    assert passed is not None and passed.workspace == f"slack:{home}"
    guest, outlet = await admitted(services, slack(home, "U9", guest_team=team()))
    assert guest is None
    assert len(outlet.notices) == 1 and "guests" in outlet.notices[0]
    again, outlet = await admitted(services, slack(home, "U9", guest_team=team()))
    assert again is None


async def test_a_guest_from_a_team_linked_to_the_same_workspace_is_staff(services):
    home, sister = team(), team()
    company = f"co-{secrets.token_hex(3)}"
    await services.directory.link(company, f"slack:{home}")
    await services.directory.link(company, f"slack:{sister}")
    passed, _ = await admitted(services, slack(home, "U2", guest_team=sister))
    assert passed is not None and passed.workspace == company


async def test_whatsapp_needs_membership_of_the_numbers_workspace(services):
    business, sender = number(), number()
    refused, outlet = await admitted(services, whatsapp(business, sender))
    assert refused is None and len(outlet.notices) == 1
    await services.directory.add_members(f"whatsapp:{business}", [f"whatsapp:{sender}"])
    passed, _ = await admitted(services, whatsapp(business, sender))
    assert passed is not None and passed.workspace == f"whatsapp:{business}"


async def test_a_terminal_name_reaches_a_slack_teams_data_only_when_linked(services, prefix):
    home = team()
    await catalogue(services, **{f"{prefix}1": "Amruta Kale"})
    in_slack, _ = await admitted(services, slack(home))
    ctx = ToolContext(in_slack, services)
    added = await services.tools.run(
        "shortlist_add", {"talent": [f"{prefix}1"], "role": "Inspector Yadav"}, ctx
    )
    assert not added.is_error, added.as_text()

    async def roles_seen_from_terminal() -> str:
        at_terminal, _ = await admitted(services, console(home))
        outcome = await services.tools.run(
            "shortlist_show", {"role": "Inspector Yadav"}, ToolContext(at_terminal, services)
        )
        return outcome.as_text()

    assert "Amruta Kale" not in await roles_seen_from_terminal()
    await services.directory.link(home, f"slack:{home}")
    assert "Amruta Kale" in await roles_seen_from_terminal()


async def test_after_linking_a_role_shortlisted_in_slack_is_shown_on_whatsapp(services, prefix):
    home, business, coordinator = team(), number(), number()
    await catalogue(services, **{f"{prefix}2": "Priya Nair"})
    company = f"co-{secrets.token_hex(3)}"
    # The WhatsApp workspace had its own project of the same name: they merge.
    await services.directory.add_members(f"whatsapp:{business}", [f"whatsapp:{coordinator}"])
    on_phone, _ = await admitted(services, whatsapp(business, coordinator))
    await services.tools.run(
        "shortlist_add",
        {"talent": [f"{prefix}2"], "role": "Cop", "project": "Mumbai Diaries"},
        ToolContext(on_phone, services),
    )
    in_slack, _ = await admitted(services, slack(home))
    await services.tools.run(
        "shortlist_add",
        {"talent": [f"{prefix}2"], "role": "Inspector Yadav", "project": "Mumbai Diaries"},
        ToolContext(in_slack, services),
    )

    await services.directory.link(company, f"slack:{home}")
    _, report = await services.directory.link(company, f"whatsapp:{business}")
    assert any("merged" in line for line in report), report

    on_phone, _ = await admitted(services, whatsapp(business, coordinator))
    assert on_phone is not None and on_phone.workspace == company
    shown = await services.tools.run(
        "shortlist_show", {"role": "Inspector Yadav"}, ToolContext(on_phone, services)
    )
    assert "Priya Nair" in shown.as_text()
    cop = await services.tools.run(
        "shortlist_show",
        {"role": "Cop", "project": "Mumbai Diaries"},
        ToolContext(on_phone, services),
    )
    assert "Priya Nair" in cop.as_text()  # the phone's own role survived the merge


async def test_link_refuses_what_would_move_a_channel_between_companies(services):
    home = team()
    await services.directory.link("acme-" + home, f"slack:{home}")
    await services.directory.link("acme-" + home, f"slack:{home}")  # again: nothing changes
    with pytest.raises(WorkspaceError, match="already linked"):
        await services.directory.link("other-" + home, f"slack:{home}")
    for bad in ("slack:not-a-team", "whatsapp:12345", "sms:+919800000000"):
        with pytest.raises(IdError):
            await services.directory.link("acme-" + home, bad)
    with pytest.raises(IdError):
        await services.directory.link("slack:is-not-a-name", f"slack:{team()}")


async def test_forgetting_a_person_takes_them_off_every_member_list(services):
    business, person = number(), number()
    await services.directory.add_members(f"whatsapp:{business}", [f"whatsapp:{person}"])
    lines = [line for erase in services.erasers for line in await erase("whatsapp", person)]
    assert "PostgreSQL: 1 workspace membership(s)" in lines
    assert await services.directory.role(f"whatsapp:{business}", f"whatsapp:{person}") is None
