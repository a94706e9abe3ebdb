"""WhatsApp as a `Messenger`: features (audition invitations, reminders) message people
first through the business number. Outside the 24-hour window the approved template
(`TWILIO_TEMPLATE_SID`) carries the text as its variable; without one nothing is sent and
the caller is told why. Opt-outs are honoured; each message is recorded like a reply's."""

from __future__ import annotations

import json
import re

from adapters.whatsapp.parse import number_of
from adapters.whatsapp.sender import BadRecipient, TwilioSender, WindowClosed
from adapters.whatsapp.store import WhatsAppStore
from bot.ports import Sent
from bot.settings import Settings

_SPACES = re.compile(r"\s+")


class WhatsAppMessenger:
    def __init__(self, settings: Settings, sender: TwilioSender, store: WhatsAppStore) -> None:
        self.account = number_of(settings.twilio_whatsapp_number)
        self.template = settings.twilio_template_sid
        self.callback = settings.public_url + "/whatsapp/status" if settings.public_url else ""
        self.sender = sender
        self.store = store

    async def send(self, to: str, text: str, *, window_open: bool) -> Sent:
        if await self.store.opted_out(self.account, to):
            return Sent("opted_out")
        try:
            if window_open:
                sid, status = await self.sender.send(to, body=text, status_callback=self.callback)
                await self._record(sid, to, text, status)
                return Sent("sent", sid)
        except BadRecipient:
            return Sent("bad_number")
        except WindowClosed:
            pass  # it closed after all: the template below
        if not self.template:
            return Sent("window_closed")
        try:
            sid, status = await self.sender.send(
                to,
                content_sid=self.template,
                # template variables may not hold newlines or long runs of spaces
                content_variables=json.dumps({"1": _SPACES.sub(" ", text).strip()[:1000]}),
                status_callback=self.callback,
            )
        except BadRecipient:
            return Sent("bad_number")
        await self._record(sid, to, text, status)
        await self.store.claim_fallback(sid, "template")  # a template is never retried
        return Sent("template", sid)

    async def post(self, chat: str, thread: str, text: str) -> Sent:
        """Into a coordinator's chat (news about a role they work on): the plain message
        while their window is open, else the approved template."""
        return await self.send(chat, text, window_open=True)

    async def _record(self, sid: str, to: str, text: str, status: str) -> None:
        await self.store.record_sent(
            sid, workspace=self.account, recipient=to, body=text, status=status
        )
