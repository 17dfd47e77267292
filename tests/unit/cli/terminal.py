"""A captured terminal for tests of what is drawn: a stream that says it is a terminal, and the
screen its output leaves (the few control sequences rich's live display writes, applied)."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess

_CONTROL = re.compile(r"\x1b\[([?0-9;]*)([A-Za-z])|([\r\n])|([^\x1b\r\n]+)")


class Terminal(io.StringIO):
    """What a command writes to a terminal, kept as written (``screen()`` reads it)."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True

    def screen(self) -> list[str]:
        """The lines on screen, trailing blanks dropped."""
        return screen(self.getvalue())


def run_on_a_terminal(argv: list[str], env: dict[str, str], timeout: float) -> tuple[int, str]:
    """Run ``argv`` with stdout and stderr on a pseudo-terminal, as in a shell: its exit code and
    all it wrote (``\r\n`` read as ``\n``)."""
    parent, child = pty.openpty()
    run = subprocess.Popen(argv, stdout=child, stderr=child, env=env)  # noqa: S603 - tests' argv
    os.close(child)
    written = b""
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        written += chunk
    os.close(parent)
    return run.wait(timeout=timeout), written.decode().replace("\r\n", "\n")


def screen(text: str) -> list[str]:
    r"""Apply ``text`` to an empty screen: characters overwrite at the cursor, ``\r`` returns,
    ``\n`` starts the next line (a terminal's output translation), ``ESC[nA`` moves up,
    ``ESC[2K`` erases the line; colours and cursor visibility change nothing here.

    >>> screen("bar 1/3\r\x1b[2Kline\nbar 2/3")
    ['line', 'bar 2/3']
    >>> screen("bar 1/3line\nbar 2/3")
    ['bar 1/3line', 'bar 2/3']
    """
    rows: list[list[str]] = [[]]
    row = col = 0
    for m in _CONTROL.finditer(text):
        param, final, newline, chars = m.groups()
        if chars:
            line = rows[row]
            line.extend(" " * (col - len(line)))
            line[col : col + len(chars)] = chars
            col += len(chars)
        elif newline == "\r":
            col = 0
        elif newline == "\n":
            row, col = row + 1, 0
            if row == len(rows):
                rows.append([])
        elif final == "A":
            row = max(0, row - int(param or 1))
        elif final == "K" and param == "2":
            rows[row] = []
    lines = ["".join(r).rstrip() for r in rows]
    while lines and not lines[-1]:
        lines.pop()
    return lines
