// Delete a patient and every patient-specific node (inputs, twins, tissues, cell types, phenotype
// modules, rankings) with their relationships; reference nodes are untouched (only relationships *to* them go). The audit trail
// (:AuditEvent, who did what when) is kept: it holds the patient id and the action, no patient values.
// Parameters: $patient_id. Returns: nodes (count of deleted nodes), relationships (count of deleted relationships).
MATCH (n) WHERE n.patient_id = $patient_id AND NOT n:AuditEvent
WITH collect(n) AS nodes
CALL (nodes) {
  UNWIND nodes AS n
  MATCH (n)-[r]-()
  RETURN count(DISTINCT r) AS relationships
}
FOREACH (n IN nodes | DETACH DELETE n)
RETURN size(nodes) AS nodes, relationships
