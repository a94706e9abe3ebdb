"""Readiness: can this process answer people right now, and how well?"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy import text

from bot.engine import Engine
from bot.services import Services

_TIMEOUT_S = 2.0
LLM_MEMORY_S = 300.0  # an old failure says nothing about Claude now


async def _timed(check: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check, _TIMEOUT_S)
    except Exception as exc:
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


async def _postgres(services: Services) -> None:
    async with services.db.connect() as connection:
        await connection.execute(text("SELECT 1"))


def _llm(engine: Engine) -> dict[str, Any]:
    """Claude as the last turn found it: a failure not yet followed by an answer degrades."""
    check: dict[str, Any] = {"status": "ok", "model": getattr(engine.responder, "model", "")}
    if engine.llm_failure is not None and time.time() - engine.llm_failure[1] < LLM_MEMORY_S:
        kind, _ = engine.llm_failure
        check.update(status="degraded", last_error=kind)
    return check


async def _indexes(services: Services) -> dict[str, Any]:
    """The features' own checks (memory's index, its write-behind) as one: a single
    feature's report as it is; several: the worst status, each report under its name."""
    if not services.health_checks:
        return {"status": "ok", "note": "no index"}
    reports = {name: await check() for name, check in services.health_checks.items()}
    if len(reports) == 1:
        return next(iter(reports.values()))
    order = ("ok", "degraded", "down")
    worst = max((r.get("status", "degraded") for r in reports.values()), key=order.index)
    return {"status": worst, **reports}


async def readiness(services: Services, engine: Engine) -> dict[str, Any]:
    postgres, redis = await asyncio.gather(
        _timed(_postgres(services)), _timed(services.redis.ping())
    )
    checks: dict[str, dict[str, Any]] = {"postgres": postgres, "redis": redis}
    checks["index"] = await _indexes(services)
    if engine.responder.name == "offline":
        checks["llm"] = {"status": "degraded", "note": "no ANTHROPIC_API_KEY: offline responder"}
    else:
        checks["llm"] = _llm(engine)
    # PostgreSQL and Redis cover for each other; without both nothing can be kept.
    if postgres["status"] == "down" and redis["status"] == "down":
        status = "down"
    elif all(check["status"] == "ok" for check in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return {"status": status, "checks": checks}
