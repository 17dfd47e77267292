"""The Neo4j Browser style (``bloom/medtwin.grass``) styles every label and relationship type of the
schema, in the Bloom perspective's colours and captions (checked there against the viewer's).

Before, there was no Browser style: the Browser drew each label in a colour of its own choosing
(a Pathway and a Symptom could share one) with a caption it guessed.
"""

from __future__ import annotations

import re

from medtwin.schema import Label, RelType
from tests.unit.report.test_bloom import FILE, PERSPECTIVE

GRASS = FILE.with_name("medtwin.grass")


def _rules() -> dict[str, dict[str, str]]:
    text = GRASS.read_text(encoding="utf-8")
    rules = {}
    # a block's body may hold a caption's {key}s
    for selector, body in re.findall(r"([\w.]+)\s*\{((?:[^{}]|\{\w+\})*)\}", text):
        rules[selector] = dict(re.findall(r"([\w-]+):\s*([^;]+);", body))
    return rules


def test_every_label_and_type_has_a_rule_in_the_perspectives_colours():
    rules = _rules()
    nodes = {s.split(".", 1)[1]: r for s, r in rules.items() if s.startswith("node.")}
    rels = {s.split(".", 1)[1]: r for s, r in rules.items() if s.startswith("relationship.")}
    assert set(nodes) == {str(x) for x in Label}
    assert set(rels) == {str(x) for x in RelType}
    for c in PERSPECTIVE["categories"]:
        rule = nodes[c["name"]]
        assert rule["color"].upper() == c["color"].upper(), c["name"]
        # the caption names the perspective's caption properties, each as {key}
        assert re.findall(r"\{(\w+)\}", rule["caption"]) == c["captionKeys"], c["name"]
    for r in PERSPECTIVE["relationshipTypes"]:
        assert rels[r["name"]]["color"].upper() == r["color"].upper(), r["name"]
    assert len({r["color"] for r in nodes.values()}) == len(nodes)  # labels told apart
