"""Apply alembic migrations at start-up: idempotent, and safe when two processes start at once.

Most starts find the schema current: that is checked against the revision files' own ids
without loading alembic (~0.5 s of imports), which runs only when something is to apply.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

_LOCK_ID = 0x6361_7374  # "cast": one advisory lock for every castmatch process
VERSIONS = Path(__file__).with_name("migrations") / "versions"
_ASSIGNED = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    return config


@cache
def script_heads() -> frozenset[str]:
    """The newest revision of each branch, read from the revision files."""
    revisions: set[str] = set()
    replaced: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        found = dict(_ASSIGNED.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        revisions.add(ast.literal_eval(found["revision"]))
        down = ast.literal_eval(found.get("down_revision", "None"))
        replaced.update((down,) if isinstance(down, str) else down or ())
    return frozenset(revisions - replaced)


def _applied(connection: Connection) -> frozenset[str]:
    if connection.scalar(text("SELECT to_regclass('alembic_version')")) is None:
        return frozenset()
    return frozenset(connection.scalars(text("SELECT version_num FROM alembic_version")))


def _upgrade(connection: Connection) -> None:
    # Each feature's migrations branch off 0001; "heads" applies every branch.
    connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")


async def migrate(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        if await connection.run_sync(_applied) == script_heads():
            return
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
