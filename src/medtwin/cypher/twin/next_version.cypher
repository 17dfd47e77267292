// The next twin version number of a patient (1 for the first twin; counts unfinished ones too).
// Parameters: $patient_id. Returns: version.
OPTIONAL MATCH (:Patient {id: $patient_id})-[:HAS_TWIN]->(t:Twin)
RETURN coalesce(max(t.version), 0) + 1 AS version
