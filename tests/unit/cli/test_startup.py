"""Start-up: `import medtwin.cli` and every `--help` leave the science stack unimported.

An import-graph check, not a timing test (`make bench-cli` prints the times). Each check runs in a
fresh interpreter, because this test process has long imported everything.
"""

from __future__ import annotations

import click
import click.testing
import pytest

from medtwin.cli import COMMANDS, LazyGroup, cli
from tests.cli_tree import command_tree
from tests.fresh_interpreter import fresh_json

HEAVY = (
    "scanpy",
    "anndata",
    "matplotlib",
    "scipy",
    "numpy",
    "pandas",
    "networkx",
    "neo4j",
    "graphdatascience",
    "fastapi",
    "medtwin.platform.ranking",
    "medtwin.platform.context",
    "medtwin.platform.patients",
    "medtwin.platform.twins",
    "medtwin.platform.rankings",
    "medtwin.store.neo4j",
)
HELP_HEAVY = (*HEAVY, "medtwin.settings", "pydantic")
"""A ``--help`` also leaves the settings unread and pydantic unimported (~0.2 s of CPU): settings
are read when a command runs (the ``medtwin`` group's callback read them before every sub-command's
help), and ``twin build --help`` shows ``TwinParams``' defaults from ``twins.BUILD_DEFAULTS``."""


def test_importing_the_cli_imports_nothing_heavy():
    loaded = fresh_json(
        f"""
        import json, sys
        import medtwin.cli
        print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
        """
    )
    assert loaded == []


def test_top_level_help_imports_no_command_module():
    loaded = fresh_json(
        """
        import json, sys
        from medtwin.cli import cli
        try:
            cli.main(["--help"], prog_name="medtwin")
        except SystemExit:
            pass
        print(json.dumps(sorted(m for m in sys.modules if m.startswith("medtwin.cli."))))
        """
    )
    assert loaded == []


def test_help_of_every_command_imports_nothing_heavy():
    paths = [list(path) for path in command_tree() if path]
    assert {"rank", "twin build", "db status", "api-key new"} <= {" ".join(p) for p in paths}
    offenders = fresh_json(
        f"""
        import contextlib, io, json, sys
        from medtwin.cli import cli
        offenders = {{}}
        for path in {paths!r}:
            with contextlib.redirect_stdout(io.StringIO()):
                try:
                    cli.main([*path, "--help"], prog_name="medtwin")
                except SystemExit:
                    pass
            heavy = [m for m in {HELP_HEAVY!r} if m in sys.modules]
            if heavy:
                offenders[" ".join(path)] = heavy
                break
        print(json.dumps(offenders))
        """
    )
    assert offenders == {}


def test_twin_build_help_shows_the_twin_params_defaults():
    from medtwin.cli.twins import BUILD_DEFAULTS
    from medtwin.domain import TwinParams

    assert {name: getattr(TwinParams(), name) for name in BUILD_DEFAULTS} == BUILD_DEFAULTS


def test_patient_and_twin_use_cases_do_not_load_the_ranking_stack():
    """`patient` and `twin` commands import their use cases but not the ranking stack.

    ``twin diseases`` computes with the interactome but ranks nothing (it imported the ranking
    stack through ``insights`` until its use case moved to ``platform/diseases.py``).
    """
    loaded = fresh_json(
        """
        import json, sys
        import medtwin.platform.patients, medtwin.platform.twins, medtwin.platform.diseases
        heavy = ("medtwin.platform.ranking", "medtwin.platform.treatment")
        print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
        """
    )
    assert loaded == []


def test_the_check_sees_a_heavy_import():
    """The same probe does report a module when a command imports it (so the checks can fail)."""
    loaded = fresh_json(
        f"""
        import json, sys
        import medtwin.cli.treatment, medtwin.platform.ranking
        print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
        """
    )
    assert "medtwin.platform.ranking" in loaded
    assert "scipy" in loaded


