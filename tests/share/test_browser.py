"""The shared shortlist in a real browser (chromium, headless), as a director uses it: the
page shows the candidates, the buttons record a mark with a comment, and it fits a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from talent import share_links, shortlists
from talent.share_view import DIRECTOR
from tests.share import browser
from tests.share.browser import PHONE, browser_page
from tests.share.conftest import Shared


async def test_a_director_reads_the_page_and_marks_candidates(served: Shared) -> None:
    url, _ = await share_links.share(served.services, served.role)
    rohan, meera = served.ids["Rohan"], served.ids["Meera"]
    async with browser_page("director-desktop") as page:
        await page.goto(url)
        assert await page.title() == "Inspector Yadav · Dahleez · shortlist"
        cards = page.locator("article.card")
        assert await cards.count() == 2  # Kabir withdrew consent: not shown at all
        card = page.locator(f'article[data-talent="{rohan}"]')
        text = await card.inner_text()
        for seen in ("Rohan Malik", "Plays", "Delhi", "Hindi, Haryanvi", "horse riding",
                     "Dahleez Pilot (2021) as Constable", "Watch showreel", "considered",
                     "Team note: great read; call his manager on [number removed]"):  # fmt: skip
            assert seen in text, seen
        image = card.locator("img")
        assert await image.get_attribute("src") == "https://img.example/rohan.jpg"
        assert await image.get_attribute("alt") == "Headshot of Rohan Malik"
        assert await card.get_by_role("link", name="Watch showreel").get_attribute("href") == (
            "https://videos.example/rohan"
        )
        body = await page.locator("body").inner_text()
        assert "Kabir" not in body and "98200" not in body and "Star Talent" not in body

        await card.get_by_label("Comment for Rohan Malik").fill("Strong — bring him to callback")
        await card.get_by_role("button", name="Yes").click()
        await page.wait_for_url("**?saved=*")
        card = page.locator(f'article[data-talent="{rohan}"]')
        assert "Your mark: yes — “Strong — bring him to callback”" in await card.inner_text()
        assert await card.get_by_role("button", name="Yes").get_attribute("aria-pressed") == "true"
        assert "Saved: Rohan Malik" in await page.locator("body").inner_text()

        other = page.locator(f'article[data-talent="{meera}"]')
        await other.get_by_role("button", name="No").click()
        await page.wait_for_url(f"**saved={meera}*")
        other = page.locator(f'article[data-talent="{meera}"]')
        assert "Your mark: no" in await other.inner_text()

    history = await shortlists.history(served.services, served.role)
    marks = {(h["talent_id"], h["detail"].get("decision")) for h in history if h["by"] == DIRECTOR}
    assert marks == {(rohan, "yes"), (meera, "no")}


async def test_the_page_fits_a_phone(served: Shared) -> None:
    url, _ = await share_links.share(served.services, served.role)
    async with browser_page("director-phone", viewport=PHONE) as page:
        await page.goto(url)
        # nothing wider than the screen: no sideways scrolling
        overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        cards = page.locator("article.card")
        boxes = [await cards.nth(i).bounding_box() for i in range(await cards.count())]
        assert len(boxes) == 2
        assert all(b and b["width"] > 0.8 * PHONE["width"] for b in boxes)  # one column
        assert boxes[0]["y"] < boxes[1]["y"]  # stacked
        yes = cards.first.get_by_role("button", name="Yes")
        box = await yes.bounding_box()
        assert box and box["height"] >= 44  # a thumb-sized target
        await yes.click()
        await page.wait_for_url("**?saved=*")
        assert "Your mark: yes" in await page.locator("article.card").first.inner_text()


async def test_a_revoked_link_shows_a_plain_message(served: Shared) -> None:
    url, _ = await share_links.share(served.services, served.role)
    await share_links.unshare(served.services, served.role)
    async with browser_page("director-revoked") as page:
        response = await page.goto(url)
        assert response is not None and response.status == 410
        assert "expired or was withdrawn" in await page.locator("body").inner_text()


async def test_a_failing_check_keeps_a_screenshot_of_the_page(
    served: Shared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser, "ARTIFACTS", tmp_path)
    url, _ = await share_links.share(served.services, served.role)
    with pytest.raises(AssertionError, match="saw the wrong page"):
        async with browser_page("director/kept on failure") as page:
            await page.goto(url)
            raise AssertionError("the director saw the wrong page")
    shot = tmp_path / "director_kept_on_failure.png"
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert shot.stat().st_size > 5000  # the page itself, not a blank frame
