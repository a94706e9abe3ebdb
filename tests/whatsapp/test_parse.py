"""parse(): Twilio's inbound form -> InboundMessage, and never a crash on arbitrary input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.whatsapp.parse import MAX_MEDIA, ParseError, parse
from bot.types import InboundMessage
from tests.whatsapp.fixtures import ACCOUNT, inbound


def test_text_message_is_keyed_on_wa_id_and_business_number():
    form = inbound("find me a kathak dancer", wa_id="919876543210")
    message = parse(form, account=ACCOUNT)
    assert message is not None
    assert message.key.channel == "whatsapp"
    assert message.key.account == "+14155238886" and message.workspace == "whatsapp:+14155238886"
    assert message.key.chat == "+919876543210"
    assert message.user_id == "+919876543210"
    assert message.person == "whatsapp:+919876543210"
    assert message.user_name == "Asha"
    assert message.text == "find me a kathak dancer"
    assert message.message_id == form["MessageSid"]


def test_media_references_are_kept_and_capped():
    extra = {f"MediaUrl{i}": f"https://api.twilio.com/media/ME{i}" for i in range(15)}
    extra |= {f"MediaContentType{i}": "image/jpeg" for i in range(15)}
    message = parse(inbound("", NumMedia="15", **extra), account=ACCOUNT)
    assert message is not None
    assert len(message.attachments) == MAX_MEDIA
    assert message.attachments[0].url == "https://api.twilio.com/media/ME0"
    assert message.attachments[0].content_type == "image/jpeg"


def test_reply_to_and_button_payload():
    form = inbound(
        "Yes please", OriginalRepliedMessageSid="SM" + "a" * 32, ButtonPayload="shortlist 2"
    )
    message = parse(form, account=ACCOUNT)
    assert message is not None
    assert message.reply_to == "SM" + "a" * 32
    assert message.text == "shortlist 2"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"MessageSid": "", "SmsMessageSid": ""}, "SmsMessageSid"),
        ({"From": ""}, "From"),
        ({"To": ""}, "To"),
        ({"To": "+14155238886"}, "address"),
        ({"WaId": "abc"}, "WaId"),
        ({"NumMedia": "two"}, "NumMedia"),
        ({"NumMedia": "1"}, "MediaUrl0"),
        ({"AccountSid": "AC" + "1" * 32}, "AccountSid"),
        ({"MessageSid": "not a sid!"}, "MessageSid"),
    ],
)
def test_malformed_forms_name_the_field(change, field):
    with pytest.raises(ParseError, match=field):
        parse(inbound("hi") | change, account=ACCOUNT)


def test_nothing_to_answer_gives_none():
    assert parse(inbound("", MessageType="reaction"), account=ACCOUNT) is None
    sms = inbound("hi") | {"From": "+14155550100"}
    assert parse(sms, account=ACCOUNT) is None


keys = st.sampled_from(
    [
        "MessageSid",
        "SmsMessageSid",
        "From",
        "To",
        "WaId",
        "Body",
        "NumMedia",
        "MediaUrl0",
        "MediaContentType0",
        "ButtonPayload",
        "OriginalRepliedMessageSid",
        "AccountSid",
        "ProfileName",
    ]
) | st.text(max_size=12)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(keys, st.text(max_size=40), max_size=12))
def test_arbitrary_forms_never_crash(form):
    try:
        result = parse(form, account=ACCOUNT)
    except ParseError as exc:
        assert str(exc)
    else:
        assert result is None or isinstance(result, InboundMessage)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(list(inbound())), st.text(max_size=30), max_size=6))
def test_mutated_valid_forms_never_crash(changes):
    try:
        result = parse(inbound("hello") | changes, account=ACCOUNT)
    except ParseError as exc:
        assert str(exc)
    else:
        assert result is None or isinstance(result, InboundMessage)
