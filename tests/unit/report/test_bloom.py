"""The Bloom perspective's structure (Bloom itself cannot run in the tests)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from medtwin.platform.layer_colours import EDGE_COLOURS, LAYER_COLOURS
from medtwin.schema import Label, RelType
from tests.unit.report.test_drawing_styles import _drawn_edge_kinds

FILE = Path(__file__).resolve().parents[3] / "bloom" / "medtwin-perspective.json"
PERSPECTIVE = json.loads(FILE.read_text(encoding="utf-8"))
TEMPLATES = PERSPECTIVE["templates"]


def test_top_level():
    for key in (
        "name",
        "id",
        "version",
        "categories",
        "relationshipTypes",
        "templates",
        "labels",
        "palette",
        "hiddenCategories",
        "hiddenRelationshipTypes",
    ):
        assert key in PERSPECTIVE, key


def test_categories_are_schema_labels_with_caption_and_colour():
    labels = [c["name"] for c in PERSPECTIVE["categories"]]
    assert set(labels) == {str(label) for label in Label}  # every label, once
    assert len(labels) == len(set(labels))
    ids = [c["id"] for c in PERSPECTIVE["categories"]]
    assert len(ids) == len(set(ids))
    for c in PERSPECTIVE["categories"]:
        assert c["labels"] == [c["name"]]
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", c["color"])
        props = {p["name"] for p in c["properties"]}
        assert c["captionKeys"], c["name"]
        assert set(c["captionKeys"]) <= props, c["name"]
        assert "id" in props
        assert {
            PERSPECTIVE["labels"][c["name"]][i]["propertyKey"] for i in range(len(props))
        } == props


def test_relationship_types_are_schema_types():
    assert {r["name"] for r in PERSPECTIVE["relationshipTypes"]} == {str(t) for t in RelType}


def test_the_required_search_phrases_exist():
    phrases = {t["text"] for t in TEMPLATES}
    assert {
        "twin of patient $id",
        "drugs ranked for patient $id",
        "paths from drug $d to twin $id",
    } <= phrases


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t["text"])
def test_phrase_parameters_and_vocabulary(template):
    declared = {p["name"] for p in template["params"]}
    in_text = set(re.findall(r"\$\w+", template["text"]))
    in_cypher = set(re.findall(r"\$\w+", template["cypher"]))
    assert declared == in_text == in_cypher, template["text"]
    ids = [template["id"] for template in TEMPLATES]
    assert len(ids) == len(set(ids))
    for p in template["params"]:
        assert p["dataType"] == "String"
        if p["suggestionLabel"] is not None:
            assert p["suggestionLabel"] in {str(label) for label in Label}
    cypher = template["cypher"]
    for label in re.findall(r"\(\w*:(\w+)", cypher):
        assert label in {str(x) for x in Label}, label
    for rel in re.findall(r"\[\w*:(\w+)", cypher):
        assert rel in {str(x) for x in RelType}, rel
    assert not re.search(r"\b(CREATE|MERGE|DELETE|SET|REMOVE)\b", cypher), "phrases only read"


def test_phrases_show_only_complete_twins_and_rankings():
    """A twin or ranking is written as 'building' and published as 'complete' (README, "Limits
    and reliability"); the phrases matched any, so Bloom could draw a build still running."""
    for t in TEMPLATES:
        cypher = t["cypher"]
        for variable, label in re.findall(r"\((\w+):(Twin|Ranking)\b", cypher):
            assert re.search(rf"\({variable}:{label} \{{status: 'complete'\}}\)", cypher), (
                t["text"],
                label,
            )


TWIN_TYPES = {
    "INCLUDES", "HAS_CELL_TYPE", "HAS_TISSUE", "PRESENTS", "UPSTREAM_REGULATOR", "ACTIVITY",
    "HAS_PHENOTYPE_MODULE",
}  # fmt: skip
"""What leaves a demo twin (read in the database, 2026-12-06 and 2026-12-07), but its rankings,
which have their own phrase; ``tests/integration/test_bloom_twin_phrase.py`` reads them from a
built twin instead."""


def _drawn_by(template: dict) -> set[str]:
    """The relationship types a phrase's Cypher names (``[:A|B]`` names two)."""
    groups = re.findall(r"\[\w*:([\w|]+)", template["cypher"])
    return {t for group in groups for t in group.split("|")}


def test_the_twin_phrase_draws_every_layer_of_a_twin():
    """Before, `twin of patient multitissue_demo` drew no tissue (nor the tissues' 11 cell types),
    no upstream regulator and no pathway activity: only proteins, PPI, own cell types, symptoms;
    and (till 2026-12-07) none of the edges the viewer draws between cell types, from cell types
    to their changed genes and from the phenotype module."""
    twin = next(t for t in TEMPLATES if t["text"] == "twin of patient $id")
    drawn = _drawn_by(twin)
    assert drawn >= TWIN_TYPES
    # every relationship type the viewer's drawing holds (read from the drawing code)
    assert drawn >= _drawn_edge_kinds() & {str(t) for t in RelType}


def test_bloom_colours_are_the_viewers_and_tell_labels_apart():
    """Before, Bloom drew a Pathway in the Symptom's green and a PhenotypeModule in the
    Phenotype's: two labels of one twin in one colour (the viewer tells them apart)."""
    colours = {c["name"]: c["color"].upper() for c in PERSPECTIVE["categories"]}
    assert len(set(colours.values())) == len(colours), colours
    snake = {name: re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() for name in colours}
    same = {n: LAYER_COLOURS[snake[n]] for n in colours if snake[n] in LAYER_COLOURS}
    assert {"Pathway", "PhenotypeModule", "CellType", "Tissue", "Protein"} <= set(same)
    assert {n: colours[n] for n in same} == same
    rels = {r["name"]: r["color"].upper() for r in PERSPECTIVE["relationshipTypes"]}
    assert {k: rels[k] for k in EDGE_COLOURS if k in rels} == {
        k: v for k, v in EDGE_COLOURS.items() if k in rels
    }
