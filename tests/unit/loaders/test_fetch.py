import hashlib
from pathlib import Path

import pytest

from medtwin.errors import ConfigError, DataFetchError, InputError, NotFoundError
from medtwin.loaders import fetch
from medtwin.loaders.fetch import fetch_all, load_package_pins, load_pins, locate

GOOD = b"a\tb\n1\t2\n"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pins(tmp_path: Path, entries: list[dict[str, object]]) -> Path:
    lines = []
    for entry in entries:
        lines.append("[[file]]")
        for key, value in entry.items():
            text = "true" if value is True else f'"{value}"'
            lines.append(f"{key} = {text}")
    path = tmp_path / "sources.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _entry(name: str, sha: str, **extra: object) -> dict[str, object]:
    return {
        "source": "demo",
        "name": name,
        "url": f"https://example.invalid/{name}",
        "sha256": sha,
        "licence": "CC0",
        "version": "1",
        **extra,
    }


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    folder = tmp_path / "mirror" / "demo"
    folder.mkdir(parents=True)
    (folder / "good.tsv").write_bytes(GOOD)
    (folder / "bad.tsv").write_bytes(GOOD + b"tampered\n")
    return tmp_path / "mirror"


def test_copy_from_mirror_then_idempotent(tmp_path, mirror):
    pins = _pins(tmp_path, [_entry("good.tsv", _sha(GOOD))])
    dest = tmp_path / "data"
    seen = []
    first = fetch_all(dest, mirror, None, seen.append, pins_path=pins)
    assert [f.action for f in first] == ["copied"]
    assert seen == first
    assert (dest / "demo" / "good.tsv").read_bytes() == GOOD
    second = fetch_all(dest, mirror, None, pins_path=pins)
    assert [f.action for f in second] == ["present"]
    assert locate(dest, "demo", "good.tsv") == dest / "demo" / "good.tsv"


def test_checksum_mismatch_names_file_expected_and_got(tmp_path, mirror):
    expected = _sha(GOOD)
    pins = _pins(tmp_path, [_entry("bad.tsv", expected)])
    dest = tmp_path / "data"
    with pytest.raises(DataFetchError) as info:
        fetch_all(dest, mirror, None, pins_path=pins)
    message = str(info.value)
    assert "demo/bad.tsv" in message
    assert expected in message
    assert _sha(GOOD + b"tampered\n") in message
    assert not (dest / "demo" / "bad.tsv").exists()
    assert not (dest / "demo" / "bad.tsv.part").exists()


def test_nothing_is_downloaded_without_a_mirror_copy(tmp_path, monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("fetch must not open a URL")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    pins = _pins(tmp_path, [_entry("good.tsv", _sha(GOOD), member="data/good.tsv")])
    with pytest.raises(DataFetchError, match="no data mirror is set") as err:
        fetch_all(tmp_path / "data", None, None, pins_path=pins)
    assert "MEDTWIN_DATA_MIRROR" in (err.value.hint or "")
    assert not (tmp_path / "data" / "demo" / "good.tsv").exists()


def test_mirror_only_file_missing_from_mirror(tmp_path, mirror):
    pins = _pins(tmp_path, [_entry("derived.tsv", _sha(GOOD), mirror_only=True)])
    with pytest.raises(DataFetchError, match="only available from a mirror"):
        fetch_all(tmp_path / "data", mirror, None, pins_path=pins)


def test_only_filters_and_rejects_unknown(tmp_path, mirror):
    pins = _pins(tmp_path, [_entry("good.tsv", _sha(GOOD)), _entry("bad.tsv", _sha(GOOD))])
    got = fetch_all(tmp_path / "data", mirror, {"demo/good.tsv"}, pins_path=pins)
    assert [f.pin.name for f in got] == ["good.tsv"]
    with pytest.raises(InputError, match="nope"):
        fetch_all(tmp_path / "data", mirror, {"nope"}, pins_path=pins)


def test_locate_missing(tmp_path):
    with pytest.raises(NotFoundError) as info:
        locate(tmp_path, "demo", "x.tsv")
    assert "medtwin data fetch" in (info.value.hint or "")


def test_bad_pin_file(tmp_path):
    with pytest.raises(ConfigError, match="64 hex"):
        load_pins(_pins(tmp_path, [_entry("x.tsv", "abc")]))


def test_repository_pins_match_loader_sources():
    from medtwin.loaders import (
        drug_targets_drugcentral,
        drugs_drugbank,
        genes_ncbi,
        guney2016,
        indications_dev,
        ligand_receptor_liana,
        pathways_progeny,
        perturbations_lincs,
        phenotypes_hpo,
        ppi_menche2015,
        regulons_dorothea,
        symptoms_hsdn,
    )

    path = fetch.default_pins_path()
    pins = load_pins(path)
    by_source: dict[str, set[str]] = {}
    for pin in pins:
        by_source.setdefault(pin.source, set()).add(pin.name)
    file_sources = [
        ppi_menche2015.SOURCE,
        genes_ncbi.SOURCE,
        drugs_drugbank.SOURCE,
        drug_targets_drugcentral.SOURCE,
        guney2016.SOURCE,
        symptoms_hsdn.SOURCE,
        indications_dev.SOURCE,
        regulons_dorothea.SOURCE,
        pathways_progeny.SOURCE,
        perturbations_lincs.SOURCE,
    ]
    for source in file_sources:
        assert by_source.pop(source.name) == set(source.files), source.name
        assert {p.version for p in pins if p.source == source.name} == {source.version}
    # Demo patient files (omics_*) are read by medtwin.platform.demo_cohorts, not a loader.
    assert {k for k in by_source if not k.startswith("omics_")} == set()
    packages = {p.source: p for p in load_package_pins(path)}
    assert packages["hpo"].version == phenotypes_hpo.SOURCE.version
    assert packages["liana"].version == ligand_receptor_liana.SOURCE.version
