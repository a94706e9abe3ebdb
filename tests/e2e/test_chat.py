"""`castmatch chat` end to end, as a user runs it: a real process, piped stdin, real servers."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import psycopg

from tests.doubles.claude import ClaudeDouble, Reply, Status


async def castmatch(env: dict[str, str], *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
    """Run `castmatch ARGS` as a user would: (exit code, stdout, stderr)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "castmatch.cli", *args,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env={**os.environ, **env},
        cwd=Path(env["CASTMATCH_DATA_DIR"]).parent,
    )  # fmt: skip
    async with asyncio.timeout(120):
        out, err = await process.communicate(stdin)
    return process.returncode or 0, out.decode(), err.decode()


async def chat(env: dict[str, str], stdin: bytes, *args: str) -> tuple[int, str, str]:
    return await castmatch(env, "chat", *args, stdin=stdin)


def claude_env(settings_env: dict[str, str], claude: ClaudeDouble) -> dict[str, str]:
    return {
        **settings_env,
        "ANTHROPIC_API_KEY": "sk-test",
        "ANTHROPIC_BASE_URL": claude.url,
        "CASTMATCH_CLAUDE_IDLE_TIMEOUT_S": "2",
    }


def rows(database_url: str, user: str) -> list[tuple[str, str, str]]:
    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT role, status, text FROM messages WHERE user_id = %s ORDER BY id", (user,)
        ).fetchall()


async def test_three_messages_build_on_each_other(settings_env, claude):
    claude.push(
        Reply("Noted: Inspector Yadav, a Haryanvi cop."),
        Reply("Got it: late 30s to mid 40s."),
        Reply("For Inspector Yadav (Haryanvi, 38-45) I'd start with Rohan Kulkarni."),
    )
    stdin = (
        b"We're casting Inspector Yadav, a Haryanvi cop\n"
        b"He should be 38 to 45\n"
        b"So who would you suggest for him?\n"
    )
    code, out, err = await chat(claude_env(settings_env, claude), stdin, "--user", "asha")
    assert code == 0, err
    assert out.splitlines() == [
        "Noted: Inspector Yadav, a Haryanvi cop.",
        "Got it: late 30s to mid 40s.",
        "For Inspector Yadav (Haryanvi, 38-45) I'd start with Rohan Kulkarni.",
    ]
    third = claude.requests[2]["messages"]
    assert "Inspector Yadav" in third[0]["content"] and "38 to 45" in third[2]["content"]
    assert third[-1]["content"] == "So who would you suggest for him?"


async def test_memory_survives_a_restart(settings_env, claude):
    env = claude_env(settings_env, claude)
    await chat(env, b"Remember the project is called Monsoon Files\n", "--user", "ravi")
    code, _, err = await chat(env, b"What is the project called?\n", "--user", "ravi")
    assert code == 0, err
    sent = claude.requests[-1]["messages"]
    assert "Monsoon Files" in sent[0]["content"]
    # another person in another workspace sees none of it
    await chat(env, b"What is the project called?\n", "--user", "meera")
    assert "Monsoon Files" not in str(claude.requests[-1]["messages"])


async def test_overloaded_then_success(settings_env, claude):
    claude.push(Status(529, retry_after=0), Reply("Here after a retry."))
    code, out, err = await chat(claude_env(settings_env, claude), b"hello\n", "--user", "nia")
    assert (code, out) == (0, "Here after a retry.\n"), err


async def test_claude_down_apologises_and_keeps_both_messages(settings_env, claude, database_url):
    claude.push(*[Status(500, retry_after=0)] * 6)
    stdin = b"first question\nsecond question\n"
    code, out, err = await chat(claude_env(settings_env, claude), stdin, "--user", "dev")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2 and all("can't reach Claude" in line for line in lines)
    stored = rows(database_url, "dev")
    assert [(r[0], r[2]) for r in stored if r[0] == "user"] == [
        ("user", "first question"),
        ("user", "second question"),
    ]


async def test_empty_huge_and_invalid_lines(settings_env, claude, database_url):
    stdin = b"\n   \n" + b"y" * 100_000 + b"\n" + b"caf\xe9 au lait\n"
    code, out, err = await chat(claude_env(settings_env, claude), stdin, "--user", "odd")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2  # empty lines get no reply
    assert "too long" in lines[0]
    assert lines[1] == "You said: caf\ufffd au lait"
    assert "not valid UTF-8" in err
    assert len(claude.requests) == 1
    assert next(len(r[2]) for r in rows(database_url, "odd") if r[0] == "user") == 100_000


async def test_offline_responder_is_labelled(settings_env):
    code, out, err = await chat(settings_env, b"hello\n", "--user", "off")
    assert code == 0, err
    assert "offline mode" in out and out.endswith("\n")
