// Record one access to patient data (the API's audit log; medtwin never updates or deletes these).
// Parameters: $id (string, uuid4), $at (string, ISO-8601 UTC), $actor (string, API key name or 'anonymous'),
//   $action (string: read | write | delete), $patient_id (string or null), $route (string, 'METHOD /path'),
//   $status (integer, HTTP status sent). Returns: id.
CREATE (e:AuditEvent {
  id: $id, at: datetime($at), actor: $actor, action: $action,
  patient_id: $patient_id, route: $route, status: $status
})
RETURN e.id AS id
