"""The recall set (recall_set.txt): conversations, questions, evidence; plus filler and rivals.

Filler is everyday casting chatter about other projects, so a person's history is far
longer than the memory budget and recall has to find the evidence, not just include
everything. Each conversation also gets a distractor: the same conversation with other
names, by another person in another workspace; none of it may ever reach the context.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).with_name("recall_set.txt")

_STOPWORDS_WORDS = """
    a an the and or of for to in on at by with from is are was were be been it its this that
    these those who whom what which when where why how did do does we our us you your i me my
    he she his her him they them their there here not no yes can could should would will shall
    have has had any some one two as so if but about after before now then than too very
    just also still only again all ever every get got go going let lets say said tell told
    kya kaun kaunsi kaunsa kis kisko kab kahan kaisa kaisi kitni kitna ke ki ka ko hai tha
    thi the hona honi chahiye aani mein se"""
STOPWORDS = set(_STOPWORDS_WORDS.split())


@dataclass(frozen=True)
class EvalMessage:
    key: str  # e.g. "c01/m3"
    day: float
    text: str


@dataclass(frozen=True)
class Question:
    day: float
    kind: str  # direct | paraphrase | hinglish
    text: str
    evidence: tuple[str, ...]
    superseded: tuple[str, ...]


@dataclass
class Conversation:
    id: str
    title: str
    messages: list[EvalMessage] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)


def load(path: Path = DATA) -> list[Conversation]:
    conversations: list[Conversation] = []
    day = 0.0
    pending: tuple[float, str, tuple[str, ...], tuple[str, ...]] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("== "):
            cid, _, title = line[3:].partition("|")
            conversations.append(Conversation(cid.strip(), title.strip()))
        elif line.startswith("@ "):
            day = float(line[2:])
        elif line.startswith("? "):
            parts = [p.strip() for p in line[2:].split("|")]
            ids = lambda s: tuple(f"{conversations[-1].id}/{x}" for x in s.split(",") if x)  # noqa: E731
            superseded = ids(parts[3] if len(parts) > 3 else "")
            pending = (float(parts[0]), parts[1], ids(parts[2]), superseded)
        elif line.startswith("Q: ") and pending is not None:
            qday, kind, evidence, superseded = pending
            conversations[-1].questions.append(Question(qday, kind, line[3:], evidence, superseded))
            pending = None
        else:
            key, _, text = line.partition(": ")
            conv = conversations[-1]
            offset = sum(1 for m in conv.messages if m.day == day) * 0.01
            conv.messages.append(EvalMessage(f"{conv.id}/{key}", day + offset, text))
    return conversations


def content_words(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {w for w in words if len(w) > 2 and w not in STOPWORDS}


_ROLES = [
    "cop",
    "lawyer",
    "doctor",
    "mother",
    "villain",
    "college girl",
    "grandfather",
    "journalist",
    "dancer",
    "chef",
    "army officer",
    "politician",
    "teacher",
    "nurse",
    "gangster",
    "coach",
    "news anchor",
    "pilot",
    "driver",
    "priest",
]
_PROJECTS = [
    "Neela Aasmaan",
    "Project Chakra",
    "Bijli",
    "Kitchen Kings",
    "Sunday Brunch",
    "Metro Diaries",
    "Gold Rush",
    "Pinjra",
    "Udaan Ads",
    "Shaadi Squad",
]
_TEMPLATES = [
    "Send me five options for the {role} in {project}.",
    "Any update from the agency on the {role} for {project}?",
    "Can you check who is free next month for the {role}?",
    "Show me actors for the {role}, Mumbai based, 30 to 40.",
    "Remind me to call the production office about {project} tomorrow.",
    "What is the status of the {role} auditions for {project}?",
    "Find someone who can do stunts for the {role}.",
    "The client wants more options for the {role} in {project}.",
    "Please share the last list again for {project}.",
    "Who speaks Marathi among the {role} options?",
    "Let's look for fresher faces for the {role}, the usual ones feel tired.",
    "Move the {role} tape review for {project} to the afternoon.",
]


def filler(count: int, seed: int) -> list[str]:
    """Plausible chatter about other projects (shared phrasings: embedded once, cached)."""
    rng = random.Random(seed)
    pool = [
        t.format(role=r, project=p) for t in _TEMPLATES for r in _ROLES[:8] for p in _PROJECTS[:2]
    ]
    rng.shuffle(pool)
    return [pool[i % len(pool)] for i in range(count)]


_RIVAL_NAMES = [
    "Zorawar Gill",
    "Ishaan Bedi",
    "Tanvi Rawal",
    "Kunal Sood",
    "Nikita Bhalla",
    "Armaan Sethi",
    "Ritika Arora",
    "Samar Chawla",
]
_NAME = re.compile(r"(?<!^)(?<![.!?] )\b([A-Z][a-z]+(?: [A-Z][a-z']+){1,2})\b")


def rival_text(text: str) -> tuple[str, list[str]]:
    """The same message with every personal name swapped: (text, names used)."""
    used: list[str] = []

    def swap(match: re.Match[str]) -> str:
        name = _RIVAL_NAMES[len(used) % len(_RIVAL_NAMES)]
        used.append(name)
        return name

    return _NAME.sub(swap, text), used
