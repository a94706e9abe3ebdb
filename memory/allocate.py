"""The memory budget: which facts, shortlist lines and recalled items a context shows.

Everything competes in one ranking (semantic recall's, dense and lexical fused), after the
workspace's newest current facts (the state of the work) and its latest shortlist changes.
Distinct evidence is preferred: a fact already said in full by a message shown (or a
message that only repeats a fact shown), and a text shown already, take no budget twice.
Past the best-ranked items (shown whole), a recalled message is shown by its sentences that
hold the question's topic words and those either side, when it has such sentences: in a long
history most lines tell several things, and the budget then holds more of the lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from bot.ports import ShortlistLine
from memory.facts import FactView
from memory.lexical import focused
from memory.recall import Recalled
from memory.tokens import estimate_tokens

NEWEST_FACTS = 10  # current facts shown whatever the message (what the team decided last)
LISTS_SHARE = 0.2  # shortlist lines may take this much of the memory budget
FACT_OVERHEAD = 9  # a fact line's label: "- [Mon 08 May 2023] (decision) "
DAY_HEADING = 6  # a day's heading above its recalled items
# The best-ranked items take this share of the budget whole (the likeliest answers, in
# full); only the items after them are shown by their sentences about the question.
WHOLE_SHARE = 0.5
MIN_ITEM_TOKENS = 4  # "- " and a few words: less budget left than this shows nothing more


@dataclass
class Picked:
    facts: list[FactView] = field(default_factory=list)
    lists: list[ShortlistLine] = field(default_factory=list)
    items: list[Recalled] = field(default_factory=list)
    tokens: int = 0
    sources: set[int] = field(default_factory=set)
    focused: set[int] = field(default_factory=set)  # messages shown by part of their text


def item_label(item: Recalled) -> str:
    """A recalled item's label under its day's heading. The person's own messages carry
    none (the section says so): a label on each of a hundred lines would cost the budget
    some ten more of them."""
    if item.kind == "message":
        label = "assistant" if item.role == "assistant" else ""
    else:
        label = "conversation summary" if item.kind == "episode" else "fact"
    if item.superseded_at is not None:
        label += f"{'; ' if label else ''}superseded on {item.superseded_at:%a %d %b %Y}"
    return f"({label}) " if label else ""


def item_tokens(item: Recalled) -> int:
    """What an item costs as shown: "- ", its label, its text."""
    return estimate_tokens(f"- {item_label(item)}{item.text}")


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def allocate(
    recalled: list[Recalled],
    facts: list[FactView],
    budget: float,
    lists: list[ShortlistLine],
    focus: frozenset[str] = frozenset(),
) -> Picked:
    """What the context shows. `focus`: the question's topic terms (`lexical.terms`, without
    the names it asks about), by which a recalled message is cut to the sentences that
    matter (`lexical.focused`)."""
    picked = Picked()
    current = {f.id: f for f in facts}
    shown: set[str] = set()
    messages: dict[int, str] = {}  # message id shown in full → its text
    fact_sources: dict[int, str] = {}  # message id → text of a fact shown from it
    days: set[date] = set()
    whole: set[int] = set()  # message ids whose content is shown in full somewhere
    fact_ids: set[int] = set()

    def spend(cost: int) -> bool:
        if picked.tokens + cost > budget:
            return False
        picked.tokens += cost
        return True

    def add_fact(fact: FactView) -> None:
        key = _key(fact.text)
        if key in shown or fact.id in fact_ids:
            return
        source = fact.source_message_id
        if source in messages and key in _key(messages[source]):
            return  # the message shown says it already
        if not spend(estimate_tokens(fact.text) + FACT_OVERHEAD):
            return
        picked.facts.append(fact)
        fact_ids.add(fact.id)
        shown.add(key)
        if source:
            picked.sources.add(source)
            whole.add(source)  # the fact it states is shown in full
            fact_sources[source] = key

    for fact in facts[:NEWEST_FACTS]:
        add_fact(fact)
    for entry in lists:
        if not (picked.tokens + estimate_tokens(entry.text) + FACT_OVERHEAD <= budget * LISTS_SHARE
                and spend(estimate_tokens(entry.text) + FACT_OVERHEAD)):  # fmt: skip
            break
        picked.lists.append(entry)
    for item in recalled:
        if budget - picked.tokens < MIN_ITEM_TOKENS:
            break  # full: nothing more can be shown
        if item.kind == "fact" and item.superseded_at is None and item.ref_id in current:
            add_fact(current[item.ref_id])
            continue
        key = _key(item.text)
        if key in shown:
            continue
        if item.kind == "message" and fact_sources.get(item.ref_id) == key:
            continue  # the fact shown is the whole message
        if (item.kind == "message" and focus and item.worded
                and picked.tokens >= budget * WHOLE_SHARE):  # fmt: skip
            shown_text = focused(item.text, focus)
            if shown_text is not item.text:
                item = replace(item, text=shown_text, focused=True)
        heading = item.at.date()
        cost = item_tokens(item)
        if not spend(cost + (0 if heading in days else DAY_HEADING)):
            continue
        days.add(heading)
        picked.items.append(item)
        shown.add(key)
        picked.sources.update(item.source_ids)
        (picked.focused if item.focused else whole).update(item.source_ids)
        if item.kind == "message":
            messages[item.ref_id] = item.text
    picked.focused -= whole
    return picked
