"""Deterministic fact extraction: the offline fallback for Claude's extraction.

Reads the sentences of a casting conversation for what matters later: projects, roles,
decisions about talent (considered, shortlisted, dropped and why, booked) and changing
attributes (budget, shoot dates, location), in English and common Hinglish. The subject
of each fact is what a later statement supersedes it by.
"""

from __future__ import annotations

import re

from memory.facts import NewFact

_SENTENCES = re.compile(r"(?<=[.!?।])\s+|\n+")
_NAME = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}"
_STATUS_WORDS: list[tuple[str, str]] = [
    (
        r"\b(?:drop(?:ped)?|reject(?:ed)?|not (?:going with|taking)|cut)\b|drop kar|hata do",
        "dropped",
    ),
    (
        r"\b(?:book(?:ed)?|lock(?:ed)?|final(?:i[sz]ed?)?|confirm(?:ed)?|cast)\b"
        r"|final kar|lock kar",
        "booked",
    ),
    (r"\bcall ?back\b", "callback"),
    (r"\baudition(?:ing|ed)?\b", "audition"),
    (
        r"\bshortlist(?:ed)?\b|\bconsider(?:ing|ed)?\b|\bthinking of\b|\blook(?:ing)? at\b|soch",
        "considered",
    ),
]
_NOT_NAMES_WORDS = """
    I We The For And Also Please Shortlist Drop Book Lock Add Let Consider Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday Mumbai Pune Goa Delhi Hindi Marathi English
    Netflix Amazon Role Project Budget Ok Okay Yes No Hi Hello Thanks Inspector Callback
    Audition Final Confirm Cast Reject Cut Not January February March April May June July
    August September October November December Diwali Holi Eid Christmas"""
_NOT_NAMES = set(_NOT_NAMES_WORDS.split())
_PLACE_WORDS = {"Park", "Studio", "City", "Market", "Road", "Station", "Nagar", "Mall", "Hall"}
_ROLE = re.compile(
    r"(?:for|as|of|from)\s+(?:the\s+)?(?P<a>[\w' -]{2,40}?)\s+(?:role|part|character)\b"
    r"|(?:role|part|character)\s+of\s+(?:the\s+)?(?P<b>[\w' -]{2,40}?)"
    r"(?=[,.;:!?]|$|\s+(?:in|for)\b)"
    r"|(?P<c>[\w' -]{2,30}?)\s+(?:ke\s+|wale\s+)?(?:role|kirdaar)\s+ke\s+liye"
    r"|\b(?:the|our)\s+(?P<d>[\w'-]+(?:\s+[\w'-]+)?)\s+(?:role|part|character)\b",
    re.IGNORECASE,
)
_PROJECT = re.compile(
    r"(?:[Ww]e(?:'re| are)\s+casting(?:\s+for)?|new\s+project(?:\s+called)?[:\s]"
    r"|project\s+(?:called|named)"
    r"|casting\s+for\s+(?:a|an|our)\s+[\w -]*?(?:series|film|show|ad)\s+called)\s+"
    r"[\"“']?(?P<name>[A-Z][\w'&-]*(?:\s+[A-Z0-9][\w'&-]*){0,4})",
)
_ATTRIBUTE = re.compile(
    r"(?P<attr>budget|shoot(?:ing)?(?:\s+dates?)?|schedule|location|deadline|audition\s+date"
    r"|director|release|rate|fee|start\s+date)"
    r"(?:\s+(?:for|of)\s+(?:the\s+)?(?P<obj>[\w' -]{2,30}?))?"
    r"\s+(?:is\s+now|are\s+now|ha(?:s|ve)\s+(?:moved|changed)\s+to|moved\s+to|changed\s+to"
    r"|is|are|will\s+be|now|ab)\s+"
    r"(?P<val>[^.;!?]{1,80})",
    re.IGNORECASE,
)
_PREFERENCE = re.compile(
    r"\b(?:i\s+(?:prefer|like|want|always|never|hate)|please\s+(?:always|never|don't)"
    r"|my\s+preference|mujhe\s+.*\bpasand)\b",
    re.IGNORECASE,
)
_PREF_TOPICS = {
    "language": r"\b(hindi|marathi|english|language|bhasha)\b",
    "length": r"\b(short|brief|long|detailed|length)\b",
    "format": r"\b(table|list|bullet|format|cards?)\b",
    "age": r"\b(age|young|older|\d+s)\b",
}


