// Which of several ids have a Patient node now, through the Patient id constraint's index. Read
// before a batched `patient delete P1 P2 …` and again after a batch whose commit lost its answer
// (the connection dropped while committing): an id there before and gone after was deleted by that
// commit; one still there was not (platform/patient_deletion.py).
// Parameters: $patient_ids (list<string>). Returns: patient_id (one row per id with a Patient node).
UNWIND $patient_ids AS patient_id
MATCH (:Patient {id: patient_id})
RETURN DISTINCT patient_id
