// Record a batch of accesses to patient data (the audit log; medtwin never updates or deletes these).
// Parameters: $events (list<map>: id (uuid4), at (ISO-8601 UTC), actor (API key name or 'os:<user>'),
//   action (read | write | delete), patient_id (string or null), route ('METHOD /path' or 'cli: ...'),
//   status (integer)). Returns: n (events written).
UNWIND $events AS ev
CREATE (e:AuditEvent {
  id: ev.id, at: datetime(ev.at), actor: ev.actor, action: ev.action,
  patient_id: ev.patient_id, route: ev.route, status: ev.status
})
RETURN count(e) AS n