def _norm(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def _role(sentence: str) -> str:
    match = _ROLE.search(sentence)
    if not match:
        return ""
    role = match.group("a") or match.group("b") or match.group("c") or match.group("d") or ""
    role = re.sub(r"^(?:the|a|an|our)\s+", "", role.strip(), flags=re.IGNORECASE)
    return role.split(" for ")[-1].strip()


def _names(sentence: str) -> list[str]:
    names = []
    for match in re.finditer(_NAME, sentence):
        words = [w for w in match.group(0).split() if w not in _NOT_NAMES]
        if _PLACE_WORDS & set(words):
            continue
        if words and not (len(words) == 1 and match.start() == 0):
            names.append(" ".join(words))
    return list(dict.fromkeys(names))


def extract_facts(text: str, *, role_hint: str = "") -> list[NewFact]:
    """Facts stated in one message (empty for small talk)."""
    facts: list[NewFact] = []
    for sentence in (s.strip() for s in _SENTENCES.split(text)):
        if not sentence or sentence.endswith("?"):
            continue  # a question states nothing: "Should we drop Rohan?" drops no one
        facts.extend(_sentence_facts(sentence, role_hint))
    unique: dict[str, NewFact] = {}
    for fact in facts:
        unique[fact.subject] = fact  # the last word on a subject within one message wins
    return list(unique.values())


_PRIVATE = re.compile(
    r"\b(?:between us|keep it to yourself|personal(?:ly)?|private(?:ly)?|confidential"
    r"|don'?t (?:share|tell)|my own)\b|apne tak|kisi ko mat",
    re.IGNORECASE,
)
_ROLE_DEFINITION = re.compile(
    r"\b(?:role|part|character|kirdaar)\b[^.]{0,40}?\b(?:is|needs|requires|should|will be|must"
    r"|chahiye|hai)\b|\b(?:casting|cast)\s+(?:for\s+)?(?:the\s+)?[\w' -]{2,30}\s+role\b"
    r"|\b(?:role|part|character)\s+of\b",
    re.IGNORECASE,
)


def _sentence_facts(sentence: str, role_hint: str) -> list[NewFact]:
    out: list[NewFact] = []
    if _PRIVATE.search(sentence):
        return out  # said in confidence: stays in the person's own history only
    project = _PROJECT.search(sentence)
    if project:
        name = project.group("name").strip()
        out.append(NewFact("workspace", "project", f"project:{_norm(name)}", sentence))
    role = _role(sentence) or role_hint
    status = next((s for pattern, s in _STATUS_WORDS if re.search(pattern, sentence, re.I)), "")
    if status:
        for name in _names(sentence):
            if role and _norm(name) in _norm(role):
                continue
            subject = f"talent:{_norm(name)}:{_norm(role) or 'any'}"
            out.append(NewFact("workspace", "decision", subject, sentence))
    elif role and _ROLE_DEFINITION.search(sentence) and not re.search(r"\bmy\b", sentence, re.I):
        out.append(NewFact("workspace", "role", f"role:{_norm(role)}", sentence))
    for match in _ATTRIBUTE.finditer(sentence):
        attr = re.sub(r"s$", "", _norm(match.group("attr")).replace("shooting", "shoot"))
        obj = re.sub(r"\s+(role|part|character)$", "", _norm(match.group("obj") or role or ""))
        out.append(NewFact("workspace", "note", f"attr:{attr}:{obj}", sentence))
    if _PREFERENCE.search(sentence):
        topic = next(
            (t for t, p in _PREF_TOPICS.items() if re.search(p, sentence, re.I)),
            "general:" + _norm(sentence)[:60],
        )
        out.append(NewFact("person", "preference", f"pref:{topic}", sentence))
    return out
