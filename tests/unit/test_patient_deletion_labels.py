"""`patient delete` finds a patient's nodes label by label: every label a writer gives a
``patient_id`` must be one it looks in.

patient/delete_patient.cypher and patient/count_patient_data.cypher (and the benchmarks' deletion
and copy of whole patients) read each label's ``patient_id`` index instead of every node of the
database. The labels a writer sets
``patient_id`` on are read here from the .cypher files themselves (a ``SET x.patient_id =``,
``patient_id:`` in a created or merged node's map or in a map ``SET`` on a node), so a writer of
a new label fails this test until both statements look in it too. What a writer sets from a
Python map (``SET t = $props``) is not in the file: tests/integration/test_patient_deletion.py
checks those on the server, with a patient of every kind of data the product writes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medtwin.schema import PATIENT_LABELS, Label

CYPHER = Path(__file__).resolve().parents[2] / "src" / "medtwin" / "cypher"
KEPT = {str(Label.AUDIT_EVENT)}  # the audit trail outlives the patient (README "Audit trail")
_CLAUSE = re.compile(r"\b(SET|WHERE|WITH|RETURN|MATCH|CREATE|MERGE|UNWIND|DELETE|REMOVE|ORDER)\b")
_UNKNOWN = "?"


def _code(text: str) -> str:
    """``text`` without comments and with string literals emptied (they hold no patterns)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    code = re.sub(r"'[^']*'", "''", "\n".join(lines))
    return re.sub(r'"[^"]*"', '""', code)


def _clause_at(code: str, pos: int) -> str:
    """The Cypher clause keyword that ``pos`` is in (the nearest one before it)."""
    found = list(_CLAUSE.finditer(code, 0, pos))
    return found[-1].group(1) if found else ""


def _enclosing_node(code: str, pos: int) -> str | None:
    """The variable of the node pattern ``(var:Label {...})`` whose map ``pos`` is in."""
    depth = 0
    for i in range(pos - 1, -1, -1):
        if code[i] in ")}":
            depth += 1
        elif code[i] in "({" and depth:
            depth -= 1
        elif code[i] == "(":  # unclosed: the node pattern (an unclosed "{" is the map itself)
            m = re.match(r"\(\s*(\w*)\s*:", code[i:])
            return m.group(1) if m else None
    return None


def _labels_of(code: str, var: str) -> set[str]:
    """Labels the file gives ``var`` in its node patterns; {"?"} when it gives none."""
    found = set(re.findall(rf"\(\s*{re.escape(var)}\s*:\s*(\w+)", code)) if var else set()
    return found or {_UNKNOWN}


def written_labels(text: str) -> set[str]:
    """Labels that a statement's text sets ``patient_id`` on ("?" for a node of no label)."""
    code = _code(text)
    labels: set[str] = set()
    for m in re.finditer(r"\b(\w+)\.patient_id\s*=(?!=)", code):
        if _clause_at(code, m.start()) == "SET":
            labels |= _labels_of(code, m.group(1))
    for m in re.finditer(r"\bpatient_id\s*:", code):
        clause = _clause_at(code, m.start())
        if clause in {"CREATE", "MERGE"}:
            labels |= _labels_of(code, _enclosing_node(code, m.start()) or "")
        elif clause == "SET":
            start = list(_CLAUSE.finditer(code, 0, m.start()))[-1].start()
            targets = re.findall(r"\b(\w+)\s*\+?=(?!=)", code[start : m.start()])
            labels |= _labels_of(code, targets[-1] if targets else "")
    return labels


def _writers() -> dict[str, set[str]]:
    got = {}
    for path in sorted(CYPHER.rglob("*.cypher")):
        labels = written_labels(path.read_text())
        if labels:
            got[str(path.relative_to(CYPHER))] = labels
    return got


LOOKUPS = (
    "patient/delete_patient.cypher",
    "patient/count_patient_data.cypher",
    "patient/delete_patients.cypher",  # patient delete P1 P2 …, --cohort, the bench copies
    "patient/count_patients_data.cypher",  # its check, one read for all of them
    "bench/copy_patient.cypher",  # make bench-delete: a whole patient copied
)


def looked_in(statement: str) -> set[str]:
    """Labels a statement reads by one patient's id (``MATCH (n:Label {patient_id: $id})``)."""
    code = _code((CYPHER / statement).read_text())
    key = r"\{(?:patient_id|id): (?:\$patient_id|patient_id|\$source|p\.id)\}"
    return set(re.findall(r"MATCH \(n:(\w+) " + key + r"\)", code))


def test_the_deletion_looks_in_every_label_a_writer_gives_a_patient_id():
    writers = _writers()
    written = set().union(*writers.values())
    assert _UNKNOWN not in written, {f: ls for f, ls in writers.items() if _UNKNOWN in ls}
    for statement in LOOKUPS:
        missing = written - KEPT - looked_in(statement)
        assert not missing, (statement, {f: ls & missing for f, ls in writers.items()})
        assert looked_in(statement) == written - KEPT  # and in no label no writer writes
    assert written == {str(x) for x in PATIENT_LABELS}  # describe's live counts: the same labels


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("MATCH (t:Twin {id: $t}) CREATE (t)-[:X]->(n:Note {id: 1, patient_id: $p})", {"Note"}),
        ("MERGE (n:Note {id: $i})\n  ON CREATE SET n.name = 'a', n.patient_id = $p", {"Note"}),
        ("MATCH (s:Note) CREATE (c:Copy) SET c = s {.*, patient_id: $p}", {"Copy"}),
        ("MATCH (n) SET n.patient_id = $p", {_UNKNOWN}),  # a node of no label: the test fails
        ("MATCH (n:Note {patient_id: $p}) WHERE n.patient_id = $p RETURN n {.patient_id}", set()),
        ("MATCH (n:Note) RETURN {patient_id: n.id} AS row", set()),
        ("CREATE (n:Note {text: 'patient_id: x'})", set()),  # a string, not a key
    ],
)
def test_the_detector_sees_each_way_of_writing_a_patient_id(text, labels):
    assert written_labels(text) == labels
