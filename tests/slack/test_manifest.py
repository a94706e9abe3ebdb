"""manifest.yml is a complete Slack app manifest that matches what the code handles."""

from __future__ import annotations

from pathlib import Path

import yaml

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def test_manifest_is_complete_and_matches_the_code() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert manifest["_metadata"]["major_version"] == 2
    assert manifest["display_information"]["name"]
    features = manifest["features"]
    assert features["bot_user"]["display_name"]
    assert features["app_home"]["messages_tab_enabled"] is True
    prompts = features["assistant_view"]["suggested_prompts"]
    assert 1 <= len(prompts) <= 4 and all(p["title"] and p["message"] for p in prompts)
    commands = {c["command"] for c in features["slash_commands"]}
    assert commands == {"/talent", "/shortlist", "/castmatch"}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "assistant:write",
    } <= scopes
    assert not scopes & {"channels:history", "users:read.email", "admin"}  # only what's needed
    settings = manifest["settings"]
    events = set(settings["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.im", "assistant_thread_started", "app_home_opened"} <= events
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    for command in features["slash_commands"]:
        assert command["url"].endswith("/slack/events")
