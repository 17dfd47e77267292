// Each input's id, digest and name only (not its changes): is a twin older than the inputs?
// Parameters: $patient_id. Returns: id, sha256, name, by id.
MATCH (:Patient {id: $patient_id})-[:HAS_INPUT]->(i:PatientInput)
RETURN i.id AS id, i.sha256 AS sha256, i.name AS name
ORDER BY id
