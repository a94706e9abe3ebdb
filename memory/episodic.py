"""Episodic memory: every message, durably in PostgreSQL, and the recent turns of a conversation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, Row, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.sql.dml import ReturningInsert

from bot.db import utcnow
from bot.ports import ReplyStats, UnfinishedReply
from bot.types import ConversationKey, InboundMessage
from memory.models import Message


@dataclass(frozen=True)
class Turn:
    role: str  # "user" or "assistant"
    text: str
    at: datetime
    user_id: str = ""
    message_id: int = 0  # the PostgreSQL id (0 while only in the write-behind stream)


class EpisodicStore:
    def __init__(self, sessions: async_sessionmaker) -> None:
        self._sessions = sessions

    async def store_inbound(self, message: InboundMessage) -> int | None:
        """Store a person's message; None when this platform message id was stored before."""
        async with self._sessions.begin() as session:
            return (await session.execute(_insert_inbound(message))).scalar_one_or_none()

    async def open_turn(
        self, message: InboundMessage, *, created_at: datetime | None = None
    ) -> tuple[int, int] | None:
        """The person's message and its reply row (`streaming`), inserted by one statement
        (atomic on its own, so no BEGIN/COMMIT round trips on the turn's path). None when
        stored before: the conflicting insert returns no row, so no reply row is made."""
        inbound = _insert_inbound(message).cte("inbound")
        reply = _insert_reply(inbound.c.id, message, created_at or utcnow(), inbound)
        rows = await self._one_statement(reply)
        return (int(rows[0].reply_to_id), int(rows[0].id)) if rows else None

    async def start_reply(
        self, inbound_id: int, message: InboundMessage, *, created_at: datetime | None = None
    ) -> int:
        """A reply row in `streaming` state, so a crash mid-reply is found on restart."""
        async with self._sessions.begin() as session:
            reply = _insert_reply(inbound_id, message, created_at or utcnow())
            return (await session.execute(reply)).scalar_one()

    async def finish_reply(
        self, reply_id: int, inbound_id: int, text: str, status: str, stats: ReplyStats
    ) -> None:
        """Store the reply's text and figures, and close the person's message, in one
        statement (the reply's update rides in a CTE: one round trip, atomic)."""
        now = utcnow()
        reply = (
            update(Message)
            .where(Message.id == reply_id)
            .values(
                text=text,
                status=status,
                model=stats.model or None,
                input_tokens=stats.input_tokens,
                output_tokens=stats.output_tokens,
                cache_read_tokens=stats.cache_read_tokens,
                latency_ms=stats.latency_ms,
                updated_at=now,
            )
            .cte("reply")
        )
        inbound_status = "answered" if status == "complete" else "failed"
        await self._one_statement(
            update(Message)
            .where(Message.id == inbound_id)
            .values(status=inbound_status, updated_at=now)
            .add_cte(reply)
        )

    async def _one_statement(self, statement: Executable) -> list[Row[Any]]:
        """Run one statement in autocommit and return its rows: PostgreSQL makes a single
        statement atomic, so a transaction's BEGIN and COMMIT round trips are saved."""
        async with self._sessions() as session:
            connection = await session.connection(
                execution_options={"isolation_level": "AUTOCOMMIT"}
            )
            result = await connection.execute(statement)
            return list(result.all()) if result.returns_rows else []

    async def close_abandoned(self, reply_id: int, inbound_id: int, text: str) -> bool:
        """Close a reply left `streaming` as partial with `text`. False, and nothing written,
        when it is no longer streaming: its turn finished after the row was read."""
        async with self._sessions.begin() as session:
            closed = await session.execute(
                update(Message)
                .where(Message.id == reply_id, Message.status == "streaming")
                .values(text=text, status="partial", updated_at=utcnow())
                .returning(Message.id)
            )
            if closed.first() is None:
                return False
            await session.execute(
                update(Message)
                .where(Message.id == inbound_id)
                .values(status="failed", updated_at=utcnow())
            )
        return True

    async def close_inbound(self, inbound_id: int, status: str) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(Message)
                .where(Message.id == inbound_id)
                .values(status=status, updated_at=utcnow())
            )

    async def recent_turns(
        self,
        key: ConversationKey,
        limit: int,
        *,
        before_id: int | None = None,
        leaving_out: str = "",
    ) -> list[Turn]:
        """The last `limit` messages of a conversation with text, oldest first, without
        the message `before_id` or the one whose platform id is `leaving_out` (the message
        being answered, which may be stored while this reads)."""
        query = (
            select(Message.id, Message.role, Message.text, Message.created_at, Message.user_id)
            .where(
                Message.conversation_id == key.id,
                Message.text != "",
                Message.status != "rejected",  # refused as too long: kept, never resent
            )
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(limit)
        )
        if before_id is not None:
            query = query.where(Message.id != before_id)
        if leaving_out:
            query = query.where(Message.platform_message_id.is_distinct_from(leaving_out))
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return [Turn(r.role, r.text, r.created_at, r.user_id, r.id) for r in reversed(rows)]

    async def unfinished(self) -> list[UnfinishedReply]:
        """Replies left `streaming`, perhaps by a process that died."""
        query = select(
            Message.id, Message.reply_to_id, Message.text, Message.conversation_id, Message.channel
        ).where(Message.status == "streaming", Message.role == "assistant")
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return [
            UnfinishedReply(r.id, r.reply_to_id or 0, r.text, r.conversation_id, r.channel)
            for r in rows
        ]

    async def count(self, **where: str) -> int:
        query = select(func.count()).select_from(Message).filter_by(**where)
        async with self._sessions() as session:
            return int((await session.execute(query)).scalar_one())

    async def forget_person(self, channel: str, user_id: str) -> int:
        """Erase every message a person sent and every reply to them."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(Message).where(Message.channel == channel, Message.user_id == user_id)
            )
            return int(result.rowcount or 0)


__all__ = ["EpisodicStore", "ReplyStats", "Turn", "UnfinishedReply"]


def _insert_inbound(message: InboundMessage) -> ReturningInsert[tuple[int]]:
    attachments = [a.url for a in message.attachments]
    return (
        insert(Message)
        .values(
            conversation_id=message.key.id,
            channel=message.channel,
            workspace=message.workspace,
            user_id=message.user_id,
            role="user",
            text=message.text,
            platform_message_id=message.message_id,
            status="pending",
            attachments=json.dumps(attachments) if attachments else None,
            created_at=message.received_at,
            updated_at=utcnow(),
        )
        .on_conflict_do_nothing(constraint="uq_messages_platform_id")
        .returning(Message.id)
    )


def _insert_reply(
    inbound_id: Any, message: InboundMessage, at: datetime, inbound: Any = None
) -> ReturningInsert[Any]:
    """The reply row (`streaming`) to `inbound_id`: a number, or the id column of the CTE
    `inbound` that inserts the message in the same statement (no row there, no reply)."""
    values = {
        "created_at": at,
        "updated_at": utcnow(),
        "conversation_id": message.key.id,
        "channel": message.channel,
        "workspace": message.workspace,
        "user_id": message.user_id,
        "role": "assistant",
        "text": "",
        "status": "streaming",
    }
    if inbound is None:
        return insert(Message).values(reply_to_id=inbound_id, **values).returning(Message.id)
    columns = [getattr(Message, name) for name in values]
    chosen = select(*(literal(v, c.type) for v, c in zip(values.values(), columns, strict=True)),
                    inbound_id).select_from(inbound)  # fmt: skip
    return (
        insert(Message)
        .from_select([*values, "reply_to_id"], chosen)
        .returning(Message.reply_to_id, Message.id)
    )
