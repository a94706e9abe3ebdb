"""A shortlist to share: a small catalogue, a role with notes, and `castmatch serve`'s real
aiohttp app on a loopback port (its public URL is that port, so links point at it)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web

from bot.engine import Engine
from bot.llm import make_responder
from bot.server import build_app
from talent import shortlists
from talent.importer import import_file
from talent.models import Role
from tests.talent.conftest import prefix, profile, write_jsonl

ROLE = "Inspector Yadav"
PROJECT = "Dahleez"
__all__ = ["prefix"]  # the talent tests' fixture: ids unique to one test


@dataclass
class Shared:
    services: object
    base: str
    workspace: str
    role: Role
    ids: dict[str, str]  # first name -> talent id


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def make_shortlist(services, tmp_path: Path, prefix: str, size: int = 0) -> Shared:
    people = {
        "Rohan": profile(prefix + "rohan", name="Rohan Malik", gender="male", city="Delhi",
                         languages=["Hindi", "Haryanvi"], skills=["horse riding"],
                         credits=[{"title": "Dahleez Pilot", "year": 2021, "role": "Constable"}],
                         showreel_url="https://videos.example/rohan",
                         headshot_url="https://img.example/rohan.jpg",
                         agency="Star Talent, +91 98200 11111", phone="+91 98200 22222"),
        "Meera": profile(prefix + "meera", name="Meera Nair", credits=["Saath Phere (2019)"]),
        "Kabir": profile(prefix + "kabir", name="Kabir Shah", gender="male"),
    }  # fmt: skip
    records = list(people.values())
    records += [profile(f"{prefix}extra{n:02d}", name=f"Extra Person {n:02d}") for n in range(size)]
    await import_file(services, write_jsonl(tmp_path / "cat.jsonl", records))
    workspace = prefix + "ws"
    role = await shortlists.ensure_role(services, workspace, ROLE, project=PROJECT,
                                        brief="a tough Haryanvi cop, 35-45")  # fmt: skip
    ids = [r["id"] for r in records]
    await shortlists.add(services, role, ids, actor="casting")
    note = "great read; call his manager on +91 98200 33333"
    await shortlists.set_note(services, role, people["Rohan"]["id"], note, actor="casting")
    await shortlists.set_status(services, role, people["Meera"]["id"], "callback", actor="casting")
    # Kabir withdraws consent after being shortlisted
    kabir = dict(people["Kabir"], consent=False)
    await import_file(services, write_jsonl(tmp_path / "kabir.jsonl", [kabir]))
    return Shared(services, "", workspace, role, {k: v["id"] for k, v in people.items()})


@pytest.fixture
async def served(services, tmp_path: Path, prefix: str) -> AsyncIterator[Shared]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    services.settings = services.settings.model_copy(update={"public_url": base})
    shared = await make_shortlist(services, tmp_path, prefix)
    shared.base = base
    app = build_app(services, Engine(services, make_responder(services.settings)))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield shared
    finally:
        await runner.cleanup()
