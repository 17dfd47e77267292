"""uvicorn's HTTP protocol (httptools) answering the requests it refuses itself in the API's JSON.

uvicorn answers a request its parser refuses with a plain-text ``400`` ("Invalid HTTP request
received.") before the app is called, so no middleware can change it. The commonest for a client
is a URL over 65,535 bytes (a long list of ids in the query string): httptools' URL parser keeps
offsets in 16 bits (``http_parser_url``) and refuses it after the headers are read, while uvicorn
holds the whole URL in memory. This protocol stops reading such a URL at its 65,536th byte and
answers ``414 URITooLong``; any other request the parser refuses gets ``400 BadRequest``, both in
the ``{"error", "detail"}`` body of every other answer. ``medtwin serve`` runs uvicorn with it
(``uvicorn.run(..., http=JsonErrorsProtocol)``); run by hand, uvicorn answers as before.
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from medtwin.api.json_answers import json_body

__all__ = ["MAX_URL_BYTES", "JsonErrorsProtocol"]

MAX_URL_BYTES = 65_535
"""Longest URL (path and query) httptools' URL parser reads."""


class _UrlTooLong(Exception):
    """Raised from the parser's URL callback: the parser stops and reports an error."""


class JsonErrorsProtocol(HttpToolsProtocol):
    """:class:`HttpToolsProtocol` whose own refusals are JSON (module docstring)."""

    _url_too_long = False

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._url_too_long = False

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > MAX_URL_BYTES:
            self._url_too_long = True
            raise _UrlTooLong  # stop reading it: uvicorn kept every byte until the headers ended

    def send_400_response(self, msg: str) -> None:
        if self._url_too_long:
            status, error = 414, "URITooLong"
            detail = (
                f"the URL has more than {MAX_URL_BYTES:,} bytes, the most the server reads; send "
                "fewer or shorter query parameters (page a list with offset and limit; /docs)"
            )
        else:
            status, error = 400, "BadRequest"
            detail = (
                "the request is not valid HTTP/1.1 (the server's parser refused it before any "
                "route: a malformed request line, header or chunk); check the client's request"
            )
        body = json_body({"error": error, "detail": detail})
        content = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend(
            [
                b"content-type: application/json\r\n",
                b"content-length: %d\r\n" % len(body),
                b"connection: close\r\n",
                b"\r\n",
                body,
            ]
        )
        self.transport.write(b"".join(content))
        self.transport.close()
