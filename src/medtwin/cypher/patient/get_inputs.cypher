// All inputs of a patient (for building a twin).
// Parameters: $patient_id. Returns: input (map of properties), ordered by added_at.
MATCH (:Patient {id: $patient_id})-[:HAS_INPUT]->(i:PatientInput)
RETURN properties(i) AS input
ORDER BY i.added_at, i.id
