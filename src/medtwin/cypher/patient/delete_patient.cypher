// Delete a patient and every patient-specific node (inputs, twins, tissues, cell types, phenotype
// modules, rankings, custom drugs) with their relationships; reference nodes are untouched (only
// relationships *to* them go). The audit trail (:AuditEvent, who did what when) is kept: it holds the
// patient id and the action, no patient values.
// The other patients of the stratification that placed this one (same endotype_run; for labels written
// before runs were recorded, same endotype_method and no run) keep their endotypes, computed with this
// patient, and count the deletion in endotype_deleted (a number: no id of the deleted patient is left).
// The patient's nodes are found label by label through each label's patient_id index (the Patient by
// its id, which every writer sets equal to its patient_id), not by reading every node of the database
// (~300,000 db hits on the demo before). The labels are every label a writer gives a patient_id except
// AuditEvent: tests/unit/test_patient_deletion_labels.py derives them from the .cypher files and keeps
// this list (and count_patient_data's) equal to them. A label by label lookup also finds a node of the
// patient that no relationship reaches (a traversal from the Patient would not).
// One statement, so one transaction: all of the patient goes, or none of it; a rerun deletes nothing.
// Parameters: $patient_id. Returns: nodes (count of deleted nodes), relationships (count of deleted
// relationships), stale_endotypes (patients whose endotype now predates a deletion); one row, zeros
// when nothing of the patient is stored.
OPTIONAL MATCH (d:Patient {id: $patient_id})
CALL (d) {
  // through the endotype_method index: a patient never stratified (null) reads no other patient
  MATCH (o:Patient {endotype_method: d.endotype_method})
  WHERE o <> d AND coalesce(o.endotype_run, '') = coalesce(d.endotype_run, '')
  SET o.endotype_deleted = coalesce(o.endotype_deleted, 0) + 1
  RETURN count(o) AS stale_endotypes
}
CALL () {
  CALL () {
    MATCH (n:Patient {id: $patient_id}) RETURN n
    UNION ALL
    MATCH (n:PatientInput {patient_id: $patient_id}) RETURN n
    UNION ALL
    MATCH (n:Twin {patient_id: $patient_id}) RETURN n
    UNION ALL
    MATCH (n:Tissue {patient_id: $patient_id}) RETURN n
    UNION ALL
    MATCH (n:CellType {patient_id: $patient_id}) RETURN n
    UNION ALL
    MATCH (n:PhenotypeModule {patient_id: $patient_id}) RETURN n
    UNION ALL
    MATCH (n:Ranking {patient_id: $patient_id}) RETURN n
    UNION ALL
    MATCH (n:CustomDrug {patient_id: $patient_id}) RETURN n
  }
  WITH n WHERE NOT n:AuditEvent
  RETURN collect(DISTINCT n) AS nodes
}
CALL (nodes) {
  // Each relationship once: the nodes' degrees (COUNT of a bare pattern is read from the node's
  // relationship counts, not relationship by relationship: counting by reading every
  // relationship, `count(DISTINCT r)`, was half the statement's db hits: 536 -> 290 a bench copy),
  // less those between two of the patient's nodes, which both ends' degrees count (found from
  // the incoming side, cheap: on the demo a patient's nodes are pointed at only by its own, 1-2 each).
  UNWIND nodes AS n
  RETURN sum(COUNT { (n)--() }) - sum(COUNT { (n)<--(m) WHERE m IN nodes AND m <> n })
    AS relationships
}
FOREACH (n IN nodes | DETACH DELETE n)
RETURN size(nodes) AS nodes, relationships, stale_endotypes
