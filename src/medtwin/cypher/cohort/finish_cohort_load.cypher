// End a cohort's add (see begin_cohort_load): 'complete' after its last sample, 'failed' when it
// raised halfway (so a process that lives on, a notebook, is not taken for an add still running).
// Parameters: $id (string, the record's id), $status (string: 'complete' or 'failed').
// Returns: id (no row if the add was never begun).
MATCH (c:CohortLoad {id: $id})
SET c.status = $status, c.completed_at = CASE WHEN $status = 'complete' THEN datetime() END
RETURN c.id AS id
