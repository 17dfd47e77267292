"""The ``medtwin`` command line: one command per use-case function (``medtwin.platform``).

User errors (:class:`~medtwin.errors.MedtwinError`, a number too large, a path that cannot be
read or written) print ``ErrorName: message`` and a hint on stderr and exit 1; a command given
``--json`` prints them as one JSON line on stderr instead (``{"error", "hint", "message"}``), so
that its stdout stays empty. ``--debug`` re-raises them with the traceback. Other exceptions are
bugs and keep their traceback. Click's usage errors (exit 2) are one line, :class:`UsageLine`:
the command, click's words (its "did you mean" kept) and the fix (a JSON line when the command
line has ``--json``); a patient id starting with ``-``, which click reads as an option, is told
to go after ``--``.
Ctrl-C is one line and exit 130; a closed stdout (``medtwin rank P1 | head``) ends quietly with
exit 141, as coreutils do.

Start-up stays fast because nothing heavy is imported before a command needs it: the commands are
registered by name (:data:`COMMANDS`) and their module is imported when the command runs or its
help is shown, and those modules import the science stack, the driver and the use-case modules
inside the command bodies. ``tests/unit/cli/test_startup.py`` checks the import graph.
"""

from __future__ import annotations

import gc
import importlib
import json
import logging
import os
import re
import shlex
import sys
import warnings
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

import click

from medtwin.command_lines import speaking_to
from medtwin.errors import MedtwinError

if TYPE_CHECKING:
    from medtwin.cli.renamed import Moved

__all__ = [
    "COMMANDS",
    "GIVEN",
    "Command",
    "Group",
    "LazyCommand",
    "LazyGroup",
    "UsageLine",
    "guide_epilog",
    "main",
    "not_utf8",
    "refuse_past_int64",
    "refuse_repeats",
    "root_option_fix",
    "usage_line",
]


class LazyCommand(NamedTuple):
    """Where a command lives, and its short help for ``medtwin --help``."""

    module: str
    attr: str
    help: str


COMMANDS: dict[str, LazyCommand] = {
    name: LazyCommand(*spec)
    for name, spec in {
        "db": (
            "medtwin.cli.db",
            "db",
            "Manage the local Neo4j 5.26 + GDS 2.13 server (loopback only, authentication on).",
        ),
        "data": ("medtwin.cli.reference", "data", "Reference data files (pinned in sources.toml)."),
        "load": (
            "medtwin.cli.reference",
            "load",
            "Load the reference graph into Neo4j (idempotent; a rerun skips complete datasets).",
        ),
        "describe": (
            "medtwin.cli.reference",
            "describe",
            "Counts per label and relationship type (and per source), and the loaded datasets.",
        ),
        "patient": (
            "medtwin.cli.patients",
            "patient",
            "Patients: add inputs, list, show, remove an input, audit trail, delete.",
        ),
        "twin": (
            "medtwin.cli.twins",
            "twin",
            "Digital twins: build, show, diff, diseases, regulators, trajectory.",
        ),
        "cohort": (
            "medtwin.cli.cohort",
            "cohort",
            "Cohorts: build and rank many patients in parallel (Dask), summarise, stratify.",
        ),
        "rank": (
            "medtwin.cli.treatment",
            "rank",
            "Screen every drug against a patient's twin and store the ranking with the twin.",
        ),
        "explain": (
            "medtwin.cli.treatment",
            "explain",
            "Explain a drug for a patient: targets, module genes reached, shortest paths.",
        ),
        "biomarkers": (
            "medtwin.cli.insights",
            "biomarkers",
            "Proteins whose measurement would support or refute a top-ranked drug, with evidence "
            "chains.",
        ),
        "screen": (
            "medtwin.cli.treatment",
            "screen",
            "Proximity of every drug to every gene set of a GMT file (Guney et al. 2016).",
        ),
        "demo": (
            "medtwin.cli.demo",
            "demo",
            "Load the reference graph, add the demo cohorts, build twins, rank drugs, explain.",
        ),
        "query": (
            "medtwin.cli.library",
            "query_cmd",
            "Run a library query; without NAME, list them.",
        ),
        "serve": (
            "medtwin.cli.interfaces",
            "serve",
            "Run the HTTP API (OpenAPI docs at /docs, twin viewer at /v1/patients/ID/viewer).",
        ),
        "report": (
            "medtwin.cli.interfaces",
            "report",
            "Write the patient's self-contained HTML report (plots inline; opens offline).",
        ),
        "export": (
            "medtwin.cli.interfaces",
            "export",
            "Export the patient's twin graph for Cytoscape desktop or Gephi.",
        ),
        "api-key": (
            "medtwin.cli.interfaces",
            "api_key",
            "API keys for `medtwin serve` (only their sha256 is configured).",
        ),
    }.items()
}
"""Command name -> where it lives and its short help (the first paragraph of its docstring; a
unit test keeps them equal). The module is imported only when the command runs or shows its own
help, so ``medtwin --help`` imports no command module at all."""


