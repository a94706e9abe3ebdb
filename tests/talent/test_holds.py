"""Holds and availability: dates in words, conflicts reported when made, cards that say who
is held, search that keeps the busy out, and the same through the command router."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest

from bot.commands.grammar import Command, parse
from bot.engine import Engine
from bot.llm.offline import OfflineResponder
from bot.pipeline import Inbound
from bot.tools import ToolContext
from bot.types import ConversationKey, InboundMessage
from talent.cli import forget_talent
from talent.dates import DateError, Span, find_span, parse_span
from talent.importer import import_file
from talent.query import parse as parse_query
from tests.doubles.reply import RecordingOutlet
from tests.talent.conftest import message, profile, write_jsonl

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("10–20 March", date(2027, 3, 10), date(2027, 3, 20)),
        ("March 10-20", date(2027, 3, 10), date(2027, 3, 20)),
        ("10 March to 2 April", date(2027, 3, 10), date(2027, 4, 2)),
        ("10th-20th Mar 2028", date(2028, 3, 10), date(2028, 3, 20)),
        ("2027-03-10..2027-03-20", date(2027, 3, 10), date(2027, 3, 20)),
        ("28 Dec - 3 Jan", date(2026, 12, 28), date(2027, 1, 3)),
        ("12 December", date(2026, 12, 12), date(2026, 12, 12)),
        ("1-5 December", date(2027, 12, 1), date(2027, 12, 5)),  # this year's has passed
    ],
)
def test_dates_as_people_write_them(text: str, start: date, end: date) -> None:
    assert parse_span(text, today=TODAY) == Span(start, end)


@pytest.mark.parametrize("text", ["30 February", "20-10 March 2027 to 1 March 2027", "soon"])
def test_not_a_date_range(text: str) -> None:
    with pytest.raises(DateError):
        parse_span(text, today=TODAY)


def test_age_ranges_are_not_dates() -> None:
    assert find_span("actors aged 25-35 in Mumbai", today=TODAY) is None


def test_search_words_become_availability_filters() -> None:
    parsed = parse_query("Marathi actresses available 10–20 March not on hold elsewhere")
    compact = parsed.filters.compact()
    assert compact["available_to"].endswith("-03-20")
    assert compact["not_on_hold"] is True
    assert "march" not in parsed.semantic and "hold" not in parsed.semantic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("holds", Command("holds")),
        ("holds for Inspector Yadav", Command("holds", role="Inspector Yadav")),
        (
            "hold cm-00042 first 10-20 March for Inspector Yadav",
            Command(
                "hold", arg="10-20 March", verb="first", ids=("cm-00042",), role="Inspector Yadav"
            ),
        ),
        ("hold cm-1 2nd", Command("hold", verb="second", ids=("cm-1",))),
        (
            "release cm-1 from Inspector Yadav",
            Command("release", ids=("cm-1",), role="Inspector Yadav"),
        ),
        (
            "unavailable cm-9 1-15 April",
            Command("availability", verb="away", ids=("cm-9",), arg="1-15 April"),
        ),
    ],
)
def test_hold_commands(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["hold on, let me think", "hold the second one first 10-20 March", "holds are a pain?",
     "release the second one", "available actors in Pune?"],
)  # fmt: skip
def test_hold_requests_in_plain_words_go_to_claude(text: str) -> None:
    assert parse(text).kind == "chat"


async def _people(services, tmp_path: Path, prefix: str) -> list[str]:
    ids = [prefix + n for n in ("amruta1", "rohan2", "meera3")]
    names = ["Amruta Joshi", "Rohan Malik", "Meera Nair"]
    records = [profile(i, name=n, bio="Police inspector roles") for i, n in zip(ids, names)]  # noqa: B905
    await import_file(services, write_jsonl(tmp_path / "h.jsonl", records))
    return ids


async def run(services, ctx: ToolContext, name: str, **args):
    outcome = await services.tools.run(name, args, ctx)
    assert not outcome.is_error, outcome.content
    return outcome.content


async def test_a_clashing_first_hold_is_reported_when_made(services, tmp_path, prefix) -> None:
    amruta, rohan, _ = await _people(services, tmp_path, prefix)
    ctx = ToolContext(message(prefix + "ws"), services)
    first = await run(services, ctx, "hold_talent", talent=[amruta], kind="first",
                      role="Inspector Yadav", project="Dabangg 4", dates="10-20 March")  # fmt: skip
    assert "conflicts" not in first["holds"][0]
    # a pencil elsewhere on the same days is no conflict, but it is mentioned
    pencil = await run(services, ctx, "hold_talent", talent=[amruta], kind="pencil",
                       role="Nurse", project="Hospital Diaries", dates="15-16 March")  # fmt: skip
    assert "conflicts" not in pencil["holds"][0]
    assert pencil["holds"][0]["also_held"][0]["project"] == "Dabangg 4"
    # moving that pencil to a first hold clashes with Dabangg 4's first hold
    clash = await run(services, ctx, "hold_talent", talent=[amruta], kind="first",
                      role="Nurse", project="Hospital Diaries")  # fmt: skip
    hold = clash["holds"][0]
    assert hold["hold"]["dates"].startswith("15–16 Mar")
    assert [c["project"] for c in hold["conflicts"]] == ["Dabangg 4"]
    assert "CONFLICT" in hold["warning"]
    # another workspace never sees these holds
    other = ToolContext(message(prefix + "other"), services)
    elsewhere = await run(services, other, "hold_talent", talent=[amruta], kind="first",
                          role="Cop", dates="10-20 March")  # fmt: skip
    assert "conflicts" not in elsewhere["holds"][0]
    # non-overlapping dates: no conflict
    later = await run(services, ctx, "hold_talent", talent=[rohan], kind="booked",
                      role="Inspector Yadav", project="Dabangg 4", dates="1-5 April")  # fmt: skip
    assert "conflicts" not in later["holds"][0]
    shown = await run(services, ctx, "show_holds", role="Inspector Yadav")
    assert [(h["talent_id"], h["kind"]) for h in shown["holds"]] == [
        (amruta, "first"), (rohan, "booked"),
    ]  # fmt: skip
    released = await run(services, ctx, "release_hold", talent=[amruta], role="Nurse",
                         project="Hospital Diaries")  # fmt: skip
    assert released["released"][0]["kind"] == "released"


async def test_search_keeps_out_the_busy_and_cards_say_who_is_held(
    services, tmp_path, prefix
) -> None:
    amruta, rohan, meera = await _people(services, tmp_path, prefix)
    ctx = ToolContext(message(prefix + "ws"), services)
    await run(services, ctx, "hold_talent", talent=[amruta], kind="first",
              role="Inspector Yadav", project="Dabangg 4", dates="10-20 March")  # fmt: skip
    await run(services, ctx, "set_availability", talent=rohan, available=False,
              dates="18-25 March", note="shooting abroad")  # fmt: skip
    await run(services, ctx, "hold_talent", talent=[meera], kind="pencil",
              role="Nurse", project="Hospital Diaries", dates="1-3 May")  # fmt: skip

    async def found(query: str, **filters) -> dict[str, str]:
        result = await services.tools.run(
            "search_talent", {"query": query, "limit": 25, **filters}, ctx
        )
        ours = [c for c in result.cards if c.id.startswith(prefix)]
        return {c.id: c.availability for c in ours}

    everyone = await found("police inspector")
    assert set(everyone) == {amruta, rohan, meera}
    assert everyone[amruta].startswith("1st hold 10–20 Mar")
    assert "unavailable 18–25 Mar (shooting abroad)" in everyone[rohan]
    free = await found("police inspector available 10–20 March")
    assert set(free) == {meera}  # Amruta is held, Rohan is away from the 18th
    assert set(await found("police inspector available 1-5 April")) == {amruta, rohan, meera}
    # "not on hold elsewhere": Meera's pencil for another project counts, Amruta's hold on
    # the role being cast does not
    unheld = await found("police inspector not on hold elsewhere", for_role="Inspector Yadav",
                         project="Dabangg 4")  # fmt: skip
    assert set(unheld) == {amruta, rohan}
    assert set(await found("police inspector", available_from="2027-05-02")) == set(everyone)


async def test_commands_hold_and_list_through_the_router(services, tmp_path, prefix) -> None:
    amruta, rohan, _ = await _people(services, tmp_path, prefix)
    engine = Engine(services, OfflineResponder())

    async def say(text: str) -> str:
        key = ConversationKey("console", prefix + "router", "chat1")
        inbound = InboundMessage(key, user_id="cd", text=text, message_id=uuid.uuid4().hex)
        outlet = RecordingOutlet()
        await engine.pipeline()(Inbound(inbound, outlet))
        return outlet.recording.text

    answer = await say(f"hold {amruta} first 10-20 March for Inspector Yadav")
    assert answer.startswith("Held **Amruta Joshi**") and "1st hold 10–20 Mar" in answer
    answer = await say(f"hold {amruta} first 12-14 March for Nurse")
    assert "⚠️ **Conflict**" in answer and "Inspector Yadav" in answer
    await say(f"hold {rohan} pencil 1-2 April for Inspector Yadav")
    listing = await say("holds for Inspector Yadav")
    assert listing.index("Amruta Joshi") < listing.index("Rohan Malik")
    assert "pencil 1–2 Apr" in listing
    assert "Released" in await say(f"release {rohan} from Inspector Yadav")
    assert "Rohan" not in await say("holds for Inspector Yadav")
    away = await say(f"unavailable {rohan} 1-15 April")
    assert away.startswith(f"Noted for **Rohan Malik** ({rohan})")
    assert "unavailable 1–15 Apr" in away
    assert "not a date range" in await say(f"hold {rohan} first next week for Nurse")


async def test_forgetting_a_person_removes_their_holds(services, tmp_path, prefix) -> None:
    amruta, *_ = await _people(services, tmp_path, prefix)
    ctx = ToolContext(message(prefix + "ws"), services)
    await run(services, ctx, "hold_talent", talent=[amruta], kind="first", role="Cop",
              dates="10-20 March")  # fmt: skip
    await run(services, ctx, "set_availability", talent=amruta, available=True, dates="1-9 March")
    report = await forget_talent(services, amruta)
    assert "1 hold" in report and "1 availability window" in report
    assert (await run(services, ctx, "show_holds", all=True))["upcoming_holds"] == []


async def test_holds_follow_a_linked_channel_into_its_workspace(services, tmp_path, prefix):
    amruta, rohan, _ = await _people(services, tmp_path, prefix)
    company, team = prefix + "co", "T" + prefix.strip("-").upper()
    home = ToolContext(message(company), services)
    slack_key = ConversationKey("slack", team, "C1")
    slack = ToolContext(
        InboundMessage(slack_key, user_id="U1", text="x", message_id="m1"), services
    )
    await run(services, home, "hold_talent", talent=[amruta], kind="first",
              role="Inspector Yadav", project="Dabangg 4", dates="10-20 March")  # fmt: skip
    await run(services, slack, "hold_talent", talent=[amruta, rohan], kind="pencil",
              role="Inspector Yadav", project="Dabangg 4", dates="1-2 March")  # fmt: skip
    await services.directory.link(company, f"slack:{team}")
    shown = await run(services, home, "show_holds", role="Inspector Yadav", project="Dabangg 4")
    # the role merged: the company's own hold on Amruta stays, Rohan's pencil came along
    assert [(h["talent_id"], h["kind"]) for h in shown["holds"]] == [
        (rohan, "pencil"), (amruta, "first"),
    ]  # fmt: skip
