"""Refuse a multipart form whose text is not UTF-8, while the body streams.

Starlette decodes a multipart text field, a field name and a file name as UTF-8, and what is not
UTF-8 as Latin-1, silently (``starlette.formparsers._user_safe_decode``): a note sent in Latin-1
(``fi\\xe8vre``) was stored as ``fièvre`` and a stray byte ``\\xff`` as ``ÿ``, where a JSON body
that is no UTF-8 is refused. By the time a route sees the field the bytes are gone, so the body
guard feeds each chunk to a second parser of the same library (``python-multipart``) that keeps
only the text parts (capped: Starlette refuses a field over 1 MB itself) and checks each as it
ends. A file's bytes are never checked: a file may be binary (``.h5ad``, ``.gz``).
"""

from __future__ import annotations

import codecs

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from medtwin.platform.safe_text import shortened

__all__ = ["FormTextCheck", "form_text_check"]

_MAX_TEXT = 1024 * 1024 + 1
"""Bytes of a text part kept for the check (Starlette's own limit of a field is 1 MiB)."""


def _escaped(raw: bytes) -> str:
    return shortened(raw.decode("utf-8", "backslashreplace"), 200)


class FormTextCheck:
    """Parse a multipart body alongside Starlette; :attr:`problem` names the first non-UTF-8 text.

    Examples
    --------
    >>> check = FormTextCheck(b"b")
    >>> check.feed(b'--b\\r\\nContent-Disposition: form-data; name="note"\\r\\n\\r\\nfi\\xe8vre')
    >>> check.feed(b"\\r\\n--b--\\r\\n")[:48]
    "form field 'note' is not UTF-8 text ('fi\\\\xe8vre'"
    """

    def __init__(self, boundary: bytes) -> None:
        self.problem: str | None = None
        self._field = b""
        self._value = b""
        self._disposition = b""
        self._name = ""
        self._text: bytearray | None = None  # the part's bytes, when it is no file
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._begin,
                "on_header_field": lambda d, s, e: self._add_field(d[s:e]),
                "on_header_value": lambda d, s, e: self._add_value(d[s:e]),
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": lambda d, s, e: self._data(d[s:e]),
                "on_part_end": self._part_end,
            },
        )
        self._broken = False

    def feed(self, chunk: bytes) -> str | None:
        """Parse the next chunk; the problem found so far, if any."""
        if self.problem is None and not self._broken:
            try:
                self._parser.write(chunk)
            except MultipartParseError:
                self._broken = True  # Starlette's own parse names a broken body
        return self.problem

    def _begin(self) -> None:
        self._disposition, self._text = b"", None

    def _add_field(self, data: bytes) -> None:
        self._field += data

    def _add_value(self, data: bytes) -> None:
        self._value += data

    def _header_end(self) -> None:
        if self._field.lower() == b"content-disposition":
            self._disposition = self._value
        self._field = self._value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        name = options.get(b"name", b"")
        self._name = name.decode("utf-8", "backslashreplace")
        if not self._utf8(name):
            self._refuse(f"form field name '{_escaped(name)}' is not UTF-8 text")
        elif b"filename" in options:
            if not self._utf8(options[b"filename"]):
                self._refuse(
                    f"the file name of form field '{self._name}' is not UTF-8 "
                    f"('{_escaped(options[b'filename'])}')",
                    fix="rename the file",
                )
        else:
            self._text = bytearray()

    def _data(self, data: bytes) -> None:
        if self._text is not None and len(self._text) < _MAX_TEXT:
            self._text += data

    def _part_end(self) -> None:
        if self._text is not None and not self._utf8(bytes(self._text)):
            self._refuse(
                f"form field '{self._name}' is not UTF-8 text ('{_escaped(bytes(self._text))}')"
            )
        self._text = None

    @staticmethod
    def _utf8(raw: bytes) -> bool:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True

    def _refuse(self, what: str, fix: str = "check the encoding of the text sent") -> None:
        if self.problem is None:
            self.problem = f"{what}; give it as UTF-8 ({fix})"


def form_text_check(content_type: bytes) -> FormTextCheck | None:
    """The check for a request of this ``Content-Type``: a multipart form read as UTF-8 (no
    ``charset`` parameter, or ``utf-8``), else ``None``. A declared charset Python knows is
    Starlette's to decode."""
    media, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if media != b"multipart/form-data" or not boundary:
        return None
    charset = options.get(b"charset", b"utf-8").decode("latin-1")
    try:
        if codecs.lookup(charset).name != "utf-8":
            return None
    except LookupError:
        pass  # Starlette falls back to Latin-1 for an unknown charset: hold it to UTF-8
    return FormTextCheck(boundary)
