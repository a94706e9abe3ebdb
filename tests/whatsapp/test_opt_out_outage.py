"""The opt-out lookup failing (PostgreSQL unreachable or out of connections) while a WhatsApp
message arrives: the message is not dropped before its turn (Twilio never sends it again),
and nothing is sent to the person while whether they opted out can't be read."""

from __future__ import annotations

import secrets

from adapters.whatsapp.channel import WhatsAppChannel, WhatsAppOutlet
from adapters.whatsapp.sender import TwilioSender
from adapters.whatsapp.store import WhatsAppStore
from bot.engine import Engine
from bot.llm.claude import ClaudeResponder
from bot.types import ConversationKey, InboundMessage
from castmatch.app import open_castmatch
from tests.memory.servers import DisposablePostgres
from tests.whatsapp.conftest import whatsapp_settings
from tests.whatsapp.fixtures import ACCOUNT, BUSINESS, TOKEN


async def test_a_failed_opt_out_lookup_keeps_the_message_and_sends_nothing(
    settings, claude, twilio
):
    database = DisposablePostgres()
    database.start()
    configured = whatsapp_settings(settings, claude, twilio, database_url=database.url())
    try:
        async with open_castmatch(configured) as services:
            responder = ClaudeResponder(configured)
            sender = TwilioSender(ACCOUNT, TOKEN, BUSINESS, api_url=twilio.url)
            channel = WhatsAppChannel(
                services, Engine(services, responder), sender, WhatsAppStore(services)
            )
            outlet = WhatsAppOutlet(channel, "")
            number = "+9198" + str(secrets.randbelow(10**8)).zfill(8)
            account = BUSINESS.removeprefix("whatsapp:")
            message = InboundMessage(
                key=ConversationKey("whatsapp", account, number),
                user_id=number,
                text="Any Marathi actors in Pune?",
                message_id="SM" + secrets.token_hex(16),
            )

            database.stop()
            assert await outlet.opted_out(message) is False  # on to its turn, not dropped
            assert await channel.deliver(account, number, "hello") is False  # not sent
            assert twilio.bodies(number) == []

            database.start()
            await channel.store.set_opt_out(account, number, True)
            assert await outlet.opted_out(message) is True  # a real STOP still silences
            assert await channel.deliver(account, number, "hello") is False
            assert twilio.bodies(number) == []
            await sender.close()
            await responder.close()
    finally:
        database.close()