def refuse_repeats(command: click.Command, ctx: click.Context, args: list[str]) -> dict[str, Any]:
    """Refuse a single-valued option given twice (``--top 5 --top 9``): a usage error naming it.

    Click's parser keeps the last value of a repeated option and drops the others without a
    word. This parses ``args`` once more beforehand (the same parser; click raises the same
    errors for a malformed command line) and counts the occurrences of each option, so a repeat
    is refused before a value is converted or a database opened, and whatever else is wrong.
    Flags (``--json --json``) and counts (``-vv``) may repeat: a second ``--json`` changes
    nothing. ``multiple=True`` options collect every value.
    It returns the words given for each parameter, unconverted (``{"patient_id": "P1"}``): see
    :data:`GIVEN`.
    """
    if ctx.resilient_parsing:  # shell completion: never an error
        return {}
    given, _, order = command.make_parser(ctx).parse_args(args=list(args))  # it consumes its list
    single = [p for p in order if isinstance(p, click.Option) and _single_valued(p)]
    for param, n in Counter(single).items():  # in the order given: the first repeated is named
        if n > 1:
            raise click.BadParameter(f"given {n} times; give it once", ctx=ctx, param=param)
    refuse_non_finite(command, ctx, given)
    refuse_past_int64(command, ctx, given)
    return given


def refuse_non_finite(command: click.Command, ctx: click.Context, given: dict[str, Any]) -> None:
    """Refuse ``nan`` or ``inf`` given to a decimal option: a usage error naming it and the value.

    Click's float types take them (``float("nan")``), and a range does not stop NaN, which no
    comparison holds: ``patient add --padj-max nan`` and ``twin build --seed-fdr nan`` were
    accepted, exit 0, and a NaN threshold keeps no row. Every decimal option of the CLI is a
    threshold, a time or a rate: none means anything by them.
    """
    import math

    for param in command.params:
        if not isinstance(param, click.Option) or not isinstance(
            param.type, click.types.FloatParamType
        ):
            continue
        words = given.get(param.name or "")
        for word in words if isinstance(words, list | tuple) else [words]:
            try:
                finite = word is None or math.isfinite(float(word))
            except (TypeError, ValueError):
                continue  # not a number at all: click's own conversion says so
            if not finite:
                example = param.default if isinstance(param.default, int | float) else 0.05
                raise click.BadParameter(
                    f"{word!r} is not a finite number; give a number such as {example}",
                    ctx=ctx,
                    param=param,
                )


