"""Where a streamed JSON document is invalid: line, column and what was found there.

The FHIR reader parses a bundle as it streams (``ijson``'s yajl backend), and yajl's error says
what is wrong and shows up to 30 bytes either side of the spot, but not where that spot is in
the file. :class:`JsonPosition` stands between the file and the parser: it counts the lines and
characters of the chunks it hands over and keeps the last two (one ``read`` size each, so the
memory is bounded whatever the file), and :func:`json_error` finds yajl's spot in them again (the
excerpt yajl renders, matched against those chunks) and turns it into a line and column.

yajl points *after* the token that broke the grammar (``[1,2,]``: after the ``]``) and at or
after the character the lexer refused, so the spot named is the start of that token (a string
from its opening quote) or the character refused (:func:`_spot`). When the excerpt is not found
once in the last chunk (a NUL cuts it; the same 60 bytes twice), the error names the lines of
the kept chunks instead.

A nesting too deep is no yajl error: the reader counts the containers of the events (in
``level``), and :meth:`JsonPosition.opening` finds the bracket that crossed its limit in the
last chunk. yajl parses a whole chunk before its events are handed on, so that bracket is in
the last chunk read, and the reader's ``level`` when that chunk was read is the nesting where
it starts; the chunks' quotes are counted as they pass (a C-speed count unless a chunk holds a
backslash), so whether it starts inside a string is known too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from medtwin.errors import SourceFormatError
from medtwin.loaders.limits import shown

__all__ = ["JsonPosition", "json_error"]

_CONTINUATION = bytes(range(0x80, 0xC0))
"""UTF-8 continuation bytes: a character is a byte that is none of these."""

_WINDOW = 30
"""Bytes yajl shows either side of its offset (yajl_render_error_string)."""
_ARROW = 40
"""Column of yajl's ``^`` under its excerpt: the excerpt is padded so its offset falls there."""

_FIXES = {
    "premature EOF": "the file ends inside the JSON: it was cut short (an interrupted download "
    "or copy); export or copy the whole bundle again",
    "trailing garbage": "text follows the end of the Bundle's JSON: remove it (one Bundle per "
    "file)",
    "unallowed token at this point in JSON text": "a comma, colon or bracket too many or "
    "missing just before it (JSON allows no comma before ']' or '}', and no empty element): "
    "remove or add it",
    "invalid object key (must be a string)": "an object key must be a quoted string, and JSON "
    "allows no comma before '}': remove the comma or quote the key",
    "object key and value must be separated by a colon (':')": "put a ':' between the key and "
    "its value",
    "after key and value, inside map, I expect ',' or '}'": "a ',' is missing between two "
    "members of an object (or a '}' to close it): add it",
    "after array element, I expect ',' or ']'": "a ',' is missing between two elements of an "
    "array (or a ']' to close it): add it",
    "integer overflow": "a number too large for JSON readers: write it smaller or as a string",
    "numeric (floating point) overflow": "a number beyond the largest float (such as 1e400): "
    "write a finite number",
    "invalid bytes in UTF8 string.": "bytes that are not UTF-8 inside a string: save the file "
    "as UTF-8",
    "inside a string, '\\' occurs before a character which it may not.": "a backslash in a "
    'string starts an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX): write a literal '
    "backslash as \\\\",
    "invalid character inside string.": "a control character (a tab or line break) inside a "
    "string: write it as \\t or \\n",
    "invalid (non-hex) character occurs after '\\u' inside string.": "\\u must be followed by "
    "4 hexadecimal digits (\\u00e9)",
    "invalid char in json text.": "text that is no JSON value: strings need double quotes, "
    "and NaN, Infinity and single quotes are not JSON",
    "invalid string in json text.": "a misspelt true, false or null",
    "malformed number, a digit is required after the decimal point.": "a malformed number: "
    "write it as 1.5, -2 or 1e-3",
    "malformed number, a digit is required after the exponent.": "a malformed number: write "
    "it as 1.5, -2 or 1e-3",
    "malformed number, a digit is required after the minus sign.": "a malformed number: "
    "write it as 1.5, -2 or 1e-3",
    "probable comment found in input text, comments are not enabled.": "a comment: JSON has "
    "none; remove it",
}
"""yajl's reasons (yajl_parser.c, yajl_lex.c) and what to do about each."""

_AT_OFFSET = frozenset(
    {
        "integer overflow",
        "numeric (floating point) overflow",
        "invalid character inside string.",
        "invalid (non-hex) character occurs after '\\u' inside string.",
        "probable comment found in input text, comments are not enabled.",
    }
)
"""Reasons whose offset is the refused character itself, not just past the refused token."""

_ESCAPE = "inside a string, '\\' occurs before a character which it may not."
_IN_STRING = frozenset(
    {
        "invalid character inside string.",
        "invalid (non-hex) character occurs after '\\u' inside string.",
        "invalid bytes in UTF8 string.",
    }
)
_LEXICAL = frozenset(reason for reason in _FIXES if reason.endswith("."))
"""The lexer's reasons (each ends with a full stop, as yajl_lex.c writes them)."""


