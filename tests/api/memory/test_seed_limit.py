"""One bound for a seed, taken and refused alike by the CLI, the API and the Python use cases.

Before, the API took a seed up to 2**31 - 1, the CLI and the parameter models up to 2**63 - 1
and ``screen --seed`` any size, so a twin seeded above 2**31 - 1 from the CLI could not be
repeated through the API. Now every one takes 0 to :data:`~medtwin.random_seed.MAX_SEED`
(2**53 - 1, what JSON carries exactly) and refuses in the words of ``SEED_RULE``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import click
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from medtwin.cli import cli
from medtwin.errors import InputError
from medtwin.platform import twins
from medtwin.platform.algorithms.nulls import resolve_seed
from medtwin.platform.models import RankParams, TwinParams
from medtwin.random_seed import MAX_SEED, SEED_RULE
from medtwin.store.memory import MemoryStore
from tests.api.conftest import WRITE, TestClient
from tests.api.memory.test_validation_memory import FAST, _add
from tests.cli_tree import command_tree

TOO_BIG = MAX_SEED + 1

SEED_COMMANDS = {
    ("twin", "build"),
    ("twin", "diseases"),
    ("rank",),
    ("screen",),
    ("cohort", "stratify"),
    ("cohort", "run"),  # the ranking options of `rank`
}


def _seed_options() -> dict[tuple[str, ...], click.Option]:
    return {
        path: p
        for path, cmd in command_tree().items()
        for p in cmd.params
        if isinstance(p, click.Option) and "--seed" in p.opts
    }


def test_every_cli_seed_takes_the_bound_and_refuses_one_more() -> None:
    options = _seed_options()
    assert set(options) == SEED_COMMANDS  # a new --seed option is checked here too
    for path, option in options.items():
        assert option.type.convert(str(MAX_SEED), option, None) == MAX_SEED, path
        with pytest.raises(click.BadParameter, match=r"2\*\*53 - 1"):
            option.type.convert(str(TOO_BIG), option, None)


@pytest.mark.parametrize(
    "args",
    [["twin", "build", "P1"], ["twin", "diseases", "P1"], ["rank", "P1"],
     ["screen", "sets.gmt", "--out", "x.tsv"], ["cohort", "stratify", "P1", "P2"]],
    ids=lambda a: " ".join(a[:2]),
)  # fmt: skip
def test_the_cli_refuses_a_seed_past_the_bound_in_the_one_wording(args: list[str]) -> None:
    got = CliRunner().invoke(cli, [*args, "--seed", str(TOO_BIG)])
    assert got.exit_code == 2, got.output
    assert f"{SEED_RULE}, got {TOO_BIG}" in " ".join(got.output.split()), got.output


def test_python_takes_the_bound_and_refuses_one_more(store: MemoryStore) -> None:
    assert TwinParams(seed=MAX_SEED).seed == RankParams(seed=MAX_SEED).seed == MAX_SEED
    assert resolve_seed(MAX_SEED) == MAX_SEED
    assert resolve_seed(None) <= MAX_SEED  # a fresh seed can be given back
    for model in (TwinParams, RankParams):
        with pytest.raises(ValidationError, match=r"2\*\*53 - 1"):
            model(seed=TOO_BIG)
    with pytest.raises(InputError, match=r"seed must be a whole number from 0 to 2\*\*53 - 1"):
        resolve_seed(TOO_BIG)
    from medtwin.platform import patients
    from tests.unit.services.conftest import profile

    patients.add_patient(store, profile())
    built = twins.build_twin(store, "P1", {**FAST, "seed": MAX_SEED})  # type: ignore[arg-type]
    assert built.params.seed == MAX_SEED
    with pytest.raises(InputError) as refused:
        twins.build_twin(store, "P1", {**FAST, "seed": TOO_BIG})  # type: ignore[arg-type]
    assert f"{SEED_RULE}, got {TOO_BIG}" in str(refused.value)


def test_parameters_stored_before_the_bound_are_read_as_stored() -> None:
    """A twin or ranking seeded up to 2**63 - 1 before stays readable as it was built: with the
    bound alone, ``RankParams.from_stored`` refused such a stored ranking."""
    stored = json.dumps({"seed": 2**63 - 1})
    assert TwinParams.from_stored(stored, twin_id="T1", strict=True).seed == 2**63 - 1
    assert RankParams.from_stored(stored).seed == 2**63 - 1


def test_the_api_takes_the_bound_and_refuses_one_more(client: TestClient) -> None:
    _add(client)
    twin = client.post("/v1/patients/P1/twins", headers=WRITE, json={**FAST, "seed": MAX_SEED})
    assert twin.status_code == 201, twin.text
    assert twin.json()["params"]["seed"] == MAX_SEED
    made = client.post(
        "/v1/patients/P1/rankings", headers=WRITE, json={"n_samples": 20, "seed": MAX_SEED}
    )
    assert made.status_code == 201, made.text
    assert made.json()["params"]["seed"] == MAX_SEED
    targets = b"drug_id\tgene\nD1\tG1\n"
    custom = client.post(
        "/v1/patients/P1/rankings/custom",
        headers=WRITE,
        files={"targets": ("t.tsv", targets, "text/plain")},
        data={"n_samples": "20", "seed": str(MAX_SEED)},
    )
    assert custom.status_code == 201, custom.text
    refused = [
        client.post("/v1/patients/P1/twins", headers=WRITE, json={**FAST, "seed": TOO_BIG}),
        client.post("/v1/patients/P1/rankings", headers=WRITE, json={"seed": TOO_BIG}),
        client.post(
            "/v1/patients/P1/rankings/custom",
            headers=WRITE,
            files={"targets": ("t.tsv", targets, "text/plain")},
            data={"seed": str(TOO_BIG)},
        ),
    ]
    for r in refused:
        assert r.status_code == 422, r.text
        assert f"{SEED_RULE}, got {TOO_BIG}" in r.json()["detail"], r.text


def test_every_seed_the_api_takes_has_the_one_bound(document: dict[str, Any]) -> None:
    """Every request body with a seed (JSON or form) states the bound in the OpenAPI schema."""
    schemas = document["components"]["schemas"]
    bodies = set(
        re.findall(
            r'"#/components/schemas/([^"]+)"',
            json.dumps([op.get("requestBody") for ops in document["paths"].values()
                        for op in ops.values()]),
        )
    )  # fmt: skip
    found = {name: schemas[name]["properties"]["seed"] for name in bodies
             if "seed" in schemas[name].get("properties", {})}  # fmt: skip
    assert {"TwinBuildRequest", "RankRequest"} < set(found), found  # and the custom form
    for name, seed in found.items():
        assert (seed.get("minimum"), seed.get("maximum")) == (0, MAX_SEED), (name, seed)
