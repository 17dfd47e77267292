// Patient-specific nodes left for a patient (0 after a delete) and relationships from them.
// Parameters: $patient_id. Returns: nodes, relationships.
OPTIONAL MATCH (n) WHERE n.patient_id = $patient_id AND NOT n:AuditEvent
OPTIONAL MATCH (n)-[r]-()
RETURN count(DISTINCT n) AS nodes, count(DISTINCT r) AS relationships
