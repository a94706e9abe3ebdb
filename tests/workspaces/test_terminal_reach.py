"""As a user runs it: `castmatch chat --workspace T…` named like a Slack team does not see
that team's shortlists until `castmatch workspace link` joins the team to it, and a
terminal name borrowing a channel's prefix is refused (real processes, real servers)."""

from __future__ import annotations

import secrets

from talent import shortlists
from talent.importer import import_records, validate
from talent.reader import RawRecord
from tests.e2e.test_chat import castmatch, chat


async def test_a_terminal_workspace_reaches_a_slack_teams_shortlist_only_once_linked(
    services, settings_env
):
    team = "T" + secrets.token_hex(4).upper()
    talent_id = f"tr-{secrets.token_hex(3)}"
    good, rejects = validate([RawRecord(1, {"id": talent_id, "name": "Zoya Qureshi"})])
    assert not rejects
    await import_records(services, [record for _, record in good])
    role = await shortlists.ensure_role(services, f"slack:{team}", "Inspector Yadav")
    await shortlists.add(services, role, [talent_id], actor="slack:U1")

    ask = b"shortlist show Inspector Yadav\n"
    code, out, err = await chat(settings_env, ask, "--workspace", team, "--user", "asha")
    assert code == 0, err
    assert "Zoya Qureshi" not in out

    code, _, err = await chat(settings_env, ask, "--workspace", f"slack:{team}")
    assert code == 2 and "may not start with slack:" in err and "\n" not in err.strip()

    code, out, err = await castmatch(settings_env, "workspace", "link", team, f"slack:{team}")
    assert code == 0, err
    code, out, err = await chat(settings_env, ask, "--workspace", team, "--user", "asha")
    assert code == 0, err
    assert "Zoya Qureshi" in out
