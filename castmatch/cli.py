"""The `castmatch` command. Exit codes: 0 success, 2 bad usage or input, 1 anything else."""

from __future__ import annotations

import argparse
import getpass
import logging
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.services import Setup
    from bot.settings import Settings
    from talent.resident_client import Answer

CHANNEL_PREFIXES = ("slack", "whatsapp", "console", "talent")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="castmatch", description="CastMatch casting assistant")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("serve", help="run the HTTP server (Slack, WhatsApp, health, metrics)")

    chat = commands.add_parser("chat", help="talk to the assistant in the terminal")
    chat.add_argument("--user", default=_os_user(), help="whose memory (default: OS user)")
    chat.add_argument("--workspace", default="", help="workspace name (default: the user id)")

    talent = commands.add_parser("talent", help="the talent catalogue")
    talent_commands = talent.add_subparsers(dest="talent_command", required=True)
    importer = talent_commands.add_parser("import", help="import .jsonl, .json or .csv")
    importer.add_argument("path", type=Path)
    search = talent_commands.add_parser("search", help="hybrid talent search")
    search.add_argument("query")
    search.add_argument("--json", action="store_true", help="print a JSON array")
    search.add_argument("--limit", type=int, default=10)

    shortlist = commands.add_parser("shortlist", help="shared shortlist links")
    shortlist_commands = shortlist.add_subparsers(dest="shortlist_command", required=True)
    share = shortlist_commands.add_parser("share", help="print a signed link to a role's list")
    share.add_argument("role", metavar="[PROJECT/]ROLE")
    share.add_argument("--workspace", required=True)
    share.add_argument("--expires", default="7d", help="like 7d, 12h (default 7d)")
    unshare = shortlist_commands.add_parser("unshare", help="revoke every link to a role")
    unshare.add_argument("role", metavar="[PROJECT/]ROLE")
    unshare.add_argument("--workspace", required=True)

    forget = commands.add_parser("forget", help="erase a person (CHANNEL:USER_ID)")
    forget.add_argument("who", metavar="CHANNEL:USER_ID")

    from bot.workspaces.cli import add_parsers as add_workspace_parsers

    add_workspace_parsers(commands)

    bench = commands.add_parser("bench", help="run the benchmark suite")
    bench.add_argument("--out", type=Path, help="write the figures as JSON here")
    bench.add_argument("--quick", action="store_true", help="smaller sizes, for a fast look")
    bench.add_argument("--only", default="", help="comma-separated benchmark names")
    bench.add_argument(
        "--database", type=_bench_name, default="castmatch_bench",
        help="the database (recreated) and Redis namespace to run on, so several people can "
        "bench on one server at once (default castmatch_bench)",
    )  # fmt: skip
    return parser


def _bench_name(value: str) -> str:
    """A database `castmatch bench` may drop and recreate: `castmatch_bench` or a name
    beginning with it (the prefix keeps the user's own database, Redis namespace and the
    embedded servers' folders out of reach; the name also names the namespace and folder)."""
    if not re.fullmatch(r"castmatch_bench[a-z0-9_]{0,48}", value):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a database name castmatch bench can use: castmatch_bench, or "
            "castmatch_bench followed by lower-case letters, digits and underscores "
            "(e.g. castmatch_bench_alice)"
        )
    return value


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "me"


