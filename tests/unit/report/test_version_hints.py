"""A result of an older twin version names its next commands with ``--version N`` (memory store).

Before, ``medtwin report P1 --version 1`` (``P1_v1.html``) said "No ranking yet: run `medtwin rank
P1`", and the versioned ``rank``/``explain``/``biomarkers``/``twin diseases`` hints named their
commands without ``--version``: a user following them read, ranked or re-ranked the latest twin
(v2), not the one in front of them. Without ``--version`` the hints stay as they were.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.cli import treatment as cli_treatment
from medtwin.command_lines import speaking_to
from medtwin.errors import NotFoundError
from medtwin.platform import insight_reads, rankings, reports, treatment
from medtwin.platform.context import ReferenceContext
from medtwin.platform.explain import _target_source
from medtwin.platform.models import RankParams
from medtwin.platform.stored_rankings import get_ranking
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import two_twin_versions

FAST = RankParams(n_samples=20, methods=("proximity",))


@pytest.fixture
def two_twins() -> MemoryStore:
    """Patient P1 with twin versions 1 and 2, neither ranked."""
    store = two_twin_versions()
    assert store.twins.twin("P1", None)["version"] == 2
    return store


def _hint(call) -> str:  # type: ignore[no-untyped-def]
    with speaking_to("cli"), pytest.raises(NotFoundError) as e:
        call()
    return str(e.value.hint)


def test_the_report_of_an_older_version_names_its_steps_with_it(two_twins: MemoryStore) -> None:
    with speaking_to("cli"):
        old = reports.patient_report(two_twins, "P1", version=1, ctx=ReferenceContext())
        latest = reports.patient_report(two_twins, "P1", ctx=ReferenceContext())
    for step in ("rank P1", "twin diseases P1", "biomarkers P1"):
        assert f"<code>medtwin {step} --version 1</code>" in old, step
        assert f"<code>medtwin {step}</code>" in latest, step
    # every step of the page that reads one twin names it (test_option_names.TWIN_READERS)
    readers = re.compile(r"<code>medtwin (?:rank|explain|biomarkers|report|export|twin (?:show|"
                         r"diseases|regulators)) [^<]*</code>")  # fmt: skip
    assert all("--version 1</code>" in step for step in readers.findall(old))
    assert len(readers.findall(old)) == 4
    assert "--version" not in latest


def test_a_versioned_read_names_the_version_in_its_hint(two_twins: MemoryStore) -> None:
    ctx = ReferenceContext()
    got = _hint(lambda: get_ranking(two_twins, ctx, "P1", version=1))
    assert got == "run `medtwin rank P1 --version 1`"
    assert _hint(lambda: get_ranking(two_twins, ctx, "P1")) == "run `medtwin rank P1`"
    got = _hint(lambda: insight_reads.computed_diseases(two_twins, "P1", version=1))
    assert got == "run `medtwin twin diseases P1 --version 1`"
    params = RankParams(targets="trial.tsv sha256:" + "0" * 64)
    got = _hint(lambda: _target_source("P1", "DB1", params, 1))
    assert got == "see its row in `medtwin rank P1 --out FILE.tsv --version 1`"


def test_biomarkers_of_an_older_version_name_it(two_twins: MemoryStore, tmp_path: Path) -> None:
    rankings.rank_drugs(two_twins, "P1", FAST, version=1, cache_dir=tmp_path)
    got = _hint(lambda: insight_reads.computed_biomarkers(two_twins, "P1", version=1))
    assert got == "run `medtwin biomarkers P1 --top 10 --top-drugs 20 --version 1`"


def test_an_older_rankings_rerank_names_its_version(
    two_twins: MemoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ranking of older ranking rules of v1: the rerank of v1, in the note and the CLI line."""
    with monkeypatch.context() as m:
        m.setattr(treatment, "RANKING_RULES", treatment.RANKING_RULES - 1)
        rankings.rank_drugs(two_twins, "P1", FAST, version=1, cache_dir=tmp_path)
    with speaking_to("cli"):
        page = get_ranking(two_twins, ReferenceContext(), "P1", version=1)
    assert str(page.stale_note).endswith("run `medtwin rank P1 --rerank --version 1`")
    monkeypatch.setattr(cli_treatment, "open_store", lambda **_: contextlib.nullcontext(two_twins))
    args = ["rank", "P1", "--version", "1", "--samples", "20", "--method", "proximity"]
    made = CliRunner().invoke(cli, args)  # under today's rules, stored
    assert made.exit_code == 0, made.output
    shown = CliRunner().invoke(cli, args)  # the stored ranking shown
    assert shown.exit_code == 0, shown.output
    assert "; --rerank --version 1 computes it again)" in shown.stdout
