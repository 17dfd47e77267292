// Patients with unfinished ('building') twins or rankings, for `medtwin db repair`.
// Parameters: none. Returns: patient_id.
MATCH (n) WHERE (n:Twin OR n:Ranking) AND n.status = 'building'
RETURN DISTINCT n.patient_id AS patient_id
ORDER BY patient_id