class UsageError(Exception):
    """Bad usage or input: exit 2 with a one-line reason."""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if _searching(args):  # a resident search process answers before anything heavy loads
        from talent.resident_client import ask

        answer = ask(args.query, as_json=args.json, limit=args.limit)
        if answer is not None and _printable(answer):
            sys.stderr.write(answer.err)  # in the order the search prints them itself
            sys.stderr.flush()
            sys.stdout.write(answer.out)
            return answer.code
    import asyncio

    from bot.logs import setup_logging
    from bot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"castmatch: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings, quiet=args.command != "serve")
    runner = _runner(args, settings)
    try:
        return asyncio.run(runner())
    except UsageError as exc:
        print(f"castmatch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        logging.getLogger("castmatch").debug("command failed", exc_info=True)
        print(f"castmatch: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _printable(answer: Answer) -> bool:
    """Whether the terminal's encodings take the answer's text (when not, the search runs
    in-process and fails there as it always has)."""
    try:
        answer.err.encode(sys.stderr.encoding or "utf-8")
        answer.out.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _searching(args: argparse.Namespace) -> bool:
    return args.command == "talent" and args.talent_command == "search" and args.limit >= 1


def _runner(args: argparse.Namespace, settings: Settings) -> Callable[[], Awaitable[int]]:
    if args.command == "serve":
        from bot.server import serve
        from castmatch.app import CHANNELS, FEATURES

        return lambda: serve(settings, CHANNELS, FEATURES)
    if args.command == "chat":
        return lambda: _chat(settings, args.user, _terminal_workspace(args.workspace or args.user))
    if args.command == "talent":
        return lambda: _talent(settings, args)
    if args.command == "forget":
        return lambda: _forget(settings, args.who)
    if args.command == "shortlist":
        return lambda: _shortlist(settings, args)
    if args.command in ("workspace", "members"):
        return lambda: _workspaces(settings, args)
    from castmatch.bench import run_bench

    return lambda: run_bench(
        settings, out=args.out, quick=args.quick, only=args.only, database=args.database
    )


async def _chat(settings: Settings, user: str, workspace: str) -> int:
    from adapters.console.chat import run_chat
    from bot.engine import Engine
    from bot.llm import make_responder
    from castmatch.app import open_castmatch

    async with open_castmatch(settings) as services:
        engine = Engine(services, make_responder(settings))
        return await run_chat(engine, user=user, workspace=workspace, data_dir=settings.data_path)


def _terminal_workspace(name: str) -> str:
    from bot.workspaces.ids import IdError, terminal_name

    try:
        return terminal_name(name)
    except IdError as exc:
        raise UsageError(f"--workspace {exc}") from None


async def _workspaces(settings: Settings, args: argparse.Namespace) -> int:
    from bot.workspaces.cli import BadInput, run

    features: tuple[Setup, ...] = ()  # only linking moves every feature's data
    if args.command == "workspace" and args.workspace_command == "link":
        from castmatch.app import FEATURES

        features = FEATURES
    try:
        return await run(settings, args, features)
    except BadInput as exc:
        raise UsageError(str(exc)) from None


async def _talent(settings: Settings, args: argparse.Namespace) -> int:
    if args.talent_command == "search":
        if args.limit < 1:
            raise UsageError("--limit must be at least 1")
        # A search needs the index alone, not the bots' features: a quicker start from a shell
        from bot.services import open_services
        from talent.search_cli import search_command
        from talent.search_feature import setup

        async with open_services(settings, features=(setup,)) as services:
            code = await search_command(services, args.query, as_json=args.json, limit=args.limit)
        await _start_resident(settings)  # after leaving the servers: it joins them meanwhile
        return code
    if not args.path.is_file():
        raise UsageError(f"cannot read {args.path}: no such file")
    from castmatch.app import open_castmatch
    from talent.cli import import_command

    async with open_castmatch(settings) as services:
        return await import_command(services, args.path)


async def _start_resident(settings: Settings) -> None:
    """Leave a resident search process for the next searches (it lives while the servers
    are used or wait out their grace period); failing to start one costs only speed."""
    import asyncio

    from talent import resident_client
    from talent.resident import eligible

    if not eligible(settings):
        return
    try:
        await asyncio.to_thread(resident_client.start_unless_running, settings.data_path / "run")
    except OSError as exc:
        logging.getLogger("castmatch").warning("no resident search process: %s", exc)


async def _shortlist(settings: Settings, args: argparse.Namespace) -> int:
    from castmatch.app import open_castmatch
    from talent import share_cli

    async with open_castmatch(settings) as services:
        try:
            if args.shortlist_command == "share":
                return await share_cli.share_command(
                    services, args.role, args.workspace, args.expires
                )
            return await share_cli.unshare_command(services, args.role, args.workspace)
        except share_cli.BadInput as exc:
            raise UsageError(str(exc)) from None


async def _forget(settings: Settings, who: str) -> int:
    channel, _, user_id = who.partition(":")
    if channel not in CHANNEL_PREFIXES or not user_id:
        raise UsageError(
            f"expected CHANNEL:USER_ID with CHANNEL one of {', '.join(CHANNEL_PREFIXES)};"
            f" got {who!r}"
        )
    from castmatch.app import open_castmatch

    async with open_castmatch(settings) as services:
        if channel == "talent":
            from talent.cli import forget_talent

            print(await forget_talent(services, user_id))
            return 0
        lines = [line for erase in services.erasers for line in await erase(channel, user_id)]
        if channel == "whatsapp":  # delivery records and opt-outs kept by the channel
            from adapters.whatsapp.store import WhatsAppStore

            lines += await WhatsAppStore(services).forget(user_id)
    print(f"Forgot {who}:")
    for line in lines:
        print(f"  {line}")
    if not any(int(n) for line in lines for n in re.findall(r"\d+", line)):
        print(f"Nothing was stored for {who}; nothing to forget.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
