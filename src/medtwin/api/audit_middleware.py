"""ASGI middleware: the audit log of patient routes.

A request under ``/v1/patients`` (except the static viewer page and CORS preflights)
by an *authenticated* key on a patient that exists (or is created, or was just deleted) produces
one ``AuditEvent`` (who, what, which patient, route, status). Events are handed to the app's
:class:`~medtwin.store.audit_writer.AuditWriter`, which writes them in batches off the request
path and flushes on shutdown. If the writer cannot take or write events, patient data is not
served (503). Requests without a valid key write nothing: they are counted, and logged at most
once a minute.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any

import anyio
import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medtwin.api.access_log import loggable_route
from medtwin.api.deps import ACTOR_KEY, PATIENT_KEY, StoreHolder
from medtwin.api.json_answers import send_json
from medtwin.api.security import ApiKey, request_key
from medtwin.errors import UNAVAILABLE_RETRY_S, MedtwinError
from medtwin.store.audit import AuditAction
from medtwin.store.audit_writer import AuditWriter

__all__ = ["AuditMiddleware", "RefusedCounter", "audited"]

log = logging.getLogger(__name__)

_PATIENT_PATH = re.compile(r"^/v1/patients(?:/(?P<id>[^/]*))?(?P<rest>/.*)?$")
_VALID_ID = re.compile(r"(?=.*[A-Za-z0-9_-])[A-Za-z0-9_.-]{1,64}")
_ACTIONS: dict[str, AuditAction] = {"GET": "read", "HEAD": "read", "DELETE": "delete"}


def audited(method: str, path: str) -> tuple[AuditAction, str | None] | None:
    """``(action, patient id from the path)`` if this request is audited, else ``None``."""
    m = _PATIENT_PATH.match(path)
    if m is None or method == "OPTIONS" or (m["rest"] or "").rstrip("/") == "/viewer":
        return None
    pid = m["id"]
    return _ACTIONS.get(method, "write"), pid if pid and _VALID_ID.fullmatch(pid) else None


class RefusedCounter:
    """Counts requests refused for want of a valid key; logs them at most once per ``interval``."""

    def __init__(self, interval: float = 60.0) -> None:
        self.interval = interval
        self.total = 0
        self._since_log = 0
        self._last_log = -interval
        self._lock = threading.Lock()

    def add(self, route: str) -> None:
        """Count one refused request (and log, when the interval has passed)."""
        with self._lock:
            self.total += 1
            self._since_log += 1
            now = time.monotonic()
            if now - self._last_log < self.interval:
                return
            n, self._since_log, self._last_log = self._since_log, 0, now
        log.warning(
            "%d request(s) without a valid API key refused (e.g. %s); %d since start",
            n,
            loggable_route(route)[:200],  # no patient id in the server log (it named one)
            self.total,
        )


class AuditMiddleware:
    """Queue an ``AuditEvent`` for each authenticated patient-route request (module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        stores: StoreHolder,
        writer: AuditWriter,
        refused: RefusedCounter,
        api_keys: tuple[ApiKey, ...] = (),
    ) -> None:
        self.app = app
        self.stores = stores
        self.writer = writer
        self.refused = refused
        self.api_keys = api_keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        what = audited(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if what is None:
            await self.app(scope, receive, send)
            return
        action, path_id = what
        replaced = started = False
        route = f"{scope['method']} {scope['path']}"

        def event(status: int) -> dict[str, Any]:
            return {
                "actor": scope[ACTOR_KEY],
                "action": action,
                "patient_id": path_id or scope.get(PATIENT_KEY),
                "route": route,
                "status": status,
            }

        async def should_record(status: int) -> bool:
            if not scope.get(ACTOR_KEY):
                # No route checked a key: none was valid, or no route ran (a 404 path, a 405
                # method), which touched no patient. Only the first is a refusal for want of a
                # key; before, a valid key's PUT was logged as one.
                if request_key(self.api_keys, scope) is None:
                    self.refused.add(route)
                return False
            pid = path_id or scope.get(PATIENT_KEY)
            if pid is None or status < 400:
                # Success: the patient existed (or was created, or was deleted by this request).
                return True
            try:
                return await anyio.to_thread.run_sync(self.stores.get().patient_exists, pid)
            except MedtwinError:
                return True  # cannot tell: keep the event rather than lose it

        async def audited_send(message: Message) -> None:
            nonlocal replaced, started
            if replaced:
                return
            if message["type"] == "http.response.start":
                started = True
                status = int(message["status"])
                if await should_record(status) and not self.writer.submit(event(status)):
                    log.error("audit event not queued (%s): %s", self.writer.problem, event(status))
                    if status < 500:
                        replaced = True
                        # the writer retries every second; its usual cause, a database that
                        # does not answer, is told the same wait as the database's own 503
                        await send_json(
                            send,
                            503,
                            "AuditUnavailable",
                            "the audit log cannot be written, so patient data is not served; "
                            f"retry after {UNAVAILABLE_RETRY_S} s",
                            [(b"retry-after", b"%d" % UNAVAILABLE_RETRY_S)],
                        )
                        return
            await send(message)

        try:
            await self.app(scope, receive, audited_send)
        except Exception:
            # A bug: the outer error middleware turns it into a 500 after this; record that.
            if not started and scope.get(ACTOR_KEY):
                self.writer.submit(event(500))
            raise