def test_help_lists_every_command_with_its_short_help():
    result = click.testing.CliRunner().invoke(cli, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None
        line = next(x for x in result.output.splitlines() if x.strip().startswith(name + " "))
        assert line.split(maxsplit=1)[1] == command.get_short_help_str(200)


@pytest.mark.parametrize("limit", [45, 200])
def test_command_table_short_help_matches_the_commands(limit):
    ctx = click.Context(cli)
    for name, spec in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None
        table = click.Command(name, help=spec.help).get_short_help_str(limit)
        assert table == command.get_short_help_str(limit), name


def test_static_choices_match_the_registries():
    from medtwin.cli import reference, treatment
    from medtwin.loaders.fetch import default_pins_path, load_pins
    from medtwin.platform import rank_params
    from medtwin.platform import reference_datasets as datasets

    assert tuple(sorted(rank_params.TARGET_SOURCES)) == treatment.TARGET_SOURCES
    assert datasets.dataset_names() == list(reference.DATASETS)
    pins = load_pins(default_pins_path())
    assert tuple(sorted({pin.source for pin in pins})) == reference.FETCHED_SOURCES


def test_reading_stored_regulators_loads_no_science_stack():
    """`twin regulators` reads what the build stored through ``regulator_views`` first; that
    module must stay without scipy and networkx (~0.5 s), or the read costs a computation's
    start-up."""
    loaded = fresh_json(
        """
        import json, sys
        import medtwin.platform.regulator_views
        heavy = ("scipy", "networkx", "numpy", "medtwin.platform.twin_regulators")
        print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
        """
    )
    assert loaded == []


def test_the_export_loads_no_matplotlib():
    """`medtwin export` writes the layer colours; they live apart from the report's charts, whose
    matplotlib import (~0.35 s) the export paid for a colour table."""
    loaded = fresh_json(
        """
        import json, sys
        import medtwin.platform.export
        print(json.dumps(sorted(m for m in ("matplotlib",) if m in sys.modules)))
        """
    )
    assert loaded == []


def test_explaining_a_drug_loads_no_scipy():
    """`medtwin explain` walks the kept interactome arrays with numpy (its BFS); scipy's import
    was ~0.3 s of the command."""
    loaded = fresh_json(
        """
        import json, sys
        import medtwin.platform.explanations
        print(json.dumps(sorted(m for m in ("scipy", "networkx") if m in sys.modules)))
        """
    )
    assert loaded == []


def test_api_key_commands_do_not_import_the_app():
    """`medtwin api-key new|list|revoke` only hash and parse keys (:mod:`medtwin.api_keys`); through
    ``medtwin.api.security`` they imported the ``medtwin.api`` package, i.e. the FastAPI app
    (~1.8 s of a ~1.9 s command)."""
    loaded = fresh_json(
        f"""
        import contextlib, io, json, os, sys
        os.environ["MEDTWIN_API_KEYS"] = ""
        from medtwin.cli import cli
        for args in (["api-key", "new", "probe"], ["api-key", "list"]):
            with contextlib.redirect_stdout(io.StringIO()):
                try:
                    cli.main(args, prog_name="medtwin")
                except SystemExit as exit:
                    assert not exit.code, (args, exit.code)
        heavy = [*{HEAVY!r}, "medtwin.api", "starlette"]
        print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
        """
    )
    assert loaded == []


def test_the_api_starts_without_matplotlib_or_networkx():
    """`medtwin serve` builds the app, whose report route imports the report's charts module;
    matplotlib and networkx are imported by the first chart drawn, not at start-up (~0.55 s of
    the server's CPU before its first answer: `make bench-views`)."""
    loaded = fresh_json(
        """
        import json, logging, sys
        logging.disable(logging.WARNING)  # no key configured: its warning is not the point
        from medtwin.api import create_app
        from medtwin.settings import Settings
        create_app(Settings(api_keys=""))
        import medtwin.platform.report_charts
        print(json.dumps(sorted(m for m in ("matplotlib", "networkx") if m in sys.modules)))
        """
    )
    assert loaded == []


def test_a_patient_command_imports_no_other_group_of_commands():
    """`patient show` imports its own group, not `patient similar`'s module (``cli.cohort``,
    which imports the ranking models: ~40 % of the command's imports, `make bench-data`)."""
    loaded = fresh_json(
        """
        import json, sys
        import click
        from medtwin.cli import cli
        patient = cli.get_command(click.Context(cli), "patient")
        patient.get_command(click.Context(patient), "show")
        heavy = ("medtwin.cli.cohort", "medtwin.cli.treatment", "medtwin.platform.ranking_models")
        print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
        """
    )
    assert loaded == []


def test_lazy_sub_commands_show_their_own_short_help():
    """A group's table of lazy commands (:class:`medtwin.cli.LazyGroup`) says what the command
    itself says in ``--help``."""
    ctx = click.Context(cli)
    checked = []
    for name in COMMANDS:
        group = cli.get_command(ctx, name)
        if not isinstance(group, LazyGroup):
            continue
        for sub, spec in group.lazy.items():
            command = group.get_command(click.Context(group, parent=ctx), sub)
            assert command is not None, sub
            for limit in (45, 200):
                table = click.Command(sub, help=spec.help).get_short_help_str(limit)
                assert table == command.get_short_help_str(limit), f"{name} {sub}"
            checked.append(f"{name} {sub}")
    assert {"patient similar", "twin trajectory"} <= set(checked)


def test_the_api_starts_without_the_ranking_stack():
    """`medtwin serve` imports the ranking methods (and their numpy/scipy) at the first route that
    ranks, not at start-up: the read routes use the stored rankings' own modules."""
    loaded = fresh_json(
        """
        import json, logging, sys
        logging.disable(logging.WARNING)  # no key configured: its warning is not the point
        from medtwin.api import create_app
        from medtwin.settings import Settings
        create_app(Settings(api_keys=""))
        heavy = ("medtwin.platform.ranking", "medtwin.platform.treatment",
                 "medtwin.platform.rankings", "medtwin.platform.cohort")
        print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
        """
    )
    assert loaded == []


def test_reading_a_patient_or_twin_loads_no_input_readers():
    """`patient show|list`, `twin show|diff`, a stored ranking and the report read a patient through
    ``platform.patient_reads``; ``platform.patients`` (adding patients: the readers of every input
    kind, ~25 ms of CPU) is not imported for them."""
    loaded = fresh_json(
        """
        import json, sys
        import medtwin.platform.patient_reads, medtwin.platform.twins
        import medtwin.platform.stored_rankings, medtwin.platform.reports
        heavy = ("medtwin.platform.patients", "medtwin.platform.inputs")
        print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
        """
    )
    assert loaded == []


def test_the_neo4j_store_loads_no_row_model():
    """Every data command imports ``store.neo4j``; the reference row models (``loaders.rows``,
    ~5-8 ms of CPU) are for loads only, imported when a load writes its first batch."""
    loaded = fresh_json(
        """
        import json, sys
        import medtwin.store.neo4j
        print(json.dumps(sorted(m for m in ("medtwin.loaders.rows",) if m in sys.modules)))
        """
    )
    assert loaded == []


def test_describing_or_showing_loads_no_loader_nor_drawing():
    """`describe` reads counts and provenance through ``platform.datasets``, which imported the
    reference loading (``platform.reference``: every source's loader, fetch, tomllib; ~20-35 ms of
    CPU) for its ``load_reference``; `twin show|diff` imported the twin drawing's layout modules
    (~14 ms) through ``platform.twins``. Both are imported where a load or a drawing runs, and
    ``datasets.load_reference`` is still the loading use case."""
    loaded = fresh_json(
        """
        import json, sys
        import medtwin.platform.datasets, medtwin.platform.twins
        heavy = ("medtwin.platform.reference", "medtwin.loaders.fetch", "medtwin.loaders.rows",
                 "medtwin.platform.twin_drawing", "medtwin.platform.force_layout")
        print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
        """
    )
    assert loaded == []
    from medtwin.platform import datasets, reference

    assert datasets.load_reference is reference.load_reference
