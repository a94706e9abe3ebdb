"""Pipeline step: the shared command router. A command is answered here and stored as a
turn like any other message; everything else goes on to Claude.

Optional channel capabilities (on the outlet): `set_opt_out(message, on) -> str` and
`opted_out(message) -> bool` for STOP/START (WhatsApp), `forget(message) -> list[str]` for
records only the channel keeps. A channel without them passes STOP/START to Claude.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot import pending_media
from bot.commands import auditions, catalogue, schedule
from bot.commands.grammar import Command, parse
from bot.pipeline import Inbound, Next
from bot.types import InboundMessage, ReplyResult
from bot.workspaces.directory import WorkspaceError
from bot.workspaces.ids import IdError

if TYPE_CHECKING:
    from bot.engine import Engine

log = logging.getLogger(__name__)

HELP = """\
**CastMatch** finds talent in your catalogue and keeps your team's shortlists. Just ask, e.g. \
*actors in Mumbai aged 25-35 who speak Marathi and can do kathak*.

- **search** … (or **/talent** …): search the catalogue
- **2**: more about result 2 of the last list; **shortlist 2** (for ROLE): add it to a shortlist
- **shortlist** (the current role), **shortlist show** ROLE, **shortlist add** ID… [to ROLE], \
**shortlist remove** ID…, **shortlist export** [ROLE]; in Slack **post the** ROLE \
**shortlist to** #channel
- **auditions** [for ROLE]; **slot** 10 March 11:00 **at** PLACE [for ROLE]; **invite** ID… \
[to slot N] [for ROLE]; **self-tape** ID… **by** 14 March 6pm [for ROLE]; **number** ID +91…; \
a photo or video with *Amruta's headshot* / *Amruta's self-tape for ROLE*
- **holds** [for ROLE]; **hold** ID… pencil|first|second|booked [DATES] [for ROLE]; \
**release** ID… [from ROLE]; **available**/**unavailable** ID DATES
- **share the** ROLE **shortlist** [for 3d]: a link a director opens in a browser to mark \
yes / maybe / no (it comes back here); **unshare the** ROLE **shortlist** closes it
- **members** list, **members add** whatsapp:+91… [admin], **members remove** … (admins)
- **status**; **forget me**: erase what I keep about you
- On WhatsApp, **STOP** silences me and **START** resumes; in Slack, mention me in a thread \
(`@CastMatch shortlist …`) or use `/talent`, `/shortlist`, `/castmatch`."""
MEDIA_SAVED = (
    "Got it: {what}. Whose is it? Reply e.g. *Amruta's headshot* or *cm-00042's self-tape for "
    "Inspector Yadav* within the hour and I'll keep it on their profile."
)
NO_LIST = "I have no recent list to pick from. Search first, e.g. *search dancers in Pune*."
NOT_IN_LIST = "The last list has {count} result(s); pick a number from 1 to {count}."
ADMINS_ONLY = "Only the workspace's admins can change its members (ask one, or use the CLI)."
SHORTLIST_USAGE = (
    "Usage: `shortlist [ROLE]`, `shortlist add ID… [to ROLE]`, `shortlist remove ID… "
    "[from ROLE]`, `shortlist export [ROLE]`"
)

SCHEDULE = {
    "holds": schedule.holds,
    "hold": schedule.hold,
    "release": schedule.release,
    "availability": schedule.availability,
    "auditions": auditions.show,
    "slot": auditions.slot,
    "invite": auditions.invite,
    "selftape": auditions.invite,
    "contact": auditions.contact,
    "media": auditions.attach,
}


class Router:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.services = engine.services

    async def __call__(self, inbound: Inbound, next: Next) -> None:
        message, outlet = inbound.message, inbound.outlet
        if message.attachments and not message.text.strip():
            await pending_media.remember(self.services, message.key, message.attachments)
            await self.engine.command_turn(message, outlet.reply(message), _media_saved(message))
            return
        command = parse(message.text)
        if command.kind == "media" and not (
            message.attachments or await pending_media.waiting(self.services, message.key)
        ):
            command = replace(command, kind="chat", arg=message.text)  # no file: just words
        opt_out = getattr(outlet, "set_opt_out", None)
        if command.kind in ("stop", "start") and opt_out is not None:

            async def switch() -> tuple[str, ReplyResult]:
                # After the message is stored: a replay of an old STOP (Twilio signatures
                # carry no time) is a duplicate in PostgreSQL and changes nothing.
                return await opt_out(message, command.kind == "stop"), ReplyResult()

            await self.engine.command_turn(message, None, switch)  # the channel showed it
            return
        opted_out = getattr(outlet, "opted_out", None)
        if opted_out is not None and await opted_out(message):
            return  # silenced until START: no turn, no reply
        if command.kind in ("chat", "stop", "start"):
            await next(inbound.with_message(_described(message)))
            return
        if command.kind == "pick" or command.verb == "pick":
            await self._pick(inbound, command, next)
            return
        if command.kind == "forget":
            await self._forget(inbound)
            return

        async def answer() -> tuple[str, ReplyResult]:
            try:
                return await self._answer(message, command)
            except catalogue.Unavailable as exc:
                return f"⚠️ {exc}", ReplyResult()

        await self.engine.command_turn(message, outlet.reply(message), answer)

    async def _answer(self, message: InboundMessage, command: Command) -> tuple[str, ReplyResult]:
        if command.kind == "help":
            return HELP, ReplyResult()
        if command.kind == "status":
            mode = "Claude" if self.services.settings.claude_enabled else "the offline responder"
            return f"CastMatch is up, answering with {mode}.", ReplyResult()
        if command.kind == "search":
            cards = await catalogue.search(self.services, message, command.arg)
            if not cards:
                return f"No talent matched “{command.arg}”. Try fewer conditions.", ReplyResult()
            # The channel shows the cards (Slack blocks, a WhatsApp list, terminal lines).
            return f"Talent for “{command.arg[:200]}”:", ReplyResult(talent=tuple(cards))
        if command.kind == "members":
            return await self._members(message, command), ReplyResult()
        if command.kind == "share":
            if command.verb == "unshare":
                return await catalogue.unshare_links(self.services, message, command.role), (
                    ReplyResult()
                )
            text = await catalogue.share_link(self.services, message, command.role, command.arg)
            return text, ReplyResult()
        if command.kind == "post":
            text = await catalogue.shortlist_show(self.services, message, command.role)
            post = catalogue.ChannelPost(channel=command.arg, text=text)
            return text, ReplyResult(extra={"post": post})
        if command.kind in SCHEDULE:
            return await SCHEDULE[command.kind](self.services, message, command), ReplyResult()
        if command.verb == "export":
            export = await catalogue.shortlist_export_file(self.services, message, command.role)
            return export.as_text(), ReplyResult(extra={"file": export})
        return await self._shortlist(message, command), ReplyResult()

    async def _shortlist(self, message: InboundMessage, command: Command) -> str:
        services = self.services
        if command.verb == "show":
            return await catalogue.shortlist_show(services, message, command.role)
        if command.verb == "export":
            return await catalogue.shortlist_export(services, message, command.role)
        if command.verb in ("add", "remove") and command.ids:
            notes = [
                await catalogue.shortlist_change(services, message, command.verb, i, command.role)
                for i in command.ids
            ]
            return "\n".join(notes)
        return SHORTLIST_USAGE

    async def _members(self, message: InboundMessage, command: Command) -> str:
        directory = self.services.directory
        workspace = message.workspace
        if command.verb == "list":
            member = await directory.role(workspace, message.person)
            if message.channel == "whatsapp" and member is None:
                return "Only members can see the member list."
            _, people = await directory.members(workspace)
            lines = [f"- {p}{' (admin)' if admin else ''}" for p, admin in people]
            return f"**Members of {workspace}** ({len(people)})\n\n" + "\n".join(lines)
        if message.channel != "console" and not await directory.role(workspace, message.person):
            return ADMINS_ONLY
        if not command.ids:
            return f"Usage: `members {command.verb} whatsapp:+91… [admin]`"
        try:
            if command.verb == "add":
                added = await directory.add_members(
                    workspace, command.ids, admin=command.admin, by=message.person
                )
                role = " as admin(s)" if command.admin else ""
                return f"Added {len(added)} member(s){role}: {', '.join(added)}"
            gone = await directory.remove_members(workspace, command.ids)
            return f"Removed {len(gone)} member(s)" + (f": {', '.join(gone)}" if gone else "")
        except (IdError, WorkspaceError) as exc:
            return f"Nothing changed: {exc}"

    async def _pick(self, inbound: Inbound, command: Command, next: Next) -> None:
        """ "2" / "shortlist 2 for ROLE": the person means a result they were shown, so
        Claude gets the name and id spelled out."""
        message = inbound.message
        listed = await self.engine.shown(message.key)
        problem = ""
        if not listed:
            problem = NO_LIST
        elif not 1 <= command.number <= len(listed):
            problem = NOT_IN_LIST.format(count=len(listed))
        if problem:
            await self.engine.command_turn(message, inbound.outlet.reply(message), problem)
            return
        person = listed[command.number - 1]
        who = f"number {command.number} of the last list: {person.name} (talent id {person.id})"
        if command.kind == "shortlist":
            text = f"Shortlist {who}" + (f" for {command.role}" if command.role else "")
        else:
            text = f"Tell me more about {who}"
        await next(inbound.with_message(replace(message, text=text)))

    async def _forget(self, inbound: Inbound) -> None:
        """Erase the person everywhere. Not stored as a turn: that would write back what was
        just erased."""
        message = inbound.message
        report: list[str] = []
        for eraser in self.services.erasers:
            report += await eraser(message.channel, message.user_id)
        channel_forget: Any = getattr(inbound.outlet, "forget", None)
        if channel_forget is not None:
            report += await channel_forget(message)
        text = "Done. I erased what I kept about you:\n\n" + "\n".join(f"- {r}" for r in report)
        await self.engine.say(inbound.outlet.reply(message), text)
        # Sending the confirmation keeps its own traces (a delivery record, the opt-out state
        # cached under the number): erase once more, so nothing of the person is written back.
        for eraser in self.services.erasers:
            await eraser(message.channel, message.user_id)
        if channel_forget is not None:
            await channel_forget(message)


def _media_saved(message: InboundMessage) -> str:
    kinds = sorted({a.content_type.split("/")[0] or "file" for a in message.attachments})
    return MEDIA_SAVED.format(what=f"{len(message.attachments)} {'/'.join(kinds)} file(s)")


def _described(message: InboundMessage) -> InboundMessage:
    """Tell Claude that media came with the caption (it sees text only)."""
    if not message.attachments:
        return message
    kinds = ", ".join(a.content_type or "file" for a in message.attachments)
    return replace(message, text=f"{message.text}\n\n[attached: {kinds}]")
