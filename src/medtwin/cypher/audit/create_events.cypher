// Record a batch of accesses to patient data (the audit log; medtwin never updates or deletes these).
// MERGE on the event's uuid: replaying the writer's journal after a crash cannot record an event twice.
// Parameters: $events (list<map>: id (uuid4), at (ISO-8601 UTC), actor (API key name or 'os:<user>'),
//   action (read | write | delete), patient_id (string or null), route ('METHOD /path' or 'cli: ...'),
//   status (integer), if_patient_exists (boolean, optional: true keeps the event only when its patient
//   exists — the CLI's check, made here so that a command's audit is one round trip, not a read first)).
//   Returns: n (events written).
UNWIND $events AS ev
WITH ev WHERE ev.if_patient_exists IS NULL OR NOT ev.if_patient_exists
  OR EXISTS { MATCH (:Patient {id: ev.patient_id}) }
MERGE (e:AuditEvent {id: ev.id})
  ON CREATE SET e.at = datetime(ev.at), e.actor = ev.actor, e.action = ev.action,
                e.patient_id = ev.patient_id, e.route = ev.route, e.status = ev.status
RETURN count(e) AS n
