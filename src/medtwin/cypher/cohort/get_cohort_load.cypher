// How each recorded `patient add-cohort` of a cohort went (see begin_cohort_load): one record per
// set of files added to it (one, id 'cohort:<name>', for a record written before files were kept).
// Parameters: $cohort (string). Returns: load (map of the record's properties), oldest first; no
// row if the cohort was never added by add-cohort (or the demo) since these records exist.
MATCH (c:CohortLoad {cohort: $cohort})
RETURN properties(c) AS load
ORDER BY c.started_at, c.id
