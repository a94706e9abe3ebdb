"""Time phrases in a question ("last week", "kal", "pichle hafte", "on 3 March") → a range.

The range is half-open [start, end) in UTC, relative to when the message arrived. Only
phrases that clearly name a period are read; anything else means "no time filter".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class TimeRange:
    start: datetime
    end: datetime
    label: str

    def holds(self, at: datetime) -> bool:
        return self.start <= at < self.end


_DAY = timedelta(days=1)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a": 1, "ek": 1, "do": 2}


def _midnight(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def parse_time_range(text: str, now: datetime) -> TimeRange | None:
    """The period a question asks about, if it names one."""
    lowered = text.lower()
    today = _midnight(now)
    week_start = today - timedelta(days=today.weekday())
    if re.search(
        r"\b(last|previous|past)\s+week\b|pichh?le\s+hafte|पिछले\s+हफ्ते|मागच्या आठवड्यात", lowered
    ):
        # "last week" in conversation is loose: the previous calendar week and the days since
        return TimeRange(week_start - 7 * _DAY, now + _DAY, "last week")
    if re.search(r"\bthis\s+week\b|is\s+hafte|इस\s+हफ्ते", lowered):
        return TimeRange(week_start, now + _DAY, "this week")
    if re.search(r"\byesterday\b|\bkal\b|कल|काल", lowered):
        return TimeRange(today - _DAY, today, "yesterday")
    if re.search(r"\btoday\b|\baaj\b|आज", lowered):
        return TimeRange(today, now + _DAY, "today")
    if re.search(r"\b(last|previous|past)\s+month\b|pichh?le\s+mahine|पिछले\s+महीने", lowered):
        return TimeRange(today - 31 * _DAY, now + _DAY, "last month")
    match = re.search(r"\b(?:last|past)\s+(\d+|one|two|three|four|five)\s+days?\b", lowered)
    if match:
        count = _NUMBERS.get(match.group(1)) or int(match.group(1))
        return TimeRange(today - count * _DAY, now + _DAY, f"last {count} days")
    match = re.search(r"\b(\d+|one|two|three|a)\s+(day|week)s?\s+ago\b", lowered)
    if match:
        count = _NUMBERS.get(match.group(1)) or int(match.group(1))
        days = count * (7 if match.group(2) == "week" else 1)
        centre = today - days * _DAY
        slack = 1 if match.group(2) == "day" else 4
        return TimeRange(centre - slack * _DAY, centre + (slack + 1) * _DAY, match.group(0))
    return None
