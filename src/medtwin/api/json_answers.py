"""The ``{"error", "detail"}`` JSON answers that middleware sends before any route runs.

They are rendered by the routes' own code (:class:`~medtwin.api.json_response.Utf8JSONResponse`:
compact, UTF-8), so an answer made before routing looks like one made by a route.
"""

from __future__ import annotations

from typing import Any

from starlette.types import Message, Send

from medtwin.api.json_response import Utf8JSONResponse
from medtwin.platform.safe_text import utf8_text

__all__ = ["json_body", "json_messages", "send_json"]


def json_body(content: Any) -> bytes:
    """``content`` as the routes' answers render it (:class:`Utf8JSONResponse`: compact, UTF-8).

    The answers made here, before routing, are rendered by the same code: before, they were
    ``json.dumps``' spaced style (``{"error": "Unauthorized", ...}``) and the routes' compact.
    """
    return bytes(Utf8JSONResponse(content).body)


def json_messages(
    status: int, error: str, detail: str, headers: list[tuple[bytes, bytes]] | None = None
) -> tuple[Message, Message]:
    """The ASGI start and body messages of an ``{"error", "detail"}`` JSON answer."""
    body = json_body({"error": error, "detail": utf8_text(detail)})
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", b"%d" % len(body)),
            *(headers or []),
        ],
    }
    return start, {"type": "http.response.body", "body": body, "more_body": False}


async def send_json(
    send: Send,
    status: int,
    error: str,
    detail: str,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """Send the whole ``{"error", "detail"}`` JSON answer of :func:`json_messages`."""
    start, body = json_messages(status, error, detail, headers)
    await send(start)
    await send(body)
