// Record that `patient add-cohort` starts adding a cohort: 'adding' until finish_cohort_load flips it
// to 'complete' after the last sample, so a killed or failed add leaves the cohort marked incomplete.
// One record per cohort, set of files and options (the id ends in their digest): adding another file,
// or the same files with other thresholds, does not overwrite, and so hide, an earlier add.
// An add with options takes over the record of the same files without options ($files_id: written
// before options were kept, or by the demo): it adds every sample of those files again, and an old
// record left 'adding' by a killed add would otherwise keep the cohort refused after the rerun.
// Holds no patient id: the cohort's name, how many samples the add stores, the files' checksums
// (to count which of the cohort's patients came from this add), its options, who adds them, the command.
// Parameters: $id (string, 'cohort:<name>:<digest>'), $files_id (string, the id without options),
//   $cohort (string), $samples (int), $inputs (list<string>: the samples' file_checksums_json),
//   $options (string or null: JSON of the add's options), $host (string), $pid (int),
//   $command (string or null: how to run the add again), $superseded (list<string>: ids of the
//   cohort's records an add with --replace removes: their inputs are being replaced). Returns: id.
MERGE (c:CohortLoad {id: $id})
SET c.cohort = $cohort, c.samples = $samples, c.inputs = $inputs, c.options = $options,
    c.status = 'adding', c.host = $host, c.pid = $pid, c.command = $command,
    c.started_at = datetime()
REMOVE c.completed_at
WITH c
OPTIONAL MATCH (old:CohortLoad {id: $files_id})
WHERE old <> c AND old.options IS NULL
DELETE old
WITH DISTINCT c
OPTIONAL MATCH (gone:CohortLoad)
WHERE gone.id IN $superseded AND gone <> c AND gone.cohort = $cohort
DELETE gone
WITH DISTINCT c
RETURN c.id AS id
