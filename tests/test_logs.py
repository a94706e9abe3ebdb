"""Logs never carry a phone number, at any level, tracebacks included."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.logs import setup_logging
from bot.settings import Settings

NUMBER = "+919876543210"


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_phone_numbers_are_masked_at_every_level_and_in_tracebacks(
    settings: Settings, log_format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    setup_logging(settings.model_copy(update={"log_format": log_format}))
    log = logging.getLogger("castmatch.test")
    log.info("inbound from whatsapp:%s", NUMBER)
    log.warning("send to %s failed", NUMBER)
    try:
        raise ValueError(f"bad recipient {NUMBER}")
    except ValueError:
        log.exception("turn failed")
    output = stream.getvalue()
    logging.getLogger().handlers.clear()
    assert NUMBER not in output and "9876543210" not in output
    assert output.count("+91…3210") >= 3  # still tells people apart
    if log_format == "json":
        records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
        assert [r["level"] for r in records] == ["info", "warning", "error"]
        assert "ValueError" in records[-1]["error"]


def test_dates_and_times_stay_readable_in_text_logs(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    setup_logging(settings.model_copy(update={"log_format": "text"}))
    logging.getLogger("castmatch.test").info("audition on 2026-12-09 11:30 for %s", NUMBER)
    output = stream.getvalue()
    logging.getLogger().handlers.clear()
    assert "2026-12-09 11:30" in output and "+91…3210" in output
    assert "…" not in output.split("audition")[0]  # the line's own timestamp is whole
