// How the last `patient add-cohort` of a cohort went (see begin_cohort_load).
// Parameters: $id (string, 'cohort:<name>'). Returns: load (map of the record's properties); no row if
// the cohort was never added by add-cohort since these records exist.
MATCH (c:CohortLoad {id: $id})
RETURN properties(c) AS load
