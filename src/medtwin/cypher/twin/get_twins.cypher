// Complete twin versions of a patient (all, or one version), newest first ('building' ones are hidden).
// Parameters: $patient_id, $version (int or null). Returns: twin (map of properties).
MATCH (:Patient {id: $patient_id})-[:HAS_TWIN]->(t:Twin {status: 'complete'})
WHERE $version IS NULL OR t.version = $version
RETURN properties(t) AS twin
ORDER BY t.version DESC
