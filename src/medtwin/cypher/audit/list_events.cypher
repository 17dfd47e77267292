// Audit events, newest first, optionally for one patient.
// Parameters: $patient_id (string or null: all patients), $offset (integer: newest skipped),
//   $limit (integer).
// Returns: id, at (ISO-8601 string), actor, action, patient_id, route, status.
// One patient's events are found through the audit_patient index (`WHERE $patient_id IS NULL OR
// e.patient_id = $patient_id` got none: every event of every patient was scanned); the
// every-event branch waits behind its own WITH, so it is not run when $patient_id is given.
CALL {
  WITH $patient_id AS one WHERE one IS NULL
  MATCH (e:AuditEvent) RETURN e
  UNION ALL
  MATCH (e:AuditEvent {patient_id: $patient_id}) RETURN e
}
RETURN e.id AS id, toString(e.at) AS at, e.actor AS actor, e.action AS action,
       e.patient_id AS patient_id, e.route AS route, e.status AS status
ORDER BY e.at DESC, e.id
SKIP $offset
LIMIT $limit
