"""Text commands a person can type on WhatsApp (there are no slash commands there)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["stop", "start", "help", "search", "shortlist", "pick", "forget", "chat"]

_STOP = {"stop", "unsubscribe", "stopall", "optout", "opt out"}
_START = {"start", "subscribe", "unstop", "optin", "opt in", "resume"}
_SEARCH = re.compile(r"^(?:/talent|/search|search)\b[:\s]*(.*)$", re.I | re.S)
_SHORTLIST = re.compile(r"^/?shortlist\b[:\s]*(.*)$", re.I | re.S)
_NUMBER = re.compile(r"^#?(\d{1,2})\b\s*(.*)$", re.S)

HELP = """\
**CastMatch on WhatsApp**: just ask, e.g. *actors in Mumbai aged 25-35 who speak Marathi \
and can do kathak*.

- **search** … (or **/talent** …): search the catalogue
- **2**: more about result 2 of the last list
- **shortlist 2** (or **shortlist** …): add to a role's shortlist
- **forget me**: erase what I keep about you
- **STOP**: no more messages from me; **START** to resume"""


@dataclass(frozen=True)
class Command:
    kind: Kind
    arg: str = ""  # the rest of the text; for "pick"/"shortlist N" the number is `number`
    number: int = 0


def parse_command(text: str) -> Command:
    """What the person asked for; anything unrecognised is free conversation (`chat`)."""
    clean = " ".join(text.split())
    word = clean.lower().strip(".!")
    if word in _STOP:
        return Command("stop")
    if word in _START:
        return Command("start")
    if word in {"help", "/help", "?", "menu"}:
        return Command("help")
    if word in {"forget me", "/forget me", "forget me please", "delete my data"}:
        return Command("forget")
    if match := _SEARCH.match(clean):
        return (
            Command("search", match.group(1).strip()) if match.group(1).strip() else Command("help")
        )
    if match := _SHORTLIST.match(clean):
        rest = match.group(1).strip()
        if number := _NUMBER.match(rest):
            return Command("shortlist", number.group(2).strip(), int(number.group(1)))
        return Command("shortlist", rest)
    if (match := _NUMBER.fullmatch(clean)) and not match.group(2):
        return Command("pick", "", int(match.group(1)))
    return Command("chat", text)
