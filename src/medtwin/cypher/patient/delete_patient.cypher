// Delete a patient and every patient-specific node (inputs, twins, tissues, cell types, phenotype
// modules, rankings) with their relationships; reference nodes are untouched (only relationships *to* them go). The audit trail
// (:AuditEvent, who did what when) is kept: it holds the patient id and the action, no patient values.
// The other patients of the stratification that placed this one (same endotype_run; for labels written
// before runs were recorded, same endotype_method and no run) keep their endotypes, computed with this
// patient, and count the deletion in endotype_deleted (a number: no id of the deleted patient is left).
// Parameters: $patient_id. Returns: nodes (count of deleted nodes), relationships (count of deleted
// relationships), stale_endotypes (patients whose endotype now predates a deletion).
OPTIONAL MATCH (d:Patient {id: $patient_id})
CALL (d) {
  MATCH (o:Patient)
  WHERE d.endotype_method IS NOT NULL AND o <> d AND o.endotype_method = d.endotype_method
    AND coalesce(o.endotype_run, '') = coalesce(d.endotype_run, '')
  SET o.endotype_deleted = coalesce(o.endotype_deleted, 0) + 1
  RETURN count(o) AS stale_endotypes
}
MATCH (n) WHERE n.patient_id = $patient_id AND NOT n:AuditEvent
WITH stale_endotypes, collect(n) AS nodes
CALL (nodes) {
  UNWIND nodes AS n
  MATCH (n)-[r]-()
  RETURN count(DISTINCT r) AS relationships
}
FOREACH (n IN nodes | DETACH DELETE n)
RETURN size(nodes) AS nodes, relationships, stale_endotypes
