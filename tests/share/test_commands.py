"""Sharing from a conversation: "share the Inspector Yadav shortlist" through the shared
command router (here the terminal, as `castmatch chat` runs it), and Claude's tools."""

from __future__ import annotations

import re

import aiohttp

from bot.commands.grammar import Command, parse
from bot.tools import ToolContext
from tests.e2e.test_chat import chat
from tests.share.conftest import Shared
from tests.talent.conftest import message


async def _status(url: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status


def test_the_words_that_share() -> None:
    assert parse("share the Inspector Yadav shortlist") == Command(
        "share", verb="share", role="Inspector Yadav"
    )
    assert parse("Share the Inspector Yadav shortlist for 3d.") == Command(
        "share", verb="share", role="Inspector Yadav", arg="3d"
    )
    assert parse("share shortlist for 12h") == Command("share", verb="share", arg="12h")
    assert parse("unshare the Dahleez/Inspector Yadav shortlist") == Command(
        "share", verb="unshare", role="Dahleez/Inspector Yadav"
    )
    assert parse("share this with the team").kind == "chat"


async def test_sharing_in_the_terminal(served: Shared, settings_env: dict[str, str]) -> None:
    env = {**settings_env, "CASTMATCH_PUBLIC_URL": served.base}
    said = b"share the Inspector Yadav shortlist for 2d\nshare the Nobody shortlist\n"
    code, out, err = await chat(env, said, "--user", "casting", "--workspace", served.workspace)
    assert code == 0, err
    urls = re.findall(rf"{re.escape(served.base)}/s/[\w.\-]+", out)
    assert len(urls) == 1 and "Link to the **Inspector Yadav** shortlist" in out
    assert re.search(r"\(open until \d{4}-\d\d-\d\d \d\d:\d\d UTC\)", out), out
    assert await _status(urls[0]) == 200
    assert "no role called 'Nobody'" in out

    code, out, _ = await chat(env, b"unshare the Inspector Yadav shortlist\n",
                              "--user", "casting", "--workspace", served.workspace)  # fmt: skip
    assert code == 0 and "Closed 1 link(s) to the Inspector Yadav shortlist" in out
    assert await _status(urls[0]) == 410


async def test_claudes_tools_share_the_current_role(served: Shared) -> None:
    from talent import shortlists

    ctx = ToolContext(message(served.workspace, chat="C9"), served.services)
    tools = served.services.tools
    outcome = await tools.run("shortlist_share", {}, ctx)
    assert outcome.is_error and "which role" in outcome.content
    await shortlists.set_current_role(served.services, ctx.message.key, served.role)
    outcome = await tools.run("shortlist_share", {"expires": "1h"}, ctx)
    assert not outcome.is_error, outcome.content
    assert outcome.content["role"] == "Inspector Yadav"
    assert await _status(outcome.content["url"]) == 200
    outcome = await tools.run("shortlist_share", {"role": "Nobody"}, ctx)
    assert outcome.is_error  # never creates a role to share
    assert await shortlists.find_role(served.services, served.workspace, "Nobody") is None
    outcome = await tools.run("shortlist_unshare", {"role": "Dahleez/Inspector Yadav"}, ctx)
    assert outcome.content == {"role": "Inspector Yadav", "revoked": 1}
