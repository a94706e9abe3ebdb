"""Hard filters a search applies: what the query parser produces and the search tool accepts."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field, field_validator

from talent.vocab import canonical_city, canonical_language, canonical_skill

GENDERS = ("female", "male", "non-binary", "other")


class Filters(BaseModel):
    """Every field optional; a set field must be met by every result."""

    gender: str | None = None
    age_min: int | None = Field(None, ge=0, le=120)
    age_max: int | None = Field(None, ge=0, le=120)
    cities: list[str] = Field(default_factory=list)
    willing_to_travel: bool = False
    languages: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    height_min: int | None = Field(None, ge=50, le=250)
    height_max: int | None = Field(None, ge=50, le=250)
    has_showreel: bool = False
    credits_from: int | None = Field(None, ge=1900, le=2100)
    credits_to: int | None = Field(None, ge=1900, le=2100)
    # free on these days (no first hold, booking or "unavailable" window overlapping them)
    available_from: date | None = None
    available_to: date | None = None
    not_on_hold: bool = False  # no active hold for another project (on those days, if given)

    @field_validator("gender")
    @classmethod
    def _gender(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        value = value.strip().lower()
        if value not in GENDERS:
            raise ValueError(f"gender must be one of {', '.join(GENDERS)}")
        return value

    @field_validator("cities")
    @classmethod
    def _cities(cls, values: list[str]) -> list[str]:
        return _unique(canonical_city(v) for v in values if v.strip())

    @field_validator("languages")
    @classmethod
    def _languages(cls, values: list[str]) -> list[str]:
        return _unique(canonical_language(v) for v in values if v.strip())

    @field_validator("skills")
    @classmethod
    def _skills(cls, values: list[str]) -> list[str]:
        return _unique(canonical_skill(v) for v in values if v.strip())

    def is_empty(self) -> bool:
        return self == Filters()

    def compact(self) -> dict[str, Any]:
        """Only the fields that are set (for JSON, role briefs and test tables)."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def describe(self) -> str:
        """A short human summary, e.g. 'female · 25-35 · Mumbai · Marathi · kathak'."""
        parts: list[str] = []
        if self.gender:
            parts.append(self.gender)
        if self.age_min is not None or self.age_max is not None:
            parts.append(age_text(self.age_min, self.age_max))
        if self.cities:
            place = "/".join(self.cities)
            parts.append(place + (" or travels" if self.willing_to_travel else ""))
        elif self.willing_to_travel:
            parts.append("willing to travel")
        parts.extend(self.languages)
        parts.extend(self.skills)
        if self.height_min or self.height_max:
            parts.append(height_text(self.height_min, self.height_max))
        if self.has_showreel:
            parts.append("has showreel")
        if self.credits_from or self.credits_to:
            parts.append("credits " + year_text(self.credits_from, self.credits_to))
        if self.available_from or self.available_to:
            low = self.available_from or self.available_to
            high = self.available_to or self.available_from
            parts.append(f"free {low:%d %b}–{high:%d %b}")
        if self.not_on_hold:
            parts.append("not on hold elsewhere")
        return " · ".join(parts)


def age_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"age {low}-{high}"
    return f"age {low}+" if low is not None else f"age up to {high}"


def height_text(low: int | None, high: int | None) -> str:
    if low and high:
        return f"{low}-{high} cm"
    return f"{low}+ cm" if low else f"up to {high} cm"


def year_text(low: int | None, high: int | None) -> str:
    if low and high:
        return str(low) if low == high else f"{low}-{high}"
    return f"since {low}" if low else f"until {high}"


def _unique(values: Any) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value, None)
    return list(seen)
