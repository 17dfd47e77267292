"""The docs say what the code has: commands, options, make targets, paths, settings, figures.

A user who has only README.md and the guide's pages (``docs/*.md``), TESTING.md, bloom/README.md,
the notebook and the ``--help`` texts must be able to run what they show. These checks read the
docs as text and compare them with the code's own tables (the click command tree, the Makefile,
``.env.example``, ``Settings``, the query library, ``rank --out``'s columns, the Python API,
``personal_evidence.json``), so a renamed option or a re-measured figure fails here instead of
drifting silently. They need no database; the
notebook itself is executed by ``tests/integration/test_notebook.py``.
"""

from __future__ import annotations

import importlib
import itertools
import json
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from medtwin.cli import cli
from tests.cli_tree import command_tree
from tests.docs_pages import guide_pages, guide_text, page

ROOT = Path(__file__).resolve().parents[2]
DOCS = (*guide_pages(), "TESTING.md", "bloom/README.md")
NOTEBOOK = "docs/python_api.ipynb"


def _doc(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def _notebook_text() -> str:
    cells = json.loads(_doc(NOTEBOOK))["cells"]
    return "\n".join("".join(c["source"]) for c in cells)


def _options(cmd: click.Command) -> set[str]:
    names = {"--help", "-h"}
    for p in cmd.params:
        if isinstance(p, click.Option):
            names |= set(p.opts) | set(p.secondary_opts)
    return names


def _help_texts(tree: dict[tuple[str, ...], click.Command]) -> Iterator[tuple[str, str]]:
    for path, cmd in tree.items():
        ctx = click.Context(cmd, info_name=" ".join(("medtwin", *path)))
        yield "medtwin " + " ".join(path) + " --help", cmd.get_help(ctx)


_SPAN = re.compile(r"`(medtwin [^`]+)`")
_OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def invocations(text: str) -> Iterator[str]:
    """``medtwin …`` command lines of a doc: inline code spans and lines of code blocks/examples.

    >>> list(invocations("run `medtwin rank P1 --top 5` then\\n  medtwin twin show P1   # x && y"))
    ['medtwin rank P1 --top 5', 'medtwin twin show P1']
    >>> list(invocations("medtwin twin build MT1 && medtwin twin show MT1"))
    ['medtwin twin build MT1', 'medtwin twin show MT1']
    >>> list(invocations("  Example: medtwin twin list P1"))
    ['medtwin twin list P1']
    """
    found = [m.group(1) for m in _SPAN.finditer(text)]
    for line in text.splitlines():
        stripped = line.strip().removeprefix("Example: ")  # a --help's one-line example
        if stripped.startswith(("medtwin ", "$ medtwin ")):
            found.append(stripped.removeprefix("$ ").split("  #")[0].split(" # ")[0])
    for command in found:
        for part in re.split(r"\s+(?:&&|\|\|?|;)\s+", command):
            part = part.strip()
            if part.startswith("medtwin "):
                yield part


def problems_of(command: str, tree: dict[tuple[str, ...], click.Command]) -> list[str]:
    """What in ``command`` the CLI does not have: an unknown sub-command or option.

    >>> tree = command_tree()
    >>> problems_of("medtwin twin build P1 --skip-current", tree)
    []
    >>> problems_of("medtwin twin frob P1", tree)
    ["no command 'medtwin twin frob'"]
    >>> problems_of("medtwin rank P1 --fast [--json]", tree)
    ["'medtwin rank' has no option --fast"]
    >>> problems_of("medtwin rank --top 5 -- -P1", tree)  # after `--`: arguments
    []
    """
    words = command.split()[1:]
    if "--" in words:
        words = words[: words.index("--")]
    path: tuple[str, ...] = ()
    while words and (*path, words[0]) in tree:
        path = (*path, words.pop(0))
    cmd = tree[path]
    name = " ".join(("medtwin", *path))
    if isinstance(cmd, click.Group):
        if words and re.fullmatch(r"[a-z][a-z-]*", words[0]):
            return [f"no command {name + ' ' + words[0]!r}"]
        return []
    known = _options(cmd) | _options(cli)
    return [
        f"{name!r} has no option {option}"
        for option in _OPTION.findall(" ".join(words))
        if option not in known
    ]


def test_every_documented_command_and_option_exists() -> None:
    tree = command_tree()
    sources = [(name, _doc(name)) for name in DOCS]
    sources.append((NOTEBOOK, _notebook_text()))
    sources += list(_help_texts(tree))
    seen = 0
    problems = []
    for name, text in sources:
        for command in invocations(text):
            seen += 1
            problems += [f"{name}: {p} (in {command!r})" for p in problems_of(command, tree)]
    assert problems == []
    assert seen > 100  # the extraction reads the docs (a broken regex would pass vacuously)


_FILE_WORD = re.compile(r"FILE|[\w./-]+\.(?:tsv|csv|h5ad|vcf|json|gmt|txt|gz|dump)")
"""A file a documented command reads: a name with a data suffix, or the placeholder ``FILE``."""


def spellings(command: str) -> list[list[str]]:
    """The argument lists ``command`` stands for: an optional ``[--json]`` given, ``a|b`` each.

    >>> for argv in spellings("medtwin export P1 --format cyjs|graphml [--json]"):
    ...     print(" ".join(argv))
    medtwin export P1 --format cyjs --json
    medtwin export P1 --format graphml --json
    >>> spellings("medtwin twin regulators P [--top N]")
    [['medtwin', 'twin', 'regulators', 'P', '--top', '1']]
    """
    text = re.sub(r"\[([^\]]*)\]", r"\1", command)  # an optional part: checked as given
    try:
        words = shlex.split(text)
    except ValueError:  # an unbalanced quote in prose
        words = text.split()
    words = ["1" if w == "N" else w for w in words]  # the docs' number placeholder
    choices = [w.split("|") if re.fullmatch(r"[\w-]+(?:\|[\w-]+)+", w) else [w] for w in words]
    return [list(p) for p in itertools.product(*choices)]


def parse_problem(
    command: str, tree: dict[tuple[str, ...], click.Command], folder: Path
) -> str | None:
    """Why the CLI would refuse ``command``'s arguments (click's own parse, nothing run), or None.

    Only lines that give a command more than its name are checked (``medtwin patient add``
    names the command; ``medtwin patient add P1 --de p1_de.tsv`` runs it). Files the line
    names are created empty in ``folder`` (the current directory), as options that read a file
    check that it exists.
    """
    for argv in spellings(command):
        words, path = argv[1:], ()
        while words and (*path, words[0]) in tree:
            path = (*path, words.pop(0))
        cmd = tree[path]
        if not words or not path or isinstance(cmd, click.Group) or "--help" in words:
            continue
        for word in words:
            if _FILE_WORD.fullmatch(word) and not (folder / word).exists():
                (folder / word).parent.mkdir(parents=True, exist_ok=True)
                (folder / word).touch()
        ctx = click.Context(cli, info_name="medtwin")
        for depth in range(1, len(path)):
            ctx = click.Context(tree[path[:depth]], parent=ctx, info_name=path[depth - 1])
        try:
            cmd.make_context(path[-1], list(words), parent=ctx)
        except click.UsageError as e:
            return f"{' '.join(argv)}: {e.format_message()}"
    return None


def test_every_documented_command_line_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each ``medtwin …`` line of the docs and ``--help`` texts is accepted as it is written.

    Beyond the names (above): argument counts, required options, choices, numbers and ranges,
    through click's ``make_context`` (parsing only; no command runs). ``make_context`` of
    ``medtwin twin build --all --skip-current --from 1`` fails here, as it fails for a user.
    """
    monkeypatch.chdir(tmp_path)
    tree = command_tree()
    sources = [(name, _doc(name)) for name in DOCS]
    sources.append((NOTEBOOK, _notebook_text()))
    sources += list(_help_texts(tree))
    checked, problems = 0, []
    for name, text in sources:
        for command in invocations(text):
            if problems_of(command, tree):
                continue  # reported by test_every_documented_command_and_option_exists
            problem = parse_problem(command, tree, tmp_path)
            checked += 1
            if problem is not None:
                problems.append(f"{name}: {problem}")
    assert problems == []
    assert checked > 100


_QUERY_SPAN = re.compile(r"`(?:medtwin query )?([a-z][a-z0-9_]*) -p ")


def test_every_documented_library_query_exists():
    """``medtwin query NAME`` (and the README's short ``NAME -p key=value``) names a library query,
    with the parameters that query takes."""
    from medtwin.store.library import LIBRARY

    tree = command_tree()
    named, wrong = 0, []
    sources = [(name, _doc(name)) for name in DOCS]
    sources += list(_help_texts(tree))
    for name, text in sources:
        calls = [c.split()[2:] for c in invocations(text) if c.split()[:2] == ["medtwin", "query"]]
        calls += [[m, "-p"] for m in _QUERY_SPAN.findall(text)]
        for words in calls:
            if not words or not re.fullmatch(r"[a-z][a-z0-9_]*", words[0]):
                continue  # `medtwin query`, `medtwin query NAME --show`
            named += 1
            if words[0] not in LIBRARY:
                wrong.append(f"{name}: no library query {words[0]!r}")
                continue
            given = {p.split("=", 1)[0] for p in re.findall(r"-p\s+['\"]?(\w+=)", " ".join(words))}
            extra = given - set(LIBRARY[words[0]].params)
            if extra:
                wrong.append(f"{name}: query {words[0]!r} takes no parameter(s) {sorted(extra)}")
    assert wrong == []
    assert named >= 5


def _needs_example(cmd: click.Command) -> bool:
    """A command that takes an argument or an option with a value (not only flags)."""
    return any(
        isinstance(p, click.Argument) or (isinstance(p, click.Option) and not p.is_flag)
        for p in cmd.params
    )


def test_every_command_with_arguments_shows_an_example():
    """``--help`` of each command that takes a value shows how to call it (``Example: medtwin …``).

    The examples are command lines of the docs too: the tests above check that they parse.
    """
    tree = command_tree()
    helps = dict(_help_texts(tree))
    missing = []
    for path, cmd in tree.items():
        if not path or isinstance(cmd, click.Group) or not _needs_example(cmd):
            continue
        name = " ".join(("medtwin", *path))
        shown = list(invocations(helps[name + " --help"]))
        if not any(re.match(re.escape(name) + r"( |$)", line) for line in shown):
            missing.append(name)
    assert missing == []


def test_every_command_is_in_the_guide() -> None:
    """``medtwin --help`` lists each command; README.md or a guide page shows each one."""
    readme = " ".join(invocations(guide_text()))
    missing = [
        " ".join(("medtwin", *path))
        for path, cmd in command_tree().items()
        if path
        and not isinstance(cmd, click.Group)
        and not re.search(r"medtwin " + re.escape(" ".join(path)) + r"\b", readme)
    ]
    assert missing == []


def _make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*)(?: [a-z][\w-]*)*:", _doc("Makefile"), re.M)) | set(
        re.findall(r"^[a-z][\w-]* ([a-z][\w-]*):", _doc("Makefile"), re.M)
    )


def test_every_documented_make_target_exists() -> None:
    targets = _make_targets()
    used = set()
    for name in (*DOCS, NOTEBOOK):
        used |= {(name, t) for t in re.findall(r"`make ([a-z][\w-]*)", _doc(name))}
    assert {(name, t) for name, t in used if t not in targets} == set()
    assert {"demo", "test", "test-unit", "validate-twins"} <= {t for _, t in used}


def test_make_help_lists_every_documented_target() -> None:
    """README: "`make help` lists the targets" — each one with a ``##`` description, as run.

    Its listing is a grep of the Makefile: a target whose name holds a digit (``test-neo4j``, in
    TESTING.md's table) or that shares its line (``db up``) was left out of it.
    """
    shown = subprocess.run(
        ["make", "--no-print-directory", "-s", "-C", str(ROOT), "help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    described = re.findall(r"^([a-z][\w -]*):.*##", _doc("Makefile"), re.M)
    assert len(described) > 20
    missing = [names for names in described if not any(s.startswith(f"  {names} ") for s in shown)]
    assert missing == []


_PATH = re.compile(r"`((?:src|tests|benchmarks|docs|bloom)/[\w./-]+?)(?:::\w+)?`")


def test_every_documented_repository_path_exists() -> None:
    missing = []
    for name in DOCS:
        for path in _PATH.findall(_doc(name)):
            if "*" not in path and not (ROOT / path).exists():
                missing.append(f"{name}: {path}")
    assert missing == []


_UPLOAD = re.compile(r"^curl .*?-F \w+=@(\S+)", re.M)


def test_every_documented_upload_sends_a_file_of_the_clone() -> None:
    """A ``curl -F field=@FILE`` line of a command block uploads a file a fresh clone has.

    api.md's "From an upload to a report", "each line as run against the demo database", sent
    ``-F de=@p1_de.tsv``, a file no one has: pasted as written, curl stopped with "(26) Failed
    to open/read local data" and every later line of the block answered 404 (no patient P1).
    """
    missing = []
    for name in DOCS:
        for block in re.findall(r"```bash\n(.*?)```", _doc(name), re.S):
            for path in _UPLOAD.findall(block):
                if not (ROOT / path).is_file():
                    missing.append(f"{name}: {path}")
    assert missing == []


_LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_every_local_link_opens_a_file_of_the_clone() -> None:
    """A Markdown link that is no URL opens a file of the repository, from the doc's folder.

    A fresh clone has nothing beside it: README's house-style link ``../shared/STYLE.md``
    resolved on the project's machines (where the checkout sits beside ``shared/``) and was a
    dead link everywhere else.
    """
    broken = []
    for name in (*DOCS, NOTEBOOK):
        text = _notebook_text() if name == NOTEBOOK else _doc(name)
        for target in _LINK.findall(text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue  # a URL or an anchor
            path = ((ROOT / name).parent / target.split("#")[0]).resolve()
            if not path.is_relative_to(ROOT) or not path.exists():
                broken.append(f"{name}: {target}")
    assert broken == []


_FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1", re.M | re.S)
_HEADING = re.compile(r"^ {0,3}#{1,6} +(.+?) *#* *$", re.M)


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its text in lower case, no punctuation, ``-`` for spaces.

    Letters and digits of any script, ``-`` and ``_`` stay; a link in it counts by its text.

    >>> github_slug("What `make demo` does")
    'what-make-demo-does'
    >>> github_slug("How good are the rankings?")
    'how-good-are-the-rankings'
    >>> github_slug("API, report, viewer, exports")
    'api-report-viewer-exports'
    >>> github_slug("Upstream regulators (issue 18)")
    'upstream-regulators-issue-18'
    >>> github_slug("Co-occurrence & *the* [Browser](cypher.md) — done")
    'co-occurrence--the-browser--done'
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors_of(markdown: str) -> set[str]:
    r"""Every ``#anchor`` a page offers: its headings' slugs (a repeated one as ``-1``, ``-2``, …).

    >>> sorted(anchors_of("# A\n```\n# not a heading\n```\n## A\ntext\n### B c"))
    ['a', 'a-1', 'b-c']
    """
    seen: dict[str, int] = {}
    found = set()
    for heading in _HEADING.findall(_FENCE.sub("", markdown)):
        slug = github_slug(heading)
        found.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return found


def test_every_anchor_of_the_guide_names_a_heading() -> None:
    """A link ``page.md#anchor`` or ``#anchor`` of the docs (README.md, the guide) hits a heading.

    The README's sections became pages of ``docs/``; a link to a section that moved, or a heading
    renamed under a link, would open the page at its top (GitHub's slug rule: :func:`github_slug`).
    """
    broken, checked = [], 0
    for name in DOCS:
        for target in _LINK.findall(_FENCE.sub("", _doc(name))):
            if re.match(r"[a-z]+:", target) or "#" not in target:
                continue  # a URL, or a link to a whole file (test_every_local_link_…)
            path, anchor = target.split("#", 1)
            page_name = (Path(name).parent / path).as_posix() if path else name
            if not (ROOT / page_name).is_file() or not page_name.endswith(".md"):
                continue
            checked += 1
            if anchor not in anchors_of(_doc(page_name)):
                broken.append(f"{name}: {target}")
    assert broken == []
    assert checked >= 1  # the README's own contents link is one


_NETWORK_LOAD = re.compile(
    r"!\[[^\]]*\]\((?:https?:)?//|<(?:img|script|iframe|link|source|video|audio)\b[^>]*?"
    r"(?:src|href)=[\"']?(?:https?:)?//",
    re.I,
)


def test_the_guide_loads_nothing_from_the_network() -> None:
    """README.md and the guide read offline: no image, script or frame is fetched from a URL.

    >>> bool(_NETWORK_LOAD.search('![badge](https://img.shields.io/x.svg)'))
    True
    >>> bool(_NETWORK_LOAD.search('<script src="//cdn.example/x.js"></script>'))
    True
    >>> bool(_NETWORK_LOAD.search('[Dask distributed](https://distributed.dask.org)'))
    False
    """
    loads = [
        f"{name}: {m.group(0)}"
        for name in guide_pages()
        for m in _NETWORK_LOAD.finditer(_doc(name))
    ]
    assert loads == []


def _same(default: object, shown: str) -> bool:
    if str(default).lower() == shown.lower():
        return True
    try:
        return float(shown) == default
    except ValueError:
        return False


def test_env_example_names_every_setting() -> None:
    """README: "All settings: `.env.example`" — one line per ``Settings`` field."""
    from medtwin.settings import Settings

    lines = dict(re.findall(r"^# (MEDTWIN_[A-Z0-9_]+)=(\S*)", _doc(".env.example"), re.M))
    assert set(lines) == {f"MEDTWIN_{name.upper()}" for name in Settings.model_fields}
    # The value shown is the default (the mirror's default depends on the checkout's folder).
    wrong = []
    for name, field in Settings.model_fields.items():
        shown = lines[f"MEDTWIN_{name.upper()}"]
        if shown and name != "data_mirror":
            default = field.get_default(call_default_factory=True)
            if not _same(default, shown):
                wrong.append(f"MEDTWIN_{name.upper()}={shown}, default {default!r}")
    assert wrong == []


def test_rank_out_columns_are_the_readmes() -> None:
    from medtwin.platform.ranking_table import COLUMNS

    readme = re.sub(r"\s+", " ", page("docs/patients.md"))
    match = re.search(r"with the columns `([^`]+)`", readme)
    assert match is not None
    assert tuple(c.strip() for c in match.group(1).split(",")) == COLUMNS


def test_python_api_table_names_functions_that_exist() -> None:
    readme = page("docs/python.md")
    table = readme[readme.index("| module | functions |") :].split("\n\n", 1)[0]
    checked = 0
    for row in table.splitlines()[2:]:
        module, functions = (cell.strip() for cell in row.strip("|").split("|"))
        name = module.strip("`")
        mod = importlib.import_module(name if name == "medtwin" else f"medtwin.platform.{name}")
        for fn in re.findall(r"`(\w+)`", functions):
            if fn != "skip_current":  # a parameter of build_twins
                assert callable(getattr(mod, fn, None)), f"{mod.__name__}.{fn}"
                checked += 1
    assert checked > 25


def test_readme_python_blocks_run_on_their_own() -> None:
    """Each ```python block of README.md and the guide compiles; one that uses a store opens it.

    The first block's ``with medtwin.connect() as store:`` closes its store at the block's end,
    so the progress-bar block pasted after it raised ``StoreClosed`` when it used ``store``.
    """
    blocks = [
        (name, block)
        for name in guide_pages()
        for block in re.findall(r"```python\n(.*?)```", page(name), re.S)
    ]
    assert len(blocks) >= 3
    unopened = []
    for name, block in blocks:
        compile(block, name, "exec")
        if re.search(r"\bstore\b", block) and not re.search(r"connect\(|MemoryStore\(", block):
            unopened.append(block.splitlines()[0])
    assert unopened == []


def _statement_lines(cypher: str) -> list[str]:
    return [
        line.strip()
        for line in cypher.splitlines()
        if line.strip() and not line.lstrip().startswith(("//", ":param"))
    ]


def test_browser_examples_are_the_library_statements() -> None:
    """The guide's "Cypher in Neo4j Browser" shows what ``medtwin query NAME --show`` prints."""
    from medtwin.store.library import LIBRARY, library_statement

    readme = page("docs/cypher.md")
    section = readme[readme.index("# Cypher in Neo4j Browser") :]
    block = section.split("```cypher", 1)[1].split("```", 1)[0]
    by_question = {q.question: q for q in LIBRARY.values()}
    examples = re.split(r"\n\s*\n", block.strip())
    assert len(examples) >= 3
    for example in examples:
        title = example.splitlines()[0].removeprefix("//").strip()
        entry = by_question[title]
        assert _statement_lines(example) == _statement_lines(library_statement(entry.name)), title
        params = re.findall(r"^:param (\w+) =>", example, re.M)
        assert sorted(params) == sorted(entry.params), title


def _figure(x: float) -> str:
    return f"{x:+.3f}".replace("-", "\u2212")


def _ci(text: str) -> str:
    lo, hi = (float(v) for v in text.strip("[]").split(","))
    return f"[{lo:.3f}, {hi:.3f}]".replace("-", "\u2212")


# README row label -> personal_evidence.json key, and the parts whose cell holds that row's
# current figures (the AUROC and gain [CI]); (c)'s direction cell only counts the tumours scored.
_EVIDENCE_ROWS = {
    "**default since stop 45**": ("default", "abc"),
    "proximity alone": ("method: proximity", "abc"),
    "direction alone": ("method: direction", "ab"),
    "disruption alone": ("method: disruption", "abc"),
    "degree alone (prior)": ("method: degree", "abc"),
}


def test_personal_gain_table_quotes_the_evidence_file() -> None:
    """The guide's "Is a ranking personal?" says what rankings quote as ``personal_evidence``."""
    evidence = json.loads(_doc("src/medtwin/platform/personal_evidence.json"))["parts"]
    parts = {key[0]: table for key, table in evidence.items()}
    readme = page("docs/validation.md")
    section = readme[readme.index("**Is a ranking personal?**") :]
    rows = {
        cells[0]: cells[1:]
        for line in section.splitlines()
        if line.startswith("| ")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    wrong = []
    for label, (key, checked) in _EVIDENCE_ROWS.items():
        label_cell = next(c for c in rows if c.startswith(label))
        for part, cell in zip("abc", rows[label_cell], strict=True):
            if part not in checked:
                continue
            r = parts[part][key]
            cell = cell.replace("*", "")
            wanted = [f"{r['auroc']:.3f}"] if part != "c" or key != "method: disruption" else []
            if abs(r["gain"]) > 0.0005:
                wanted.append(f"{_figure(r['gain'])} {_ci(r['gain_ci'])}")
            wrong += [f"{label} ({part}): {w} not in {cell!r}" for w in wanted if w not in cell]
    assert wrong == []
