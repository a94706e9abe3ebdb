"""Prometheus metrics, in one registry the `/metrics` route exposes."""

from __future__ import annotations

import asyncio
import inspect
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

REGISTRY = CollectorRegistry(auto_describe=True)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)

TURNS = Counter(
    "castmatch_turns_total",
    "Turns by channel and outcome",
    ["channel", "outcome"],
    registry=REGISTRY,
)
ACK_SECONDS = Histogram(
    "castmatch_ack_seconds", "Webhook acknowledgement latency", ["channel"],
    buckets=_LATENCY_BUCKETS, registry=REGISTRY,
)  # fmt: skip
CONTEXT_SECONDS = Histogram(
    "castmatch_context_seconds",
    "Context assembly time",
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
FIRST_TOKEN_SECONDS = Histogram(
    "castmatch_first_token_seconds", "Message received to first reply text", ["channel"],
    buckets=_LATENCY_BUCKETS, registry=REGISTRY,
)  # fmt: skip
REPLY_SECONDS = Histogram(
    "castmatch_reply_seconds", "Message received to reply stored", ["channel"],
    buckets=_LATENCY_BUCKETS, registry=REGISTRY,
)  # fmt: skip
CLAUDE_TOKENS = Counter(
    "castmatch_claude_tokens_total", "Claude tokens by kind", ["kind"], registry=REGISTRY
)
CLAUDE_ERRORS = Counter(
    "castmatch_claude_errors_total", "Claude errors by type", ["kind"], registry=REGISTRY
)
ANSWER_FEEDBACK = Counter(
    "castmatch_answer_feedback_total", "Thumbs up/down on answers", ["channel", "value"],
    registry=REGISTRY,
)  # fmt: skip
PLATFORM_WRITES = Counter(
    "castmatch_platform_writes_total", "Slack and Twilio API writes", ["platform", "method"],
    registry=REGISTRY,
)  # fmt: skip
PLATFORM_RATE_LIMITED = Counter(
    "castmatch_platform_rate_limited_total", "429s from Slack and Twilio", ["platform"],
    registry=REGISTRY,
)  # fmt: skip
MEMORY_ERRORS = Counter(
    "castmatch_memory_errors_total", "Memory layer errors", ["layer"], registry=REGISTRY
)
MEMORY_EXTRACTION_FALLBACKS = Counter(
    "castmatch_memory_extraction_fallbacks_total",
    "Fact extractions and episode summaries the rules did because Claude could not "
    "(unavailable, or an invalid answer)", ["task", "reason"], registry=REGISTRY,
)  # fmt: skip
TURNS_IN_FLIGHT = Gauge("castmatch_turns_in_flight", "Turns being answered", registry=REGISTRY)
RATE_LIMITED = Counter(
    "castmatch_rate_limited_total", "Messages refused by the per-person limit", ["channel"],
    registry=REGISTRY,
)  # fmt: skip
REFUSED = Counter(
    "castmatch_refused_total",
    "Messages from people not allowed to use the workspace (no turn, nothing stored)",
    ["channel", "reason"],
    registry=REGISTRY,
)
GUESTS = Counter(
    "castmatch_guest_messages_total",
    "Messages from expected non-members (talent answering invitations), answered by a feature",
    ["channel"],
    registry=REGISTRY,
)
REFUSAL_NOTICES = Counter(
    "castmatch_refusal_notices_total",
    "Refusal replies sent (at most one per workspace and sender per window)",
    ["channel", "reason"],
    registry=REGISTRY,
)
QUEUE_DEPTH = Gauge(
    "castmatch_queue_depth", "Work waiting or running, by queue (read at each scrape)", ["queue"],
    registry=REGISTRY,
)  # fmt: skip
HTTP_REFUSED = Counter(
    "castmatch_http_refused_total", "Requests refused before a turn, by route and status",
    ["route", "status"], registry=REGISTRY,
)  # fmt: skip
MEMORY_INDEX_BYTES = Gauge(
    "castmatch_memory_index_bytes",
    "RAM the loaded semantic-memory partitions hold (estimate; capped by "
    "CASTMATCH_MEMORY_INDEX_MB)", registry=REGISTRY,
)  # fmt: skip
PYTHON_TRACED_BYTES = Gauge(
    "castmatch_python_traced_bytes",
    "Python heap in use by process, when started with PYTHONTRACEMALLOC (tracemalloc)",
    ["process"], registry=REGISTRY,
)  # fmt: skip
RECOVERED_REPLIES = Counter(
    "castmatch_recovered_replies_total", "Replies a dead process left unfinished, closed",
    registry=REGISTRY,
)  # fmt: skip

# Queue name -> a function giving its depth now (sync or async); features add their own.
QueueProbe = Callable[[], "int | Awaitable[int]"]


async def refresh_queue_depths(probes: dict[str, QueueProbe]) -> None:
    """Set each queue's gauge from its probe (called by /metrics before rendering)."""
    for name, probe in probes.items():
        try:
            value = probe()
            if inspect.isawaitable(value):
                value = await asyncio.wait_for(value, 1.0)
        except Exception:  # a probe of a layer that is down: no figure rather than a 500
            continue
        QUEUE_DEPTH.labels(name).set(float(value))


def watch_python_heap(process: str) -> None:
    """Report this process's traced Python heap at each scrape, when tracemalloc traces
    (PYTHONTRACEMALLOC=1 at start: a leak hunt's switch; tracing costs CPU, so off by
    default)."""
    if tracemalloc.is_tracing():
        PYTHON_TRACED_BYTES.labels(process).set_function(lambda: tracemalloc.get_traced_memory()[0])


# The API methods a write is labelled with. Anything else (a Slack response_url, whose path
# is a secret, or a URL nobody expected) is counted as "other": label values must be neither
# secrets nor unbounded.
_SLACK_METHODS = """
    chat.postMessage chat.postEphemeral chat.update chat.delete chat.startStream
    chat.appendStream chat.stopStream assistant.threads.setStatus assistant.threads.setTitle
    assistant.threads.setSuggestedPrompts auth.test apps.connections.open conversations.info
    conversations.replies conversations.history users.info reactions.add reactions.remove
    views.open views.update views.publish files.getUploadURLExternal files.completeUploadExternal
"""
KNOWN_METHODS = {
    "slack": frozenset(_SLACK_METHODS.split()),
    "twilio": frozenset({"Messages", "Typing"}),
}


def write_label(platform: str, path: str) -> str:
    """The method label of a POST to `path`: a known API method's name, else "other"."""
    method = path.rsplit("/", 1)[-1].removesuffix(".json")
    return method if method in KNOWN_METHODS.get(platform, ()) else "other"


def platform_trace(platform: str) -> aiohttp.TraceConfig:
    """An aiohttp trace for a platform's HTTP session: counts writes (POSTs, by API method)
    and 429s where they happen, whichever code path made the call."""
    trace = aiohttp.TraceConfig()

    async def on_end(session: Any, context: Any, params: aiohttp.TraceRequestEndParams) -> None:
        if params.method == "POST":
            PLATFORM_WRITES.labels(platform, write_label(platform, params.url.path)).inc()
        if params.response.status == 429:
            PLATFORM_RATE_LIMITED.labels(platform).inc()

    trace.on_request_end.append(on_end)
    return trace


def count_database_errors(engine: AsyncEngine) -> None:
    """Count every PostgreSQL error (memory, talent, engine alike) as a memory-layer error."""

    def on_error(context: Any) -> None:
        MEMORY_ERRORS.labels("postgres").inc()

    event.listen(engine.sync_engine, "handle_error", on_error)


def merged(*texts: str) -> bytes:
    """One exposition of several processes' metrics (a replica's web process and its turn
    worker): equal samples are added, except creation times (the earliest is kept)."""
    families: dict[str, Metric] = {}
    values: dict[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]] = {}
    for text in texts:
        for family in text_string_to_metric_families(text):
            kept = families.setdefault(family.name, family)
            into = values.setdefault(family.name, {})
            if kept is not family and kept.type != family.type:
                continue
            for sample in family.samples:
                key = (sample.name, tuple(sorted(sample.labels.items())))
                if key not in into:
                    into[key] = sample.value
                elif sample.name.endswith("_created"):
                    into[key] = min(into[key], sample.value)
                else:
                    into[key] += sample.value
    out: list[Metric] = []
    for name, family in families.items():
        metric = Metric(name, family.documentation, family.type, family.unit)
        for (sample_name, labels), value in values[name].items():
            metric.add_sample(sample_name, dict(labels), value)
        out.append(metric)

    class _Merged:
        def collect(self) -> list[Metric]:
            return out

    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Merged())
    return generate_latest(registry)