def _characters(data: bytes) -> int:
    """Characters of UTF-8 ``data`` (a chunk may start or end inside one: count its lead byte)."""
    return len(data.translate(None, _CONTINUATION))


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class JsonPosition:
    """A byte stream handed to the JSON parser, which knows where its last two chunks begin.

    Parameters
    ----------
    stream
        What the parser should read.
    """

    def __init__(self, stream: _Readable) -> None:
        self._stream = stream
        self._chunks: tuple[bytes, bytes] = (b"", b"")
        self._line = 1  # the line the first kept chunk begins on
        self._column = 0  # characters of that line before the first kept chunk
        self._string = (False, False)  # the last chunk starts inside a string; after a backslash
        self._level = 0  # containers open where the last chunk starts
        self.blank = True  # no byte but white space read yet
        self.level = 0
        """Containers open after the events handed on so far: kept by the reader."""

    def read(self, size: int = -1, /) -> bytes:
        """The next bytes, counted as the older kept chunk is let go."""
        data = self._stream.read(size)
        if size == 0:  # ijson asks read(0) whether the stream gives bytes: no chunk
            return data
        self.blank = self.blank and not data.strip()
        older, last = self._chunks
        self._line, self._column = self._after(older, len(older))
        self._string = _string_state(last, *self._string)
        self._chunks, self._level = (last, data), self.level
        return data

    def opening(self, depth: int) -> tuple[int, int, str] | None:
        """``(line, column, bracket)`` of the first container opened ``depth`` deep, or ``None``.

        Searched in the last chunk, which holds the bracket the parser's latest events came from
        (module docstring).
        """
        older, last = self._chunks
        in_string, escaped = self._string
        level = self._level
        for match in _STRUCTURE.finditer(last, 1 if escaped else 0):
            token = match.group()
            if token == b'"':
                in_string = not in_string
            elif in_string or token.startswith(b"\\"):  # no bracket: inside a string
                continue
            elif token in b"[{":
                if level == depth:
                    line, column = self._after(older + last, len(older) + match.start())
                    return line, column + 1, shown(token.decode())
                level += 1
            else:
                level -= 1
        return None

    def _after(self, data: bytes, end: int) -> tuple[int, int]:
        """Line and characters of the line before ``data[end]``, ``data`` the kept bytes."""
        head = data[:end]
        newlines = head.count(b"\n")
        if not newlines:
            return self._line, self._column + _characters(head)
        return self._line + newlines, _characters(head[head.rfind(b"\n") + 1 :])

    def locate(self, reason: str, excerpt: bytes) -> tuple[int, int, str] | None:
        """``(line, column, what is there)`` of yajl's error, or ``None``.

        ``None`` when yajl's excerpt is not found once in the last chunk (a NUL in it cuts
        the excerpt; the same 60 bytes twice in 64 KiB leave the spot in doubt).
        """
        older, last = self._chunks
        data = older + last
        if reason == "premature EOF":
            line, column = self._after(data, len(data))
            return line, column + 1, "the end of the file"
        offset = _yajl_offset(last, excerpt)
        if offset is None:
            return None
        start, end = _spot(data, len(older) + offset, reason)
        line, column = self._after(data, start)
        found = data[start:end].decode("utf-8", "replace")
        return line, column + 1, shown(found, 40) if found else "the end of the file"

    def lines(self) -> tuple[int, int]:
        """The first and last line of the kept chunks."""
        older, last = self._chunks
        return self._line, self._after(older + last, len(older) + len(last))[0]


_STRUCTURE = re.compile(rb'\\.|\\\Z|"|[\[\]{}]', re.DOTALL)
"""What decides the nesting: an escape (its character taken with it), a quote, a bracket."""


def _string_state(data: bytes, in_string: bool, escaped: bool) -> tuple[bool, bool]:
    r"""Whether the JSON after ``data`` is inside a string, and right after a backslash.

    ``in_string``, ``escaped``: the same before ``data``. A backslash occurs only inside a
    string (elsewhere yajl stops), so without one the quotes alternate and a count tells.

    >>> _string_state(b'{"a": "b', False, False), _string_state(b'\\"" x', True, True)
    ((True, False), (True, False))
    """
    if not escaped and b"\\" not in data:
        return in_string ^ bool(data.count(b'"') & 1), False
    for match in _STRUCTURE.finditer(data, 1 if escaped else 0):
        if match.group() == b'"':
            in_string = not in_string
        elif match.group() == b"\\":  # the last byte: the next chunk's first is escaped
            return in_string, True
    return in_string, False


_DELIMITERS = frozenset(b' \t\r\n,:[]{}"')
"""Bytes that end a bare JSON token (a number, true, an unquoted word)."""


