"""Time phrases in a question ("last week", "kal", "pichle hafte", "on 3 March", "in May
2022") → a range.

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


_MONTHS = {
    name: n
    for n, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|" \
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"  # fmt: skip
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+((?:19|20)\d\d))?"
_DAY_MONTH = re.compile(rf"\b{_ORDINAL}\s+(?:of\s+)?{_MONTH}{_YEAR}\b", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_ORDINAL}\b{_YEAR}", re.IGNORECASE)
# a month alone only after "in"/"during" ("in May 2022", "during march"): "may" is a verb too
_IN_MONTH = re.compile(
    rf"\b(?:in|during|of)\s+(?:early\s+|late\s+|mid-?\s*)?{_MONTH}{_YEAR}\b", re.IGNORECASE
)


def _named_date(text: str, now: datetime) -> TimeRange | None:
    """ "on 25 May, 2022", "May 3, 2023", "3rd March" → that day (a day's slack either side,
    for time zones); "in May 2022", "in December" → that month. Without a year, the latest
    such date not after now."""
    match = _DAY_MONTH.search(text)
    if match:
        day, month, year = match.group(1), match.group(2), match.group(3)
    elif match := _MONTH_DAY.search(text):
        month, day, year = match.group(1), match.group(2), match.group(3)
    elif match := _IN_MONTH.search(text):
        month, day, year = match.group(1), None, match.group(2)
    else:
        return None
    number = _MONTHS[month.lower().rstrip(".")]
    years = [int(year)] if year else [now.year, now.year - 1]
    for y in years:
        try:
            start = now.replace(year=y, month=number, day=int(day or 1), hour=0, minute=0,
                                second=0, microsecond=0)  # fmt: skip
        except ValueError:
            return None  # "31 February": no such day
        if year or start <= now:
            break
    if day:
        return TimeRange(start - _DAY, start + 2 * _DAY, f"{start:%d %B %Y}")
    end = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return TimeRange(start, end, f"{start:%B %Y}")


def parse_time_range(text: str, now: datetime) -> TimeRange | None:
    """The period a question asks about, if it names one."""
    named = _named_date(text, now)
    if named is not None:
        return named
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
