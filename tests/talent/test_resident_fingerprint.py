"""Which resident search process may answer a search: only one whose settings' sources, code
and interpreter are the search's own (`talent.resident_client.fingerprint`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.settings import Settings
from talent import resident_client
from talent.resident_client import fingerprint


def test_every_setting_is_read_from_a_variable_the_fingerprint_covers() -> None:
    for field in Settings.model_fields.values():
        name = (field.alias or "").upper()
        assert name.startswith(resident_client.SETTING_PREFIXES) or name in (
            resident_client.SETTING_NAMES
        ), f"{name}: a resident would answer with a setting the search does not share"


def test_a_setting_the_env_file_or_the_folder_changes_the_fingerprint(tmp_path: Path) -> None:
    env = {"CASTMATCH_DATA_DIR": "data", "TERM": "xterm"}
    base = fingerprint(env, tmp_path)
    assert fingerprint({**env, "TERM": "dumb", "OLDPWD": "/"}, tmp_path) == base
    assert fingerprint({**env, "CASTMATCH_LOG_FORMAT": "json"}, tmp_path) != base
    assert fingerprint({**env, "castmatch_log_format": "json"}, tmp_path) != base  # any case
    assert fingerprint({**env, "DATABASE_URL": "postgresql://x/y"}, tmp_path) != base
    assert fingerprint(env, tmp_path / "elsewhere") != base
    (tmp_path / ".env").write_text("CASTMATCH_TIMEZONE=Europe/London\n")
    assert fingerprint(env, tmp_path) != base


def test_an_edited_code_file_changes_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = tmp_path / "talent"
    code.mkdir()
    module = code / "search.py"
    module.write_text("RANK = 1\n")
    monkeypatch.setattr(resident_client, "CODE_ROOTS", (code,))
    before = fingerprint({}, tmp_path)
    module.write_text("RANK = 2\n")
    os.utime(module, ns=(1, 1))  # even an edit that keeps the size and goes back in time
    assert fingerprint({}, tmp_path) != before
