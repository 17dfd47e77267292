"""ASGI middleware: the audit log of patient routes and the upload size limit.

Audit: every request under ``/v1/patients`` (except the static viewer page and CORS preflights)
writes one ``AuditEvent`` (who, what, which patient, route, status) before its response starts.
If the event cannot be written the client gets 503 instead of the response: patient data is never
served unaudited. A write that already happened stays done; its event is then missing and the
failure is in the server log.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medtwin.api.deps import ACTOR_KEY, PATIENT_KEY, StoreHolder
from medtwin.errors import MedtwinError
from medtwin.store.audit import AuditAction, record_event

__all__ = ["AuditMiddleware", "UploadLimitMiddleware", "audited"]

log = logging.getLogger(__name__)

_PATIENT_PATH = re.compile(r"^/v1/patients(?:/(?P<id>[^/]*))?(?P<rest>/.*)?$")
_VALID_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_ACTIONS: dict[str, AuditAction] = {"GET": "read", "HEAD": "read", "DELETE": "delete"}


def audited(method: str, path: str) -> tuple[AuditAction, str | None] | None:
    """``(action, patient id from the path)`` if this request is audited, else ``None``."""
    m = _PATIENT_PATH.match(path)
    if m is None or method == "OPTIONS" or (m["rest"] or "").rstrip("/") == "/viewer":
        return None
    pid = m["id"]
    return _ACTIONS.get(method, "write"), pid if pid and _VALID_ID.fullmatch(pid) else None


def _json_body(status: int, error: str, detail: str) -> tuple[Message, Message]:
    body = json.dumps({"error": error, "detail": detail}).encode()
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))],
    }
    return start, {"type": "http.response.body", "body": body, "more_body": False}


class AuditMiddleware:
    """Write an ``AuditEvent`` for each patient-route request (see the module docstring)."""

    def __init__(self, app: ASGIApp, stores: StoreHolder) -> None:
        self.app = app
        self.stores = stores

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        what = audited(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if what is None:
            await self.app(scope, receive, send)
            return
        action, path_id = what
        replaced = started = False

        def event(status: int) -> dict[str, Any]:
            return {
                "actor": scope.get(ACTOR_KEY) or "anonymous",
                "action": action,
                "patient_id": path_id or scope.get(PATIENT_KEY),
                "route": f"{scope['method']} {scope['path']}",
                "status": status,
            }

        async def audited_send(message: Message) -> None:
            nonlocal replaced, started
            if replaced:
                return
            if message["type"] == "http.response.start":
                started = True
                status = int(message["status"])
                try:
                    await anyio.to_thread.run_sync(self._record, event(status))
                except MedtwinError as e:
                    log.error("audit event not written (%s): %s", e, event(status))
                    if status < 500:
                        replaced = True
                        start, body = _json_body(
                            503,
                            type(e).__name__,
                            "the audit log cannot be written, so patient data is not served",
                        )
                        await send(start)
                        await send(body)
                        return
            await send(message)

        try:
            await self.app(scope, receive, audited_send)
        except Exception:
            # A bug: the outer error middleware turns it into a 500 after this; record that.
            if not started:
                try:
                    await anyio.to_thread.run_sync(self._record, event(500))
                except MedtwinError as e:
                    log.error("audit event not written (%s): %s", e, event(500))
            raise

    def _record(self, event: dict[str, Any]) -> None:
        record_event(self.stores.get(), **event)


class UploadLimitMiddleware:
    """Reject requests whose declared body exceeds the upload limit with 413 before reading it.

    Bodies without ``Content-Length`` (chunked) are checked per file after parsing instead.
    """

    # Multipart framing and form fields around the files.
    SLACK = 64 * 1024

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope["headers"]).get(b"content-length")
            if (
                length is not None
                and length.isdigit()
                and int(length) > self.max_bytes + self.SLACK
            ):
                start, body = _json_body(
                    413,
                    "ContentTooLarge",
                    f"request body of {int(length)} bytes exceeds the upload limit of "
                    f"{self.max_bytes // (1024 * 1024)} MiB (MEDTWIN_MAX_UPLOAD_MB)",
                )
                await send(start)
                await send(body)
                return
        await self.app(scope, receive, send)
