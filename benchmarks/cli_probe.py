"""Probe the ``medtwin`` command line with odd input on every command and option of its click tree.

The commands and their parameters are read from the click objects (:data:`medtwin.cli.cli`,
its lazy groups resolved), not from a list: a new command or option is probed by the next run.
Each command is run in a subprocess (``python -m medtwin``) once as given (its arguments
filled with real values read from the database: a patient with a ranking, a ranked drug, one
of its inputs, a cohort) and then with one odd value at a time:

* every path it takes (a ``click.Path``, or a text option whose help says it takes a file):
  missing, empty, a folder, unreadable (mode 000), binary, huge (past ``MEDTWIN_MAX_INPUT_MB``);
  a path it writes (``--out``, ``--out-dir``, ``db backup FILE``): under a missing folder,
  under a file, an existing folder;
* every patient id: unknown, case swapped, with a space before and after, empty; other ids
  (drug, input, query name, key name): unknown and empty;
* every number: negative, zero, 20 digits, ``nan``, ``abc``; every choice: an unknown one;
  every other text option: empty;
* conflicting options: patient ids beside ``--all``/``--cohort``, and two path inputs when the
  command reads one of several;
* ``--json`` where offered (on the plain run and on a bad value), and ``--help``.

Per run it checks: no traceback on stderr; a bad value ends with an exit code other than 0 and
an error of at most two lines (``Name: message`` and ``hint: …``, or the usage line) naming the
value and a fix; under ``--json`` stdout is JSON (when it succeeded) and the error is one JSON
line on stderr (the CLI's convention: ``docs/patients.md``); no output shows the database
password or its home folder (``db`` commands, which are about that home, excepted for the
path); ``--help`` within 0.5 s wall.

The probe runs against the server of the ``MEDTWIN_*`` settings and never touches another: the
commands that install, start, stop, restore or load a server, fetch data or serve are probed
only with values their parsing refuses (``--help``, a bad number or choice, a missing file), and
deletions are given a patient id that does not exist. Everything else may write to that
server's database (a probe patient, extra twin versions and rankings): point it at a
scratch server (``docs/development.md``).

    python -m benchmarks.cli_probe [--json rows.json] [--only rank] [--without huge] [--jobs 2]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import click

NOBODY = "probe_nobody_0"
"""A patient id no database holds: what deletions and removals are given."""
SCRATCH = "probe_scratch_0"
"""The patient ``patient add`` probes write to (made by the probe's own first add)."""

NEVER_RUN = {
    "db install",
    "db start",
    "db stop",
    "db restore",
    "db repair",
    "db backup",
    "demo",
    "load",
    "data fetch",
    "serve",
}
"""Commands that install, start, stop, replace or fill a server, or serve: probed only with
values their parsing refuses (so they exit before acting) and ``--help``."""

HELP_SECONDS = 0.5
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[,.]\d+ (DEBUG|INFO|WARNING|ERROR) ")
FIX_WORDS = re.compile(
    r"\b(run|give|name|write|pass|use|check|set|add|start|save|pick|rename|remove|choose|omit|"
    r"valid|one of|"
    r"did you mean|hint|try|expected|must|should|make|list|drop|install|retry|point)\b",
    re.I,
)
OUTPUT_OPTIONS = {"--out", "--out-dir"}
"""Options naming a path the command writes (the others read theirs), by their words: the
parameter's name may be any (``export --out`` is ``out_file``)."""


@dataclass
class Case:
    """One run of a command: its words, what it probes, and whether the value is a bad one."""

    command: str
    probe: str
    target: str
    args: list[str]
    bad: bool | None
    """True: the value must be refused; False: the plain run, which must succeed; None: either
    may be right (zero, a large number), only the output's form is checked."""
    stdin: str = ""


@dataclass
class Row:
    """One run and what came back."""

    command: str
    probe: str
    target: str
    args: list[str]
    rc: int | None
    seconds: float
    cpu_seconds: float | None
    """User + system CPU of the run (its process and children): the --help runs only, which run
    one at a time; wall time on a loaded machine says more about the others than about them."""
    stdout: str
    stderr: str
    problems: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the click tree


def commands() -> Iterator[tuple[str, click.Command]]:
    """Every leaf command of ``medtwin`` with its path (``"patient add"``), from the objects."""
    from medtwin.cli import cli

    def walk(cmd: click.Command, path: list[str], parent: click.Context | None) -> Iterator[Any]:
        ctx = click.Context(cmd, info_name=path[-1] if path else "medtwin", parent=parent)
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                if sub is not None:
                    yield from walk(sub, [*path, name], ctx)
        else:
            yield " ".join(path), cmd

    yield from walk(cli, [], None)


def takes_file(param: click.Parameter) -> bool:
    """Whether ``param`` names a file: a click path, or text whose help says it may be a file."""
    if isinstance(param.type, click.Path):
        return True
    text = (getattr(param, "help", None) or "").lower()
    return isinstance(param.type, click.types.StringParamType) and bool(
        re.search(r"\b(a|or) (tsv )?file\b|\bfile of\b|\btsv file\b", text)
    )


def is_output(param: click.Parameter, command: str) -> bool:
    return bool(OUTPUT_OPTIONS.intersection(param.opts)) or command == "db backup"


def bad_output(param: click.Parameter, label: str) -> bool | None:
    """Whether an output path of :meth:`Files.outputs` must be refused: one under a file, and a
    folder given for a file; one under a missing folder may run (its folder is made)."""
    if label == "under a file":
        return True
    if label == "a folder":
        return True if "--out-dir" not in param.opts else None
    return None


# --------------------------------------------------------------------------- files


class Files:
    """The odd files of the probe, made once in a scratch folder."""

    def __init__(self, root: Path, *, huge: bool = True) -> None:
        self.root = root
        self.made = 0
        root.mkdir(parents=True, exist_ok=True)
        self.empty = root / "empty.tsv"
        self.empty.write_bytes(b"")
        self.folder = root / "folder.tsv"
        self.folder.mkdir(exist_ok=True)
        self.unreadable = root / "unreadable.tsv"
        self.unreadable.write_text("gene\tlog2fc\nSTAT1\t2\n")
        self.unreadable.chmod(0)
        self.binary = root / "binary.tsv"
        self.binary.write_bytes(bytes(range(256)) * 64)
        self.huge = root / "huge.tsv"
        limit_mb = int(os.environ.get("MEDTWIN_MAX_INPUT_MB", "128"))
        # ~136 MB written: only when a run reads it (not under ``--without huge``)
        if huge and (not self.huge.exists() or self.huge.stat().st_size <= limit_mb << 20):
            line = b"STAT1\t2.0\t0.001\n"
            block = line * (1 << 16)
            with self.huge.open("wb") as out:
                out.write(b"gene\tlog2fc\tpadj\n")
                for _ in range(((limit_mb + 8) << 20) // len(block) + 1):
                    out.write(block)
        self.missing = root / "no_such_file.tsv"
        self.a_file = root / "a_file.txt"
        self.a_file.write_text("x\n")
        self.gmt = root / "sets.gmt"
        self.gmt.write_text("set1\tdesc\tSTAT1\tTNF\tIL6\tJAK1\tJAK2\n")

    def inputs(self) -> list[tuple[str, str]]:
        return [
            ("missing", str(self.missing)),
            ("empty", str(self.empty)),
            ("folder", str(self.folder)),
            ("unreadable", str(self.unreadable)),
            ("binary", str(self.binary)),
            ("huge", str(self.huge)),
        ]

    def outputs(self) -> list[tuple[str, str]]:
        # a new missing folder each time: an earlier run made the one it was given
        self.made += 1
        missing = self.root / f"no{self.made}" / "such" / "dir" / "x.out"
        return [
            ("under a missing folder", str(missing)),
            ("under a file", str(self.a_file / "x.out")),
            ("a folder", str(self.folder)),
        ]


# --------------------------------------------------------------------------- real values


def medtwin(args: list[str], timeout: float = 600, stdin: str = "") -> tuple[int | None, str, str]:
    try:
        p = subprocess.run(
            [sys.executable, "-m", "medtwin", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            input=stdin,
            errors="backslashreplace",
        )
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
        return None, out, err + f"\n(no end within {timeout:.0f} s)"
    return p.returncode, p.stdout, p.stderr


def discover(patient: str | None) -> dict[str, str]:
    """Real values: a patient with a twin and a ranking, a ranked drug, an input, a cohort."""
    real: dict[str, str] = {}
    rc, out, err = medtwin(["patient", "list", "--json", "--limit", "1000"])
    if rc != 0:
        raise SystemExit(f"`medtwin patient list --json` failed ({rc}): {err.strip()[:300]}")
    listed = json.loads(out)
    rows = listed if isinstance(listed, list) else listed.get("patients", [])
    ids = [str(r.get("id") or r.get("patient_id")) for r in rows]
    cohorts = [str((r.get("metadata") or {}).get("cohort") or r.get("cohort") or "") for r in rows]
    pid = patient or ("GSM389703" if "GSM389703" in ids else (ids[0] if ids else NOBODY))
    real["patient_id"] = pid
    real["cohort"] = next((c for c in cohorts if c), "ra_pbmc_gse15573")
    rc, out, _ = medtwin(["patient", "show", pid, "--json"])
    shown = json.loads(out) if rc == 0 else {}
    inputs = shown.get("input_list") or shown.get("inputs") or [{}]
    first = inputs[0] if isinstance(inputs[0], dict) else {}
    real["input_id"] = str(first.get("id", "0")).rsplit("/", 1)[-1]
    rc, out, _ = medtwin(["rank", pid, "--top", "1", "--json", "--samples", "10"], timeout=900)
    ranked = json.loads(out) if rc == 0 and out.strip() else {}
    ranking = ranked[0] if isinstance(ranked, list) and ranked else ranked
    drugs = (ranking or {}).get("drugs") or [{}]
    real["drug_id"] = str(drugs[0].get("drug_id", "DB00563"))
    rc, out, _ = medtwin(["query", "--json"])
    try:
        listed = json.loads(out)  # [{"name", "params", …}]
        entry = min(listed, key=lambda q: (len(q["params"]), q["name"]))
        real["query"] = entry["name"]
        real["query_params"] = json.dumps(entry["params"])
    except (ValueError, TypeError, KeyError):
        real["query"] = (out.split() or ["targets_and_interactors"])[0]
    return real


# --------------------------------------------------------------------------- cases


NUMBERS = [
    ("negative", "-1", None),
    ("zero", "0", None),
    ("20 digits", "99999999999999999999", None),
    ("nan", "nan", True),
    ("not a number", "abc", True),
]


def base_args(path: str, cmd: click.Command, real: dict[str, str], files: Files) -> list[str]:
    """A command line that should work: its arguments and required options filled in."""
    args: list[str] = []
    for p in cmd.params:
        if isinstance(p, click.Argument):
            args.extend(arg_value(path, p, real, files))
    for p in cmd.params:
        if isinstance(p, click.Option) and p.required:
            args.extend([p.opts[0], option_value(path, p, real, files)])
    if path == "patient add":  # an add needs one input: the cheapest, a symptom
        args.extend(["--symptoms", "HP:0001370"])
    if path == "query" and real.get("query_params"):
        for k, v in json.loads(real["query_params"]).items():
            args.extend(["-p", f"{k}={v}"])
    return args


def arg_value(path: str, p: click.Argument, real: dict[str, str], files: Files) -> list[str]:
    name = p.name or ""
    destructive = path in ("patient delete", "patient remove-input")
    if name in ("patient_id", "patient_ids"):
        if path == "patient add":
            return [SCRATCH]
        if not p.required and not destructive:
            return [real["patient_id"]]
        return [NOBODY if destructive else real["patient_id"]]
    if name == "drug_id":
        return [real["drug_id"]]
    if name == "input_id":
        return [real["input_id"]]
    if name == "name" and path == "query":
        return [real.get("query", "")] if real.get("query") else []
    if name == "name":
        return ["probe_key"]
    if name == "file":
        return [str(files.root / "backup.dump")]
    return ["x"]


def option_value(path: str, p: click.Option, real: dict[str, str], files: Files) -> str:
    name = p.name or ""
    if name == "cohort" or "--cohort" in p.opts:  # `cohort stratify --cohort` is cohort_name
        return real["cohort"]
    if name == "gmt":
        return str(files.gmt)
    if name == "out":
        return str(files.root / f"{path.replace(' ', '_')}.out")
    if name in ("from_", "to", "from", "version"):
        return "1"
    if isinstance(p.type, click.Path):
        return str(files.empty)
    return "1"


def replace_arg(args: list[str], old: list[str], new: list[str]) -> list[str]:
    for i in range(len(args) - len(old) + 1):
        if args[i : i + len(old)] == old:
            return args[:i] + new + args[i + len(old) :]
    return args + new


def cases(path: str, cmd: click.Command, real: dict[str, str], files: Files) -> Iterator[Case]:
    words = path.split()
    base = base_args(path, cmd, real, files)
    has_json = any(p.name == "as_json" for p in cmd.params)
    unsafe = path in NEVER_RUN
    yield Case(path, "help", "--help", [*words, "--help"], False)
    if not unsafe:
        yield Case(path, "plain", "as given", [*words, *base], False)
        if has_json:
            yield Case(path, "plain", "--json", [*words, *base, "--json"], False)
    for p in cmd.params:
        opt = p.opts[0]
        name = p.name or ""
        given = (
            arg_value(path, p, real, files)
            if isinstance(p, click.Argument)
            else ([opt, option_value(path, p, real, files)] if p.required else [])
        )

        def with_value(value: str, p: click.Parameter = p, given: list[str] = given) -> list[str]:
            new = [value] if isinstance(p, click.Argument) else [p.opts[0], value]
            if not given and isinstance(p, click.Option) and p.opts[0] in base:
                at = base.index(p.opts[0])
                given = base[at : at + 2]
            if isinstance(p, click.Argument) and p.nargs == -1 and not given:
                new = ["--", value] if value.startswith("-") else [value]
            return replace_arg(base, given, new) if given else [*base, *new]

        if isinstance(p, click.Option) and (p.is_flag or p.count):
            continue
        if takes_file(p):
            writes = is_output(p, path)
            odd = files.outputs() if writes else files.inputs()
            for label, value in odd:
                # an output's missing folder is made (medtwin.outputs.output_path), and an
                # output folder may exist: either may run; a file in the way may not
                bad = bad_output(p, label) if writes else True
                # what such a command refuses before it acts: a missing input, an output under
                # a file (an output folder that exists, or one it can make, runs it)
                if unsafe and label not in (
                    "missing",
                    "folder" if not is_output(p, path) else "under a file",
                ):
                    continue
                if unsafe and path == "db backup":
                    continue  # a backup of a real server is a write; its parse refuses nothing
                yield Case(path, f"{opt} file", label, [*words, *with_value(value)], bad)
            if has_json and not unsafe:
                label, value = odd[1] if writes else odd[0]
                yield Case(
                    path,
                    f"{opt} file",
                    f"{label} --json",
                    [*words, *with_value(value), "--json"],
                    True,
                )
            continue
        if path == "patient add" and name == "patient_id":
            for label, value in [("empty", ""), ("space around", f" {SCRATCH} ")]:
                yield Case(path, opt, label, [*words, *with_value(value)], True)
            continue
        if name in ("patient_id", "patient_ids") and not unsafe:
            pid = real["patient_id"]
            for label, value in [
                ("unknown", "NOPE_" + pid),
                ("case swapped", pid.swapcase() if pid.swapcase() != pid else pid + "x"),
                ("space around", f" {pid} "),
                ("empty", ""),
            ]:
                yield Case(path, opt, label, [*words, *with_value(value)], True)
            if has_json:
                yield Case(
                    path,
                    opt,
                    "unknown --json",
                    [*words, *with_value("NOPE_" + pid), "--json"],
                    True,
                )
            continue
        if (
            isinstance(p, click.Argument)
            and not unsafe
            and name not in ("patient_id", "patient_ids")
        ):
            makes = words[-1] in ("new", "add", "backup")  # a new name is no unknown one
            yield Case(
                path,
                opt,
                "unknown",
                [*words, *with_value("NOPE_probe_value")],
                None if makes else True,
            )
            yield Case(path, opt, "empty", [*words, *with_value("")], True)
            continue
        if isinstance(p.type, click.Choice):
            yield Case(path, opt, "unknown choice", [*words, *with_value("zz_unknown")], True)
            continue
        numeric = isinstance(
            p.type,
            click.types.IntParamType | click.types.FloatParamType,
        )
        if numeric:
            for label, value, bad in NUMBERS:
                if unsafe and not _refused_by_type(p.type, value):
                    continue
                yield Case(path, opt, label, [*words, *with_value(value)], bad)
            continue
        if (
            isinstance(p, click.Option)
            and not unsafe
            and isinstance(p.type, click.types.StringParamType)
        ):
            yield Case(path, opt, "empty", [*words, *with_value("")], None)
            if p.type.name != "text":
                continue
            yield Case(path, opt, "unknown", [*words, *with_value("zz_unknown_value")], None)
    if not unsafe:
        yield from conflicts(path, cmd, words, base, real, files)


def _refused_by_type(ptype: click.ParamType, value: str) -> bool:
    try:
        ptype.convert(value, None, None)
    except (click.BadParameter, click.UsageError):
        return True
    except Exception:  # noqa: BLE001 - a type that fails otherwise refuses it too
        return True
    return False


def conflicts(
    path: str,
    cmd: click.Command,
    words: list[str],
    base: list[str],
    real: dict[str, str],
    files: Files,
) -> Iterator[Case]:
    names = {p.name for p in cmd.params}
    ids = real["patient_id"] if path not in ("patient delete",) else NOBODY
    if "patient_ids" in names and "all" in names:
        yield Case(path, "conflict", "ids and --all", [*words, ids, "--all"], True)
    if "patient_ids" in names and "cohort" in names:
        yield Case(
            path, "conflict", "ids and --cohort", [*words, ids, "--cohort", real["cohort"]], True
        )
    if "all" in names and "cohort" in names:
        yield Case(
            path,
            "conflict",
            "--all and --cohort",
            [*words, "--all", "--cohort", real["cohort"]],
            True,
        )
    if path == "rank" or path == "cohort run":
        yield Case(
            path,
            "conflict",
            "--approved-only --tier none",
            [*words, *base, "--approved-only", "--tier", "none"],
            None,
        )
    if path == "patient add":
        yield Case(path, "conflict", "no input", [*words, SCRATCH], True)
        yield Case(
            path,
            "conflict",
            "--tissue without --h5ad",
            [*words, SCRATCH, "--tissue", "blood", "--symptoms", "HP:0001370"],
            True,
        )
    if path == "twin diff":
        yield Case(
            path,
            "conflict",
            "--from after --to",
            [*words, real["patient_id"], "--from", "2", "--to", "1"],
            None,
        )


# --------------------------------------------------------------------------- checks


def secrets() -> tuple[list[str], str]:
    """The database password (the file's or the setting's) and the database's home folder."""
    from medtwin.settings import get_settings

    s = get_settings()
    found = []
    password = getattr(s, "neo4j_password", None)
    value = password.get_secret_value() if hasattr(password, "get_secret_value") else password
    if value:
        found.append(str(value))
    home = Path(os.environ.get("MEDTWIN_HOME") or ".medtwin")
    pw = home / "neo4j-password"
    with contextlib.suppress(OSError):  # no password file: the setting's only
        found.append(pw.read_text().strip())
    return [s for s in found if len(s) >= 6], str(home.resolve())


def error_lines(stderr: str) -> list[str]:
    """stderr without log lines, progress bars and blank lines."""
    lines = []
    for line in stderr.splitlines():
        line = line.split("\r")[-1].strip()
        if not line or LOG_LINE.match(line) or re.match(r"^[\w ]+:?\s+\d+%\|", line):
            continue
        lines.append(line)
    return lines


def check(case: Case, row: Row, secret: list[str], home: str) -> list[str]:
    out = []
    if "Traceback (most recent call last)" in row.stderr or "Traceback" in row.stdout:
        out.append("traceback")
    if row.rc is None:
        out.append("no end (timeout)")
        return out
    shown = row.stdout + row.stderr
    if any(s in shown for s in secret):
        out.append("shows the password")
    if home in shown.replace(str(Path(home) / "data"), "") and not case.command.startswith("db "):
        out.append("shows the database home")
    if case.probe == "help":
        if row.rc != 0:
            out.append(f"--help exit {row.rc}")
        if row.seconds > HELP_SECONDS:
            out.append(f"--help took {row.seconds:.2f} s wall")
        if row.cpu_seconds is not None and row.cpu_seconds > HELP_SECONDS:
            out.append(f"--help took {row.cpu_seconds:.2f} s CPU")
        return out
    as_json = (
        "--json" in case.args[: case.args.index("--")]
        if "--" in case.args
        else "--json" in case.args
    )
    errs = error_lines(row.stderr)
    if case.bad is True and row.rc == 0:
        out.append("exit 0 for a bad value")
    if case.bad is False and row.rc != 0:
        out.append(f"exit {row.rc} on the plain run")
    if row.rc not in (0, None) and "traceback" not in out:
        if as_json:
            bad_lines = [line for line in errs if not _json_object(line)]
            if bad_lines:
                out.append("--json error not a JSON line")
            if row.stdout.strip():
                out.append("--json error with stdout")
        else:
            if len(errs) > 2:
                out.append(f"error of {len(errs)} lines")
            text = " ".join(errs)
            if not errs:
                out.append("no error message")
            elif not FIX_WORDS.search(text):
                out.append("error names no fix")
            value = _probed_value(case)
            if (
                case.bad
                and value
                and value.strip()
                and value.strip() not in text
                and not _names_option(case, text)
            ):
                out.append("error does not name the value")
            if _hides_value(case, text):
                out.append("error does not show the value whole")
    if as_json and row.rc == 0:
        try:
            json.loads(row.stdout)
        except ValueError:
            out.append("--json stdout not JSON")
    return out


def _json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _probed_value(case: Case) -> str:
    if case.probe == "conflict":
        return ""
    for i, word in enumerate(case.args):
        if word == case.probe and i + 1 < len(case.args):
            return case.args[i + 1]
    return {
        "unknown": next((a for a in case.args if a.startswith("NOPE_")), ""),
    }.get(case.target, "")


def _hides_value(case: Case, text: str) -> bool:
    """Whether an error about an empty or space-edged value shows it as nothing or unquoted.

    ``no patient `` (nothing after it) or ``no patient  P1 `` read as a cut message; the value
    is shown quoted (``''``, ``' P1 '``) or the error names the option instead. Stop 60: the
    older check skipped empty values, and took `` P1 `` as named when ``P1`` was.
    """
    if case.probe.endswith(" file"):  # an empty file, not an empty value
        return False
    if case.target == "empty":
        value = ""
    elif case.target == "space around":
        value = next((a for a in case.args if a and a != a.strip()), "")
    else:
        return False
    quoted = (repr(value), f'"{value}"', json.dumps(value))
    named = case.probe.startswith("-") and case.probe in text
    return not any(q in text for q in quoted) and not named


def _names_option(case: Case, text: str) -> bool:
    """An empty or whitespace value is named by its option's name or by quotes."""
    value = _probed_value(case)
    return bool(value) and not value.strip() and (case.probe in text or "''" in text)


# --------------------------------------------------------------------------- run


def run(case: Case, secret: list[str], home: str, timeout: float, *, cpu: bool = False) -> Row:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    rc, out, err = medtwin(case.args, timeout=timeout, stdin=case.stdin)
    wall = round(time.perf_counter() - t0, 3)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    row = Row(
        case.command,
        case.probe,
        case.target,
        case.args,
        rc,
        wall,
        round(used, 3) if cpu else None,
        out,
        err,
    )
    row.problems = check(case, row, secret, home)  # on the whole output; kept: its ends
    row.stdout, row.stderr = out[:2000], err[-2000:]
    mark = "PROBLEM " + "; ".join(row.problems) if row.problems else "ok"
    print(
        f"{wall:6.1f} s rc={rc} {case.command} [{case.probe}: {case.target}] {mark}",
        file=sys.stderr,
    )
    return row


def summary(rows: list[Row]) -> str:
    lines = [f"{'command':22} {'runs':>4} {'rc':30} {'problems':>8} {'max s':>6}"]
    groups: dict[str, list[Row]] = {}
    for r in rows:
        groups.setdefault(r.command, []).append(r)
    for command, group in groups.items():
        rcs = Counter(str(r.rc) for r in group)
        text = " ".join(f"{k}:{v}" for k, v in sorted(rcs.items()))
        lines.append(
            f"{command:22} {len(group):4} {text[:30]:30} "
            f"{sum(1 for r in group if r.problems):8} {max(r.seconds for r in group):6.1f}"
        )
    bad = [r for r in rows if r.problems]
    kinds = Counter(k.split(" took ")[0] for r in bad for k in r.problems)
    lines.append(f"\n{len(rows)} runs, {len(bad)} with a problem; by kind:")
    lines.extend(f"  {n:4}  {k}" for k, n in kinds.most_common())
    for r in bad:
        err = " | ".join(error_lines(r.stderr))[:200]
        lines.append(
            f"  medtwin {' '.join(_shown(a) for a in r.args)} [{r.probe}: {r.target}] rc={r.rc}: "
            f"{'; '.join(r.problems)} — {err!r}"
        )
    return "\n".join(lines)


def _shown(word: str) -> str:
    return repr(word) if not word or " " in word else word


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--only",
        action="append",
        default=[],
        help="Only commands whose path holds this text (any of them, if repeated).",
    )
    ap.add_argument(
        "--skip",
        action="append",
        default=[],
        help="No command whose path starts with this text. Repeatable.",
    )
    ap.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="VALUE",
        help="No run of this odd value (huge: the input past MEDTWIN_MAX_INPUT_MB). Repeatable.",
    )
    ap.add_argument(
        "--patient", help="The patient the reads probe (default: GSM389703 or the first)."
    )
    ap.add_argument("--timeout", type=float, default=300.0, help="Seconds before 'no end'.")
    ap.add_argument("--jobs", type=int, default=1, help="Runs at once (at most 2).")
    ap.add_argument("--json", metavar="FILE", help="Write every row as JSON.")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="medtwin_cli_probe_"))
    from medtwin.api_keys import new_key

    # a configured key for `api-key revoke probe_key` to leave out (nothing is written: revoke
    # prints the line without it)
    _, key = new_key("probe_key", "read")
    os.environ["MEDTWIN_API_KEYS"] = f"{key.name}:{key.scope}:{key.sha256}"
    try:
        files = Files(root, huge="huge" not in args.without)
        real = discover(args.patient)
        print(f"real values: {real}", file=sys.stderr)
        secret, home = secrets()
        todo = [
            c
            for path, cmd in commands()
            if any(o in path for o in args.only or [""]) and not path.startswith(tuple(args.skip))
            for c in cases(path, cmd, real, files)
            if c.target not in args.without
        ]
        print(f"{len(todo)} runs", file=sys.stderr)
        t0 = time.monotonic()
        # --help alone, one at a time, so that each one's CPU time is its own
        rows = [run(c, secret, home, args.timeout, cpu=True) for c in todo if c.probe == "help"]
        with ThreadPoolExecutor(max_workers=max(1, min(args.jobs, 2))) as pool:
            rest = [c for c in todo if c.probe != "help"]
            rows += list(pool.map(lambda c: run(c, secret, home, args.timeout), rest))
        print(summary(rows))
        print(f"{time.monotonic() - t0:.0f} s", file=sys.stderr)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as out:
                json.dump([asdict(r) for r in rows], out, indent=1)
    finally:
        (root / "unreadable.tsv").chmod(0o600)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
