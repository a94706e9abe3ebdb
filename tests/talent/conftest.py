"""Talent test helpers: small catalogues written to files, and a conversation to act in."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import pytest

from bot.types import ConversationKey, InboundMessage


@pytest.fixture
def prefix() -> str:
    """Ids unique to one test: tests share the session's database."""
    return f"t{secrets.token_hex(3)}-"


def profile(talent_id: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": talent_id,
        "name": f"Test Person {talent_id}",
        "gender": "female",
        "birth_year": 1995,
        "city": "Mumbai",
        "languages": ["Hindi", "Marathi"],
        "skills": ["kathak"],
        "height_cm": 165,
        "bio": "Stage actor from Pune.",
    }
    base.update(fields)
    return base


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), "utf-8"
    )
    return path


def message(workspace: str, text: str = "hi", chat: str = "C1") -> InboundMessage:
    key = ConversationKey("console", workspace, chat)
    return InboundMessage(key=key, user_id="casting-director", text=text, message_id="m1")
