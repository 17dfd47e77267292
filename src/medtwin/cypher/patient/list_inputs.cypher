// Each input of a patient, described (not its changes): `patient show`, remove-input's id lookup.
// Parameters: $patient_id. Returns: id, kind, name, slot (its kind and labels, which `--replace`
// matches; null: none kept), added_at, genes (distinct genes it changes), symptoms (how many terms),
// time_points, oldest first (the order a twin build reads them in).
MATCH (:Patient {id: $patient_id})-[:HAS_INPUT]->(i:PatientInput)
RETURN i.id AS id, i.kind AS kind, i.name AS name, i.slot AS slot, i.added_at AS added_at,
       coalesce(size(i.gene_ids), i.n_changes, 0) AS genes, size(coalesce(i.symptoms, [])) AS symptoms,
       coalesce(i.time_points, []) AS time_points
ORDER BY i.added_at, i.id
