// Cohort adds not finished (status 'adding'): running, or left by a killed `patient add-cohort`.
// Parameters: none. Returns: load (map of the record's properties: cohort, samples, host, pid, started_at).
MATCH (c:CohortLoad {status: 'adding'})
RETURN properties(c) AS load
ORDER BY c.id