def refuse_past_int64(command: click.Command, ctx: click.Context, given: dict[str, Any]) -> None:
    """Refuse a whole number past 2**63 - 1 given to an option without an upper bound.

    A usage error naming the option and the value. Such a number reached numpy or the driver,
    which hold 64-bit integers, and came back as ``InputError: a number given is too large
    (Python int too large to convert to C long)``, naming neither (``rank --top``, ``biomarkers
    --top-drugs``, ``cohort run --jobs``: stop 60's CLI probe), or as a use case's ``top must be
    below 2**63`` after the database was opened. A bounded option's range says it already.
    """
    for param in command.params:
        kind = param.type
        if not isinstance(param, click.Option) or not isinstance(kind, click.types.IntParamType):
            continue
        if isinstance(kind, click.IntRange) and kind.max is not None and kind.max.bit_length() < 64:
            continue  # click's "is not in the range …" names the bound
        words = given.get(param.name or "")
        for word in words if isinstance(words, list | tuple) else [words]:
            try:
                value = int(word) if isinstance(word, str) else 0
            except ValueError:
                continue  # not a whole number: click's own conversion says so
            if value.bit_length() > 63:
                raise click.BadParameter(
                    f"{word} is past 2**63 - 1, the largest whole number the database and numpy "
                    "hold; give a smaller one",
                    ctx=ctx,
                    param=param,
                )


def _single_valued(option: click.Option) -> bool:
    return not (option.multiple or option.count or option.is_flag)


class UsageLine(click.UsageError):
    """A usage error shown as one line (exit 2, as click's), made by :func:`usage_line`.

    Click printed four: the usage, "Try '… --help' for help.", a blank line and "Error: …".
    ``what`` and ``fix`` are the line's two parts (the line is ``what — fix`` unless the fix
    is in its words); given ``--json`` (:attr:`as_json`), the error is the JSON line of every
    other error instead, ``{"error": "UsageError", "hint": fix, "message": what}``: a script
    that parses stderr under ``--json`` read a text line here (``rank --json --top x``).
    """

    def __init__(
        self, message: str, ctx: click.Context | None = None, *, what: str = "", fix: str = ""
    ) -> None:
        super().__init__(message, ctx)
        self.what = what or message
        self.fix = fix or None
        self.as_json = False

    def show(self, file: Any = None) -> None:
        """Print the line (or its JSON line) on stderr (or ``file``)."""
        if self.as_json:
            line = {"error": "UsageError", "message": self.what, "hint": self.fix}
            click.echo(json.dumps(line, sort_keys=True), file=file, err=file is None)
            return
        click.echo(self.message, file=file, err=file is None)


JSON_ASKED = "medtwin.json_asked"
"""``ctx.meta`` key (shared by every context of a run): the command line has ``--json``."""


def json_asked(args: list[str]) -> bool:
    """Whether a command line asks for JSON: ``--json`` before a ``--`` (after it, an argument).

    Read from the words, not the parsed options: a usage error is raised while they are being
    parsed, before any command has its ``as_json``.

    >>> json_asked(["rank", "P1", "--json"]), json_asked(["patient", "show", "--", "--json"])
    (True, False)
    """
    given = args[: args.index("--")] if "--" in args else args
    return "--json" in given


def usage_line(error: click.UsageError, *, as_json: bool = False) -> UsageLine:
    """``error`` as one line: the command, what is wrong, and ``run `medtwin rank --help```.

    E.g. ``medtwin rank: no such option '--to' (did you mean '--method', '--out' or '--top'?)``.
    Click's own message (with its "did you mean"), first letter lowered unless it starts a
    name, then the command's help as the fix. ``as_json``: shown as a JSON line.
    """
    if isinstance(error, UsageLine):
        error.as_json = as_json
        return error
    path = error.ctx.command_path if error.ctx is not None else "medtwin"
    possible = sorted(getattr(error, "possibilities", None) or ())
    said = (error.message if possible else error.format_message()).strip().removesuffix(".")
    if said[1:2].islower():  # "No such option" -> "no such option"; "PATIENT_ID ..." kept
        said = said[0].lower() + said[1:]
    if possible:  # click's "Did you mean …?", in the line
        names = [repr(p) for p in possible]
        either = f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]
        said += f" (did you mean {either}?)"
    fix = f"run `{path} --help`"
    line = UsageLine(f"{path}: {said} — {fix}", error.ctx, what=f"{path}: {said}", fix=fix)
    line.as_json = as_json
    return line


