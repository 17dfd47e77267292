// Record that `patient add-cohort` starts adding a cohort: 'adding' until finish_cohort_load flips it
// to 'complete' after the last sample, so a killed or failed add leaves the cohort marked incomplete.
// Holds no patient id: the cohort's name, how many samples the file adds, who adds them, the command.
// Parameters: $id (string, 'cohort:<name>'), $cohort (string), $samples (int), $host (string),
//   $pid (int), $command (string or null: how to run the add again). Returns: id.
MERGE (c:CohortLoad {id: $id})
SET c.cohort = $cohort, c.samples = $samples, c.status = 'adding', c.host = $host, c.pid = $pid,
    c.command = $command, c.started_at = datetime()
REMOVE c.completed_at
RETURN c.id AS id
