"""Colours of layers and edge kinds: one table each for the report's charts, exports, viewer.

:mod:`medtwin.platform.report_charts` draws with it, :mod:`medtwin.platform.export` writes it
into ``.cyjs``/GraphML, and ``static/viewer.js`` holds the same tables (a test compares them).
Kept apart from the charts so that an export does not import matplotlib (~0.35 s).
"""

from __future__ import annotations

__all__ = [
    "ACTIVITY_SIGN_COLOURS",
    "EDGE_COLOURS",
    "LAYER_COLOURS",
    "edge_colour",
    "layer_colour",
]

LAYER_COLOURS: dict[str, str] = {
    "module": "#2F5E8E",
    "protein": "#4C78A8",
    "ppi": "#4C78A8",
    "gene": "#4C78A8",
    "seed": "#17BECF",
    "expanded": "#9ECAE9",
    "upstream_regulator": "#7B3294",
    "drug": "#F58518",
    "drug_target": "#F58518",
    "disease": "#E45756",
    "disease_gene": "#E45756",
    "symptom": "#54A24B",
    "phenotype": "#88D27A",
    "cell_type": "#B279A2",
    "cell_cell": "#B279A2",
    "tissue": "#E7BA52",
    "patient": "#9D755D",
    "twin": "#7F5A3C",
    "phenotype_module": "#2E7D32",
    "pathway": "#BCBD22",
    # the twin's TF activities outside the twin, and its patient's time points (stop 60)
    "tf": "#8C564B",
    "time_point": "#636363",
    # the schema's other labels, in the Bloom perspective's colours (they fell to the fallback:
    # PatientInput, Ranking and CustomDrug one pink): tests/unit/report/test_every_label_styled.py
    "patient_input": "#C9A27E",
    "ranking": "#D67195",
    "custom_drug": "#FF9DA6",
    "dataset": "#BAB0AC",
    "audit_event": "#72B7B2",
}
# Each edge kind of a twin drawing has its colour, near that of the layer it joins: all edges were
# one grey, so a cell type's changed genes, a pathway's activity and the PPI read as one kind. The
# Bloom perspective (bloom/medtwin-perspective.json) gives its relationship types the same.
EDGE_COLOURS: dict[str, str] = {
    "INTERACTS_WITH": "#C8C8C8",
    "EXPRESSES_CHANGE": "#D5A6C9",
    "SIGNALS_TO": "#8E4585",
    "SIGNALS_TO_CROSS_TISSUE": "#E45756",
    "HAS_CELL_TYPE": "#E7BA52",
    "ACTIVITY": "#BCBD22",
    "IN_PHENOTYPE_MODULE": "#2E7D32",
    "LINKS_GENE": "#88D27A",
    # a timeline's order and the twin's own time points (an ACTIVITY edge is coloured by its
    # score's sign where it is drawn: ACTIVITY_SIGN_COLOURS)
    "THEN": "#636363",
    "AT": "#7F5A3C",
    # the schema's other types, in the Bloom perspective's colours (a drawing holds none of them
    # yet; they fell to the fallback, TARGETS a teal where Bloom draws it orange)
    "TARGETS": "#F58518",
    "ASSOCIATED_WITH": "#E45756",
    "HAS_SYMPTOM": "#54A24B",
    "HAS_PHENOTYPE": "#88D27A",
    "IS_A": "#D9D9D9",
    "CO_OCCURS_WITH": "#A6D9A0",
    "BINDS": "#B279A2",
    "HAS_INPUT": "#C9A27E",
    "HAS_TWIN": "#9D755D",
    "INCLUDES": "#4C78A8",
    "PRESENTS": "#54A24B",
    "HAS_RANKING": "#D67195",
    "SCORES": "#F58518",
    "HAS_TISSUE": "#E7BA52",
    "HAS_PHENOTYPE_MODULE": "#88D27A",
    "SIMILAR_TO": "#4C78A8",
    "RESEMBLES": "#E45756",
    "SUGGESTS_BIOMARKER": "#54A24B",
    "REGULATES": "#F58518",
    "FOOTPRINT": "#54A24B",
    "PERTURBS": "#E45756",
    "UPSTREAM_REGULATOR": "#7B3294",
}
ACTIVITY_SIGN_COLOURS = {"+": "#D6604D", "-": "#4393C3"}
"""An ACTIVITY edge's colour by its score's sign (red: active, blue: repressed), as the viewer's."""
_FALLBACK = ("#72B7B2", "#EECA3B", "#FF9DA6", "#BAB0AC", "#D67195", "#439894")


def layer_colour(layer: str) -> str:
    """Colour of a layer (the viewer's ``static/viewer.js`` uses the same table).

    Examples
    --------
    >>> layer_colour("protein")
    '#4C78A8'
    >>> layer_colour("something-new") == layer_colour("something-new")
    True
    """
    key = layer.lower()
    if key in LAYER_COLOURS:
        return LAYER_COLOURS[key]
    return _FALLBACK[sum(key.encode()) % len(_FALLBACK)]


def edge_colour(kind: str) -> str:
    """Colour of an edge kind (``static/viewer.js`` uses the same table and fallback).

    Examples
    --------
    >>> edge_colour("INTERACTS_WITH")
    '#C8C8C8'
    >>> edge_colour("SOMETHING_NEW") == layer_colour("something_new")
    True
    """
    return EDGE_COLOURS.get(kind.upper()) or layer_colour(kind)
