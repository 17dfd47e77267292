// Record a batch of accesses to patient data (the audit log; medtwin never updates or deletes these).
// MERGE on the event's uuid: replaying the writer's journal after a crash cannot record an event twice.
// Parameters: $events (list<map>: id (uuid4), at (ISO-8601 UTC), actor (API key name or 'os:<user>'),
//   action (read | write | delete), patient_id (string or null), route ('METHOD /path' or 'cli: ...'),
//   status (integer)). Returns: n (events in the batch).
UNWIND $events AS ev
MERGE (e:AuditEvent {id: ev.id})
  ON CREATE SET e.at = datetime(ev.at), e.actor = ev.actor, e.action = ev.action,
                e.patient_id = ev.patient_id, e.route = ev.route, e.status = ev.status
RETURN count(e) AS n
