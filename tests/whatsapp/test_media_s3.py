"""Media in S3-compatible storage, against a real S3 wire protocol (moto's server run as a
separate process): a headshot kept through one replica is in the bucket, not on its disk,
any replica serves it at /media/<token>, and forgetting the profile deletes the object."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from sqlalchemy import select

from bot.tools import ToolContext
from bot.types import ConversationKey, InboundMessage
from talent.auditions_models import Media
from talent.cli import forget_talent
from talent.media_store import S3Store, open_store
from tests.s3 import BUCKET, CREDENTIALS, client, s3_server
from tests.whatsapp.conftest import new_wa_id
from tests.whatsapp.fixtures import BUSINESS
from tests.whatsapp.test_auditions import _people, _say


@pytest.fixture(scope="module")
def s3_url() -> Iterator[str]:
    with s3_server() as url:
        yield url


@pytest.fixture
def bucket() -> str:
    return BUCKET


@pytest.fixture
def extra_settings(s3_url: str, bucket: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    return {"s3_bucket": bucket, "s3_endpoint_url": s3_url, "s3_region": "us-east-1"}


async def test_a_headshot_in_s3_is_served_by_any_replica_and_erased(
    stack, tmp_path: Path, s3_url: str
) -> None:
    (amruta, _, _), _ = await _people(stack, tmp_path)
    coordinator = new_wa_id()
    photo = b"\xff\xd8\xff\xe0" + secrets.token_bytes(700)
    url = stack.twilio.add_media(photo, "image/jpeg")
    answer = await _say(stack, coordinator, f"{amruta}'s headshot", NumMedia="1",
                        MediaUrl0=url, MediaContentType0="image/jpeg")  # fmt: skip
    assert f"Kept on {amruta}'s profile: headshot" in answer
    # in the bucket, not on this replica's disk
    assert not list((stack.services.settings.data_path / "media").rglob("*.jpg"))
    s3 = client(s3_url)
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="media/")["Contents"]
    (key,) = [o["Key"] for o in listed if f"/{amruta}/" in o["Key"]]
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == photo

    # another replica (an empty data folder of its own) reads the same file
    elsewhere = stack.services.settings.model_copy(update={"data_dir": tmp_path / "replica-b"})
    other = open_store(elsewhere)
    assert isinstance(other, S3Store)
    assert await other.read(key.removeprefix("media/")) == photo
    await other.close()

    # and /media/<token> serves it from the bucket
    stack.services.settings = stack.services.settings.model_copy(update={"public_url": stack.url})
    who = ConversationKey("whatsapp", BUSINESS.removeprefix("whatsapp:"), f"+{coordinator}")
    asker = InboundMessage(who, user_id=f"+{coordinator}", text="x", message_id="m1")
    outcome = await stack.services.tools.run(
        "get_talent_profile", {"talent": amruta}, ToolContext(asker, stack.services)
    )
    (card,) = outcome.cards
    async with stack.session.get(card.headshot_url) as response:
        assert response.status == 200 and await response.read() == photo
        assert response.headers["Content-Type"] == "image/jpeg"

    # forgetting the profile deletes the object too
    await forget_talent(stack.services, amruta)
    with pytest.raises(ClientError):
        await asyncio.to_thread(s3.head_object, Bucket=BUCKET, Key=key)
    async with stack.session.get(card.headshot_url) as response:
        assert response.status == 404


@pytest.mark.parametrize("bucket", ["castmatch-no-such-bucket"])
async def test_a_store_that_refuses_gets_a_clear_reply_and_nothing_half_kept(
    stack, tmp_path: Path
) -> None:
    (amruta, _, _), _ = await _people(stack, tmp_path)
    coordinator = new_wa_id()
    url = stack.twilio.add_media(b"\xff\xd8\xff\xe0" + secrets.token_bytes(300), "image/jpeg")
    answer = await _say(stack, coordinator, f"{amruta}'s headshot", NumMedia="1",
                        MediaUrl0=url, MediaContentType0="image/jpeg")  # fmt: skip
    assert "Not kept" in answer and "couldn't save that file just now" in answer
    async with stack.services.sessions() as session:
        kept = await session.scalar(select(Media.pk).where(Media.talent_id == amruta))
    assert kept is None
