"""Dockerfile and docker-compose.yml, checked against the Compose specification's rules and
Docker's Dockerfile reference (Docker itself can't run here)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DURATION = re.compile(r"^(\d+(\.\d+)?(us|ms|s|m|h))+$")  # the spec's duration format
SERVICE_KEYS = {  # the compose-spec service properties used here (a subset of the spec's)
    "build", "image", "command", "environment", "env_file", "ports", "volumes", "depends_on",
    "healthcheck", "restart", "stop_grace_period", "stop_signal", "user",
}  # fmt: skip
HEALTHCHECK_KEYS = {"test", "interval", "timeout", "retries", "start_period", "start_interval",
                    "disable"}  # fmt: skip


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text()
    joined = re.sub(r"\\\n", " ", "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("#")
    ))  # fmt: skip
    out = []
    for line in joined.splitlines():
        if line.strip():
            head, _, rest = line.strip().partition(" ")
            out.append((head.upper(), rest.strip()))
    return out


def _check_healthcheck(name: str, check: dict[str, Any]) -> None:
    assert set(check) <= HEALTHCHECK_KEYS, f"{name}: unknown healthcheck keys"
    test = check["test"]
    assert isinstance(test, list) and test[0] in ("CMD", "CMD-SHELL"), name
    assert len(test) >= 2 and all(isinstance(part, str) for part in test), name
    for key in ("interval", "timeout", "start_period"):
        if key in check:
            assert DURATION.match(str(check[key])), f"{name}.{key}: not a duration"
    assert isinstance(check.get("retries", 3), int)


def test_compose_services_healthchecks_and_volumes(compose):
    assert set(compose) <= {"name", "services", "volumes", "networks", "configs", "secrets"}
    services = compose["services"]
    assert {"bot", "postgres", "redis"} <= set(services)
    for name, service in services.items():
        assert set(service) <= SERVICE_KEYS, f"{name}: {set(service) - SERVICE_KEYS}"
        assert "image" in service or "build" in service
        _check_healthcheck(name, service["healthcheck"])
        for volume in service.get("volumes", []):
            source, _, target = volume.partition(":")
            assert target.startswith("/"), volume
            if not source.startswith((".", "/")):  # a named volume must be declared
                assert source in compose["volumes"], f"{name}: undeclared volume {source}"
    assert services["postgres"]["volumes"][0].endswith(":/var/lib/postgresql")  # 18+ images
    assert services["redis"]["volumes"][0].endswith(":/data")
    assert "--appendonly" in services["redis"]["command"]  # Redis keeps working memory


def test_bot_waits_for_healthy_dependencies_and_reads_env(compose):
    bot = compose["services"]["bot"]
    assert bot["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    env_files = bot["env_file"]
    paths = [e if isinstance(e, str) else e["path"] for e in env_files]
    assert paths == [".env"]
    env = bot["environment"]
    pg = compose["services"]["postgres"]["environment"]
    assert env["DATABASE_URL"] == (
        f"postgresql+psycopg://{pg['POSTGRES_USER']}:{pg['POSTGRES_PASSWORD']}"
        f"@postgres:5432/{pg['POSTGRES_DB']}"
    )
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert all(isinstance(v, str) for v in env.values())  # the spec wants strings (or null)
    # The settings the bot would read validate, with these URLs.
    from bot.settings import load_settings

    settings = load_settings(**{k: v for k, v in env.items()})
    assert settings.database_url.startswith("postgresql+psycopg://")
    grace = float(env["CASTMATCH_SHUTDOWN_GRACE_S"])
    stop = int(bot["stop_grace_period"].rstrip("s"))
    assert stop > grace  # Docker's SIGKILL must not cut the drain short
    assert "/healthz" in " ".join(bot["healthcheck"]["test"])
    port = env["PORT"]
    assert any(p.endswith(f":{port}") for p in bot["ports"])


def test_dockerfile_slim_non_root_with_healthcheck(dockerfile):
    instructions = [head for head, _ in dockerfile]
    assert dockerfile[0] == ("FROM", "python:3.11-slim")
    user = [args for head, args in dockerfile if head == "USER"]
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert instructions.index("USER") > max(i for i, h in enumerate(instructions) if h == "RUN")
    health = next(args for head, args in dockerfile if head == "HEALTHCHECK")
    assert "/healthz" in health and "CMD" in health
    options = dict(re.findall(r"--([a-z-]+)=(\S+)", health))
    assert all(DURATION.match(options[k]) for k in ("interval", "timeout", "start-period"))
    cmd = next(args for head, args in reversed(dockerfile) if head == "CMD")
    assert cmd.startswith("[") and shlex.split(cmd.replace(",", " ").strip("[]")) == [
        "castmatch",
        "serve",
    ]  # exec form: SIGTERM reaches castmatch, not a shell
    installs = " ".join(args for head, args in dockerfile if head == "RUN")
    assert "pip install --require-hashes --no-deps -r requirements.lock" in installs
    assert "pip install --no-deps --no-build-isolation ." in installs  # nothing unlocked


def test_dockerignore_keeps_secrets_and_local_data_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".castmatch", ".git"):
        assert entry in ignored
    copied = [line.split()[1] for line in (ROOT / "Dockerfile").read_text().splitlines()
              if line.startswith("COPY")]  # fmt: skip
    for path in copied:  # everything the image copies exists and isn't ignored
        assert (ROOT / path).exists() and path not in ignored
