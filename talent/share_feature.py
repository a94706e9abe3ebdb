"""The shared shortlist feature: `/s/<token>` pages and forms, and the tool to share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from talent import share_route, share_tools

if TYPE_CHECKING:
    from bot.services import Services


async def setup(services: Services) -> None:
    services.routes[share_route.PATH] = share_route.page_handler(services)
    services.post_routes[share_route.PATH] = share_route.decide_handler(services)
    share_tools.register(services.tools)
