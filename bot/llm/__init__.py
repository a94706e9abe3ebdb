"""Responders: Claude when a key is configured, else the labelled offline responder."""

from __future__ import annotations

from bot.llm.base import LLMError, LLMRequest, LLMResult, Responder
from bot.settings import Settings

__all__ = ["LLMError", "LLMRequest", "LLMResult", "Responder", "make_responder"]


def make_responder(settings: Settings) -> Responder:
    if settings.claude_enabled:
        from bot.llm.claude import ClaudeResponder

        return ClaudeResponder(settings)
    from bot.llm.offline import OfflineResponder

    return OfflineResponder()