def _with_context(error: click.UsageError, ctx: click.Context) -> click.UsageError:
    """``error`` naming the command being parsed (click's parser raises some without one)."""
    if error.ctx is None:
        error.ctx = ctx
    return error


_DASH_ID = re.compile(r"-[A-Za-z0-9_.-]{1,63}")
"""A patient id that starts with ``-`` (ids are ``[A-Za-z0-9_.-]{1,64}``)."""


def dash_id_fix(
    command: click.Command, ctx: click.Context, args: list[str], error: click.NoSuchOption
) -> UsageLine | None:
    """The usage error for a patient id read as an option (``patient show -P1``), else None.

    Only for a command that takes patient ids and a token with one ``-`` that no option
    resembles (click suggests none; ``--layrs`` is a misspelt option): the token and the same
    command with the id after ``--``, which click reads as an argument (``medtwin patient show
    -- -P1``).
    """
    takes_ids = {p.name for p in command.params if isinstance(p, click.Argument)}
    if error.possibilities or not takes_ids & {"patient_id", "patient_ids"}:
        return None
    given = args[: args.index("--")] if "--" in args else args
    token = next((a for a in given if a.startswith(error.option_name)), None)
    if token is None or token.startswith("--") or not _DASH_ID.fullmatch(token):
        return None
    rest = [a for a in args if a is not token]
    fixed = shlex.join([*ctx.command_path.split(), *rest, *(["--"] * ("--" not in rest)), token])
    what = (
        f"{ctx.command_path}: {token!r} is no option; a patient id starting with '-' goes after "
        "`--`"
    )
    return UsageLine(f"{what}: `{fixed}`", ctx, what=what, fix=f"run `{fixed}`")


def root_option_fix(
    ctx: click.Context, args: list[str], error: click.NoSuchOption
) -> UsageLine | None:
    """The usage error for an option of ``medtwin`` itself given after a command, else None.

    ``medtwin patient show -v P1``: ``-v``/``--debug`` belong before the command (click named
    ``-v`` unknown, and :func:`dash_id_fix` would take it for a patient id).
    """
    root = ctx.find_root()
    if root is ctx or error.option_name not in {o for p in root.command.params for o in p.opts}:
        return None
    token = next((a for a in args if a.startswith(error.option_name)), error.option_name)
    words = ctx.command_path.split()
    fixed = shlex.join([words[0], token, *words[1:], *(a for a in args if a is not token)])
    what = (
        f"{ctx.command_path}: {token} is an option of {words[0]} itself; it goes before the command"
    )
    return UsageLine(f"{what}: `{fixed}`", ctx, what=what, fix=f"run `{fixed}`")


GIVEN = "medtwin.given"
"""``ctx.meta`` key: the words of the command being parsed, per parameter (:func:`refuse_repeats`).

Click converts the options before the arguments, so an option's type cannot read the patient id
from the converted values (``twin show P1 --version x`` names ``P1`` in its fix)."""


