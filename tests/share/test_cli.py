"""`castmatch shortlist share|unshare` as an operator runs it: one line, exit codes, and a
link the running server opens until it is revoked."""

from __future__ import annotations

import aiohttp

from talent import shortlists
from tests.e2e.test_chat import castmatch
from tests.share.conftest import Shared


async def _status(url: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status


async def test_share_prints_a_link_and_unshare_revokes_it(
    served: Shared, settings_env: dict[str, str]
) -> None:
    env = {**settings_env, "CASTMATCH_PUBLIC_URL": served.base}
    ws = ["--workspace", served.workspace]
    code, out, err = await castmatch(env, "shortlist", "share", "Inspector Yadav", *ws,
                                     "--expires", "12h")  # fmt: skip
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{served.base}/s/")
    assert await _status(lines[0]) == 200

    # a second project with the same role: the project must be named
    await shortlists.ensure_role(served.services, served.workspace, "Inspector Yadav",
                                 project="Other Film")  # fmt: skip
    code, out, err = await castmatch(env, "shortlist", "share", "Inspector Yadav", *ws)
    assert code == 2 and "name the project" in err and out == ""
    code, out, _ = await castmatch(env, "shortlist", "share", "dahleez/inspector yadav", *ws)
    assert code == 0 and out.startswith(f"{served.base}/s/")

    for args, reason in (
        (["Nobody Role", *ws], "no role called"),
        (["Inspector Yadav", "--workspace", "no-such-company"], "no workspace named"),
        (["Dahleez/Inspector Yadav", *ws, "--expires", "soon"], "expiry must look like"),
    ):
        code, out, err = await castmatch(env, "shortlist", "share", *args)
        assert code == 2 and reason in err and out == "", (args, err)

    code, out, _ = await castmatch(env, "shortlist", "unshare", "Dahleez/Inspector Yadav", *ws)
    assert code == 0 and "Revoked 2 link(s)" in out
    assert await _status(lines[0]) == 410
