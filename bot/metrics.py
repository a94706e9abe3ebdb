"""Prometheus metrics, in one registry the `/metrics` route exposes."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

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
TURNS_IN_FLIGHT = Gauge("castmatch_turns_in_flight", "Turns being answered", registry=REGISTRY)
RATE_LIMITED = Counter(
    "castmatch_rate_limited_total", "Messages refused by the per-person limit", ["channel"],
    registry=REGISTRY,
)  # fmt: skip
