"""A real browser for page tests: Playwright driving Debian's chromium (no browser download).
On failure the page is kept as a screenshot under `test-artifacts/` (or
`$CASTMATCH_TEST_ARTIFACTS`) so what the director would have seen can be looked at."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CASTMATCH_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}  # an iPhone 12-15 sized viewport
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("CASTMATCH_TEST_ARTIFACTS", ROOT / "test-artifacts"))


def chromium_path() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium") or ""
    if not path:
        pytest.fail("Debian's chromium is needed: apt-get install -y chromium (.ci/run does)")
    return path


@contextlib.asynccontextmanager
async def browser_page(name: str, *, viewport: dict[str, int] | None = None) -> AsyncIterator:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        context = await browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900}, is_mobile=viewport is not None
        )
        page = await context.new_page()
        try:
            yield page
        except BaseException:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (a test's failure)
            shot = ARTIFACTS / (re.sub(r"[^\w.-]", "_", name) + ".png")
            with contextlib.suppress(Exception):
                await page.screenshot(path=str(shot), full_page=True)
                print(f"screenshot of the failing page: {shot}")
            raise
        finally:
            await browser.close()
