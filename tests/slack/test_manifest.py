"""The two app manifests are valid by Slack's own JSON schema and match what the code handles.

`manifest.yml` is for new apps (the Agent messaging experience, `features.agent_view`);
`manifest.assistant.yml` for apps created earlier with `assistant_view`. Both are checked
against Slack's published manifest schema (vendored in `manifest_schema/`, MIT).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = Path(__file__).with_name("manifest_schema") / "manifest.schema.2.0.0.json"
NEW_APP, EXISTING_APP = ROOT / "manifest.yml", ROOT / "manifest.assistant.yml"
MANIFESTS = pytest.mark.parametrize("path", [NEW_APP, EXISTING_APP], ids=["agent", "assistant"])


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())


def schema_errors(manifest: dict[str, Any]) -> list[str]:
    validator = Draft7Validator(json.loads(SCHEMA.read_text()))
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(manifest)
    ]


def handled_events() -> set[str]:
    """Event types the Bolt app has a listener for (`@app.event("…")` in app.py)."""
    source = (ROOT / "adapters" / "slack" / "app.py").read_text()
    return set(re.findall(r'@app\.event\("([a-z_]+)"\)', source))


@MANIFESTS
def test_manifest_is_valid_by_slacks_published_schema(path: Path) -> None:
    assert schema_errors(load(path)) == []


def test_the_schema_check_catches_what_slack_would_refuse() -> None:
    manifest = load(NEW_APP)
    manifest["features"]["agent_view"]["agent_description"] = "x" * 301
    manifest["features"]["agent_view"]["suggested_prompts"] *= 2
    manifest["features"]["agent_view"]["thread_title"] = "not a field"
    errors = schema_errors(manifest)
    assert any("too long" in e for e in errors)
    assert any("suggested_prompts" in e for e in errors)
    assert any("Additional properties" in e for e in errors)


def test_new_apps_use_the_agent_view_and_existing_apps_the_assistant_view() -> None:
    new, existing = load(NEW_APP)["features"], load(EXISTING_APP)["features"]
    assert "agent_view" in new and "assistant_view" not in new
    assert "assistant_view" in existing and "agent_view" not in existing
    assert new["agent_view"]["suggested_prompts"] == existing["assistant_view"]["suggested_prompts"]
    from adapters.slack.app import SUGGESTED_PROMPTS

    assert new["agent_view"]["suggested_prompts"] == SUGGESTED_PROMPTS
    readme = (ROOT / "README.md").read_text()
    assert "manifest.yml" in readme and "manifest.assistant.yml" in readme


@MANIFESTS
def test_manifest_matches_the_code(path: Path) -> None:
    manifest = load(path)
    features = manifest["features"]
    assert features["bot_user"]["display_name"]
    assert features["app_home"]["messages_tab_enabled"] is True
    commands = {c["command"] for c in features["slash_commands"]}
    assert commands == {"/talent", "/shortlist", "/castmatch"}
    for command in features["slash_commands"]:
        assert command["url"].endswith("/slack/events")
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert scopes == {
        "app_mentions:read",
        "assistant:write",
        "chat:write",
        "commands",
        "files:write",
        "im:history",
        "im:read",
        "im:write",
    }
    settings = manifest["settings"]
    events = set(settings["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.im", "app_home_opened", "agent_session_stopped"} <= events
    # every subscribed event has a listener (message.im arrives as a "message" event)
    assert {e.split(".")[0] for e in events} <= handled_events()
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True


def test_each_experience_subscribes_to_its_own_events() -> None:
    new = set(load(NEW_APP)["settings"]["event_subscriptions"]["bot_events"])
    existing = set(load(EXISTING_APP)["settings"]["event_subscriptions"]["bot_events"])
    assert "app_context_changed" in new and "assistant_thread_started" not in new
    assert {"assistant_thread_started", "assistant_thread_context_changed"} <= existing
