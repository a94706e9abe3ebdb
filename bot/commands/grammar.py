"""One command grammar for Slack mentions and slash commands, WhatsApp text and the terminal.

Anything that isn't clearly a command is conversation for Claude: "shortlist the second one
for Inspector Yadav" is a request in plain words, not `shortlist ID`, so it goes to Claude
(which understands it) instead of failing as a malformed command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "stop", "start", "help", "status", "forget", "search", "shortlist", "pick", "members", "chat",
    "holds", "hold", "release", "availability",
    "auditions", "slot", "invite", "selftape", "contact", "media", "share",
    "post",
]  # fmt: skip
ShortlistVerb = Literal["show", "add", "remove", "export", "pick"]

# Opt-out and opt-in keywords (a channel without opt-outs passes them to Claude). Not
# "yes" or "cancel": in a casting conversation those answer a question.
STOP_WORDS = frozenset({"stop", "unsubscribe", "stopall", "optout", "opt out"})
START_WORDS = frozenset({"start", "subscribe", "unstop", "optin", "opt in", "resume"})
HELP_WORDS = frozenset({"help", "/help", "?", "menu"})
FORGET_WORDS = frozenset(
    {"forget me", "/forget me", "forget-me", "forget me please", "delete my data"}
)

_SEARCH = re.compile(r"^(?:/talent|/search|search|talent)\b[:\s]*(.*)$", re.I | re.S)
_SHORTLIST = re.compile(r"^/?shortlist\b[:\s]*(.*)$", re.I | re.S)
_MEMBERS = re.compile(r"^/?members?\b\s*(add|remove|list)?\b\s*(.*)$", re.I | re.S)
_NUMBER = re.compile(r"^#?(\d{1,2})\b\s*(.*)$", re.S)
_ROLE_JOINER = re.compile(r"\s+(?:to|from|for)\s+(?:the\s+)?", re.I)
_ID = re.compile(r"^[\w.\-:]{1,200}$")
# "share the Inspector Yadav shortlist [for 3d]", "share shortlist [for ROLE]", "unshare …"
_SHARE = re.compile(
    r"^/?(share|unshare|stop sharing)\s+(?:the\s+)?(?:(.+?)\s+)?shortlist"
    r"(?:\s+(?:for|of)\s+(?:the\s+)?(.+?))?(?:\s+for\s+(\d+\s*[mhdw]))?[.!]?$",
    re.I,
)
# "post the Inspector Yadav shortlist to #casting", "post this shortlist in #casting"
_POST = re.compile(
    r"^/?post\s+(?:the\s+|this\s+|my\s+|our\s+)?(?:(.+?)\s+)?shortlist\s+"
    r"(?:to|in|into|on)\s+#([\w.\-]{1,80})[.!]?$",
    re.I,
)
# The slash command's order: "/shortlist post #casting [for] Inspector Yadav",
# "/shortlist post Inspector Yadav to #casting"
_SHORTLIST_POST = re.compile(
    r"^/?shortlist\s+post\s+(?:(?:to|in|into|on)\s+)?#([\w.\-]{1,80})"
    r"(?:\s+(?:for\s+)?(?:the\s+)?(.+?))?[.!]?$",
    re.I,
)
_SHORTLIST_POST_TO = re.compile(
    r"^/?shortlist\s+post\s+(?:the\s+)?(.+?)\s+(?:to|in|into|on)\s+#([\w.\-]{1,80})[.!]?$",
    re.I,
)
_HOLDS = re.compile(r"^/?holds(?:\s+(?:for|on|of)\s+([^?]+))?$", re.I | re.S)
_HOLD = re.compile(r"^/?hold\s+(.+)$", re.I | re.S)
_RELEASE = re.compile(r"^/?release\s+(.+)$", re.I | re.S)
_AVAILABLE = re.compile(r"^/?(available|free|unavailable|away)\s+(\S+)\s+(.+)$", re.I | re.S)
_AUDITIONS = re.compile(r"^/?auditions?(?:\s+(?:for|of)\s+([^?]+))?$", re.I)
_SLOT = re.compile(r"^/?(?:audition\s+)?slot\s+(.+?)\s+at\s+(.+)$", re.I | re.S)
_INVITE = re.compile(r"^/?invite\s+(.+)$", re.I | re.S)
_SELF_TAPE = re.compile(r"^/?self[- ]?tapes?\s+(.+?)\s+by\s+(.+)$", re.I | re.S)
_CONTACT = re.compile(
    r"^/?(?:number|whatsapp)\s+(?:of\s+)?(\S+)\s+(?:is\s+)?(\+[\d\s-]{7,20})$", re.I
)
MEDIA_KINDS = {"headshot": "headshot", "self-tape": "self_tape", "selftape": "self_tape",
               "self tape": "self_tape", "photo": "photo", "picture": "photo",
               "video": "video", "voice note": "voice"}  # fmt: skip
_MEDIA = re.compile(
    r"^(?:this is |that is |that's |here is |here's |these are )?(.+?)['’]s\s+("
    + "|".join(MEDIA_KINDS)
    + r")s?(?:\s+for\s+(?:the\s+)?(.+?))?\.?$",
    re.I,
)
# "hold ID… KIND [DATES] [for ROLE]"; the kinds as a person writes them
HOLD_KINDS = {
    "pencil": "pencil", "first": "first", "1st": "first", "second": "second",
    "2nd": "second", "booked": "booked", "book": "booked",
}  # fmt: skip


@dataclass(frozen=True)
class Command:
    kind: Kind
    arg: str = ""  # a search's query; the rest of the text for other kinds
    verb: str = ""  # shortlist: show/add/remove/export/pick; members: add/remove/list
    ids: tuple[str, ...] = field(default=())  # talent ids (shortlist) or member ids (members)
    role: str = ""
    number: int = 0  # "2", "shortlist 2": a result of the last list
    admin: bool = False  # members add --admin
    detail: str = ""  # an audition slot's place


def parse(text: str) -> Command:
    """What the person asked for; anything unrecognised is conversation (`chat`)."""
    clean = " ".join(text.split())
    word = clean.lower().strip(".!")
    if word in STOP_WORDS:
        return Command("stop")
    if word in START_WORDS:
        return Command("start")
    if word in HELP_WORDS:
        return Command("help")
    if word in ("status", "/status"):
        return Command("status")
    if word in FORGET_WORDS:
        return Command("forget")
    if match := _SEARCH.match(clean):
        query = match.group(1).strip()
        return Command("search", query) if query else Command("help")
    if match := _SHARE.match(clean):
        verb = "share" if match.group(1).lower() == "share" else "unshare"
        role = (match.group(2) or match.group(3) or "").strip()
        expires = "".join((match.group(4) or "").split())
        if re.fullmatch(r"\d+\s*[mhdw]", match.group(3) or ""):  # "share shortlist for 3d"
            role, expires = (match.group(2) or "").strip(), "".join(match.group(3).split())
        return Command("share", verb=verb, role=role, arg=expires)
    if match := _POST.match(clean):
        return Command("post", role=(match.group(1) or "").strip(), arg=match.group(2))
    if match := _SHORTLIST_POST.match(clean):
        return Command("post", role=(match.group(2) or "").strip(), arg=match.group(1))
    if match := _SHORTLIST_POST_TO.match(clean):
        return Command("post", role=match.group(1).strip(), arg=match.group(2))
    if match := _SHORTLIST.match(clean):
        return _shortlist(match.group(1).strip(), text)
    if match := _MEMBERS.match(clean):
        return _members(match.group(1), match.group(2))
    if (match := _NUMBER.fullmatch(clean)) and not match.group(2):
        return Command("pick", number=int(match.group(1)))
    return _schedule(clean) or _auditions(clean) or Command("chat", text)


def _auditions(clean: str) -> Command | None:
    """`auditions [for ROLE]`, `slot WHEN at PLACE [for ROLE]`, `invite ID… [to slot N]
    [for ROLE]`, `self-tape ID… by WHEN [for ROLE]`, `number ID +91…`, and a caption
    naming whose media this is ("Amruta's self-tape for Inspector Yadav")."""
    if match := _AUDITIONS.match(clean):
        return Command("auditions", role=(match.group(1) or "").strip())
    if match := _SLOT.match(clean):
        place, role = _split_role(match.group(2))
        return Command("slot", arg=match.group(1).strip(), detail=place, role=role)
    if match := _INVITE.match(clean):
        rest, role = _split_role(match.group(1))
        slot = re.search(r"\s+to\s+slot\s+(\d{1,3})$", rest, re.I)
        ids = (rest[: slot.start()] if slot else rest).replace(",", " ").split()
        if ids and all(_id_with_digit(w) for w in ids):
            return Command("invite", ids=tuple(ids), role=role,
                           number=int(slot.group(1)) if slot else 0)  # fmt: skip
        return None
    if match := _SELF_TAPE.match(clean):
        ids = match.group(1).replace(",", " ").split()
        when, role = _split_role(match.group(2))
        if ids and all(_id_with_digit(w) for w in ids):
            return Command("selftape", ids=tuple(ids), arg=when, role=role)
        return None
    if match := _CONTACT.match(clean):
        return Command("contact", ids=(match.group(1),), arg="".join(match.group(2).split()))
    if match := _MEDIA.match(clean):
        who = match.group(1).strip()
        if len(who.split()) <= 3:
            kind = MEDIA_KINDS[" ".join(match.group(2).lower().split())]
            return Command("media", ids=(who,), verb=kind, role=(match.group(3) or "").strip())
    return None


def _split_role(text: str) -> tuple[str, str]:
    """'… for Inspector Yadav' -> ('…', 'Inspector Yadav')."""
    parts = re.split(r"\s+for\s+(?:the\s+)?", text, maxsplit=1, flags=re.I)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")


def _schedule(clean: str) -> Command | None:
    """Holds and availability: `holds [ROLE]`, `hold ID… KIND [DATES] [for ROLE]`,
    `release ID… [from ROLE]`, `available|unavailable ID DATES`. Ids here carry a digit
    ("cm-00042"), except before a hold's kind word: names are for Claude."""
    if match := _HOLDS.match(clean):
        return Command("holds", role=(match.group(1) or "").strip())
    if match := _HOLD.match(clean):
        words = match.group(1).split(" ")
        at = next((i for i, w in enumerate(words) if w.lower() in HOLD_KINDS), 0)
        ids = [w.strip(",") for w in words[:at]]
        if not at or not all(_id_with_digit(w) for w in ids if w):
            return None
        rest = " ".join(words[at + 1 :])
        rest = re.sub(r"^holds?\b\s*", "", rest, flags=re.I)
        parts = _ROLE_JOINER.split(" " + rest, maxsplit=1)
        role = parts[1].strip() if len(parts) > 1 else ""
        kind = HOLD_KINDS[words[at].lower()]
        return Command("hold", arg=parts[0].strip(), verb=kind, ids=tuple(w for w in ids if w),
                       role=role)  # fmt: skip
    if match := _RELEASE.match(clean):
        parts = _ROLE_JOINER.split(" " + match.group(1), maxsplit=1)
        ids = parts[0].replace(",", " ").split()
        if ids and all(_id_with_digit(w) for w in ids):
            role = parts[1].strip() if len(parts) > 1 else ""
            return Command("release", ids=tuple(ids), role=role)
        return None
    if (match := _AVAILABLE.match(clean)) and _id_with_digit(match.group(2)):
        free = match.group(1).lower() in ("available", "free")
        return Command("availability", verb="free" if free else "away",
                       ids=(match.group(2),), arg=match.group(3).strip())  # fmt: skip
    return None


