"""ASGI middleware: the guard in front of request bodies.

A request that carries a body under ``/v1`` is authenticated (and must hold a
``write`` key: every body-taking route writes) from its headers *before* a byte of the body is
read, so nobody without a key can make the server spool an upload. The body is then counted as it
streams, chunked or not: past ``MEDTWIN_MAX_UPLOAD_MB`` the request is answered 413 and nothing
more is read; a JSON body is cut at :data:`MAX_JSON_BYTES` (1 MiB) instead. A declared
``Content-Length`` over the limit is refused at once. A body that sends nothing for
``MEDTWIN_API_BODY_IDLE_S`` or averages under ``MEDTWIN_API_BODY_MIN_RATE_KB`` is answered 408, so
a stalled upload frees its key's slot (:mod:`medtwin.api.body_pace`). A multipart form's text
that is not UTF-8 is refused (422, :mod:`medtwin.api.form_text`), and so is a body sent with a
``Content-Encoding`` other than ``identity`` (415: no route decodes one). A URL-encoded
form's bytes above ASCII are percent-encoded as they pass (:func:`utf8_form_bytes`), so its text
is read as UTF-8.
"""

from __future__ import annotations

import re
import time

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medtwin.api.body_pace import BodyPace
from medtwin.api.deps import ACTOR_KEY
from medtwin.api.form_text import form_text_check
from medtwin.api.json_answers import send_json
from medtwin.api.security import ApiKey, request_key

__all__ = ["MAX_JSON_BYTES", "BodyGuardMiddleware", "utf8_form_bytes"]

_MIB = 1024 * 1024


class _BodyTooLarge(Exception):
    """Raised from ``receive`` when the streamed body passes the limit."""


class _BodyRefused(Exception):
    """Raised from ``receive`` when the body is refused as it streams: its next chunk did not
    come in time (408), or a form's text is not UTF-8 (422)."""


MAX_JSON_BYTES = 1024 * 1024
"""Largest JSON body (the twin, ranking and trajectory parameters are a few hundred bytes).

Under the upload limit (50 MiB), a JSON body of 27 MB holding 2 million ``layer_weights`` keys
kept a worker busy 12 s and the process 280 MB larger before its 422, and 4 such requests at
once were within one write key's limits."""
_URL_FORM = b"application/x-www-form-urlencoded"
_NOT_ASCII = re.compile(rb"[\x80-\xff]")


def utf8_form_bytes(body: bytes) -> bytes:
    """A chunk of a URL-encoded form with each byte above ASCII percent-encoded.

    ``curl -d "note=fièvre"`` sends the note's UTF-8 bytes unescaped. Starlette decodes such a
    form as Latin-1 before it percent-decodes (as UTF-8), so the patient's note was stored as
    ``fiÃ¨vre``. Escaped, the bytes are decoded as UTF-8 with the rest, as browsers (WHATWG URL
    standard) read a form; bytes that are no UTF-8 become U+FFFD. Byte by byte, so a chunk
    boundary never matters.

    >>> utf8_form_bytes("note=fièvre&a=%C3%A8".encode())
    b'note=fi%C3%A8vre&a=%C3%A8'
    """
    return _NOT_ASCII.sub(lambda m: b"%%%02X" % m[0][0], body)


_IDENTITY = [(b"accept-encoding", b"identity"), (b"connection", b"close")]


def _coded(coding: bytes) -> str:
    """The 415's detail for a body sent with ``Content-Encoding: coding`` (RFC 9110 15.5.16)."""
    return (
        f"the body has Content-Encoding {coding.decode('latin-1')[:40]}, which no route reads: "
        "send it uncompressed, without that header (a JSON body is at most 1 MiB; a table may "
        "go in a form gzipped as a file part, curl -F de=@p.tsv.gz)"
    )


