// Attach one input (a file's changes, symptoms, exposures) to a patient; the same input twice is one node.
// Parameters: $patient_id, $input_id (string), $props (map: kind, name, sha256, time_points, changes_json,
// symptoms, exposures, metadata_json (what it gives the patient's metadata), unmapped (the first 1,000
// unresolved gene names by name), unmapped_count (all of them), n_changes; cell_type_stats_json of h5ad
// inputs, activity_stats_json of DE tables and cohort patients). Returns: id, created (bool).
MATCH (p:Patient {id: $patient_id})
MERGE (i:PatientInput {id: $input_id})
  ON CREATE SET i.added_at = datetime(), i.patient_id = $patient_id, i._new = true
SET i += $props
MERGE (p)-[:HAS_INPUT]->(i)
WITH i, coalesce(i._new, false) AS created
REMOVE i._new
RETURN i.id AS id, created
