"""One catalogue record: validation of what agencies send, and the text we embed for it."""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from talent.filters import GENDERS
from talent.vocab import canonical_city, canonical_language, canonical_skill

_GENDER_WORDS = {
    "f": "female",
    "female": "female",
    "woman": "female",
    "w": "female",
    "m": "male",
    "male": "male",
    "man": "male",
    "non-binary": "non-binary",
    "nonbinary": "non-binary",
    "nb": "non-binary",
    "other": "other",
}
_CREDIT = re.compile(r"^\s*(?P<title>.+?)\s*\((?P<year>\d{4})\)\s*$")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
MAX_DEPTH = 20  # nesting a profile's extras may use; deeper is junk (and risks recursion)
MAX_TEXT = 1024 * 1024  # characters in one string: a bio is a paragraph, not a book


def storage_problem(data: dict[str, Any]) -> str | None:
    """Why PostgreSQL could not store this raw record as text/jsonb, or None.

    NUL characters, lone surrogates (invalid UTF-8) and NaN/Infinity are legal in Python
    strings and floats but refused by PostgreSQL, which would fail the whole batch.
    Iterative, so deep nesting is reported instead of overflowing the stack.
    """
    stack: list[tuple[str, Any, int]] = [(_label(k), v, 1) for k, v in data.items()]
    stack += [(_label(k), k, 1) for k in data]  # field names are stored (extras) too
    while stack:
        field, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"{field}: nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, str):
            if "\x00" in value:
                return f"{field}: contains a NUL character"
            if len(value) > MAX_TEXT:
                return f"{field}: longer than {MAX_TEXT} characters"
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return f"{field}: contains an invalid character (unpaired surrogate)"
        elif isinstance(value, float) and not math.isfinite(value):
            return f"{field}: not a finite number ({value})"
        elif isinstance(value, dict):
            stack += [(field, v, depth + 1) for v in value.values()]
            stack += [(field, k, depth + 1) for k in value]
        elif isinstance(value, list | tuple):
            stack += [(field, v, depth + 1) for v in value]
    return None


def _label(key: Any) -> str:
    """A field name safe to print in a one-line reason."""
    # Escapes NULs, newlines and surrogates; keeps readable names (e.g. Devanagari) as they are.
    text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in str(key))
    return text[:60] + ("…" if len(text) > 60 else "") or "(unnamed field)"


def split_list(value: Any) -> list[Any]:
    """A list field as given: a JSON list, or a `;`-separated CSV cell."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, list):
        return value
    raise ValueError("must be a list")


def name_key(name: str) -> str:
    """A folded name for duplicate checks: 'Priya  Sharma' == 'priya sharma'."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    # [:300]: NFKD and lower() can lengthen a name beyond the 300-character column.
    return re.sub(r"\s+", " ", folded).strip().lower()[:300]


