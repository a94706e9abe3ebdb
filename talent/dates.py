"""Date ranges as casting people write them: "10–20 March", "March 10-20", "10 March to
2 April", "10th-20th Mar 2027", "2027-03-10..2027-03-20", or one day ("12 March").

Without a year, a range takes the first year in which it has not already ended (a range
that ended earlier this year means next year's). Pure; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = r"(?P<{n}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s*(?P<{n}>20\d\d))?"
_TO = r"\s*(?:-|–|—|to|till|until|through|\.\.)\s*"
_ISO = r"(?P<{n}>20\d\d-[01]\d-[0-3]\d)"


def _fill(part: str, name: str) -> str:
    return part.replace("{n}", name)


_PATTERNS = [
    # 2027-03-10..2027-03-20 / 2027-03-10 to 2027-03-20
    re.compile(_fill(_ISO, "a") + _TO + _fill(_ISO, "b"), re.I),
    # 10 March - 2 April [2027]
    re.compile(
        _fill(_DAY, "d1") + r"\s+" + _fill(_MONTH, "m1") + _fill(_YEAR, "y1") + _TO
        + _fill(_DAY, "d2") + r"\s+" + _fill(_MONTH, "m2") + _fill(_YEAR, "y2"), re.I
    ),
    # March 10 - April 2 [2027]
    re.compile(
        _fill(_MONTH, "m1") + r"\s+" + _fill(_DAY, "d1") + _fill(_YEAR, "y1") + _TO
        + _fill(_MONTH, "m2") + r"\s+" + _fill(_DAY, "d2") + _fill(_YEAR, "y2"), re.I
    ),
    # 10-20 March [2027]
    re.compile(
        _fill(_DAY, "d1") + _TO + _fill(_DAY, "d2") + r"\s+" + _fill(_MONTH, "m1")
        + _fill(_YEAR, "y1"), re.I
    ),
    # March 10-20 [2027]
    re.compile(
        _fill(_MONTH, "m1") + r"\s+" + _fill(_DAY, "d1") + _TO + _fill(_DAY, "d2")
        + _fill(_YEAR, "y1"), re.I
    ),
    # 2027-03-10
    re.compile(_fill(_ISO, "a"), re.I),
    # 12 March [2027] / March 12 [2027]
    re.compile(_fill(_DAY, "d1") + r"\s+" + _fill(_MONTH, "m1") + _fill(_YEAR, "y1"), re.I),
    re.compile(_fill(_MONTH, "m1") + r"\s+" + _fill(_DAY, "d1") + _fill(_YEAR, "y1"), re.I),
]  # fmt: skip


class DateError(ValueError):
    """Text that looks like dates but isn't a valid range; the message says why."""


@dataclass(frozen=True)
class Span:
    """An inclusive range of days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise DateError("the range ends before it starts")
        if (self.end - self.start).days > 366 * 2:
            raise DateError("a range may cover at most two years")

    def overlaps(self, other: Span) -> bool:
        return self.start <= other.end and other.start <= self.end

    def text(self) -> str:
        return span_text(self.start, self.end)


@dataclass(frozen=True)
class Found:
    span: Span
    begin: int  # where in the text the dates were
    end: int


def find_span(text: str, *, today: date | None = None) -> Found | None:
    """The first date range in `text` (None when there is none)."""
    today = today or date.today()
    best: tuple[int, int, re.Match[str]] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if not _at_edge(text, match):
                continue
            if best is None or (match.start(), -match.end()) < (best[0], -best[1]):
                best = (match.start(), match.end(), match)
            break
    if best is None:
        return None
    return Found(_span(best[2], today), best[0], best[1])


def parse_span(text: str, *, today: date | None = None) -> Span:
    """A whole text that is a date range; raises `DateError` otherwise."""
    found = find_span(text.strip(), today=today)
    if found is None or text.strip()[found.end :].strip(" .,"):
        raise DateError(f"not a date range: {text.strip()[:60]!r} (try '10-20 March')")
    return found.span


def _at_edge(text: str, match: re.Match[str]) -> bool:
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _span(match: re.Match[str], today: date) -> Span:
    found = match.groupdict()
    if found.get("a"):
        start = _iso(found["a"])
        return Span(start, _iso(found["b"]) if found.get("b") else start)
    m1 = MONTHS[found["m1"].lower()]
    m2 = MONTHS[found["m2"].lower()] if found.get("m2") else m1
    d1 = int(found["d1"])
    d2 = int(found["d2"]) if found.get("d2") else d1
    y1 = int(found["y1"]) if found.get("y1") else None
    y2 = int(found["y2"]) if found.get("y2") else y1
    if y1 is None and y2 is not None:
        y1 = y2 - 1 if (m1, d1) > (m2, d2) else y2
    if y1 is None:
        year = today.year
        # a range that has already ended this year means next year's
        end_this_year = _day(year + (1 if (m2, d2) < (m1, d1) else 0), m2, d2)
        if end_this_year < today:
            year += 1
        y1 = year
        y2 = year + (1 if (m2, d2) < (m1, d1) else 0)
    elif y2 is None:
        y2 = y1 + (1 if (m2, d2) < (m1, d1) else 0)
    return Span(_day(y1, m1, d1), _day(y2, m2, d2))


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"there is no day {day} in that month") from None


def _iso(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DateError(f"not a date: {text}") from None


def span_text(start: date, end: date) -> str:
    """'10–20 Mar', '28 Mar – 2 Apr', '12 Mar'; the year only when the dates are more than
    a year ahead or long past (a range written without a year is never shown with one)."""
    today = date.today()
    near = -60 <= (end - today).days <= 366
    year = "" if near else f" {end.year}"
    if start == end:
        return f"{start.day} {start:%b}{year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b}{year}"
    first_year = f" {start.year}" if start.year != end.year and not near else ""
    return f"{start.day} {start:%b}{first_year} – {end.day} {end:%b}{year}"


_TIME = re.compile(
    r"(?<![\w:])(?:at\s+)?([01]?\d|2[0-3])(?:[:.]([0-5]\d))?\s*(am|pm|a\.m\.|p\.m\.)?(?![\w:])",
    re.I,
)


def parse_moment(text: str, tz: tzinfo, *, default_hour: int | None = None,
                 today: date | None = None) -> datetime:  # fmt: skip
    """A day and a time: '10 March 11:00', '14 Mar 6pm', '2027-03-10T11:00'. Without a
    time, `default_hour` (or DateError when there is none)."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=tz)
    except ValueError:
        pass
    found = find_span(text, today=today)
    if found is None or found.span.start != found.span.end:
        raise DateError(f"not a day and time: {text[:60]!r} (try '10 March 11:00')")
    rest = text[: found.begin] + " " + text[found.end :]
    times = [m for m in _TIME.finditer(rest) if m.group(2) or m.group(3)]
    if times:
        hour, minute = int(times[0].group(1)), int(times[0].group(2) or 0)
        half = (times[0].group(3) or "").lower().replace(".", "")
        if half == "pm" and hour < 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
    elif default_hour is not None:
        hour, minute = default_hour, 0
    else:
        raise DateError("say the time too, e.g. '10 March 11:00'")
    day = found.span.start
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
