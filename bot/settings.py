"""Configuration: every variable of CONTRACT.md, from the environment and `.env`, checked once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "claude-haiku-5-5"  # the fastest model in the SDK's list, late 2026


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_url: str = Field("", alias="DATABASE_URL")
    redis_url: str = Field("", alias="REDIS_URL")
    data_dir: Path = Field(Path(".castmatch"), alias="CASTMATCH_DATA_DIR")
    anthropic_api_key: str = Field("", alias="ANTHROPIC_API_KEY")
    anthropic_base_url: str = Field("", alias="ANTHROPIC_BASE_URL")
    model: str = Field(DEFAULT_MODEL, alias="CASTMATCH_MODEL")
    slack_bot_token: str = Field("", alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field("", alias="SLACK_SIGNING_SECRET")
    slack_app_token: str = Field("", alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field("https://slack.com/api/", alias="SLACK_API_URL")
    twilio_account_sid: str = Field("", alias="TWILIO_ACCOUNT_SID")
    twilio_auth_token: str = Field("", alias="TWILIO_AUTH_TOKEN")
    twilio_whatsapp_number: str = Field("", alias="TWILIO_WHATSAPP_NUMBER")
    twilio_api_url: str = Field("", alias="TWILIO_API_URL")
    twilio_template_sid: str = Field("", alias="TWILIO_TEMPLATE_SID")
    public_url: str = Field("", alias="CASTMATCH_PUBLIC_URL")
    sample_catalogue: bool = Field(True, alias="CASTMATCH_SAMPLE_CATALOGUE")
    rate_limit_per_minute: int = Field(20, ge=0, alias="CASTMATCH_RATE_LIMIT_PER_MINUTE")
    log_format: Literal["text", "json"] = Field("text", alias="CASTMATCH_LOG_FORMAT")
    shutdown_grace_s: float = Field(20.0, ge=0, alias="CASTMATCH_SHUTDOWN_GRACE_S")
    # embedded servers wait this long after the last process leaves before they stop
    embedded_grace_s: float = Field(60.0, ge=0, alias="CASTMATCH_EMBEDDED_GRACE_S")
    # `castmatch talent search` asks a resident search process that lives as long as the
    # embedded servers' grace period (talent/resident.py); 0 always searches in-process
    search_resident: bool = Field(True, alias="CASTMATCH_SEARCH_RESIDENT")
    metrics_token: str = Field("", alias="CASTMATCH_METRICS_TOKEN")
    port: int = Field(3000, ge=0, le=65535, alias="PORT")
    timezone: str = Field("Asia/Kolkata", alias="CASTMATCH_TIMEZONE")  # audition times
    media_max_mb: float = Field(16.0, gt=0, le=100, alias="CASTMATCH_MEDIA_MAX_MB")
    # S3-compatible storage for media (so every replica serves them); credentials come from
    # the AWS SDK's usual chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, a role...)
    s3_bucket: str = Field("", alias="CASTMATCH_S3_BUCKET")
    s3_endpoint_url: str = Field("", alias="CASTMATCH_S3_ENDPOINT_URL")
    s3_region: str = Field("", alias="CASTMATCH_S3_REGION")
    s3_prefix: str = Field("media/", alias="CASTMATCH_S3_PREFIX")

    # Tuning knobs (not in the contract; tests shorten them).
    claude_idle_timeout_s: float = Field(30.0, gt=0, alias="CASTMATCH_CLAUDE_IDLE_TIMEOUT_S")
    claude_max_retries: int = Field(2, ge=0, le=10, alias="CASTMATCH_CLAUDE_MAX_RETRIES")
    claude_max_tokens: int = Field(1024, gt=0, alias="CASTMATCH_CLAUDE_MAX_TOKENS")
    tool_rounds: int = Field(4, ge=0, le=10, alias="CASTMATCH_TOOL_ROUNDS")
    turn_timeout_s: float = Field(120.0, gt=0, alias="CASTMATCH_TURN_TIMEOUT_S")
    history_turns: int = Field(20, gt=0, alias="CASTMATCH_HISTORY_TURNS")
    # semantic memory kept in RAM (least recently used partitions leave first; reloads are
    # from a file under the data folder)
    memory_index_mb: int = Field(512, gt=0, alias="CASTMATCH_MEMORY_INDEX_MB")
    redis_namespace: str = Field("castmatch", min_length=1, alias="CASTMATCH_REDIS_NAMESPACE")
    # `castmatch serve` runs turns in a worker process beside the one answering webhooks
    # (bot/handoff.py); 0 runs them in the one process, as before.
    turn_worker: bool = Field(True, alias="CASTMATCH_TURN_WORKER")
    # Set by `castmatch serve` for the process it starts: what it is, and whose lists.
    process_role: Literal["all", "web", "worker"] = Field("all", alias="CASTMATCH_PROCESS_ROLE")
    worker_id: str = Field("", alias="CASTMATCH_WORKER_ID")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as Asia/Kolkata") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str) -> str:
        if value and not value.startswith(
            ("postgresql://", "postgresql+psycopg://", "postgres://")
        ):
            raise ValueError("must be a PostgreSQL URL such as postgresql+psycopg://user@host/db")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_only(cls, value: str) -> str:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a Redis URL such as redis://localhost:6379/0")
        return value

    @field_validator(
        "slack_api_url", "twilio_api_url", "anthropic_base_url", "public_url", "s3_endpoint_url"
    )
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("public_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("s3_bucket")
    @classmethod
    def _bucket_name(cls, value: str) -> str:
        if value and not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", value):
            raise ValueError("must be an S3 bucket name (3-63 lowercase letters, digits, . or -)")
        return value

    @field_validator("twilio_whatsapp_number")
    @classmethod
    def _whatsapp_sender(cls, value: str) -> str:
        if value and not value.startswith("whatsapp:+"):
            raise ValueError("must look like whatsapp:+14155238886")
        return value

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token)

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(
            self.twilio_account_sid and self.twilio_auth_token and self.twilio_whatsapp_number
        )

    @property
    def claude_enabled(self) -> bool:
        return bool(self.anthropic_api_key)

    @property
    def data_path(self) -> Path:
        # not cached: a cached value would outlive `model_copy(update={"data_dir": ...})`
        # (`castmatch bench --database` gives each run a folder of its own that way)
        return self.data_dir.expanduser().resolve()

    @property
    def sqlalchemy_url(self) -> str:
        """The configured URL with the psycopg 3 driver, whichever spelling was given."""
        url = self.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings; a bad value raises `SettingsError` naming its variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "settings"
            field = Settings.model_fields.get(name)
            variable = field.alias if field and field.alias else name
            problems.append(f"{variable}: {err['msg']}")
        raise SettingsError("invalid configuration: " + "; ".join(problems)) from None