def _id_with_digit(word: str) -> bool:
    return bool(_ID.match(word)) and any(c.isdigit() for c in word)


def _shortlist(rest: str, text: str) -> Command:
    """`shortlist [show|export] [ROLE]`, `shortlist add|remove ID… [to ROLE]`,
    `shortlist N [for ROLE]`; other phrasing is a request in plain words."""
    if number := _NUMBER.match(rest):
        role = _ROLE_JOINER.sub(" ", " " + number.group(2)).strip()
        return Command("shortlist", verb="pick", number=int(number.group(1)), role=role)
    verb, _, after = rest.partition(" ")
    verb = verb.lower() or "show"
    if verb in ("show", "export", "list"):
        return Command("shortlist", verb="export" if verb == "export" else "show", role=after)
    if verb in ("add", "remove"):
        parts = _ROLE_JOINER.split(" " + after, maxsplit=1)
        who = parts[0].replace(",", " ").split()
        role = parts[1].strip() if len(parts) > 1 else ""
        if who and all(_ID.match(w) for w in who):
            return Command("shortlist", verb=verb, ids=tuple(who), role=role)
    return Command("chat", text)


def _members(verb: str | None, rest: str) -> Command:
    words = rest.split()
    admin = "--admin" in words or "admin" in words
    people = tuple(w for w in words if w not in ("--admin", "admin"))
    return Command("members", verb=(verb or "list").lower(), ids=people, admin=admin)
