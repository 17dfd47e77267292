"""The last answer to a bug: the generic 500 body, with the keep-alive connection kept.

Starlette's last-resort handler re-raises after answering, which makes uvicorn drop the
connection; :class:`CatchAllMiddleware` answers and does not re-raise (unless half an answer is
already out).
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medtwin.api.access_log import loggable_route
from medtwin.api.json_answers import send_json

__all__ = ["CatchAllMiddleware"]

log = logging.getLogger(__name__)

_GENERIC_500 = "internal error; the server log has the details"


class CatchAllMiddleware:
    """Answer an unexpected exception with the generic 500 body and keep the connection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            route = loggable_route(f"{scope['method']} {scope['path']}")  # the audit trail has it
            log.error("%s failed", route, exc_info=exc)
            if started:
                raise  # half an answer is out: only closing the connection can end it
            await send_json(send, 500, "InternalError", _GENERIC_500)
