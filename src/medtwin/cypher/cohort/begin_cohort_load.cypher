// Record that `patient add-cohort` starts adding a cohort: 'adding' until finish_cohort_load flips it
// to 'complete' after the last sample, so a killed or failed add leaves the cohort marked incomplete.
// One record per cohort and set of files (the id ends in their digest): adding another file to the
// cohort does not overwrite, and so hide, an earlier add of other files that was killed.
// Holds no patient id: the cohort's name, how many samples the add stores, the files' checksums
// (to count which of the cohort's patients came from this add), who adds them, the command.
// Parameters: $id (string, 'cohort:<name>:<digest>'), $cohort (string), $samples (int),
//   $inputs (list<string>: the samples' file_checksums_json), $host (string), $pid (int),
//   $command (string or null: how to run the add again). Returns: id.
MERGE (c:CohortLoad {id: $id})
SET c.cohort = $cohort, c.samples = $samples, c.inputs = $inputs, c.status = 'adding',
    c.host = $host, c.pid = $pid, c.command = $command, c.started_at = datetime()
REMOVE c.completed_at
RETURN c.id AS id