def _spot(data: bytes, offset: int, reason: str) -> tuple[int, int]:
    """``data[start:end]``: what yajl refused, given its ``offset`` into ``data``.

    A parse error names the token that broke the grammar (a string from its opening quote,
    a number or word whole); a lexical error the character refused (or the word it starts).
    """
    # at the end of the input yajl points past its last token, as for the other reasons
    past_end = reason in _AT_OFFSET and offset >= len(data)
    if (reason in _AT_OFFSET or reason in _LEXICAL) and not past_end:
        start = offset
        if reason not in _AT_OFFSET:  # yajl points past the refused character
            start = max(0, len(data[:offset].rstrip(b" \t\r\n")) - 1)
        while start > 0 and data[start] in _CONTINUATION:
            start -= 1
        if reason == _ESCAPE:  # the backslash and the character after it
            return start, _word_end(data, start + 1, 1)
        if reason in _IN_STRING:  # one character of a string
            return start, _word_end(data, start, 1)
        return start, _word_end(data, start)
    last = len(data[:offset].rstrip(b" \t\r\n")) - 1  # yajl points past the token
    if last < 0:
        return offset, _word_end(data, offset)
    if data[last] == ord('"'):  # a string: from its opening quote
        opening = data.rfind(b'"', 0, last)
        return (opening if opening >= 0 else last), last + 1
    if data[last] in _DELIMITERS:
        return last, last + 1
    start = last
    while start > 0 and data[start - 1] not in _DELIMITERS:
        start -= 1
    if start > 0 and data[start - 1] == ord('"'):  # yajl stopped at a string's closing quote
        closing = data.find(b'"', last + 1)
        return start - 1, (closing + 1 if closing >= 0 else last + 1)
    return start, _word_end(data, start)


def _word_end(data: bytes, start: int, most: int = 40) -> int:
    """The end of the bare token at ``start`` (at least one character, at most ``most`` bytes)."""
    end = start + 1
    while end < min(len(data), start + most) and data[end] not in _DELIMITERS:
        end += 1
    while end < len(data) and data[end] in _CONTINUATION:
        end += 1
    return min(end, len(data))


def _yajl_offset(chunk: bytes, excerpt: bytes) -> int | None:
    """The offset yajl stopped at in ``chunk``, found from the ``excerpt`` it rendered of it.

    yajl shows ``chunk[offset - 30 : offset + 30]`` (from 0 when the offset is below 30, the
    line breaks as spaces), padded on the left so that ``chunk[offset]`` is at column 40.
    """
    flat = chunk.replace(b"\n", b" ").replace(b"\r", b" ")
    after = len(excerpt) - _ARROW  # bytes shown from the offset on: min(len - offset, 30)
    if after < 0:
        return None
    found = [
        offset
        for offset in range(min(_WINDOW, len(chunk) + 1))
        if b" " * (_ARROW - offset) + flat[: offset + _WINDOW] == excerpt
    ]
    window = excerpt[_ARROW - _WINDOW :]
    if excerpt[: _ARROW - _WINDOW].strip(b" ") == b"" and window:
        start = flat.find(window)
        while start != -1:
            offset = start + _WINDOW
            if offset <= len(chunk) and min(len(chunk) - offset, _WINDOW) == after:
                found.append(offset)
            start = flat.find(window, start + 1)
    unique = set(found)
    return unique.pop() if len(unique) == 1 else None


def json_error(path: Path, message: object, position: JsonPosition, what: str) -> SourceFormatError:
    """The parser's ``message`` as one line naming the line, column, what is there and the fix.

    ``what`` names the document (``"not a valid FHIR R4 Bundle"``), said first, as before.
    """
    raw = message if isinstance(message, bytes) else str(message).encode("utf-8")
    parts = raw.split(b"\n")
    reason = parts[0].decode("utf-8", "replace").strip()
    for prefix in ("parse error: ", "lexical error: "):
        reason = reason.removeprefix(prefix)
    excerpt = parts[1] if len(parts) > 2 else b""
    fix = _FIXES.get(reason, "fix the JSON there")
    if reason == "premature EOF" and position.blank:
        return SourceFormatError(
            path, None, f"{what}: the file is empty (or white space only); give the bundle's JSON"
        )
    # yajl's excerpt, its padding cut (a NUL in it ends yajl's text: the arrow's line follows)
    near = excerpt.split(b"\x00")[0].split(b"(right here)")[0].decode("utf-8", "replace").strip()
    near_text = f" near {shown(near, 60)}" if near else ""
    spot = position.locate(reason, excerpt)
    if spot is None:
        first, last = position.lines()
        return SourceFormatError(
            path,
            None,
            f"{what}: invalid JSON in lines {first}-{last} ({reason}){near_text}; {fix}",
        )
    line, column, found = spot
    return SourceFormatError(
        path,
        line,
        f"{what}: invalid JSON at column {column}: found {found}{near_text} ({reason}); {fix}",
    )
