"""Shared shortlist page benchmark: how fast a director's page of a 50-person shortlist is
made, in process (`load` from PostgreSQL + the jinja2 render) and over loopback HTTP (the
real `castmatch serve` app, `GET /s/<token>`, one request at a time).

The catalogue is made here (50 people with languages, skills, three credits, a showreel and
a headshot each, a team note on every entry), imported with its embeddings like any other.
"""

from __future__ import annotations

import secrets
import socket
import time
from typing import Any

import aiohttp
from aiohttp import web

from benchmarks.stats import keep, ms, percentile
from bot.engine import Engine
from bot.llm import make_responder
from bot.server import build_app
from bot.services import Services
from talent import share_links, shortlists
from talent.importer import import_records
from talent.profile import TalentRecord
from talent.share_route import render
from talent.share_view import load

SIZE = 50


def _people(tag: str) -> list[dict[str, Any]]:
    cities = ("Mumbai", "Delhi", "Pune", "Kolkata", "Chennai")
    return [
        {
            "id": f"bench-share-{tag}-{n:02d}",
            "name": f"Bench Person {n:02d}",
            "gender": ("female", "male")[n % 2],
            "birth_year": 1970 + n % 30,
            "city": cities[n % len(cities)],
            "languages": ["Hindi", "English", ("Marathi", "Bengali", "Tamil")[n % 3]],
            "skills": ["kathak", "horse riding", "stage combat"][: 1 + n % 3],
            "credits": [
                {"title": f"Series {n}-{k}", "year": 2015 + k, "role": "Lead"} for k in range(3)
            ],
            "showreel_url": f"https://videos.example/{n}",
            "headshot_url": f"https://img.example/{n}.jpg",
        }
        for n in range(SIZE)
    ]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def run(services: Services, *, quick: bool) -> dict[str, Any]:
    tag = secrets.token_hex(3)
    people = _people(tag)
    await import_records(services, [TalentRecord.model_validate(p) for p in people])
    workspace = f"bench-share-{tag}"
    role = await shortlists.ensure_role(services, workspace, "Inspector Yadav", project="Bench")
    await shortlists.add(services, role, [p["id"] for p in people], actor="bench")
    for p in people:
        await shortlists.set_note(services, role, p["id"], "strong read, see again", actor="b")
    rounds = 60 if quick else 300

    renders: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        page = await load(services, role)
        render(page, action="/s/x", expires=None, saved="")
        renders.append(time.perf_counter() - started)
    if len(page.candidates) != SIZE:
        raise RuntimeError(f"the page shows {len(page.candidates)} of {SIZE} people")

    port = _port()
    services.settings = services.settings.model_copy(
        update={"public_url": f"http://127.0.0.1:{port}"}
    )
    url, _ = await share_links.share(services, role)
    runner = web.AppRunner(build_app(services, Engine(services, make_responder(services.settings))))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    requests: list[float] = []
    size = 0
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(rounds):
                started = time.perf_counter()
                async with http.get(url) as response:
                    body = await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"GET /s/<token> answered {response.status}")
                requests.append(time.perf_counter() - started)
                size = len(body)
    finally:
        await runner.cleanup()
    keep("share.render", renders)
    keep("share.http", requests)
    return {
        "people": SIZE,
        "rounds": rounds,
        "render_p50_ms": ms(percentile(renders, 50)),
        "render_p99_ms": ms(percentile(renders, 99)),
        "http_p50_ms": ms(percentile(requests, 50)),
        "http_p99_ms": ms(percentile(requests, 99)),
        "page_kb": round(size / 1024, 1),
    }