class Credit(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    year: int | None = Field(None, ge=1900, le=2100)
    role: str = ""


class TalentRecord(BaseModel):
    """A profile as imported (CONTRACT.md schema); unknown fields end up in `extra`."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=300)
    gender: str | None = None
    birth_year: int | None = Field(None, ge=1900)
    playing_age_min: int | None = Field(None, ge=0, le=120)
    playing_age_max: int | None = Field(None, ge=0, le=120)
    city: str | None = Field(None, max_length=100)
    languages: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    height_cm: int | None = Field(None, ge=50, le=250)
    bio: str = ""
    credits: list[Credit] = Field(default_factory=list)
    agency: str | None = Field(None, max_length=200)
    headshot_url: str | None = None
    showreel_url: str | None = None
    consent: bool = True

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        # CSV cells are strings; an empty cell means "not given", not "empty value".
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if v is not None and v != ""}
            problem = storage_problem(data)  # before pydantic: it can't name the field
            if problem:
                raise ValueError(problem)
        return data

    @field_validator("id", "name", mode="before")
    @classmethod
    def _text_id(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("gender", mode="before")
    @classmethod
    def _gender(cls, value: Any) -> str | None:
        if value is None:
            return None
        word = _GENDER_WORDS.get(str(value).strip().lower())
        if word is None:
            raise ValueError(f"must be one of {', '.join(GENDERS)}")
        return word

    @field_validator("birth_year")
    @classmethod
    def _not_future(cls, value: int | None) -> int | None:
        if value is not None and value > date.today().year:
            raise ValueError("is in the future")
        return value

    @field_validator("city")
    @classmethod
    def _city(cls, value: str | None) -> str | None:
        return _fits(canonical_city(value), 100) if value else None

    @field_validator("languages", mode="before")
    @classmethod
    def _languages(cls, value: Any) -> list[str]:
        return _unique(
            _fits(canonical_language(str(v)), 60) for v in split_list(value) if str(v).strip()
        )

    @field_validator("skills", mode="before")
    @classmethod
    def _skills(cls, value: Any) -> list[str]:
        return _unique(
            _fits(canonical_skill(str(v)), 80) for v in split_list(value) if str(v).strip()
        )

    @field_validator("credits", mode="before")
    @classmethod
    def _credits(cls, value: Any) -> list[Any]:
        out: list[Any] = []
        for item in split_list(value):
            if isinstance(item, str):
                match = _CREDIT.match(item)
                out.append(
                    {"title": match["title"], "year": int(match["year"])}
                    if match
                    else {"title": item}
                )
            else:
                out.append(item)
        return out

    @field_validator("headshot_url", "showreel_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value and not re.match(r"^https?://[^\s<>|]+$", value):
            # <, > and | would close or split a Slack link and start live markup
            raise ValueError("must be an http(s) URL without spaces, <, > or |")
        return value or None

    @field_validator("consent", mode="before")
    @classmethod
    def _consent(cls, value: Any) -> Any:
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in _TRUE | _FALSE:
                return lowered in _TRUE
            raise ValueError("must be true or false")
        return value

    @model_validator(mode="after")
    def _playing_age(self) -> TalentRecord:
        low, high = self.playing_age_min, self.playing_age_max
        if self.birth_year is not None:
            age = date.today().year - self.birth_year
            low = max(age - 3, 0) if low is None else low
            high = age + 3 if high is None else high
        if low is not None and high is None:
            high = low + 6
        if high is not None and low is None:
            low = max(high - 6, 0)
        if low is not None and high is not None and low > high:
            raise ValueError("playing_age_min is above playing_age_max")
        self.playing_age_min, self.playing_age_max = low, high
        return self

    @property
    def extra(self) -> dict[str, Any]:
        return dict(self.model_extra or {})

    @property
    def travels(self) -> bool:
        value = self.extra.get("willing_to_travel", False)
        return value is True or str(value).strip().lower() in _TRUE

    def credit_years(self) -> list[int]:
        return sorted({c.year for c in self.credits if c.year is not None})

    def content_hash(self) -> str:
        """Same profile content -> same hash: lets re-imports skip unchanged rows."""
        payload = self.model_dump(mode="json")
        payload["extra"] = self.extra
        raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(raw.encode()).hexdigest()

    def passage(self) -> str:
        """What the embedding sees: the bio first (it carries the meaning), then the facts."""
        return passage_text(
            name=self.name,
            gender=self.gender,
            city=self.city,
            languages=self.languages,
            skills=self.skills,
            bio=self.bio,
            credits=[c.model_dump() for c in self.credits],
        )


def passage_text(
    *,
    name: str,
    gender: str | None,
    city: str | None,
    languages: list[str],
    skills: list[str],
    bio: str,
    credits: list[dict[str, Any]],
) -> str:
    parts = [bio.strip()]
    who = " ".join(p for p in (gender or "", "actor") if p)
    parts.append(f"{name}, {who}" + (f" based in {city}." if city else "."))
    if languages:
        parts.append("Speaks " + ", ".join(languages) + ".")
    if skills:
        parts.append("Skills: " + ", ".join(skills) + ".")
    roles = [f"{c.get('role') or 'role'} in {c['title']}" for c in credits[:5]]
    if roles:
        parts.append("Credits: " + "; ".join(roles) + ".")
    return " ".join(p for p in parts if p)[:1500]


def _fits(value: str, limit: int) -> str:
    # Checked after canonicalising: lower()/title() can lengthen text past the column size.
    if len(value) > limit:
        raise ValueError(f"longer than {limit} characters")
    return value


def _unique(values: Any) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value, None)
    return list(seen)


def describe_errors(exc: Exception) -> str:
    """A pydantic error as one line naming the fields: 'gender: must be one of …'."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc)
    parts = []
    for err in errors():
        where = ".".join(_label(p) for p in err.get("loc", ()))
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)  # record-wide: says where
    return " ".join("; ".join(parts).split())  # one line, whatever the messages hold
