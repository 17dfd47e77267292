"""Lines written while progress bars are drawn go above the bars, whole, and the bars are redrawn.

A bar is drawn by rich's live display, which leaves the cursor at the end of the bar's line. A
line written to the terminal by anything else while a bar is drawn was appended to that line
(``twins ━━━━ 1/3 … -:--:--2026-12-07 09:51:30 WARNING medtwin…``) and the next redraw went on
below it: every log record, every ``click.echo`` to stderr (``patient add``'s unresolved genes)
and to a terminal stdout (``twin build --all``'s line per twin) tore the bars.

Rich's own redirection (``Live(redirect_stderr=True)``) replaces ``sys.stderr`` with a
:class:`rich.file_proxy.FileProxy`, but a logging handler keeps the stream it was given at start
and click looks past the proxy (it has no ``encoding``, so click writes to its ``buffer``, the
terminal itself). Here the standard streams that reach the terminal are replaced by
:class:`LinesAbove` (a proxy that says its encoding, so click uses it), and the root logger's
handlers that wrote to them write to it until the bars end. Python warnings are written to the
current ``sys.stderr`` and so go through it too. A stdout that is not a terminal (``> out.txt``,
a pipe) is left alone: rich's redirection had sent a ``print`` during the bars to the terminal.
"""

from __future__ import annotations

import contextlib
import io
import logging
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["LinesAbove", "lines_above"]


class LinesAbove(io.TextIOBase):
    """A text stream printing each whole line through ``console`` (above its live display).

    A partial line waits for its end (or a ``flush``, as rich's ``FileProxy`` does: a prompt).
    Lines are soft-wrapped, by the terminal, as they would be without bars (rich's own wrapping
    broke a long log line at a word into two lines).
    """

    def __init__(self, console: Console, file: TextIO) -> None:
        self.console = console
        self.file = file
        self._partial: list[str] = []

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The file's (without one, click writes to the file's ``buffer``, past this proxy)."""
        return self.file.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        """The file's error handler."""
        return self.file.errors

    def isatty(self) -> bool:
        """Whether the proxied file is a terminal (click keeps colours for one)."""
        return self.file.isatty()

    def fileno(self) -> int:
        """The proxied file's descriptor."""
        return self.file.fileno()

    def writable(self) -> bool:
        """Always: this is a write-only stream."""
        return True

    def write(self, text: str) -> int:
        """Print the whole lines of ``text`` (and of what waited) above the bars."""
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        *whole, rest = text.split("\n")
        if whole:
            whole[0] = "".join(self._partial) + whole[0]
            self._partial = []
            self._print("\n".join(whole))
        if rest:
            self._partial.append(rest)
        return len(text)

    def flush(self) -> None:
        """Print a partial line now."""
        if self._partial:
            text, self._partial = "".join(self._partial), []
            self._print(text)

    def _print(self, text: str) -> None:
        from rich.text import Text

        self.console.print(Text.from_ansi(text), soft_wrap=True)


def _terminal(stream: TextIO | None) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


@contextlib.contextmanager
def lines_above(console: Console, screen: TextIO) -> Iterator[None]:
    """While in the block, what goes to ``screen`` or to a terminal is printed above the bars.

    ``sys.stderr`` and ``sys.stdout`` are replaced when they are ``screen`` (where the bars are
    drawn) or a terminal, and so is the stream of each root logger handler that wrote to one of
    them; all are put back after, a partial line printed first.
    """
    proxies: dict[int, LinesAbove] = {}
    saved: dict[str, Any] = {}
    for name in ("stderr", "stdout"):
        stream = getattr(sys, name)
        if stream is not None and (stream is screen or _terminal(stream)):
            saved[name] = stream
            proxies[id(stream)] = LinesAbove(console, stream)
            setattr(sys, name, proxies[id(stream)])
    moved: list[tuple[logging.StreamHandler[Any], Any]] = []
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and id(handler.stream) in proxies:
            moved.append((handler, handler.setStream(proxies[id(handler.stream)])))
    try:
        yield
    finally:
        for handler, stream in moved:
            handler.setStream(stream)
        for name, stream in saved.items():
            proxy = getattr(sys, name)
            if isinstance(proxy, LinesAbove):
                proxy.flush()
            setattr(sys, name, stream)
