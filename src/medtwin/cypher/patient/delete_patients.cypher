// Delete several patients whole in ONE transaction (a batch of `patient delete P1 P2 …`,
// `--cohort`, the benchmarks' copies): per patient what patient/delete_patient deletes, found the
// same way (label by label through each label's patient_id index: the same labels,
// tests/unit/test_patient_deletion_labels.py), the audit trail kept, the other patients of its
// stratification counted in endotype_deleted (once per batch, below). One statement per batch instead of one per patient:
// the caller (platform/patient_deletion.py) sends the ids in batches, so a batch is deleted whole
// or not at all, and a run that stops midway has deleted whole patients only.
// Each patient's lock is taken here, in the same transaction (MERGE on the Lock's constrained id, as
// lock/acquire_lock takes it; the deletion holds it to its commit), and removed before the commit:
// an operation on one of them that starts meanwhile waits for the commit at its own MERGE, then
// finds no patient. A patient whose lock is held by another operation (live or dead) is left
// untouched and returned busy, with that lock (the caller tells live from dead holders).
// Parameters: $patient_ids (list<string>, distinct), $owner (string, unique to this call), $host
// (string), $pid (int), $operation (string).
// Returns: one row per id: patient_id, found (a Patient node was there), busy (its lock was held:
// nothing deleted), held (the lock's properties when busy, else null), nodes, relationships
// (counts deleted).
UNWIND $patient_ids AS patient_id
MERGE (lock:Lock {id: 'patient:' + patient_id})
  ON CREATE SET lock.owner = $owner, lock.host = $host, lock.pid = $pid,
    lock.operation = $operation, lock.acquired_at = datetime()
WITH patient_id, lock, lock.owner = $owner AS mine
OPTIONAL MATCH (d:Patient {id: patient_id}) WHERE mine
WITH collect({patient_id: patient_id, lock: lock, mine: mine, d: d}) AS batch
CALL (batch) {
  // Each stratification run a deleted patient was in is told once per batch, + how many of its
  // patients went, and the batch's own deleted patients are not written. Per patient (before),
  // every patient of the run was read and written once per deleted one: a --cohort of n
  // stratified patients made n^2 writes. Through the endotype_method index: a patient never
  // stratified (null) reads no other patient.
  UNWIND batch AS row
  WITH row.d AS d
  WHERE d.endotype_method IS NOT NULL
  WITH d.endotype_method AS method, coalesce(d.endotype_run, '') AS run, collect(d) AS gone
  MATCH (o:Patient {endotype_method: method})
  WHERE coalesce(o.endotype_run, '') = run AND NOT o IN gone
  SET o.endotype_deleted = coalesce(o.endotype_deleted, 0) + size(gone)
  RETURN count(o) AS told
}
UNWIND batch AS row
WITH row.patient_id AS patient_id, row.lock AS lock, row.mine AS mine, row.d AS d
CALL (patient_id, mine) {
  CALL (patient_id, mine) {
    MATCH (n:Patient {id: patient_id}) WHERE mine RETURN n
    UNION ALL
    MATCH (n:PatientInput {patient_id: patient_id}) WHERE mine RETURN n
    UNION ALL
    MATCH (n:Twin {patient_id: patient_id}) WHERE mine RETURN n
    UNION ALL
    MATCH (n:Tissue {patient_id: patient_id}) WHERE mine RETURN n
    UNION ALL
    MATCH (n:CellType {patient_id: patient_id}) WHERE mine RETURN n
    UNION ALL
    MATCH (n:PhenotypeModule {patient_id: patient_id}) WHERE mine RETURN n
    UNION ALL
    MATCH (n:Ranking {patient_id: patient_id}) WHERE mine RETURN n
    UNION ALL
    MATCH (n:CustomDrug {patient_id: patient_id}) WHERE mine RETURN n
  }
  WITH n WHERE NOT n:AuditEvent
  RETURN collect(DISTINCT n) AS nodes
}
CALL (nodes) {
  // Each relationship once: the nodes' degrees (COUNT of a bare pattern is read from the node's
  // relationship counts, not relationship by relationship: counting by reading every
  // relationship, `count(DISTINCT r)`, was half the statement's db hits: 536 -> 290 a bench copy),
  // less those between two of the patient's nodes, which both ends' degrees count (found from
  // the incoming side, cheap: on the demo a patient's nodes are pointed at only by its own, 1-2 each).
  UNWIND nodes AS n
  RETURN sum(COUNT { (n)--() }) - sum(COUNT { (n)<--(m) WHERE m IN nodes AND m <> n })
    AS relationships
}
WITH patient_id, lock, mine, d IS NOT NULL AS found, nodes, relationships,
  CASE WHEN mine THEN null ELSE properties(lock) END AS held
FOREACH (n IN nodes | DETACH DELETE n)
FOREACH (_ IN CASE WHEN mine THEN [1] ELSE [] END | DELETE lock)
RETURN patient_id, found, NOT mine AS busy, held, size(nodes) AS nodes, relationships
