"""`castmatch workspace link|list` and `castmatch members add|remove|list`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.workspaces import ids
from bot.workspaces.ids import IdError

if TYPE_CHECKING:
    from bot.services import Setup
    from bot.settings import Settings


class BadInput(Exception):
    """Exit 2 with this one-line reason."""


def add_parsers(commands: argparse._SubParsersAction) -> None:
    workspace = commands.add_parser("workspace", help="casting companies and their channels")
    verbs = workspace.add_subparsers(dest="workspace_command", required=True)
    link = verbs.add_parser("link", help="join a Slack team or WhatsApp number to a workspace")
    link.add_argument("workspace", metavar="WORKSPACE")
    link.add_argument("account", metavar="CHANNEL:ID", help="slack:T… or whatsapp:+…")
    verbs.add_parser("list", help="workspaces, their channels and member counts")

    members = commands.add_parser("members", help="who may use a workspace")
    verbs = members.add_subparsers(dest="members_command", required=True)
    add = verbs.add_parser("add", help="allow people (whatsapp:+91…, slack:U…)")
    add.add_argument("workspace", metavar="WORKSPACE")
    add.add_argument("people", metavar="CHANNEL:USER", nargs="+")
    add.add_argument("--admin", action="store_true", help="they may manage members too")
    remove = verbs.add_parser("remove", help="take access back")
    remove.add_argument("workspace", metavar="WORKSPACE")
    remove.add_argument("people", metavar="CHANNEL:USER", nargs="+")
    show = verbs.add_parser("list", help="list a workspace's members")
    show.add_argument("workspace", metavar="WORKSPACE")


async def run(settings: Settings, args: argparse.Namespace, features: Sequence[Setup]) -> int:
    from bot.workspaces.directory import WorkspaceError

    try:
        if args.command == "workspace":
            return await _workspace(settings, args, features)
        return await _members(settings, args)
    except (IdError, WorkspaceError) as exc:
        raise BadInput(str(exc)) from None


async def _workspace(
    settings: Settings, args: argparse.Namespace, features: Sequence[Setup]
) -> int:
    # Linking moves every feature's data, so the features attach; listing needs none.
    from bot.services import open_services

    link = args.workspace_command == "link"
    async with open_services(settings, features=features if link else ()) as services:
        directory = services.directory
        if link:
            name, report = await directory.link(args.workspace, args.account)
            print(f"{args.account} belongs to workspace {name}.")
            for line in report:
                print(f"  {line}")
            return 0
        rows = await directory.workspaces()
        if not rows:
            print("No workspaces yet.")
        for row in rows:
            channels = ", ".join(row.accounts) or "no linked channels"
            admins = f", {row.admins} admin(s)" if row.admins else ""
            print(f"{row.name}: {channels}; {row.members} member(s){admins}")
    return 0


async def _members(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services import open_services

    async with open_services(settings) as services:
        directory = services.directory
        if args.members_command in ("add", "remove"):
            args.people = [ids.member(p) for p in args.people]  # all checked before any change
        if args.members_command == "add":
            name = await directory.resolve(args.workspace)
            added = await directory.add_members(name, args.people, admin=args.admin, by="cli")
            role = " as admin(s)" if args.admin else ""
            print(f"Workspace {name}: {len(added)} member(s) allowed{role}: {', '.join(added)}")
        elif args.members_command == "remove":
            name = await directory.resolve(args.workspace)
            gone = await directory.remove_members(name, args.people)
            print(
                f"Workspace {name}: removed {len(gone)} member(s)"
                + (f": {', '.join(gone)}" if gone else "")
            )
            missing = [p for p in args.people if p not in gone]
            if missing:
                print(f"  not members: {', '.join(missing)}")
        else:
            name, people = await directory.members(args.workspace)
            print(f"Workspace {name}: {len(people)} member(s)")
            for person, admin in people:
                print(f"  {person}{' (admin)' if admin else ''}")
    return 0
