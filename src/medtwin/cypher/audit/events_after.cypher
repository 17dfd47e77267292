// Every audit event, a page at a time in id order (`medtwin db restore` keeps them across a restore).
// Parameters: $after_id (string or null: from the first), $limit (integer).
// Returns: id, at (ISO-8601 string), actor, action, patient_id, route, status.
MATCH (e:AuditEvent)
WHERE $after_id IS NULL OR e.id > $after_id
RETURN e.id AS id, toString(e.at) AS at, e.actor AS actor, e.action AS action,
       e.patient_id AS patient_id, e.route AS route, e.status AS status
ORDER BY e.id
LIMIT $limit
