"""`castmatch chat`: interactive on a TTY, line by line when piped.

Only reply text goes to stdout; banners, prompts and notices go to stderr, so a script can
pipe questions in and read answers out.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from adapters.console.channel import ConsoleOutlet, parse
from bot.engine import Engine
from bot.pipeline import Inbound


async def _read_line(interactive: bool) -> bytes | None:
    """One line of input as bytes (None at the end of input), without blocking the loop."""
    if interactive:
        try:
            line = await asyncio.to_thread(input, "")
        except EOFError:
            return None
        return line.encode("utf-8", "surrogateescape") + b"\n"
    line = await asyncio.to_thread(sys.stdin.buffer.readline)
    return line or None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        print(
            "castmatch: that line was not valid UTF-8; unreadable bytes were replaced with �",
            file=sys.stderr,
        )
        return raw.decode("utf-8", errors="replace")


def _enable_history(data_dir: Path) -> None:
    try:
        import readline
    except ImportError:  # not every Python has it; history is a comfort, not a need
        return
    history = data_dir / "chat_history"
    data_dir.mkdir(parents=True, exist_ok=True)
    if history.exists():
        readline.read_history_file(history)
    readline.set_history_length(1000)
    import atexit

    atexit.register(readline.write_history_file, history)


async def run_chat(engine: Engine, *, user: str, workspace: str, data_dir: Path) -> int:
    interactive = sys.stdin.isatty()
    if interactive:
        _enable_history(data_dir)
        label = "offline mode" if engine.responder.name == "offline" else "Claude"
        print(
            f"CastMatch ({label}) · workspace {workspace} · you are {user}. "
            "Ask away; Ctrl-D to quit.",
            file=sys.stderr,
        )
    pipeline = engine.pipeline()
    outlet = ConsoleOutlet()
    while True:
        if interactive:
            print("\n› ", end="", file=sys.stderr, flush=True)
        raw = await _read_line(interactive)
        if raw is None:
            return 0
        message = parse(_decode(raw), user=user, workspace=workspace)
        if message is None:
            continue
        await pipeline(Inbound(message, outlet))