class BodyGuardMiddleware:
    """Authenticate before reading a body; bound the body while it streams (module docstring).

    Parameters
    ----------
    app
        The wrapped app.
    api_keys
        The configured keys.
    max_bytes
        Largest body accepted (``MEDTWIN_MAX_UPLOAD_MB``).
    pace
        How long to wait for each chunk of a body (default: 30 s idle, 1 KiB/s).
    """

    def __init__(
        self,
        app: ASGIApp,
        api_keys: tuple[ApiKey, ...],
        max_bytes: int,
        pace: BodyPace | None = None,
    ) -> None:
        self.app = app
        self.api_keys = api_keys
        self.max_bytes = max_bytes
        self.pace = pace or BodyPace(idle_s=30.0, min_rate_kb=1.0)

    async def _too_large(self, send: Send, got: str, limit: int) -> None:
        what = (
            f"the upload limit of {self.max_bytes / _MIB:g} MiB (MEDTWIN_MAX_UPLOAD_MB)"
            if limit == self.max_bytes
            else f"the {limit / _MIB:g} MiB a JSON body may have (a route's parameters fit in a "
            "few KB; files go in a form)"
        )
        await send_json(
            send,
            413,
            "ContentTooLarge",
            f"request body {got} exceeds {what}",
            [(b"connection", b"close")],
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        has_body = (length is not None and length.strip() not in (b"", b"0")) or (
            b"transfer-encoding" in headers
        )
        if has_body and scope["method"] in ("GET", "HEAD") and scope["path"].startswith("/v1/"):
            # before: a read key's GET with a body was told it "needs write"
            await send_json(
                send,
                400,
                "BadRequest",
                f"a {scope['method']} request takes no body: send its parameters in the query "
                "string (see /docs)",
                [(b"connection", b"close")],
            )
            return
        if has_body and scope["path"].startswith("/v1/"):
            key = request_key(self.api_keys, scope)
            if key is None:
                await send_json(
                    send,
                    401,
                    "Unauthorized",
                    "missing or invalid API key: send `Authorization: Bearer <key>` or "
                    "`X-API-Key: <key>` (create one with `medtwin api-key new NAME`)",
                    [(b"www-authenticate", b"Bearer"), (b"connection", b"close")],
                )
                return
            scope[ACTOR_KEY] = key.name
            if not key.allows("write"):
                await send_json(
                    send,
                    403,
                    "Forbidden",
                    f"API key {key.name!r} has scope {key.scope}, needs write",
                    [(b"connection", b"close")],
                )
                return
        coding = headers.get(b"content-encoding", b"identity").strip().lower()
        if has_body and coding != b"identity" and scope["path"].startswith("/v1/"):
            # no route decodes a body: read as it is, gzip was told "check the body's encoding"
            await send_json(send, 415, "UnsupportedMediaType", _coded(coding), _IDENTITY)
            return
        media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        json_body = media == b"application/json" or media.endswith(b"+json")
        limit = min(self.max_bytes, MAX_JSON_BYTES) if json_body else self.max_bytes
        if length is not None and length.isdigit() and int(length) > limit:
            await self._too_large(send, f"of {int(length)} bytes", limit)
            return

        seen = 0
        exceeded = started = False
        refused: tuple[int, str, str] | None = None  # status, error, detail
        body_done = not has_body
        began = time.monotonic()
        url_form = headers.get(b"content-type", b"").lower().startswith(_URL_FORM)
        form_text = form_text_check(headers.get(b"content-type", b"")) if has_body else None

        async def limited_receive() -> Message:
            nonlocal seen, exceeded, refused, body_done
            if exceeded:
                raise _BodyTooLarge
            if refused:
                raise _BodyRefused
            if body_done:
                # after the body only a disconnect comes, maybe long after: never timed
                return await receive()
            wait_s = self.pace.wait_limit(received=seen, elapsed=time.monotonic() - began)
            message: Message | None = None
            with anyio.move_on_after(max(wait_s, 0.0)):
                message = await receive()
            if message is None:
                elapsed = time.monotonic() - began
                detail = self.pace.refusal(received=seen, elapsed=elapsed, limit=wait_s)
                refused = (408, "RequestTimeout", detail)
                raise _BodyRefused
            if message["type"] == "http.request":
                body_done = not message.get("more_body", False)
                seen += len(message.get("body", b""))
                if seen > limit:
                    exceeded = True
                    raise _BodyTooLarge
                if url_form:
                    message = {**message, "body": utf8_form_bytes(message.get("body", b""))}
                if form_text is not None and form_text.feed(message.get("body", b"")):
                    refused = (422, "ValidationError", form_text.problem or "")
                    raise _BodyRefused
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded or refused:
                return  # whatever the app answers to a cut body, the client gets the 413/408/422
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not (exceeded or refused):
                raise
        if refused and not started:
            # the rest of the body may still come: only a closed connection ends the request
            await send_json(send, *refused, [(b"connection", b"close")])
        if exceeded and not started:
            await self._too_large(send, "(streamed, cut after the limit)", limit)
