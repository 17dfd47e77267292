"""Every node label and relationship type of the schema has one style on all four surfaces.

The surfaces: the Bloom perspective, the Browser style (``bloom/medtwin.grass``), the viewer
(``static/viewer.js``: its layer and edge tables, compared with
:mod:`medtwin.platform.layer_colours` by ``test_report.py`` and ``test_drawing_styles.py``) and
the report, whose charts and legend draw with that module's colours (so do the exports). The
lists come from :mod:`medtwin.schema`: a new label or type fails here until each surface styles
it.

Before, the viewer, the report and the exports had a colour for 11 of the 16 labels and 7 of the
29 types; the rest fell to a hashed fallback of 6 colours: PatientInput, Ranking and CustomDrug
one pink, a Dataset the pink Bloom gives a Ranking, TARGETS a teal where Bloom draws it orange;
and a Twin was the Patient's brown.
"""

from __future__ import annotations

import re

import pytest

from medtwin.platform.layer_colours import EDGE_COLOURS, LAYER_COLOURS, edge_colour, layer_colour
from medtwin.schema import Label, RelType
from tests.unit.report.test_bloom import PERSPECTIVE
from tests.unit.report.test_browser_style import _rules

BLOOM_NODES = {c["name"]: c["color"].upper() for c in PERSPECTIVE["categories"]}
BLOOM_RELS = {r["name"]: r["color"].upper() for r in PERSPECTIVE["relationshipTypes"]}
GRASS = _rules()


def layer_of(label: Label) -> str:
    """The layer name a label is drawn as (``CellType`` -> ``cell_type``)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", str(label)).lower()


@pytest.mark.parametrize("label", list(Label), ids=str)
def test_every_label_has_one_colour_everywhere(label: Label) -> None:
    bloom = BLOOM_NODES[str(label)]
    assert GRASS[f"node.{label}"]["color"].upper() == bloom
    assert layer_of(label) in LAYER_COLOURS  # the viewer's and the report's own, not a fallback
    assert layer_colour(layer_of(label)) == bloom


@pytest.mark.parametrize("rel", list(RelType), ids=str)
def test_every_relationship_type_has_one_colour_everywhere(rel: RelType) -> None:
    bloom = BLOOM_RELS[str(rel)]
    assert GRASS[f"relationship.{rel}"]["color"].upper() == bloom
    assert str(rel) in EDGE_COLOURS
    assert edge_colour(str(rel)) == bloom


def test_labels_are_told_apart_in_the_viewer_and_the_report() -> None:
    colours = {label: layer_colour(layer_of(label)) for label in Label}
    assert len(set(colours.values())) == len(colours), colours
