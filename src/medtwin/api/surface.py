"""ASGI middleware: every request is served speaking to the API.

Every request is served :func:`~medtwin.command_lines.speaking_to` the API, so a note in a
response names the route to call (``stale_note``: ``call POST /v1/patients/P1/twins``), not the CLI
command.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from medtwin.command_lines import speaking_to

__all__ = ["SurfaceMiddleware"]


class SurfaceMiddleware:
    """Serve each request speaking to the API (module docstring).

    A context variable set here reaches the routes, sync ones too (their worker thread runs in
    a copy of the request's context).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with speaking_to("api"):
            await self.app(scope, receive, send)
