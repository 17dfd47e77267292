// Remove the audit trails of ids that name no patient and never did (`medtwin db repair --remove-stray-audit`),
// and record each removal in the audit trail itself. Each id is checked again here, in the same transaction as
// its removal (the conditions of audit/stray_trails): an id that became a patient since it was listed, or whose
// trail got a write, keeps its trail. One event per removed trail records who removed how many events: it is the
// id's trail from then on (`medtwin patient audit ID` shows it), action 'write' (the removal changed the id's
// record; a 'delete' would read as the deletion of a patient, which `db restore` applies again), so the id is no
// longer stray and a rerun removes nothing.
// Parameters: $patient_ids (list<string>: the ids listed), $actor (string: 'os:<user>' or 'python:<user>'),
//   $route (string: the command or call). Returns: patient_id, removed (events removed), event_id (the record).
UNWIND $patient_ids AS pid
CALL (pid) {
  MATCH (e:AuditEvent {patient_id: pid})
  WITH collect(e) AS events
  WHERE size(events) > 0
    AND none(x IN events WHERE x.action IN ['write', 'delete'])
    AND NOT EXISTS { MATCH (:Patient {id: pid}) }
  FOREACH (x IN events | DELETE x)
  CREATE (record:AuditEvent {
    id: randomUUID(), at: datetime(), actor: $actor, action: 'write', status: 0, patient_id: pid,
    route: left($route + ': removed ' + toString(size(events)) + ' audit event(s) of ' + pid
                + ', an id that names no patient and had no write or delete', 300)
  })
  RETURN size(events) AS removed, record.id AS event_id
}
RETURN pid AS patient_id, removed, event_id
