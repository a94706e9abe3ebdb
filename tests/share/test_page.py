"""The shared shortlist page over HTTP: what a director sees, what they never see, and the
answers a tampered, expired or revoked link gets."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
from sqlalchemy import update

from bot.db import utcnow
from talent import holds, share_links, shortlists
from talent.dates import parse_span
from talent.share_models import ShareLink
from talent.share_view import DIRECTOR
from tests.share.conftest import Shared


async def _get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, response.content_type, await response.text()


async def test_the_page_shows_the_shortlist_without_contacts_or_withdrawn_people(
    served: Shared,
) -> None:
    url, expires = await share_links.share(served.services, served.role)
    assert url.startswith(f"{served.base}/s/")
    assert expires - utcnow() > timedelta(days=6, hours=23)
    status, kind, html = await _get(url)
    assert status == 200 and kind == "text/html"
    for seen in ("Inspector Yadav", "Dahleez", "Rohan Malik", "Meera Nair", "Delhi", "Haryanvi",
                 "horse riding", "Dahleez Pilot (2021) as Constable", "Saath Phere (2019)",
                 "https://videos.example/rohan", "https://img.example/rohan.jpg", "callback",
                 "great read"):  # fmt: skip
        assert seen in html, seen
    assert 'name="viewport"' in html  # phones get the mobile layout
    for never in ("Kabir", "Star Talent", "98200", "(withdrawn)"):
        assert never not in html, never


async def test_tampered_links_get_404_and_dead_links_410(served: Shared) -> None:
    url, _ = await share_links.share(served.services, served.role)
    token = url.rsplit("/", 1)[1]
    link_id, sig = token.split(".")
    for bad in (f"{link_id}.{sig[:-2]}xx", f"{'0' * 32}.{sig}", "nonsense", link_id):
        status, _, text = await _get(f"{served.base}/s/{bad}")
        assert status == 404 and "not valid" in text, bad

    # expired
    async with served.services.sessions() as session, session.begin():
        await session.execute(
            update(ShareLink).where(ShareLink.link_id == link_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )  # fmt: skip
    status, kind, text = await _get(url)
    assert status == 410 and kind == "text/plain" and "expired or was withdrawn" in text

    # revoked: unshare closes every open link to the role
    first, _ = await share_links.share(served.services, served.role)
    second, _ = await share_links.share(served.services, served.role)
    assert (await _get(first))[0] == 200
    assert await share_links.unshare(served.services, served.role) == 2
    assert (await _get(first))[0] == 410 and (await _get(second))[0] == 410


async def test_a_link_opens_only_its_own_role(served: Shared) -> None:
    other = await shortlists.ensure_role(served.services, served.workspace, "Sub-Inspector")
    url, _ = await share_links.share(served.services, other)
    _, _, html = await _get(url)
    assert "Sub-Inspector" in html and "Rohan Malik" not in html
    assert "Nobody is on this shortlist yet" in html


async def test_a_mark_is_kept_in_the_shortlist_history(served: Shared) -> None:
    url, _ = await share_links.share(served.services, served.role)
    rohan = served.ids["Rohan"]
    async with aiohttp.ClientSession() as http:
        form = {"talent_id": rohan, "decision": "maybe", "comment": "see him again"}
        async with http.post(url, data=form) as response:
            assert response.status == 200 and "Your mark: maybe" in await response.text()
        async with http.post(url, data={"talent_id": rohan, "decision": "perhaps"}) as bad:
            assert bad.status == 400
        kabir = {"talent_id": served.ids["Kabir"], "decision": "yes"}  # withdrawn: not on it
        async with http.post(url, data=kabir) as bad:
            assert bad.status == 400
    history = await shortlists.history(served.services, served.role, talent_id=rohan)
    assert history[0]["by"] == DIRECTOR
    assert history[0]["detail"] == {"decision": "maybe", "comment": "see him again"}


def test_durations() -> None:
    assert share_links.parse_duration("7d") == timedelta(days=7)
    assert share_links.parse_duration("12h") == timedelta(hours=12)
    for bad in ("", "7", "7 days", "0d", "400d", "-1h"):
        try:
            share_links.parse_duration(bad)
        except share_links.LinkError:
            continue
        raise AssertionError(bad)


async def test_a_headshot_kept_from_whatsapp_is_the_picture(served: Shared) -> None:
    from talent.auditions_models import Media

    meera = served.ids["Meera"]
    async with served.services.sessions() as session, session.begin():
        row = Media(workspace=served.workspace, talent_id=meera, kind="headshot",
                    content_type="image/jpeg", size_bytes=10, key="x/meera.jpg",
                    sha256="0" * 64)  # fmt: skip
        session.add(row)
        await session.flush()
        await session.refresh(row)
        token = row.token
    url, _ = await share_links.share(served.services, served.role)
    _, _, html = await _get(url)
    # the page and the picture come from the same server: a link relative to it works
    # even when CASTMATCH_PUBLIC_URL is unset (Slack and WhatsApp need it, a browser not)
    assert f'src="/media/{token}" alt="Headshot of Meera Nair"' in html
    settings = served.services.settings
    served.services.settings = settings.model_copy(update={"public_url": ""})
    _, _, html = await _get(url)
    assert f'src="/media/{token}" alt="Headshot of Meera Nair"' in html


async def test_links_point_at_localhost_without_a_public_url(services) -> None:
    services.settings = services.settings.model_copy(update={"public_url": "", "port": 3123})
    assert share_links.base_url(services) == "http://localhost:3123"


async def test_the_page_shows_each_persons_dates_without_other_projects_names(
    served: Shared,
) -> None:
    rohan, meera = served.ids["Rohan"], served.ids["Meera"]
    services, role = served.services, served.role
    other = await shortlists.ensure_role(services, served.workspace, "Villain",
                                         project="Secret Film")  # fmt: skip
    await holds.set_hold(services, role, rohan, "first", parse_span("10-20 March"), actor="cd")
    await holds.set_hold(services, other, rohan, "pencil", parse_span("1-3 May"), actor="cd")
    await holds.set_availability(services, served.workspace, meera, parse_span("1-15 April"),
                                 available=False, actor="cd", note="shooting in Goa")  # fmt: skip
    url, _ = await share_links.share(services, role)
    _, _, html = await _get(url)
    assert "1st hold 10–20 Mar" in html
    assert "pencil 1–3 May, another project" in html
    assert "unavailable 1–15 Apr" in html
    # another project of the company, and the team's reasons, stay with the team
    for never in ("Secret Film", "Villain", "shooting in Goa"):
        assert never not in html, never
    # roles given no project share the default one, yet may be different productions:
    # another role there is not named either
    cop = await shortlists.ensure_role(services, served.workspace, "Cop")
    nurse = await shortlists.ensure_role(services, served.workspace, "Nurse")
    await shortlists.add(services, cop, [meera], actor="cd")
    await holds.set_hold(services, nurse, meera, "first", parse_span("5-6 June"), actor="cd")
    url, _ = await share_links.share(services, cop)
    _, _, html = await _get(url)
    assert "1st hold 5–6 Jun, another role" in html and "Nurse" not in html
