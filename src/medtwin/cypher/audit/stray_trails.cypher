// Audit trails of ids that name no patient and never did, as far as the trail tells (`medtwin db repair`).
// Until stop 58 the API stored a read event for the trail of an id that was no patient
// (`GET /v1/patients/gsm389703/audit`, a typo of GSM389703, answered 200 []), so such ids have trails of
// their own. An id counts here when no Patient has it and none of its events is a write or a delete:
// a deleted patient's trail holds its delete (and its add), so it is never listed.
// Parameters: none. Returns: patient_id, events, first_at, last_at (ISO-8601 strings), routes (up to
//   3 distinct), same_but_case (ids of existing patients equal to it ignoring case: the likely intent).
MATCH (e:AuditEvent)
WHERE e.patient_id IS NOT NULL
WITH e.patient_id AS pid, count(e) AS events,
     sum(CASE WHEN e.action IN ['write', 'delete'] THEN 1 ELSE 0 END) AS changed,
     min(e.at) AS first_at, max(e.at) AS last_at, collect(DISTINCT e.route) AS routes
WHERE changed = 0 AND NOT EXISTS { MATCH (:Patient {id: pid}) }
CALL (pid) {
  OPTIONAL MATCH (p:Patient) WHERE toLower(p.id) = toLower(pid)
  RETURN collect(p.id) AS same_but_case
}
RETURN pid AS patient_id, events, toString(first_at) AS first_at, toString(last_at) AS last_at,
       routes[..3] AS routes, same_but_case
ORDER BY patient_id
