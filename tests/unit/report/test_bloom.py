"""The Bloom perspective's structure (Bloom itself cannot run in the tests)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from medtwin.schema import Label, RelType

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
}  # fmt: skip
"""What leaves a demo twin (read in the database, 2026-12-06), but its rankings, which have their
own phrase, and its phenotype module node, whose terms PRESENTS already draws."""


def test_the_twin_phrase_draws_every_layer_of_a_twin():
    """Before, `twin of patient multitissue_demo` drew no tissue (nor the tissues' 11 cell types),
    no upstream regulator and no pathway activity: only proteins, PPI, own cell types, symptoms."""
    twin = next(t for t in TEMPLATES if t["text"] == "twin of patient $id")
    drawn = set(re.findall(r"\[:(\w+)", twin["cypher"]))
    assert drawn >= TWIN_TYPES
