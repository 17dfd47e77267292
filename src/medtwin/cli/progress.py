"""Progress of long commands: rich bars on a terminal, one line per step otherwise.

The platform reports progress through plain callbacks (``progress(done, total)``, or
``progress(step, done, total)`` for work of several steps) and never imports rich or click;
:class:`StepProgress` turns those calls into

- rich progress bars on stderr when stderr is a terminal (removed when the command ends, so the
  command's own summary is what stays on screen), with whatever is written meanwhile (log
  records, warnings, ``click.echo``) printed above them (:mod:`medtwin.cli.above_bars`);
- one line on stderr per finished step otherwise (logs, CI, pipes): per dataset when the unit is
  rows, per item when the unit is twins, patients, rankings or gene sets;
- nothing at all when ``quiet`` (``--json``).
"""

from __future__ import annotations

import contextlib
import math
import sys
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from medtwin.cli.above_bars import lines_above

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

__all__ = ["StepProgress", "on_terminal"]


def on_terminal() -> bool:
    """Whether stderr, where progress goes, is a terminal (bars are drawn there)."""
    return sys.stderr.isatty()


ROWS = "rows"


class StepProgress:
    """Show the progress of named steps (see the module docstring).

    Parameters
    ----------
    quiet
        Show nothing (machine-readable output).
    units
        Step name -> unit (default ``rows``); any other unit than ``rows`` counts items, each
        one a step of its own when not on a terminal.
    stream
        Where to write (default ``sys.stderr``).
    terminal
        Force bars (``True``) or lines (``False``); default: whether ``stream`` is a terminal.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> with StepProgress(units={"twins": "twins"}, stream=out, terminal=False) as p:
    ...     p("drugs", 500, 1000)
    ...     p("drugs", 1000, 1000)
    ...     p.callback("twins")(1, 2)
    >>> [line.split(" ", 2)[2].partition(" (")[0] for line in out.getvalue().splitlines()]
    ['drugs 1,000/1,000 rows', 'twins 1/2']
    """

    def __init__(
        self,
        *,
        quiet: bool = False,
        units: dict[str, str] | None = None,
        stream: TextIO | None = None,
        terminal: bool | None = None,
    ) -> None:
        self.quiet = quiet
        self.units = dict(units or {})
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self._bars: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._last_line = time.perf_counter()
        self._reported: dict[str, int] = {}
        self._last_status = -math.inf
        self._above = contextlib.ExitStack()

    def __enter__(self) -> StepProgress:
        if not self.quiet and self.terminal:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bars = Progress(
                TextColumn("{task.description:<28}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[unit]}"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stream, force_terminal=True),
                transient=True,
                # rich's redirection is bypassed by logging and click: see above_bars
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._bars.start()
            self._above.enter_context(lines_above(self._bars.console, self.stream))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._above.close()
        if self._bars is not None:
            self._bars.stop()
            self._bars = None

    def __call__(self, step: str, done: int, total: int, *, detail: str = "") -> None:
        """Record that ``step`` has done ``done`` of ``total``.

        ``detail`` names the item just done (``fetch 1/22`` said nothing of which file): after
        the count on a line, after the step's name on a bar.
        """
        if self.quiet:
            return
        unit = self.units.get(step, ROWS)
        if self._bars is not None:
            task = self._tasks.get(step)
            if task is None:
                task = self._tasks[step] = self._bars.add_task(step, total=total, unit=unit)
            said = f"{step}: {detail}" if detail else step
            self._bars.update(task, completed=done, total=total, description=said)
            return
        finished = done >= total
        if (unit == ROWS and not finished) or self._reported.get(step) == done:
            return
        self._reported[step] = done
        now = time.perf_counter()
        took, self._last_line = now - self._last_line, now  # the step's time, reading included
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        suffix = f" {unit}" if unit == ROWS else ""
        suffix += f" {detail}" if detail else ""
        line = f"{stamp} {step} {done:,}/{total:,}{suffix} ({took:.1f} s)"
        print(line, file=self.stream, flush=True)

    def status(self, text: str, *, every: float = 10.0) -> None:
        """Say ``text`` on a line of its own, at most once per ``every`` seconds (a wait's status).

        Above the bars on a terminal (printed through their console, so they are not torn),
        else with a timestamp like the step lines; nothing when ``quiet``.
        """
        now = time.monotonic()
        if self.quiet or now - self._last_status < every:
            return
        self._last_status = now
        if self._bars is not None:
            self._bars.console.print(text, markup=False, highlight=False)
            return
        print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {text}", file=self.stream, flush=True)

    def steps(self, label: str, order: Sequence[str] = ()) -> Callable[[str, int, int], None]:
        """A ``progress(step, done, total)`` callback drawn as one bar, ``label: step done``.

        For one long job of several named steps (one twin's build, one ranking): a bar per
        step name would draw eight bars of one job. Drawn on a terminal only; elsewhere the
        command's own result line says what was done.

        With ``order`` (the job's steps, as its use case marks them, maybe after steps of the
        command's own) the bar names the step under way instead, from the start (``label:
        dumping the database``; a first step of a minute was silent): a call naming a step of
        ``order`` ends it, and the bar counts steps by their place in ``order``; a call naming
        anything else counts the parts of the step under way (``label: scoring 299 disease
        modules`` 40/299, :func:`~medtwin.platform.step_times.tally`).
        """
        position = {name: i for i, name in enumerate(order, start=1)}

        def report(step: str, done: int, total: int) -> None:
            if self._bars is None:
                return
            task = self._tasks.get(label)
            if task is None:
                task = self._tasks[label] = self._bars.add_task(label, total=total, unit="steps")
            unit = "steps"
            if not order:
                said = f"{label}: {step} done"  # called as each step ends
            elif step in position:  # a step ended: name the next (the last: itself)
                said = f"{label}: {order[min(position[step], len(order) - 1)]}"
                done, total = position[step], len(order)
            else:  # parts of the step under way, counted
                said, unit = f"{label}: {step}", ""
            self._bars.update(task, completed=done, total=total, description=said, unit=unit)

        if order and self._bars is not None:  # drawn now: the first step is under way
            self._tasks[label] = self._bars.add_task(
                f"{label}: {order[0]}", total=len(order), unit="steps"
            )
        return report

    def callback(self, step: str) -> Callable[[int, int], None]:
        """A ``progress(done, total)`` callback for one step."""

        def report(done: int, total: int) -> None:
            self(step, done, total)

        return report
