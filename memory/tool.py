"""`recall_memory`: a deeper search of memory Claude can ask for (dated, scoped items)."""

from __future__ import annotations

from typing import Any

from bot.tools import Tool, ToolContext, ToolError, ToolOutcome
from memory.context import _recalled_line, day
from memory.runtime import get_memory
from memory.timefilter import parse_time_range

DESCRIPTION = (
    "Search the team's memory of earlier conversations (projects, roles, who was considered, "
    "shortlisted or dropped and why, decisions, preferences). Use it when the answer may lie "
    "in an earlier session and is not already in the context. `period` narrows by time, "
    "e.g. 'last week', 'yesterday', 'last month', '3 days ago'."
)


async def _handler(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    query = str(args.get("query", "")).strip()
    if not query:
        raise ToolError("give a query, e.g. 'who did we consider for the cop role'")
    memory = get_memory(ctx.services)
    message = ctx.message
    period = parse_time_range(str(args.get("period", "")) or query, message.received_at)
    vector = await memory.context.embed(query)
    if vector is None:
        raise ToolError("memory search is unavailable right now")
    limit = max(1, min(int(args.get("limit", 12)), 30))
    items = await memory.recall.search(
        message.workspace, message.person, vector, k=limit, period=period
    )
    if not items:
        return ToolOutcome("Nothing in memory matches that.")
    header = f"Memory search (today is {day(message.received_at)})"
    if period is not None:
        header += f", {period.label}: {day(period.start)} to {day(period.end)}"
    return ToolOutcome("\n".join([header + ":"] + [_recalled_line(i) for i in items]))


def recall_tool() -> Tool:
    return Tool(
        name="recall_memory",
        description=DESCRIPTION,
        input_schema={
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "what to look for"},
                "period": {"type": "string", "description": "optional time period"},
                "limit": {"type": "integer", "minimum": 1, "maximum": 30},
            },
            "required": ["query"],
        },
        handler=_handler,
    )