class Command(click.Command):
    """A command of the CLI: a single-valued option given twice is a usage error (exit 2).

    See :func:`refuse_repeats`. Every command is of this class or :class:`Group`
    (``@click.command(cls=Command)``; a :class:`Group`'s ``@group.command`` makes one by
    itself); ``tests/unit/cli/test_repeated_options.py`` walks them all. A patient id starting
    with ``-`` is told to go after ``--`` (:func:`dash_id_fix`).

    ``renamed`` maps the old spellings of renamed options to their names
    (``@patient.command("add-cohort", renamed={"--samples": "--sample-sheet"})``): an old one is
    still accepted, with a one-line notice (:func:`medtwin.cli.renamed.renamed_args`).
    ``moved`` maps an option name whose meaning changed to a
    :class:`~medtwin.cli.renamed.Moved`: given without the name of its old meaning, it keeps
    that meaning for a release, with a notice.
    """

    def __init__(
        self,
        *args: Any,
        renamed: Mapping[str, str] | None = None,
        moved: Mapping[str, Moved] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.renamed: dict[str, str] = dict(renamed or {})
        self.moved: dict[str, Moved] = dict(moved or {})

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Click's parsing, after the renamed options' new names and :func:`refuse_repeats`."""
        if self.renamed or self.moved:
            # imported here, as the commands' modules are: `medtwin --help` imports none of them
            from medtwin.cli.renamed import renamed_args

            args = renamed_args(self, ctx, args, self.renamed, self.moved)
        try:
            ctx.meta[GIVEN] = refuse_repeats(self, ctx, args)
            return super().parse_args(ctx, args)
        except click.NoSuchOption as e:
            fix = root_option_fix(ctx, args, e) or dash_id_fix(self, ctx, args, e)
            raise (fix or _with_context(e, ctx)) from None
        except click.UsageError as e:
            raise _with_context(e, ctx) from None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, with the input limits of the settings in force.

        Applied here, when a command runs, not in the ``medtwin`` group's callback: that ran
        before a sub-command's ``--help`` was parsed, so every ``medtwin rank --help`` read the
        settings (pydantic, ~0.2 s of CPU) only to print its help.
        """
        _skip_pydantic_plugins(ctx)
        _apply_input_limits()
        return super().invoke(ctx)


class Group(click.Group):
    """A group of the CLI: as :class:`Command`, and its sub-commands and sub-groups are too."""

    command_class = Command
    group_class = type  # a sub-group is a Group

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Click's parsing of the group's own options, after :func:`refuse_repeats`."""
        try:
            refuse_repeats(self, ctx, args)
            return super().parse_args(ctx, args)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as e:
            raise _with_context(e, ctx) from None


class LazyGroup(Group):
    """A :class:`Group` whose ``lazy`` commands are imported only when one runs or shows help.

    Click's LazyGroup pattern: ``lazy`` maps a command name to where it lives and its short help
    (shown by the group's ``--help`` without importing it), so running one command of the group
    imports the modules of no other (``medtwin patient show`` imported ``cli.cohort`` and the
    ranking models for ``patient similar``).
    """

    def __init__(
        self, *args: Any, lazy: dict[str, LazyCommand] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, LazyCommand] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The lazy and the attached commands, by name."""
        return sorted({*self.lazy, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, its module imported now if it is a lazy one."""
        if cmd_name in self.commands or cmd_name not in self.lazy:
            return self.commands.get(cmd_name)
        spec = self.lazy[cmd_name]
        command = getattr(importlib.import_module(spec.module), spec.attr)
        if not isinstance(command, click.Command):  # pragma: no cover - a wrong table entry
            raise TypeError(f"{spec.module}.{spec.attr} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's layout, with the short help from the table instead of the imported commands."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [
            (name, click.Command(name, help=self.lazy[name].help).get_short_help_str(limit))
            if name in self.lazy
            else (name, self.commands[name].get_short_help_str(limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class _Group(LazyGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, lazy=COMMANDS, **kwargs)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # `medtwin --help` and `--version` print here, before any command runs
        as_json = json_asked(args)
        if parent is None and (refused := not_utf8(info_name or "medtwin", args)) is not None:
            refused.as_json = as_json
            raise refused
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
            ctx.meta[JSON_ASKED] = as_json
            return ctx
        except BrokenPipeError:
            _end_on_closed_stdout()
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as e:  # the group's own options (`medtwin --bogus`)
            raise usage_line(e, as_json=as_json) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            # What is still buffered (a table written with sys.stdout.write) is written now,
            # where a closed pipe is caught below, not at the interpreter's exit.
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            # Before the OSError below: a closed pipe is no user error (it has no file name).
            _end_on_closed_stdout()
        except click.exceptions.NoArgsIsHelpError:  # `medtwin patient`: the group's help
            raise
        except click.UsageError as e:  # a sub-command's parsing, or raised by a command
            raise usage_line(e, as_json=ctx.meta.get(JSON_ASKED, False)) from None
        except (MedtwinError, OverflowError, OSError) as e:
            error = _user_error(e)
            if error is None or (ctx.obj and ctx.obj.get("debug")):
                raise
            from medtwin.cli.common import echo_error  # not at import: `medtwin --help`

            echo_error(error.name, error.message, error.hint, as_json=_given_json(e))
            ctx.exit(1)
        except KeyboardInterrupt as e:
            # Ctrl-C: one line and the shell's exit status for SIGINT (click printed "Aborted!"
            # and exited 1). What was written is whole (atomic writes), so a rerun resumes.
            if ctx.obj and ctx.obj.get("debug"):
                raise
            said = "Interrupted (Ctrl-C); what was finished is kept."
            if _given_json(e):  # one JSON line, as every other end of a --json command
                from medtwin.cli.common import echo_error

                echo_error("Interrupted", said, "run the command again", as_json=True)
            else:
                click.echo(said, err=True)
            ctx.exit(130)


def not_utf8(program: str, args: list[str]) -> UsageLine | None:
    r"""The usage error for the first word of ``args`` that is not UTF-8 text, else None.

    Python hands undecodable bytes of a command line over as lone surrogates
    (``surrogateescape``), which no UTF-8 text holds: a patient id so given reached the database
    driver and ended in a traceback (``patient show $'P\xff'``), a file name so spelt was
    stored as the input's name by no one (``patient add P1 --de $'de\xff.tsv'``: a traceback),
    and a ``--note`` so typed was stored, after which every read of the patient failed (the API
    answered 500). The word is shown with its bytes escaped.

    >>> not_utf8("medtwin", ["patient", "show", "P\udcff"]).what
    "medtwin: the argument 'P\\xff' is not UTF-8 text"
    >>> not_utf8("medtwin", ["patient", "show", "Pü"]) is None
    True
    """
    for word in args:
        try:
            word.encode("utf-8")
        except UnicodeEncodeError:
            shown = word.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            what = f"{program}: the argument '{shown}' is not UTF-8 text"
            fix = (
                "give ids, names and notes as UTF-8 (medtwin stores them as text); rename a "
                "file whose name is not UTF-8"
            )
            return UsageLine(f"{what} — {fix}", None, what=what, fix=fix)
    return None


def _end_on_closed_stdout() -> NoReturn:
    """End quietly because the reader of stdout went away (``medtwin rank P1 | head``).

    As coreutils and git end (killed by SIGPIPE): no message, no traceback, exit status 141
    (128 + SIGPIPE), so that a script's ``pipefail`` tells it from a failure. Click exited 1
    without a word, which read as an error. Python ignores SIGPIPE (the driver's and Dask's
    sockets raise instead of killing the process), so this is done by hand: stdout is pointed
    at /dev/null first, or the interpreter's last flush of what is still buffered failed again
    and printed "Exception ignored ... BrokenPipeError" (and exit status 120).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (click's CliRunner): nothing to flush
        pass
    raise click.exceptions.Exit(141)


class _UserError(NamedTuple):
    """A user error as printed: ``name: message`` and ``hint: ...`` (or their JSON line)."""

    name: str
    message: str
    hint: str | None


def _user_error(e: Exception) -> _UserError | None:
    """What to print for ``e``, or ``None`` when it is a bug (its traceback is kept)."""
    if isinstance(e, MedtwinError):
        return _UserError(type(e).__name__, e.message, e.hint or None)
    if isinstance(e, OverflowError):
        # An integer option past what numpy or the driver hold (`--seed 99999999999999999999`)
        return _UserError(
            "InputError",
            f"a number given is too large ({e})",
            "integer options take values below 2**63 (--debug: where)",
        )
    if isinstance(e, OSError) and e.filename is not None:
        # A path the user gave that cannot be read or written (`--out /no/such/dir/x.tsv`,
        # a read-only folder): the path and the reason, not a traceback. Other OS errors
        # (no file name) are not the user's input and keep their traceback.
        return _UserError(
            type(e).__name__,
            f"{e.filename}: {e.strerror or e}",
            "check the path and its permissions (--debug shows where)",
        )
    return None


def _given_json(e: BaseException) -> bool:
    """Whether the command that raised ``e`` was given ``--json`` (its ``as_json`` parameter).

    By the time the error reaches the top group, click has left the command's context (the
    ``with`` blocks popped it), so it is looked up in the traceback: the deepest click context
    held by a frame between the group and the ``raise`` is the failing command's (``patient
    delete``'s, not ``patient``'s). Every ``--json`` flag of the CLI is named ``as_json``.
    An error raised while the options are still being parsed finds no ``as_json`` yet: it is a
    usage error, which :func:`json_asked` reads from the command line instead.
    """
    deepest: click.Context | None = None
    depth = -1
    tb = e.__traceback__
    while tb is not None:
        for value in tb.tb_frame.f_locals.values():
            if isinstance(value, click.Context):
                d = _depth(value)
                if d > depth:
                    deepest, depth = value, d
        tb = tb.tb_next
    return deepest is not None and bool(deepest.params.get("as_json"))


def _depth(ctx: click.Context) -> int:
    n = 0
    while ctx.parent is not None:
        ctx, n = ctx.parent, n + 1
    return n


def guide_epilog() -> str:
    """Where ``medtwin --help`` says the user guide is: ``docs/index.md`` of this checkout.

    The guide is Markdown in the repository, read offline (README.md is its front page). A checkout
    (or an editable install) has it three folders above this package; a wheel ships no ``docs/``,
    so then the epilog names the page of the source tree. ``os.path``, not ``pathlib``: the help
    must not import more than it needs (``tests/unit/cli/test_startup.py``).
    """
    index = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, "docs")
    index = os.path.normpath(os.path.join(index, "index.md"))
    where = index if os.path.isfile(index) else "docs/index.md of the medtwin source tree"
    # \b keeps click from joining the lines (and from wrapping a long path)
    return f"\b\nUser guide (Markdown, reads offline; README.md is its front page):\n  {where}"


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=guide_epilog(),
)
@click.option("--debug", is_flag=True, help="Show tracebacks for user errors too.")
@click.option("-v", "--verbose", count=True, help="More log output (-v INFO, -vv DEBUG).")
@click.version_option(package_name="medtwin")
@click.pass_context
def cli(ctx: click.Context, debug: bool, verbose: int) -> None:
    """medtwin: patient digital twins on a Neo4j multilayer graph, treated in silico with drugs.

    \b
    Typical session (in the folder holding .medtwin, as `medtwin demo` leaves it;
    with MEDTWIN_HOME set, its data/ folder instead of .medtwin/data):
      medtwin db start                 # install (first time) and start local Neo4j + GDS
      medtwin data fetch && medtwin load   # the reference files and graph (demo did both)
      # P1: the GSE15573 rheumatoid-arthritis DE table (570 genes) data fetch copied
      medtwin patient add P1 --de .medtwin/data/omics_ra_pbmc_gse15573/deg_table.tsv
      medtwin patient add P1 --symptoms HP:0001370,HP:0002829   # added to P1's inputs
      medtwin twin build P1 && medtwin rank P1 --top 20
      medtwin rank GSM389703 --top 20  # one of the demo's 18 GSE15573 patients
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    _escape_unencodable_output()
    # notes in results name commands, not Python calls or API routes (command_lines.next_step)
    ctx.with_resource(speaking_to("cli"))
    level = logging.WARNING - 10 * min(verbose, 2)
    # Library deprecation chatter (anndata reading older .h5ad layouts) is not for users.
    warnings.filterwarnings("ignore", category=FutureWarning)
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("neo4j.session").addFilter(_quiet_retries)


def _escape_unencodable_output() -> None:
    r"""Write a character stdout/stderr cannot encode as its escape (``\udcff``), not a traceback.

    A lone surrogate stored by an older medtwin (a note or file name of undecodable bytes, before
    adds refused them: ``platform.arguments.utf8_only``) made every output naming it fail with
    ``UnicodeEncodeError``, under a locale whose stdout is strict and, for one such as ``\ud800``,
    under any. The API sends the same escape (``api/json_response.Utf8JSONResponse``).
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # a TextIOWrapper's; not every stream
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _quiet_retries(record: logging.LogRecord) -> bool:
    """Hide the driver's "Transaction failed and will be retried" warnings unless ``-v``.

    Two twin builds at once can meet in a transient deadlock on a shared node; the driver
    retries the transaction (``execute_query`` and managed transactions) and it succeeds, but its
    WARNING with the server's whole lock report read like a failure in ``make demo``'s output.
    A retry that fails for good still raises, and is reported as an error.
    """
    if "will be retried" not in record.getMessage():
        return True
    return logging.getLogger().isEnabledFor(logging.INFO)


PYDANTIC_PLUGINS_OFF = ("PYDANTIC_DISABLE_PLUGINS", "__all__")
"""The variable a command sets (unless already set) so pydantic looks for no plugin."""


def _skip_pydantic_plugins(ctx: click.Context) -> None:
    """Tell pydantic not to look for plugins, in a command other than ``serve``.

    Why: the first model a process builds (the settings) makes pydantic scan the entry points of
    every installed distribution for its ``pydantic`` group (``importlib.metadata.entry_points``,
    167 distributions in the project's environment, none of them a pydantic plugin): ~12 ms of
    CPU of a ~0.3 s data command, found nothing. ``PYDANTIC_DISABLE_PLUGINS`` is pydantic's own
    switch for it (pydantic/pydantic#8767). A command is not where a plugin (an observability
    tool's validation hooks) is wanted; ``serve`` scans as before, once, at its start. A value
    already set wins: ``PYDANTIC_DISABLE_PLUGINS=`` (empty) brings the plugins back.
    """
    if ctx.info_name != "serve":
        os.environ.setdefault(*PYDANTIC_PLUGINS_OFF)


def _apply_input_limits() -> None:
    from medtwin.cli.common import settings
    from medtwin.loaders.limits import limits_from, set_process_limits

    try:
        s = settings()
    except Exception:  # noqa: BLE001 - a bad setting is reported by the command that needs it
        return
    set_process_limits(
        limits_from(
            max_input_mb=s.max_input_mb,
            max_line_kb=s.max_line_kb,
            max_input_rows=s.max_input_rows,
        )
    )


def main() -> None:
    """Console-script entry point.

    The cyclic garbage collector is off while a command starts: its imports (click, pydantic and
    its models, the driver with its ~200,000-entry calendar and packstream tables) allocate
    objects that all live to the end, and the collector walked them again and again for nothing
    (~0.02-0.04 s of a data command's ~0.4 s of CPU). It is turned back on, with what start-up
    made frozen out of its walks, by :func:`medtwin.cli.common.start_collecting`: when a
    command opens its store to compute or write (``open_store``), and when ``serve`` starts. A
    data command (``open_store(lean=True)``) reads a page of rows and ends with it off.
    """
    gc.disable()
    cli(prog_name="medtwin")
